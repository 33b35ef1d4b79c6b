"""A Lancashire CCG at level 3 with a year of governance to put in a pack, and people in each role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from cocomm.models import CCG, User
from committees import services as committee_services
from committees.choices import VoteChoice
from committees.models import Decision
from conflicts import services as conflict_services
from conflicts.models import Ruling
from tests.factories.committees import Board, decision_item, meeting_of, pccc
from tests.factories.delegation import give_level

START, END = dt.date(2016, 4, 1), dt.date(2017, 3, 31)
RESOLUTION = "Approve the temporary closure of the list of Promenade Surgery for six months"
STATEMENT = "Partner at Promenade Surgery, whose list closure this is"


@dataclass
class Scene:
    ccg: CCG
    board: Board
    decision: Decision
    officer: User
    reviewer: User
    other_reviewer: User


def decide(board: Board, ccg: CCG, on: dt.date, resolution: str, *, declare: bool = False) -> Decision:
    chair = board.user("lay_chair")
    meeting = meeting_of(board, on=on)
    item = decision_item(board, meeting, ccg)
    if declare:
        conflict_services.item_declaration_rule(
            item=item, person=board.person("gp_two"), statement=STATEMENT, ruling=Ruling.NO_VOTE, by=chair
        )
    decision = committee_services.decision_propose(item=item, resolution=resolution, by=chair, reason="Moved")
    committee_services.vote_open(decision=decision, by=chair)
    for key in ("lay_chair", "lay_member", "gp_one", "chief_officer"):
        committee_services.vote_cast(
            decision=decision, person=board.person(key), choice=VoteChoice.FOR, by=chair
        )
    decision = committee_services.vote_close(decision=decision, by=chair)
    return committee_services.decision_approve(decision=decision, by=chair)


@pytest.fixture
def scene(level2_ccg: CCG, other_ccg: CCG, make_user: Callable[..., User]) -> Scene:
    give_level(level2_ccg, 3, START)
    board = pccc(level2_ccg)
    decision = decide(board, level2_ccg, dt.date(2016, 6, 9), RESOLUTION, declare=True)
    return Scene(
        ccg=level2_ccg,
        board=board,
        decision=decision,
        officer=make_user("governance_officer", ccg=level2_ccg),
        reviewer=make_user("nhse_reviewer", area_team=level2_ccg.area_team),
        other_reviewer=make_user("nhse_reviewer", area_team=other_ccg.area_team),
    )
