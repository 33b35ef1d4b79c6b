"""A conflict from declaration to ruling, in a real browser: a GP declares an interest in a practice,
the chair's checklist flags it on the practice's list-closure item, the chair rules that the GP
leaves, and the item's quorum on the page follows."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from cocomm.audit import system_user
from cocomm.models import CCG, User
from committees import services as committee_services
from committees.choices import AttendanceStatus, MatterKind
from committees.models import AgendaItem
from functions.models import Function
from tests.factories.cocomm import PracticeFactory
from tests.factories.committees import Board, meeting_of, pccc
from tests.factories.delegation import give_level

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"  # what UserFactory gives every login


def log_in(page: Page, live_server: LiveServer, user: User) -> None:
    page.goto(f"{live_server.url}{reverse('login')}")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()


def list_closure_on_yesterdays_agenda(board: Board, ccg: CCG) -> AgendaItem:
    """Castle Hill Surgery applies to close its list; the committee met yesterday (its record is written
    up today, as meetings are), and one GP sent apologies."""
    practice = PracticeFactory(ccg=ccg, name="Castle Hill Surgery", ods_code="P81001")
    matter = committee_services.matter_raise(
        ccg=ccg,
        function=Function.objects.get(number=3),
        kind=MatterKind.LIST_CLOSURE,
        title="Castle Hill Surgery applies to close its list",
        practices=[practice],
        by=system_user(),
        reason="Application received",
    )
    meeting = meeting_of(
        board,
        on=timezone.localdate() - dt.timedelta(days=1),
        present=["lay_chair", "lay_member", "chief_officer", "gp_one"],
    )
    committee_services.attendance_record(
        meeting=meeting,
        person=board.person("gp_two"),
        status=AttendanceStatus.APOLOGIES,
        by=system_user(),
        reason="Apologies sent",
    )
    return committee_services.matter_schedule(
        matter=matter, meeting=meeting, by=system_user(), reason="On the agenda"
    )


def test_a_declared_interest_is_flagged_ruled_on_and_changes_the_quorum(
    transactional_db: None, live_server: LiveServer, page: Page, level2_ccg: CCG
) -> None:
    give_level(level2_ccg, 3, dt.date(2016, 4, 1))  # delegated: the CCG's own committee decides
    board = pccc(level2_ccg)
    item = list_closure_on_yesterdays_agenda(board, level2_ccg)

    # The GP declares a financial interest in the practice on "My declarations".
    log_in(page, live_server, board.user("gp_one"))
    page.goto(f"{live_server.url}{reverse('my-declarations')}")
    page.get_by_role("button", name="Declare an interest or a nil return").click()
    page.get_by_label("Position", exact=True).fill("GP member of the committee")
    page.get_by_label("Financial", exact=True).check()
    page.get_by_label("Description of the interest").fill("Partner at the practice")
    page.get_by_label("Practice concerned (if any)").select_option(label="Castle Hill Surgery (P81001)")
    # Consent to publish is asked, never assumed: neither answer is chosen when the form opens.
    consent = page.get_by_role("group", name="Do you consent to this entry being published?")
    expect(consent.get_by_role("radio", checked=True)).to_have_count(0)
    consent.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Make the declaration").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Your declaration is on the register")
    expect(page.locator("main table")).to_contain_text("Financial in Castle Hill Surgery")
    log_out(page)

    # The chair's checklist flags the GP on the list-closure item, with the reason, and the risk.
    log_in(page, live_server, board.user("lay_chair"))
    page.goto(f"{live_server.url}{reverse('meeting-checklist', args=[item.meeting_id])}")
    card = page.locator(f"#item-{item.pk}")
    expect(card.locator("dt", has_text="Gp One")).to_be_visible()
    expect(card).to_contain_text("Gp One has declared a financial interest in Castle Hill Surgery")
    expect(card).to_contain_text("which this item concerns: Partner at the practice")
    expect(card).to_contain_text("Quorum at risk")
    expect(card).to_have_class(re.compile("nhsuk-card--warning"))

    # The chair rules that the GP leaves for the item; the item's quorum follows.
    card.get_by_role("link", name=re.compile("Declarations and rulings on item")).click()
    verdict = page.locator("#quorum-verdict")
    expect(verdict).to_contain_text("Quorate")
    page.get_by_label("Who is declaring").select_option(label="Gp One")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#declarant")).to_have_text("Gp One")
    page.get_by_label("What was declared").fill("Partner at Castle Hill Surgery")
    page.get_by_label("Leaves the meeting for the item").check()
    # Only Gp One's own register entries are offered.
    page.get_by_label("The entry on the register of interests (optional)").select_option(index=1)
    page.get_by_role("button", name="Record the ruling").click()

    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "Gp One: leaves the meeting for the item"
    )
    expect(verdict).to_contain_text("Inquorate")
    expect(page.locator("#quorum").locator("xpath=..")).to_contain_text(
        "Gp One: leaves the meeting for the item"
    )
    expect(page.get_by_role("button", name="Refer the item")).to_be_visible()
