"""Committee journeys in a real browser: the governance officer prepares a meeting, the chair runs
the vote and approves the decision. Data is built with the test builders inside each test, on top
of the demonstration data (NHS Blackpool CCG holds level 3 from April 2016)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from cocomm.audit import system_user
from cocomm.models import CCG
from committees import services
from tests.factories.committees import Board, decision_item, meeting_of, pccc

pytestmark = pytest.mark.browser

MEMBERS = ["Lay Chair", "Lay Member", "Chief Officer", "Finance Director", "Gp One", "Gp Two", "Healthwatch"]
TEST_PASSWORD = "a-long-test-password"  # what the builders' logins are given


def blackpool_pccc() -> Board:
    return pccc(CCG.objects.get(ods_code="00R"))


def test_a_governance_officer_schedules_a_meeting_builds_its_agenda_and_records_attendance(
    log_in: Callable[[str], Page],
) -> None:
    board = blackpool_pccc()
    # The meeting starts in about ten minutes, on the minute: its agenda is built now, and the clock is
    # moved to its start to take the register, less than the idle time that would end the session.
    starts = timezone.localtime().replace(second=0, microsecond=0) + dt.timedelta(minutes=11)
    on = starts.date()
    page = log_in("blackpool.go")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Committees").click()
    page.get_by_role("link", name=board.committee.name).click()
    expect(page.locator("main")).to_contain_text("Today's members meet the composition rule")
    page.get_by_role("link", name="Schedule a meeting").click()

    page.get_by_label("Title").fill("PCCC meeting in public")
    page.get_by_label("Day").fill(str(on.day))
    page.get_by_label("Month").fill(str(on.month))
    page.get_by_label("Year").fill(str(on.year))
    page.get_by_label("Start time").fill(f"{starts:%H:%M}")
    page.get_by_label("Place (optional)").fill("Blackpool Town Hall, Committee Room A")
    page.get_by_label("Reason for the change").fill("Bi-monthly meeting")
    page.get_by_role("button", name="Schedule the meeting").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("PCCC meeting in public")
    expect(page.locator("table.cocomm-agenda")).to_contain_text("Declarations of interest")

    page.get_by_role("link", name="Add an agenda item").click()
    page.get_by_label("Title", exact=True).fill("Layton Health Centre list closure")
    page.get_by_label("Reference (optional)").fill("PCCC/26/12/04")
    page.get_by_role("radio", name="For decision").check()
    page.get_by_label("CCG", exact=True).select_option(label="NHS Blackpool CCG")
    page.get_by_label("Function", exact=True).select_option(
        label="3. Decisions on mergers, splits and vacancies and the associated contractual process"
    )
    page.get_by_label("Layton Health Centre (P81703), NHS Blackpool CCG").check()
    page.get_by_label("Executive summary").fill("The practice asks to close its list for six months.")
    page.get_by_label("Reason for the change").fill("Application received on 2 November")
    page.get_by_role("button", name="Add the item").click()

    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("has been added to the agenda")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Layton Health Centre list closure")
    # Before the meeting nobody's attendance is recorded: the quorum is not known, not "Inquorate".
    expect(page.locator("main")).to_contain_text("Attendance not recorded yet")
    expect(page.locator("main")).not_to_contain_text("Inquorate")
    expect(page.locator("main")).to_contain_text("A resolution can be proposed and voted on from")

    page.get_by_role("link", name=re.compile("^PCCC meeting in public")).first.click()
    expect(page.locator("#attendance").locator("xpath=following-sibling::p[1]")).to_contain_text(
        f"Attendance is recorded from {starts:%H:%M}"
    )
    expect(page.get_by_role("button", name="Save the attendance")).to_have_count(0)

    with time_machine.travel(starts, tick=True):
        page.reload()
        _take_the_register(page)


def _take_the_register(page: Page) -> None:
    for name in MEMBERS:
        status = "apologies" if name == "Gp Two" else "present"
        page.get_by_label(f"Attendance of {name}").select_option(status)
    page.get_by_label("Reason for the change").fill("Register taken at the start of the meeting")
    page.get_by_role("button", name="Save the attendance").click()

    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("The attendance has been recorded")
    agenda_row = page.locator("table.cocomm-agenda tr", has_text="Layton Health Centre list closure")
    expect(agenda_row).to_contain_text("Quorate")
    expect(page.locator("#quorum")).to_be_visible()
    expect(page.get_by_label("Attendance of Gp Two")).to_have_value("apologies")


def test_the_chair_runs_the_vote_approves_the_decision_and_finds_it_in_the_history(
    live_server: LiveServer, page: Page, demo_data: None
) -> None:
    board = blackpool_pccc()
    meeting = meeting_of(board, on=timezone.localdate() - dt.timedelta(days=1))
    item = decision_item(board, meeting, board.committee.ccgs.get(), title="Bispham Village Surgery merger")
    services.agenda_item_note(
        item=item, discussion_note="Members asked about access.", by=system_user(), reason="Noted"
    )
    chair = board.user("lay_chair")

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(chair.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Committees").click()
    page.get_by_role("link", name=board.committee.name).click()
    page.get_by_role("link", name=meeting.title).first.click()
    page.get_by_role("link", name="Bispham Village Surgery merger").first.click()

    panel = page.locator("section.cocomm-decision-panel")
    panel.get_by_label("Resolution").fill("Approve the merger from 1 April")
    panel.get_by_label("Reason for the change").fill("Moved by the chair")
    panel.get_by_role("button", name="Propose the resolution").click()
    page.get_by_role("button", name="Open the vote").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("The vote is open")

    choices = {"Lay Chair": "For", "Lay Member": "For", "Chief Officer": "For", "Gp One": "Against"}
    for name, choice in choices.items():
        page.get_by_role("group", name=name, exact=True).get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="Record the votes").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("4 votes have been recorded")
    page.get_by_role("button", name="Close the vote").click()

    panel = page.locator("section.cocomm-decision-panel")
    expect(panel).to_contain_text("3 for, 1 against, 0 abstaining: carried by simple majority.")
    expect(panel).to_contain_text("No: Non-voting member")
    page.get_by_role("button", name="Approve the decision").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Decision of")
    expect(page.locator("#status")).to_contain_text("Approved")
    expect(page.get_by_role("button", name="Approve the decision")).to_have_count(0)
    history = page.locator("table.cocomm-history")
    latest = history.locator("tbody tr").first
    expect(latest).to_contain_text(str(chair))
    expect(latest).to_contain_text("Approved by the chair")
    expect(history).to_contain_text("Vote recorded for Gp One")
    expect(history).to_contain_text("Moved by the chair")
