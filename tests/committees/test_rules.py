"""Committee rules as pure functions, at their edges."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from committees.choices import (
    CastingVote,
    CommitteeKind,
    CompositionRule,
    MemberCategory,
    Office,
    Outcome,
    VoteChoice,
)
from committees.rules import (
    QuorumRule,
    Seat,
    casting_holder_choice,
    composition_problems,
    may_decide,
    quorum,
    vote_outcome,
)
from delegation.rules import DecidedBy

LAY, EXEC, GP = MemberCategory.LAY, MemberCategory.EXECUTIVE, MemberCategory.CLINICAL
NHSE, HEALTHWATCH = MemberCategory.NHS_ENGLAND, MemberCategory.HEALTHWATCH


def seat(name: str, category: MemberCategory, *, office: Office = Office.MEMBER, voting: bool = True) -> Seat:
    return Seat(name=name, category=category, voting=voting, office=office)


GOOD_PCCC = [
    seat("Lay chair", LAY, office=Office.CHAIR),
    seat("Lay", LAY),
    seat("Chief officer", EXEC),
    seat("GP one", GP),
    seat("GP two", GP),
]

# Composition -------------------------------------------------------------------------------------


def test_a_pccc_with_a_lay_chair_and_a_lay_executive_majority_is_well_made() -> None:
    assert composition_problems(CompositionRule.PCCC, GOOD_PCCC, CastingVote.CHAIR) == []


def test_a_pccc_with_a_gp_chair_breaks_its_rule() -> None:
    seats = [
        seat("Dr Chair", GP, office=Office.CHAIR),
        *GOOD_PCCC[1:],
        seat("Lay two", LAY),
        seat("Exec two", EXEC),
    ]
    problems = composition_problems(CompositionRule.PCCC, seats, CastingVote.CHAIR)
    assert problems == [
        "The chair of a primary care commissioning committee must be a lay member; "
        "Dr Chair is a GP or clinical member."
    ]


def test_a_lay_and_executive_minority_breaks_the_pccc_rule() -> None:
    seats = [*GOOD_PCCC, seat("GP three", GP)]  # 3 lay/exec of 6 voting: not a majority
    assert composition_problems(CompositionRule.PCCC, seats, CastingVote.CHAIR) == [
        "Lay and executive members must be the majority of voting members; they are 3 of 6."
    ]


def test_exactly_half_is_not_a_majority_but_one_more_is() -> None:
    half = [seat("Lay chair", LAY, office=Office.CHAIR), seat("Exec", EXEC), seat("GP1", GP), seat("GP2", GP)]
    assert composition_problems(CompositionRule.PCCC, half, CastingVote.CHAIR)
    assert composition_problems(CompositionRule.PCCC, [*half, seat("Lay", LAY)], CastingVote.CHAIR) == []


def test_a_non_voting_healthwatch_member_does_not_count_towards_the_majority() -> None:
    seats = [*GOOD_PCCC, seat("Healthwatch", HEALTHWATCH, voting=False)]
    assert composition_problems(CompositionRule.PCCC, seats, CastingVote.CHAIR) == []
    voting_healthwatch = [*GOOD_PCCC, seat("Healthwatch", HEALTHWATCH)]  # 3 of 6: no majority
    assert composition_problems(CompositionRule.PCCC, voting_healthwatch, CastingVote.CHAIR)


def test_a_committee_needs_one_chair() -> None:
    no_chair = [seat("Lay", LAY), seat("Exec", EXEC)]
    two_chairs = [seat("A", LAY, office=Office.CHAIR), seat("B", LAY, office=Office.CHAIR), seat("C", EXEC)]
    assert (
        "exactly one chair; it has 0"
        in composition_problems(CompositionRule.CHAIRED, no_chair, CastingVote.CHAIR)[0]
    )
    assert "it has 2" in composition_problems(CompositionRule.CHAIRED, two_chairs, CastingVote.CHAIR)[0]


def test_a_joint_committee_must_name_its_casting_vote_holder_and_seat_both_sides() -> None:
    seats = [seat("Lay chair", LAY, office=Office.CHAIR), seat("GP", GP), seat("NHS England", NHSE)]
    assert composition_problems(CompositionRule.JOINT, seats, CastingVote.NHS_ENGLAND) == []
    assert composition_problems(CompositionRule.JOINT, seats, CastingVote.NONE) == [
        "A joint committee's terms of reference must name who holds the casting vote."
    ]
    no_nhse = [s for s in seats if s.category != NHSE]
    assert "A joint committee needs a voting NHS England member." in composition_problems(
        CompositionRule.JOINT, no_nhse, CastingVote.CHAIR
    )


def test_a_co_chaired_group_needs_one_chair_from_each_side() -> None:
    good = [
        seat("CCG co-chair", EXEC, office=Office.CO_CHAIR),
        seat("NHSE co-chair", NHSE, office=Office.CO_CHAIR),
    ]
    assert composition_problems(CompositionRule.CO_CHAIRED, good, CastingVote.NONE) == []
    both_ccg = [
        seat("A", EXEC, office=Office.CO_CHAIR),
        seat("B", GP, office=Office.CO_CHAIR),
        seat("C", NHSE),
    ]
    assert (
        "(2 CCG, 0 NHS England)"
        in composition_problems(CompositionRule.CO_CHAIRED, both_ccg, CastingVote.NONE)[0]
    )


# Quorum ------------------------------------------------------------------------------------------

RULE = QuorumRule(minimum=3, categories={"lay": 1, "clinical": 1, "executive": 1})


def test_three_including_a_lay_member_a_gp_and_an_executive_is_quorate() -> None:
    result = quorum(RULE, [seat("Lay", LAY), seat("GP", GP), seat("Exec", EXEC)])
    assert result.quorate and result.counted == 3


def test_two_members_are_inquorate_and_the_reason_names_the_shortfall() -> None:
    result = quorum(RULE, [seat("Lay", LAY), seat("GP", GP)])
    assert not result.quorate
    assert result.shortfalls == [
        "2 of the 3 voting members needed count",
        "0 of the 1 executive needed count",
    ]


def test_excluding_the_only_gp_makes_an_item_inquorate() -> None:
    present = [seat("Lay", LAY), seat("GP", GP), seat("Exec", EXEC), seat("Exec two", EXEC)]
    assert quorum(RULE, present).quorate
    without_gp = [s for s in present if s.name != "GP"]  # the GP is excluded for a conflict
    result = quorum(RULE, without_gp)
    assert not result.quorate
    assert result.shortfalls == ["0 of the 1 GP or clinical member needed count"]


def test_non_voting_members_never_count_towards_the_quorum() -> None:
    present = [
        seat("Lay", LAY),
        seat("GP", GP),
        seat("Healthwatch", HEALTHWATCH, voting=False),
        seat("Exec", EXEC, voting=False),
    ]
    assert not quorum(RULE, present).quorate


def test_the_quorum_is_described_in_words() -> None:
    assert RULE.describe() == "3 voting members including 1 lay member, 1 GP or clinical member, 1 executive"


@given(st.lists(st.sampled_from([LAY, EXEC, GP, NHSE]), max_size=8))
def test_quorum_holds_exactly_when_every_count_is_met(categories: list[MemberCategory]) -> None:
    seats = [seat(f"m{i}", c) for i, c in enumerate(categories)]
    expected = len(seats) >= 3 and all(categories.count(c) >= 1 for c in (LAY, GP, EXEC))
    assert quorum(RULE, seats).quorate == expected


# Who may decide -------------------------------------------------------------------------------------


def test_a_joint_committee_decides_what_is_joint_and_a_pccc_what_is_delegated() -> None:
    joint = {"serves_ccg": True, "covers_function": True, "decided_by": DecidedBy.JOINT_COMMITTEE}
    assert may_decide(kind=CommitteeKind.JOINT_COMMITTEE, **joint)[0]
    refused, why = may_decide(kind=CommitteeKind.PCCC, **joint)
    assert not refused and "joint committee" in why
    delegated = {"serves_ccg": True, "covers_function": True, "decided_by": DecidedBy.CCG_COMMITTEE}
    assert may_decide(kind=CommitteeKind.PCCC, **delegated)[0]
    assert not may_decide(kind=CommitteeKind.JOINT_COMMITTEE, **delegated)[0]


def test_nobody_in_the_ccg_decides_what_nhs_england_decides() -> None:
    allowed, why = may_decide(
        kind=CommitteeKind.PCCC, serves_ccg=True, covers_function=True, decided_by=DecidedBy.NHS_ENGLAND
    )
    assert not allowed and "NHS England decides" in why


def test_a_committee_must_serve_the_ccg_and_cover_the_function() -> None:
    base = {"kind": CommitteeKind.PCCC, "decided_by": DecidedBy.CCG_COMMITTEE}
    assert may_decide(serves_ccg=False, covers_function=True, **base) == (
        False,
        "The committee does not serve this CCG.",
    )
    assert not may_decide(serves_ccg=True, covers_function=False, **base)[0]


# The vote -------------------------------------------------------------------------------------------


def test_a_simple_majority_carries_and_abstentions_do_not_count() -> None:
    result = vote_outcome([VoteChoice.FOR, VoteChoice.FOR, VoteChoice.AGAINST, VoteChoice.ABSTAIN], None)
    assert (result.outcome, result.tied) == (Outcome.CARRIED, False)
    assert result.explain("the chair") == "2 for, 1 against, 1 abstaining: carried by simple majority."


def test_a_tie_with_a_casting_vote_goes_the_casting_way() -> None:
    tie = [VoteChoice.FOR, VoteChoice.AGAINST]
    carried = vote_outcome(tie, VoteChoice.FOR)
    assert (carried.outcome, carried.casting_vote_used) == (Outcome.CARRIED, True)
    assert "NHS England's casting vote decided it" in carried.explain("NHS England")
    lost = vote_outcome(tie, VoteChoice.AGAINST)
    assert (lost.outcome, lost.casting_vote_used) == (Outcome.NOT_CARRIED, True)


def test_a_tie_without_a_casting_vote_is_lost() -> None:
    result = vote_outcome([VoteChoice.FOR, VoteChoice.AGAINST], None)
    assert (result.outcome, result.casting_vote_used) == (Outcome.NOT_CARRIED, False)
    assert "tied with no casting vote" in result.explain("nobody")


def test_the_casting_vote_is_nhs_englands_when_its_members_agree() -> None:
    director, manager, chair = (
        seat("Director", NHSE),
        seat("Manager", NHSE),
        seat("Chair", LAY, office=Office.CHAIR),
    )
    agree = {director: VoteChoice.FOR, manager: VoteChoice.FOR, chair: VoteChoice.AGAINST}
    assert casting_holder_choice(CastingVote.NHS_ENGLAND, agree) == (VoteChoice.FOR, "NHS England")
    split = {director: VoteChoice.FOR, manager: VoteChoice.AGAINST, chair: VoteChoice.AGAINST}
    assert casting_holder_choice(CastingVote.NHS_ENGLAND, split)[0] is None
    assert casting_holder_choice(CastingVote.CHAIR, agree) == (VoteChoice.AGAINST, "the chair")
    assert casting_holder_choice(CastingVote.NONE, agree) == (None, "nobody")


@given(st.lists(st.sampled_from(list(VoteChoice)), max_size=12), st.sampled_from([None, *VoteChoice]))
def test_the_outcome_follows_the_counts(choices: list[VoteChoice], casting: VoteChoice | None) -> None:
    result = vote_outcome(choices, casting)
    votes_for, against = choices.count(VoteChoice.FOR), choices.count(VoteChoice.AGAINST)
    if votes_for > against:
        assert result.outcome == Outcome.CARRIED
    elif votes_for < against:
        assert result.outcome == Outcome.NOT_CARRIED
    else:
        assert result.outcome == (Outcome.CARRIED if casting == VoteChoice.FOR else Outcome.NOT_CARRIED)
