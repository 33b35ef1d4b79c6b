"""An application to change level in a real browser: the governance officer adds the last missing
document and submits, the London reviewer approves, and the CCG's page shows the new level.

NHS Islington CCG (level 2 from April 2015 in the demonstration data) is given an officer and an
application part-way through, built with the services on top of the demonstration data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from cocomm import services as core_services
from cocomm.audit import system_user
from cocomm.models import CCG, RoleKind, User
from delegation import applications
from delegation.models import ApplicationStatus, EvidenceKind, LevelApplication
from delegation.selectors import scheme_of
from tests.factories.cocomm import UserFactory

pytestmark = pytest.mark.browser

TEST_PASSWORD = "a-long-test-password"  # what UserFactory gives its logins
APRIL_2017 = dt.date(2017, 4, 1)


def islington_application() -> tuple[User, LevelApplication]:
    """Islington's officer, and an application with six of the seven documents and a carried vote."""
    islington = CCG.objects.select_related("area_team").get(ods_code="08H")
    officer = UserFactory(username="islington.go", first_name="Sam", last_name="Ellis")
    core_services.role_grant(
        user=officer, kind=RoleKind.GOVERNANCE_OFFICER, ccg=islington, by=system_user(), reason="Test data"
    )
    scheme = scheme_of(islington)
    assert scheme is not None
    application = applications.application_start(
        ccg=islington,
        to_level=scheme.levels.get(number=3),
        effective_from=APRIL_2017,
        by=officer,
        reason="Governing body asked for the move",
    )
    for kind in EvidenceKind:
        if kind != EvidenceKind.STAFFING_APPRAISAL:
            applications.evidence_add(
                application=application,
                kind=kind,
                received_on=dt.date(2016, 9, 20),
                by=officer,
                reason="Received",
            )
    applications.step_record(
        application=application,
        done_on=dt.date(2016, 10, 3),
        by_body="Steering group",
        signed_off_by="Director of primary care",
        by=officer,
        reason="Signed off",
    )
    applications.member_vote_record(
        application=application,
        practices_for=25,
        practices_against=6,
        practices_abstaining=2,
        by=officer,
        reason="Counted",
    )
    return officer, application


def fill_date(section: Locator, day: dt.date) -> None:
    section.get_by_label("Day").fill(str(day.day))
    section.get_by_label("Month").fill(str(day.month))
    section.get_by_label("Year").fill(str(day.year))


def record_step(page: Page, *, on: dt.date, body: str, signed_off_by: str, reason: str) -> None:
    section = page.locator("#record-step-section")
    fill_date(section, on)
    section.get_by_label("By which body").fill(body)
    section.get_by_label("Signed off by").fill(signed_off_by)
    section.get_by_label("Reason for the change").fill(reason)
    section.get_by_role("button", name="Record the step").click()


def log_in_as(page: Page, live_server: LiveServer, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def test_the_officer_completes_and_submits_and_the_reviewer_approves_the_new_level(
    page: Page, live_server: LiveServer, log_in: Callable[[str], Page]
) -> None:
    _, application = islington_application()

    # The officer lands on Islington's page, which shows the application in progress.
    log_in_as(page, live_server, "islington.go")
    expect(page).to_have_url(re.compile(r"/ccgs/08H/$"))
    applications_section = page.locator("section.cocomm-ccg-applications")
    expect(applications_section).to_contain_text("An application is in progress")
    applications_section.get_by_role("link", name="to level 3 from 1 April 2017").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Application to move to level 3 from 1 April 2017"
    )
    expect(page.locator("#evidence-staffing_appraisal")).to_contain_text("Missing")

    # The last document arrives, with its file.
    evidence = page.locator("#add-evidence-section")
    evidence.get_by_label("Evidence").select_option(label="Staffing options appraisal (missing)")
    fill_date(evidence, dt.date(2016, 10, 12))
    evidence.get_by_label("Document (optional)").set_input_files(
        files=[
            {"name": "staffing-appraisal.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 options"}
        ]
    )
    evidence.get_by_label("Reason for the change").fill("Appraisal received from the CSU")
    evidence.get_by_role("button", name="Add the evidence").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Staffing options appraisal received")
    expect(page.locator("#evidence-staffing_appraisal")).to_contain_text("Received")
    expect(page.locator("#evidence-staffing_appraisal").get_by_role("link")).to_have_count(1)

    # The member practices' vote and the governing body's decision are signed off.
    record_step(
        page,
        on=dt.date(2016, 10, 20),
        body="Members' meeting",
        signed_off_by="Clinical chair",
        reason="Vote held",
    )
    expect(page.locator("#step-member_vote")).to_contain_text("Done")
    record_step(
        page,
        on=dt.date(2016, 10, 26),
        body="Governing body",
        signed_off_by="Clinical chair",
        reason="GB decided",
    )
    expect(page.locator("#step-submitted")).to_contain_text("Next")

    submit = page.locator("#submit-section")
    expect(submit).not_to_contain_text("Evidence missing")
    fill_date(submit, dt.date(2016, 10, 31))
    submit.get_by_label("Signed off by").fill("Accountable officer")
    submit.get_by_label("Reason for the change").fill("Application sent to NHS England (London region)")
    submit.get_by_role("button", name="Submit to NHS England").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("submitted to NHS England")
    expect(page.locator("#decide-section")).to_have_count(0)

    # The London reviewer approves it.
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    log_in("london.reviewer")
    page.goto(f"{live_server.url}/ccgs/08H/applications/{application.pk}/")
    decide = page.locator("#decide-section")
    decide.get_by_role("radio", name=re.compile("^Approve")).check()
    fill_date(decide, dt.date(2017, 1, 20))
    decide.get_by_label("Note (optional)").fill("Letter of 20 January 2017")
    decide.get_by_label("Reason for the change").fill("Assurance of the application complete")
    decide.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "NHS Islington CCG holds level 3 from 1 April 2017"
    )
    expect(page.locator("#step-approved")).to_contain_text("Done")

    # Islington's page now shows level 3, in force from 1 April 2017.
    page.get_by_role("link", name="NHS Islington CCG").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("NHS Islington CCG")
    expect(page.locator("main .nhsuk-inset-text").first).to_contain_text(
        "level 3: Delegated commissioning, in force since 1 April 2017"
    )
    expect(page.locator("section.cocomm-ccg-applications")).to_contain_text(
        "No application to change level is in progress"
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert (
        application.evidence.get(kind=EvidenceKind.STAFFING_APPRAISAL).document.read() == b"%PDF-1.4 options"
    )
