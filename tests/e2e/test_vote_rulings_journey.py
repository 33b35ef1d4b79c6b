"""No vote while a flagged conflict is unmanaged, in a real browser: the chair tries to open the vote
on a list closure, is refused with the name of the GP still to be ruled on, records the ruling from the
conflicts checklist's link (pre-filled with the GP and the register entry), and then opens the vote.
The meeting is in the past, as one recorded after the event."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from cocomm.models import CCG
from committees.choices import DecisionStatus
from committees.models import Decision
from conflicts.models import ItemDeclaration, Ruling
from tests.conflicts.test_vote_rulings import interest, list_closure, propose
from tests.e2e.test_conflicts_journey import log_in
from tests.factories.cocomm import PracticeFactory
from tests.factories.committees import pccc
from tests.factories.delegation import give_level

pytestmark = pytest.mark.browser


def test_the_chair_is_refused_the_vote_rules_from_the_checklist_then_opens_it(
    transactional_db: None, live_server: LiveServer, page: Page, level2_ccg: CCG
) -> None:
    give_level(level2_ccg, 3, dt.date(2016, 4, 1))
    board = pccc(level2_ccg)
    practice = PracticeFactory(ccg=level2_ccg, name="Castle Hill Surgery", ods_code="P81001")
    item = list_closure(board, level2_ccg, practice)
    decision = propose(item, board)
    interest(board, level2_ccg, practice, "gp_one")  # on the register, but nobody has ruled on it

    log_in(page, live_server, board.user("lay_chair"))
    page.goto(f"{live_server.url}{reverse('agenda-item-detail', args=[item.pk])}")
    page.get_by_role("button", name="Open the vote").click()
    expect(page.locator("main")).to_contain_text("flags Gp One, who needs a recorded declaration")
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.DRAFT

    page.goto(f"{live_server.url}{reverse('meeting-checklist', args=[item.meeting_id])}")
    card = page.locator(f"#item-{item.pk}")
    expect(card).to_contain_text("No ruling yet")
    card.get_by_role("link", name=re.compile("Record a declaration and ruling")).click()

    expect(page.locator("#declarant")).to_have_text("Gp One")
    interest_field = page.get_by_label("The entry on the register of interests (optional)")
    expect(interest_field.locator("option:checked")).to_contain_text(
        "Financial interest in Castle Hill Surgery"
    )
    expect(page.get_by_label("What was declared")).to_have_value(re.compile("Castle Hill Surgery"))
    page.get_by_label("Stays for the discussion; does not vote").check()
    page.get_by_role("button", name="Record the ruling").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Gp One: stays for the discussion")
    assert ItemDeclaration.objects.get(item=item).ruling == Ruling.NO_VOTE

    page.goto(f"{live_server.url}{reverse('agenda-item-detail', args=[item.pk])}")
    expect(page.locator("#flagged").locator("xpath=following-sibling::table[1]")).to_contain_text(
        "Stays for the discussion; does not vote"
    )
    page.get_by_role("button", name="Open the vote").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("The vote is open")
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.VOTING
