"""The whole path once: a matter raised, routed to the PCCC, voted, approved."""

from __future__ import annotations

import datetime as dt

import pytest

from cocomm.audit import system_user
from cocomm.models import CCG
from committees import services
from committees.choices import DecisionStatus, MatterKind, Outcome, VoteChoice
from functions.models import Function
from tests.factories.committees import meeting_of, pccc
from tests.factories.delegation import give_level

pytestmark = pytest.mark.django_db


def test_a_list_closure_for_a_level_3_ccg_is_decided_by_its_pccc(level2_ccg: CCG) -> None:
    give_level(level2_ccg, 3, dt.date(2016, 4, 1))
    board = pccc(level2_ccg)
    meeting = meeting_of(board, on=dt.date(2016, 6, 1))
    matter = services.matter_raise(
        ccg=level2_ccg,
        function=Function.objects.get(number=3),
        kind=MatterKind.LIST_CLOSURE,
        title="Castle Hill Surgery applies to close its list",
        by=system_user(),
        reason="Application received",
    )
    item = services.matter_schedule(matter=matter, meeting=meeting, by=system_user(), reason="On the agenda")
    chair = board.user("lay_chair")
    decision = services.decision_propose(
        item=item, resolution="Approve the closure for 6 months", by=chair, reason="Moved"
    )
    services.vote_open(decision=decision, by=chair)
    for key in ("lay_chair", "lay_member", "chief_officer", "gp_one"):
        services.vote_cast(decision=decision, person=board.person(key), choice=VoteChoice.FOR, by=chair)
    services.vote_cast(decision=decision, person=board.person("gp_two"), choice=VoteChoice.AGAINST, by=chair)
    decision = services.vote_close(decision=decision, by=chair)
    assert decision.outcome == Outcome.CARRIED
    decision = services.decision_approve(decision=decision, by=chair)
    assert decision.status == DecisionStatus.APPROVED


def test_the_draft_minutes_tell_the_story(level2_ccg: CCG) -> None:
    from committees.minutes import compose_minutes

    give_level(level2_ccg, 3, dt.date(2016, 4, 1))
    board = pccc(level2_ccg)
    meeting = meeting_of(
        board, on=dt.date(2016, 6, 1), present=["lay_chair", "chief_officer", "gp_one", "lay_member"]
    )
    matter = services.matter_raise(
        ccg=level2_ccg,
        function=Function.objects.get(number=3),
        kind=MatterKind.LIST_CLOSURE,
        title="Castle Hill Surgery applies to close its list",
        by=system_user(),
        reason="Application received",
    )
    item = services.matter_schedule(matter=matter, meeting=meeting, by=system_user(), reason="On the agenda")
    chair = board.user("lay_chair")
    decision = services.decision_propose(
        item=item, resolution="Approve the closure", by=chair, reason="Moved"
    )
    services.vote_open(decision=decision, by=chair)
    for key in ("lay_chair", "chief_officer", "gp_one", "lay_member"):
        services.vote_cast(decision=decision, person=board.person(key), choice=VoteChoice.FOR, by=chair)
    services.decision_approve(decision=services.vote_close(decision=decision, by=chair), by=chair)
    text = compose_minutes(meeting)
    assert "Castle Hill Surgery applies to close its list" in text
    assert "4 for, 0 against, 0 abstaining: carried by simple majority." in text
    assert "Gp Two" in text and "Not present" in text.replace("not present", "Not present")
    assert "Approved by the chair" in text
