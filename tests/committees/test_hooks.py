"""The approval hooks: every callable in `committees.hooks.decision_approved` runs inside the
approval's transaction, after the move to approved (chair's action included); one that fails undoes
the approval; notes providers add lines to the decision's page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from cocomm.models import CCG
from committees import hooks, services
from committees.choices import DecisionStatus, VoteChoice
from committees.models import Decision
from functions.models import Function
from tests.factories.committees import Board, decision_item, meeting_of, pccc
from tests.factories.delegation import give_level

pytestmark = pytest.mark.django_db


@pytest.fixture
def level3_ccg(level2_ccg: CCG) -> CCG:
    give_level(level2_ccg, 3, dt.date(2016, 4, 1))
    return level2_ccg


@pytest.fixture
def seen() -> Iterator[list[str]]:
    """A hook that records each decision's stored status as it runs, registered for one test."""
    statuses: list[str] = []

    def hook(decision: Decision) -> None:
        statuses.append(Decision.objects.get(pk=decision.pk).status)

    hooks.decision_approved.append(hook)
    yield statuses
    hooks.decision_approved.remove(hook)


def recorded(ccg: CCG, *, virtual: bool = False) -> tuple[Board, Decision]:
    board = pccc(ccg, virtual=virtual)
    chair = board.user("lay_chair")
    item = decision_item(board, meeting_of(board, on=dt.date(2016, 6, 1)), ccg)
    decision = services.decision_propose(item=item, resolution="Close the list", by=chair, reason="Moved")
    services.vote_open(decision=decision, by=chair)
    for key in ("lay_chair", "lay_member", "gp_one"):
        services.vote_cast(decision=decision, person=board.person(key), choice=VoteChoice.FOR, by=chair)
    return board, services.vote_close(decision=decision, by=chair)


def test_each_hook_runs_inside_the_approval_after_the_move_to_approved(
    level3_ccg: CCG, seen: list[str]
) -> None:
    board, decision = recorded(level3_ccg)

    services.decision_approve(decision=decision, by=board.user("lay_chair"))

    assert seen == [DecisionStatus.APPROVED]


def test_a_chairs_action_runs_the_hooks_too(level3_ccg: CCG, seen: list[str]) -> None:
    board = pccc(level3_ccg, virtual=True)

    services.virtual_decision_take(
        committee=board.committee,
        ccg=level3_ccg,
        function=Function.objects.get(number=11),
        resolution="Pay the locum",
        urgency_reason="The practice closes on Friday",
        by=board.user("lay_chair"),
    )

    assert seen == [DecisionStatus.APPROVED]


def test_a_failing_hook_undoes_the_approval(level3_ccg: CCG) -> None:
    board, decision = recorded(level3_ccg)

    def failing(decision: Decision) -> None:
        raise RuntimeError("The register is unavailable")

    hooks.decision_approved.append(failing)
    try:
        with pytest.raises(RuntimeError):
            services.decision_approve(decision=decision, by=board.user("lay_chair"))
    finally:
        hooks.decision_approved.remove(failing)

    decision.refresh_from_db()
    assert (decision.status, decision.approved_by) == (DecisionStatus.RECORDED, None)


def test_notes_providers_add_lines_to_the_decision_page(level3_ccg: CCG) -> None:
    board, decision = recorded(level3_ccg)

    def provider(decision: Decision, user: object) -> list[hooks.DecisionNote]:
        return [hooks.DecisionNote("Checked against the registers", tag="Needs attention", warning=True)]

    hooks.decision_notes.append(provider)
    try:
        client = Client()
        client.force_login(board.user("lay_chair"))
        html = client.get(reverse("decision-detail", args=[decision.pk])).content.decode()
    finally:
        hooks.decision_notes.remove(provider)

    assert "Checked against the registers" in html
    assert 'nhsuk-tag--red">Needs attention' in html
