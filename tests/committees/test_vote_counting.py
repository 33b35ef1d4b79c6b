"""Every vote counted: members who share a name, category and office each count once.

Votes are gathered per seat; a seat is told apart by the person who holds it, never by its label, so
two executives called Sarah Jones cast two votes, in every outcome of the vote.
"""

from __future__ import annotations

import datetime as dt

import pytest

from cocomm.audit import system_user
from cocomm.models import CCG
from committees import services
from committees.choices import CastingVote, MemberCategory, Office, Outcome, VoteChoice
from committees.models import Decision
from committees.rules import Seat, casting_holder_choice, vote_outcome
from tests.factories.committees import Board, decision_item, meeting_of, pccc, person_with_login
from tests.factories.delegation import give_level

JUNE_2016 = dt.date(2016, 6, 1)
FOR, AGAINST, ABSTAIN = VoteChoice.FOR, VoteChoice.AGAINST, VoteChoice.ABSTAIN


def test_seats_with_the_same_label_but_different_holders_are_different_seats() -> None:
    one = Seat("Sarah Jones", MemberCategory.EXECUTIVE, True, Office.MEMBER, person_id=1)
    two = Seat("Sarah Jones", MemberCategory.EXECUTIVE, True, Office.MEMBER, person_id=2)
    votes = {one: FOR, two: FOR, Seat("Chair", MemberCategory.LAY, True, Office.CHAIR, person_id=3): AGAINST}

    assert len(votes) == 3
    assert vote_outcome(votes.values(), None).outcome == Outcome.CARRIED
    assert casting_holder_choice(CastingVote.CHAIR, votes) == (AGAINST, "the chair")


@pytest.fixture
def board(level2_ccg: CCG) -> Board:
    """A primary care commissioning committee with two voting executives both called Sarah Jones."""
    give_level(level2_ccg, 3, dt.date(2016, 4, 1))
    board = pccc(level2_ccg)
    for key in ("sarah_jones_a", "sarah_jones_b"):
        board.members[key] = services.membership_add(
            committee=board.committee,
            person=person_with_login("Sarah Jones"),
            category=MemberCategory.EXECUTIVE,
            voting=True,
            office=Office.MEMBER,
            starts_on=dt.date(2015, 1, 1),
            by=system_user(),
            reason="Test data",
        )
    return board


def run_vote(board: Board, ccg: CCG, choices: dict[str, str]) -> Decision:
    meeting = meeting_of(board, on=JUNE_2016, present=[*choices])
    item = decision_item(board, meeting, ccg)
    chair = board.user("lay_chair")
    decision = services.decision_propose(item=item, resolution="Approve", by=chair, reason="Test data")
    services.vote_open(decision=decision, by=chair)
    for key, choice in choices.items():
        services.vote_cast(decision=decision, person=board.person(key), choice=choice, by=chair)
    return services.vote_close(decision=decision, by=chair)


@pytest.mark.parametrize(
    ("choices", "expected"),
    [
        # 3 for, 2 against: carried only if both namesakes' votes count.
        (
            {
                "sarah_jones_a": FOR,
                "sarah_jones_b": FOR,
                "gp_one": FOR,
                "lay_chair": AGAINST,
                "lay_member": AGAINST,
            },
            (Outcome.CARRIED, False, "3 for, 2 against"),
        ),
        # 2 for, 3 against: lost.
        (
            {
                "sarah_jones_a": AGAINST,
                "sarah_jones_b": AGAINST,
                "gp_one": AGAINST,
                "lay_chair": FOR,
                "lay_member": FOR,
            },
            (Outcome.NOT_CARRIED, False, "2 for, 3 against"),
        ),
        # 2 for, 2 against: the chair's casting vote (for) carries it.
        (
            {
                "sarah_jones_a": AGAINST,
                "sarah_jones_b": AGAINST,
                "gp_one": FOR,
                "lay_chair": FOR,
            },
            (Outcome.CARRIED, True, "2 for, 2 against"),
        ),
        # 2 for, 2 against, the chair abstaining: no casting vote, not carried.
        (
            {
                "sarah_jones_a": FOR,
                "sarah_jones_b": FOR,
                "gp_one": AGAINST,
                "lay_member": AGAINST,
                "lay_chair": ABSTAIN,
            },
            (Outcome.NOT_CARRIED, False, "2 for, 2 against"),
        ),
    ],
    ids=["carried", "lost", "tie-casting-vote", "tie-no-casting-vote"],
)
def test_namesakes_each_count_once_in_every_outcome(
    board: Board, level2_ccg: CCG, choices: dict[str, str], expected: tuple[str, bool, str]
) -> None:
    decision = run_vote(board, level2_ccg, choices)

    outcome, casting, summary = expected
    assert (decision.outcome, decision.casting_vote_used) == (outcome, casting)
    assert decision.vote_summary.startswith(summary)
    voters = decision.voters.filter(person__full_name="Sarah Jones", eligible=True)
    assert voters.count() == 2
