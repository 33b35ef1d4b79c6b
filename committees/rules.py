"""The rules a committee enforces, as pure functions: composition, quorum, who may decide, the vote.

Sources: DOMAIN.md (from seeds 002 and 003 and NHS England's guidance). A primary care
commissioning committee has a lay chair and lay and executive members in the majority of its
voting members; a joint committee names its casting-vote holder (NHS England by default); a
co-chaired group has one chair from each side. Quorum is counted by category over the voting
members present and not excluded from the item.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from committees.choices import (
    CastingVote,
    CommitteeKind,
    CompositionRule,
    MemberCategory,
    Office,
    Outcome,
    VoteChoice,
)
from delegation.rules import DecidedBy

CATEGORY_LABELS = dict(MemberCategory.choices)

# Each category as a noun in a sentence ("1 GP member", "2 lay members"), keeping proper names.
CATEGORY_NOUNS = {
    MemberCategory.LAY: ("lay member", "lay members"),
    MemberCategory.EXECUTIVE: ("executive", "executives"),
    MemberCategory.CLINICAL: ("GP or clinical member", "GP or clinical members"),
    MemberCategory.SECONDARY_CARE: ("secondary care clinician", "secondary care clinicians"),
    MemberCategory.NURSE: ("nurse", "nurses"),
    MemberCategory.NHS_ENGLAND: ("NHS England member", "NHS England members"),
    MemberCategory.LOCAL_AUTHORITY: ("local authority member", "local authority members"),
    MemberCategory.HEALTHWATCH: ("Healthwatch member", "Healthwatch members"),
    MemberCategory.HWB: ("Health and Wellbeing Board member", "Health and Wellbeing Board members"),
    MemberCategory.LMC: ("LMC member", "LMC members"),
    MemberCategory.PATIENT: ("patient representative", "patient representatives"),
}


def category_noun(category: str, count: int = 1) -> str:
    """A category as a noun, singular or plural, for sentences people read."""
    singular, plural = CATEGORY_NOUNS.get(MemberCategory(category), (category, category))
    return singular if count == 1 else plural


@dataclass(frozen=True)
class Seat:
    """A member as the rules see them: category, voting or not, and office."""

    name: str
    category: MemberCategory
    voting: bool
    office: Office = Office.MEMBER
    # Who holds the seat: two members may share a name, category and office (two executives called
    # Sarah Jones), and each must still count once, so a seat is told apart by its holder, not its label.
    person_id: int | None = None

    @property
    def chairs(self) -> bool:
        return self.office in (Office.CHAIR, Office.CO_CHAIR)

    @property
    def nhs_england_side(self) -> bool:
        return self.category == MemberCategory.NHS_ENGLAND


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def composition_problems(
    rule: CompositionRule, seats: Sequence[Seat], casting_vote: CastingVote
) -> list[str]:
    """Why a membership breaks the committee's composition rule; empty when it does not."""
    problems: list[str] = []
    chairs = [s for s in seats if s.office == Office.CHAIR]
    co_chairs = [s for s in seats if s.office == Office.CO_CHAIR]
    voting = [s for s in seats if s.voting]

    if rule == CompositionRule.CO_CHAIRED:
        sides = Counter("nhs_england" if s.nhs_england_side else "ccg" for s in co_chairs)
        if sides != Counter({"ccg": 1, "nhs_england": 1}):
            problems.append(
                "A co-chaired group needs exactly two co-chairs, one from the CCG side and one from "
                f"NHS England; it has {len(co_chairs)} co-chair(s) "
                f"({sides['ccg']} CCG, {sides['nhs_england']} NHS England)."
            )
        if chairs:
            problems.append("A co-chaired group has co-chairs, not a single chair.")
    else:
        if len(chairs) != 1:
            problems.append(f"The committee needs exactly one chair; it has {len(chairs)}.")
        if co_chairs:
            problems.append("Only a co-chaired group has co-chairs.")

    if not voting:
        problems.append("The committee has no voting members.")

    if rule == CompositionRule.PCCC:
        for chair in chairs:
            if chair.category != MemberCategory.LAY:
                noun = category_noun(chair.category)
                article = "an" if noun[0].lower() in "aeiou" else "a"
                problems.append(
                    f"The chair of a primary care commissioning committee must be a lay member; "
                    f"{chair.name} is {article} {noun}."
                )
        lay_exec = [s for s in voting if s.category in (MemberCategory.LAY, MemberCategory.EXECUTIVE)]
        if voting and not 2 * len(lay_exec) > len(voting):
            problems.append(
                "Lay and executive members must be the majority of voting members; they are "
                f"{len(lay_exec)} of {len(voting)}."
            )

    if rule == CompositionRule.JOINT:
        if casting_vote == CastingVote.NONE:
            problems.append("A joint committee's terms of reference must name who holds the casting vote.")
        if not any(s.nhs_england_side for s in voting):
            problems.append("A joint committee needs a voting NHS England member.")
        if not any(not s.nhs_england_side for s in voting):
            problems.append("A joint committee needs voting CCG members.")
    elif casting_vote == CastingVote.NHS_ENGLAND and not any(s.nhs_england_side for s in voting):
        problems.append("The casting vote is NHS England's, but no voting member is from NHS England.")
    return problems


@dataclass(frozen=True)
class QuorumRule:
    """A quorum: at least `minimum` voting members, including so many of each category."""

    minimum: int
    categories: Mapping[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        parts = [
            f"{count} {category_noun(category, count)}"
            for category, count in self.categories.items()
            if count
        ]
        including = f" including {', '.join(parts)}" if parts else ""
        return f"{_plural(self.minimum, 'voting member')}{including}"


@dataclass(frozen=True)
class QuorumResult:
    quorate: bool
    counted: int
    shortfalls: list[str]

    def explain(self, rule: QuorumRule) -> str:
        if self.quorate:
            return f"Quorate: {self.counted} voting members count; the quorum is {rule.describe()}."
        return f"Inquorate: {'; '.join(self.shortfalls)}. The quorum is {rule.describe()}."


def quorum(rule: QuorumRule, counted: Iterable[Seat]) -> QuorumResult:
    """Whether the voting members present and not excluded make the quorum, and if not, why."""
    voters = [s for s in counted if s.voting]
    by_category = Counter(s.category for s in voters)
    shortfalls = []
    if len(voters) < rule.minimum:
        shortfalls.append(f"{len(voters)} of the {rule.minimum} voting members needed count")
    for category, needed in rule.categories.items():
        have = by_category.get(MemberCategory(category), 0)
        if have < needed:
            shortfalls.append(f"{have} of the {needed} {category_noun(category, needed)} needed count")
    return QuorumResult(quorate=not shortfalls, counted=len(voters), shortfalls=shortfalls)


# Who may decide ------------------------------------------------------------------------------

DECIDING_KINDS = {
    DecidedBy.JOINT_COMMITTEE: {CommitteeKind.JOINT_COMMITTEE},
    DecidedBy.CCG_COMMITTEE: {CommitteeKind.PCCC, CommitteeKind.GOVERNING_BODY},
}


def may_decide(
    *, kind: CommitteeKind, serves_ccg: bool, covers_function: bool, decided_by: DecidedBy
) -> tuple[bool, str]:
    """Whether a committee is the body the routing rule names; if not, the reason in plain words."""
    if decided_by == DecidedBy.NHS_ENGLAND:
        return False, "NHS England decides this function at the CCG's level, so no CCG body may."
    if kind not in DECIDING_KINDS[decided_by]:
        wanted = " or ".join(sorted(str(CommitteeKind(k).label).lower() for k in DECIDING_KINDS[decided_by]))
        return (
            False,
            f"The CCG's level sends this function to a {wanted}, not a {CommitteeKind(kind).label.lower()}.",
        )
    if not serves_ccg:
        return False, "The committee does not serve this CCG."
    if not covers_function:
        return False, "The committee's terms of reference do not cover this function."
    return True, ""


# The vote ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VoteResult:
    outcome: Outcome
    votes_for: int
    votes_against: int
    abstentions: int
    tied: bool
    casting_vote_used: bool

    def explain(self, holder: str) -> str:
        count = f"{self.votes_for} for, {self.votes_against} against, {self.abstentions} abstaining"
        if not self.tied:
            return f"{count}: {self.outcome.label.lower()} by simple majority."
        if self.casting_vote_used:
            result = self.outcome.label.lower()
            return f"{count}: tied; {holder}'s casting vote decided it, so the motion was {result}."
        return f"{count}: tied with no casting vote, so the motion was not carried."


def vote_outcome(choices: Iterable[VoteChoice], casting_choice: VoteChoice | None) -> VoteResult:
    """Simple majority of those voting; a tie goes the way of the casting vote, if one is cast."""
    counts = Counter(choices)
    votes_for, against = counts[VoteChoice.FOR], counts[VoteChoice.AGAINST]
    abstentions = counts[VoteChoice.ABSTAIN]
    if votes_for != against:
        outcome = Outcome.CARRIED if votes_for > against else Outcome.NOT_CARRIED
        return VoteResult(outcome, votes_for, against, abstentions, tied=False, casting_vote_used=False)
    if casting_choice in (VoteChoice.FOR, VoteChoice.AGAINST):
        outcome = Outcome.CARRIED if casting_choice == VoteChoice.FOR else Outcome.NOT_CARRIED
        return VoteResult(outcome, votes_for, against, abstentions, tied=True, casting_vote_used=True)
    return VoteResult(
        Outcome.NOT_CARRIED, votes_for, against, abstentions, tied=True, casting_vote_used=False
    )


def casting_holder_choice(
    holder: CastingVote, votes: Mapping[Seat, VoteChoice]
) -> tuple[VoteChoice | None, str]:
    """The casting vote on a tie: the chair's vote, or NHS England's members' vote if they agree."""
    if holder == CastingVote.CHAIR:
        chosen = [c for s, c in votes.items() if s.chairs]
        return (chosen[0] if len(chosen) == 1 else None), "the chair"
    if holder == CastingVote.NHS_ENGLAND:
        sides = {c for s, c in votes.items() if s.nhs_england_side and c != VoteChoice.ABSTAIN}
        return (sides.pop() if len(sides) == 1 else None), "NHS England"
    return None, "nobody"


# The meeting's clock ------------------------------------------------------------------------------
#
# What happens at a meeting (attendance, rulings, resolutions, votes, approvals, the discussion and the
# actions agreed, the minutes) is recorded once the meeting has started, never before: a record of a
# meeting that has not yet taken place is not a record of anything. A meeting held in the past may be
# written up at any time afterwards.


def has_started(*, starts_at: dt.datetime, now: dt.datetime) -> bool:
    """Whether a meeting has started: from its start time exactly, not a second before."""
    return now >= starts_at


def meeting_not_started(*, starts_at: dt.datetime, now: dt.datetime, then: str, before: str = "") -> str:
    """Why a record of the meeting cannot be made yet, naming its start; empty once it has started.

    `starts_at` is the start in the time the reader keeps (local time); `then` says what becomes
    possible at the start, e.g. "attendance can be recorded"; `before`, what may be done already.
    """
    if has_started(starts_at=starts_at, now=now):
        return ""
    refusal = f"The meeting starts at {starts_at:%H:%M} on {starts_at:%A %-d %B %Y}: {then} from then."
    return f"{refusal} {before}" if before else refusal


PRE_MEETING_RULING = (
    "Before it, the chair may only rule that a member's papers are withheld, so that they leave for the item."
)


def ruling_allowed_before_meeting(*, leaves_item: bool, papers_withheld: bool) -> bool:
    """Whether the chair may make a ruling on a member's interest before the meeting starts.

    Only one: withholding the member's papers for the item, which takes them out of it (they leave
    for the item). NHS England's statutory guidance on managing conflicts of interest (2017) lets a
    chair who knows of a conflict in advance see that the member does not receive the papers that
    relate to it; the papers go out before the meeting, so this ruling must be possible then. Every
    other ruling (noted, may take part; stays for the debate without voting; leaves without papers
    being withheld) is the chair's response to what is declared at the meeting, so it waits for it.
    """
    return leaves_item and papers_withheld


# Frozen records -----------------------------------------------------------------------------------
#
# A governance record proves what happened on a day only if it cannot be rewritten afterwards. Once an
# item's vote has closed, what the vote was taken on (the attendance, the declarations and rulings on
# the item, the exclusions, who chaired it, the votes) stays as it was; once a meeting's minutes are
# approved, nothing recorded at that meeting changes. A correction is a new record, an erratum raised
# at a later meeting of the committee and shown with the minutes; the original is never edited.


def _day(on: dt.date) -> str:
    return f"{on:%-d %B %Y}"


def minutes_approved_refusal(*, meeting_on: dt.date, approved_on: dt.date | None) -> str:
    """Why nothing recorded at a meeting may change once its minutes are approved, and what to do."""
    approved = f"were approved on {_day(approved_on)}" if approved_on is not None else "are approved"
    return (
        f"The minutes of {_day(meeting_on)} {approved}, so nothing recorded at that meeting changes; "
        "record an erratum at a later meeting (the committee's governance officer or chair records it "
        "on the approved minutes)."
    )


def vote_closed_refusal(*, item_number: int, item_title: str, closed_on: dt.date) -> str:
    """Why what fed an item's vote may not change once the vote has closed, and what to do instead."""
    return (
        f"The vote on item {item_number}, {item_title}, closed at the meeting of {_day(closed_on)}, so "
        "what it was taken on no longer changes: the attendance, the declarations and rulings on the item, "
        "the exclusions, who chaired it and the votes. The governance officer records any correction in "
        "the minutes (as an erratum at a later meeting once they are approved)."
    )


def erratum_meeting_refusal(
    *, minutes_at: dt.datetime, raised_at: dt.datetime, same_committee: bool, started: bool
) -> str:
    """Why an erratum to the minutes of one meeting cannot be raised at another; empty when it can.

    An erratum is agreed by the committee after the minutes were approved, so it is raised at a
    later meeting of the same committee, once that meeting has started. Both times are local.
    """
    if not same_committee:
        return "An erratum is raised at a meeting of the committee whose minutes it corrects."
    if raised_at <= minutes_at:
        return (
            f"An erratum to the minutes of {_day(minutes_at.date())} is raised at a later meeting of the "
            f"committee, not at the meeting of {_day(raised_at.date())}."
        )
    if not started:
        return (
            f"The meeting of {_day(raised_at.date())} has not started yet: the erratum is recorded at it "
            "once it has."
        )
    return ""
