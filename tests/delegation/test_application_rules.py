"""Rules for moving level and sharing the GP commissioning team: pure functions, no database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from delegation.application_rules import (
    Share,
    can_move,
    missing_evidence,
    next_statuses,
    next_step,
    share_out,
    vote_carried,
)
from delegation.models import ApplicationStatus as S
from delegation.models import EvidenceKind

# Every edge the table allows; every other pair of statuses must be refused.
ALLOWED = {
    (S.DRAFT, S.EVIDENCE_GATHERED),
    (S.EVIDENCE_GATHERED, S.MEMBER_VOTE),
    (S.MEMBER_VOTE, S.GOVERNING_BODY),
    (S.GOVERNING_BODY, S.SUBMITTED),
    (S.SUBMITTED, S.NHSE_DECISION),
    (S.NHSE_DECISION, S.APPROVED),
    (S.SUBMITTED, S.DECLINED),
    (S.NHSE_DECISION, S.DECLINED),
    *((s, S.WITHDRAWN) for s in (S.DRAFT, S.EVIDENCE_GATHERED, S.MEMBER_VOTE, S.GOVERNING_BODY)),
    (S.SUBMITTED, S.WITHDRAWN),
    (S.NHSE_DECISION, S.WITHDRAWN),
}
ALL_PAIRS = [(a, b) for a in S for b in S]


@pytest.mark.parametrize(("here", "there"), ALL_PAIRS)
def test_the_transition_table_allows_exactly_the_listed_edges(here: S, there: S) -> None:
    allowed, reason = can_move(here, there)
    assert allowed == ((here, there) in ALLOWED)
    assert (reason == "") == allowed
    assert (there in next_statuses(here)) == allowed


@pytest.mark.parametrize("closed", [S.APPROVED, S.DECLINED, S.WITHDRAWN])
def test_a_closed_application_cannot_move_and_says_so(closed: S) -> None:
    assert next_statuses(closed) == frozenset()
    allowed, reason = can_move(closed, S.DRAFT)
    assert not allowed
    assert "closed" in reason


def test_a_refusal_names_where_the_application_may_go_instead() -> None:
    allowed, reason = can_move(S.DRAFT, S.SUBMITTED)
    assert not allowed
    assert "evidence gathered" in reason and "withdrawn" in reason


def test_the_next_step_follows_the_way_to_approval() -> None:
    assert next_step(S.DRAFT) == S.EVIDENCE_GATHERED
    assert next_step(S.GOVERNING_BODY) == S.SUBMITTED
    assert next_step(S.APPROVED) is None
    assert next_step(S.WITHDRAWN) is None


def test_all_seven_documents_are_missing_at_first() -> None:
    assert missing_evidence([]) == list(EvidenceKind)
    assert len(missing_evidence([])) == 7


def test_only_the_documents_not_received_are_missing() -> None:
    received = [k for k in EvidenceKind if k != EvidenceKind.IG_TOOLKIT]
    assert missing_evidence([*received, EvidenceKind.CONFLICTS_POLICY]) == [EvidenceKind.IG_TOOLKIT]
    assert missing_evidence(list(EvidenceKind)) == []


@pytest.mark.parametrize(
    ("for_", "against", "abstaining", "carried"),
    [
        (20, 10, 0, True),
        (11, 10, 30, True),  # abstentions do not count as votes against
        (10, 10, 0, False),  # a tie is not a majority
        (9, 10, 0, False),
        (0, 0, 25, False),  # nobody voted
    ],
)
def test_a_simple_majority_of_those_voting_carries_the_vote(
    for_: int, against: int, abstaining: int, carried: bool
) -> None:
    assert vote_carried(for_, against, abstaining) is carried


def test_negative_vote_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        vote_carried(-1, 0, 0)


# Seed 003 §4: the General Practice Commissioning Team's 5.08 WTE among Lancashire's CCGs.
LANCASHIRE = {
    "Blackburn with Darwen": 174645,
    "Blackpool": 192487,
    "Chorley & South Ribble": 175829,
    "Greater Preston": 211102,
    "West Lancashire": 118654,
    "East Lancashire": 391888,
    "Fylde and Wyre": 163096,
    "Lancashire North": 164092,
}
SEED_003_TABLE = [
    ("Blackburn with Darwen", 174645, "10.97", "0.56"),
    ("Blackpool", 192487, "12.09", "0.61"),
    ("Chorley & South Ribble", 175829, "11.04", "0.56"),
    ("Greater Preston", 211102, "13.26", "0.67"),
    ("West Lancashire", 118654, "7.45", "0.38"),
    ("East Lancashire", 391888, "24.61", "1.25"),
    ("Fylde and Wyre", 163096, "10.24", "0.52"),
    ("Lancashire North", 164092, "10.30", "0.52"),
]


def test_share_out_reproduces_the_lancashire_mou_table() -> None:
    shares = share_out(LANCASHIRE, Decimal("5.08"))
    assert shares == [Share(n, p, Decimal(pc), Decimal(w)) for n, p, pc, w in SEED_003_TABLE]


def test_the_lancashire_shares_add_up_to_the_team() -> None:
    shares = share_out(LANCASHIRE, Decimal("5.08"))
    assert sum(s.wte for s in shares) == Decimal("5.07")  # 8 roundings lose a hundredth
    # The MoU prints the total as 1591797; its eight rows add up to 1591793.
    assert sum(s.population for s in shares) == 1591793


def test_share_out_refuses_nothing_to_share_among() -> None:
    with pytest.raises(ValueError, match="no population"):
        share_out({"A": 0}, Decimal("1"))


populations = st.dictionaries(
    st.text(min_size=1, max_size=8), st.integers(min_value=1, max_value=2_000_000), min_size=1, max_size=12
)
team_sizes = st.decimals(min_value=0, max_value=500, places=2, allow_nan=False, allow_infinity=False)


@given(populations, team_sizes)
def test_shares_add_up_to_the_whole_within_the_rounding(pops: dict[str, int], total: Decimal) -> None:
    shares = share_out(pops, total)
    # Each percentage is cut by under a hundredth and each WTE rounded by at most half of one,
    # so with up to five CCGs the sums stay within 0.05; with more, within the CCGs' count of them.
    percent_slack = max(Decimal("0.05"), Decimal("0.01") * len(shares))
    wte_slack = max(Decimal("0.05"), Decimal("0.005") * len(shares))
    assert Decimal(100) - percent_slack <= sum(s.percent for s in shares) <= Decimal(100)
    assert abs(sum(s.wte for s in shares) - total) <= wte_slack
    assert [s.name for s in shares] == list(pops)
