"""Assurance packs in a real browser: a governance officer generates a pack and watches it arrive
(a real worker on Redis makes it); NHS England's reviewer records an outcome, and the CCG sees it and
responds."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from assurance import services
from assurance.models import AssurancePack, PackStatus
from cocomm.models import CCG, RoleKind, User
from tests.assurance.conftest import END, RESOLUTION, START, decide
from tests.factories.committees import pccc
from tests.factories.delegation import give_level

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"  # what UserFactory gives every login


@dataclass
class Year:
    ccg: CCG
    officer: User
    reviewer: User


@pytest.fixture
def year(level2_ccg: CCG, make_user: Callable[..., User]) -> Year:
    """A level-3 year with one decision on which a GP declared an interest."""
    give_level(level2_ccg, 3, START)
    decide(pccc(level2_ccg), level2_ccg, dt.date(2016, 6, 9), RESOLUTION, declare=True)
    return Year(
        ccg=level2_ccg,
        officer=make_user(RoleKind.GOVERNANCE_OFFICER, ccg=level2_ccg),
        reviewer=make_user(RoleKind.NHSE_REVIEWER, area_team=level2_ccg.area_team),
    )


def log_in(page: Page, live_server: LiveServer, user: User) -> None:
    page.goto(f"{live_server.url}{reverse('login')}")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def fill_date(page: Page, legend: str, day: dt.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_an_officer_generates_a_pack_and_the_page_shows_it_when_ready(
    page: Page, live_server: LiveServer, year: Year, celery_broker: None, request: pytest.FixtureRequest
) -> None:
    log_in(page, live_server, year.officer)
    page.goto(f"{live_server.url}{reverse('ccg-detail', args=[year.ccg.ods_code])}")
    page.get_by_role("link", name="Assurance packs for NHS England").click()
    fill_date(page, "Period starts on", START)
    fill_date(page, "Period ends on", END)
    page.get_by_role("button", name="Generate a pack").click()

    # No worker yet: the request waits on Redis and the page says so, reloading itself.
    expect(page.get_by_text("Version 1 of the pack is being generated.")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("The pack is queued")

    request.getfixturevalue("celery_worker")  # a worker starts and takes the queued task
    expect(page.get_by_role("link", name="Download the PDF")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("status")).to_have_count(0)
    pack = AssurancePack.objects.get(ccg=year.ccg)
    assert pack.status == PackStatus.READY
    expect(page.locator("main")).to_contain_text(pack.sha256)
    expect(page.locator("main")).to_contain_text("This is the first ready version for the period.")

    pdf = page.request.get(f"{live_server.url}{reverse('pack-download', args=[pack.pk])}")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(pdf.body()).hexdigest() == pack.sha256


def test_the_reviewer_records_an_outcome_and_the_officer_sees_it_and_responds(
    page: Page, live_server: LiveServer, year: Year, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.pack_request(ccg=year.ccg, start=START, end=END, by=year.officer)
    pack = AssurancePack.objects.get(ccg=year.ccg)
    assert pack.status == PackStatus.READY, pack.error

    log_in(page, live_server, year.reviewer)
    page.goto(f"{live_server.url}{reverse('pack-list', args=[year.ccg.ods_code])}")
    expect(page.get_by_role("button", name="Generate a pack")).to_have_count(0)  # reviewers don't ask
    page.get_by_role("link", name=re.compile("1 Apr 2016 to 31 Mar 2017")).click()
    page.get_by_role("button", name="Record the review").click()  # nothing chosen: errors, nothing saved
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select the level of assurance")
    page.get_by_label("Limited assurance").check()
    page.get_by_label("Comments").fill("Declarations are recorded, but one decision lacks its ruling.")
    page.get_by_label("Actions for the CCG (optional)").fill("Record every ruling in the minutes.")
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_text("The review is recorded.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in(page, live_server, year.officer)
    page.goto(f"{live_server.url}{reverse('pack-list', args=[year.ccg.ods_code])}")
    expect(page.locator("tbody")).to_contain_text("Limited assurance")
    page.get_by_role("link", name=re.compile("1 Apr 2016 to 31 Mar 2017")).click()
    expect(page.locator("main")).to_contain_text("Record every ruling in the minutes.")
    expect(page.get_by_role("button", name="Record the review")).to_have_count(0)
    page.get_by_label("The CCG's response").fill("Rulings are now a required field of our minutes template.")
    page.get_by_role("button", name="Save the response").click()
    expect(page.get_by_text("The CCG's response is recorded.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Rulings are now a required field of our minutes template.")
    review = AssurancePack.objects.get(pk=pack.pk).review
    assert (review.outcome, review.reviewer, review.responded_by) == ("limited", year.reviewer, year.officer)
