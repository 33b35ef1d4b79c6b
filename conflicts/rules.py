"""Conflicts of interest as pure functions: deadlines, gifts and hospitality, publication, detection.

Sources (DOMAIN.md and the reference notes): s.14O NHS Act 2006 (declare within 28 days of an
interest arising); NHS England's statutory guidance of 2016/2017 (declare on appointment and at
least annually; publish decision-makers' interests; keep an ended interest on the published
register for 6 months; gifts from suppliers over £6 declined, other gifts over £50 declared,
hospitality from £25 declared and over £75 only with senior approval — all configurable per CCG).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

DECLARE_WITHIN_DAYS = 28  # s.14O NHS Act 2006
CONFIRM_EVERY_DAYS = 365  # statutory guidance 2017: registers confirmed at least annually
PUBLISH_AFTER_END_MONTHS = 6  # an ended interest stays on the published register for 6 months


# Deadlines -----------------------------------------------------------------------------------------


def declaration_due(arose_on: dt.date) -> dt.date:
    """The last day to declare an interest that arose on a date (28 days, s.14O)."""
    return arose_on + dt.timedelta(days=DECLARE_WITHIN_DAYS)


def days_late(arose_on: dt.date, declared_on: dt.date) -> int:
    """How many days after its 28-day deadline an interest was declared (0 when on time, and when it
    was declared before it arose)."""
    return max((declared_on - declaration_due(arose_on)).days, 0)


def declared_late(arose_on: dt.date, declared_on: dt.date) -> bool:
    return days_late(arose_on, declared_on) > 0


def duty_arose_on(interest_from: dt.date | None, seated_from: dt.date | None) -> dt.date | None:
    """The day the 28 days to declare an interest began: the day it arose, or the day its holder took
    the seat that made them a declarant if that came later (an interest held on appointment is
    declared on appointment). None when the entry does not say when the interest arose."""
    if interest_from is None:
        return None
    return max(interest_from, seated_from) if seated_from is not None else interest_from


def late_text(days: int) -> str:
    """How a late declaration is described on the pages and in the pack ("late by 12 days")."""
    return f"late by {days:,} day{'' if days == 1 else 's'}"


class Overdue(StrEnum):
    ON_APPOINTMENT = "on_appointment"
    ANNUAL = "annual"
    CAMPAIGN = "campaign"


OVERDUE_LABELS = {
    Overdue.ON_APPOINTMENT: "No declaration within 28 days of appointment",
    Overdue.ANNUAL: "No declaration or confirmation in the last 12 months",
    Overdue.CAMPAIGN: "No response to the declaration campaign by its deadline",
}


def overdue_reasons(
    *,
    today: dt.date,
    appointed_on: dt.date | None,
    last_declared_on: dt.date | None,
    campaign_deadline: dt.date | None = None,
    answered_campaign: bool = False,
) -> list[Overdue]:
    """Why a person's declaration is overdue today, if it is (empty when up to date)."""
    reasons = []
    undeclared_since_appointment = appointed_on is not None and (
        last_declared_on is None or last_declared_on < appointed_on
    )
    if appointed_on is not None and undeclared_since_appointment and today > declaration_due(appointed_on):
        reasons.append(Overdue.ON_APPOINTMENT)
    if last_declared_on is not None and today > last_declared_on + dt.timedelta(days=CONFIRM_EVERY_DAYS):
        reasons.append(Overdue.ANNUAL)
    if campaign_deadline is not None and not answered_campaign and today > campaign_deadline:
        reasons.append(Overdue.CAMPAIGN)
    return reasons


def reminder_due(*, today: dt.date, deadline: dt.date, days_before: Sequence[int] = (7, 0)) -> int | None:
    """Which reminder (days before the deadline) is due today, if any."""
    remaining = (deadline - today).days
    return remaining if remaining in days_before else None


# Gifts and hospitality ----------------------------------------------------------------------------------


class OfferKind(StrEnum):
    GIFT = "gift"
    HOSPITALITY = "hospitality"


@dataclass(frozen=True)
class Thresholds:
    """A CCG's gifts and hospitality limits, in pounds (NHS-wide defaults)."""

    supplier_gift_limit: Decimal = Decimal("6")
    other_gift_limit: Decimal = Decimal("50")
    hospitality_declare_from: Decimal = Decimal("25")
    hospitality_approval_over: Decimal = Decimal("75")


@dataclass(frozen=True)
class Verdict:
    must_decline: bool
    must_declare: bool
    needs_senior_approval: bool
    reason: str


def offer_verdict(kind: OfferKind, value: Decimal, *, from_supplier: bool, limits: Thresholds) -> Verdict:
    """What the policy says about an offer: decline, declare, or senior approval first."""
    if kind == OfferKind.GIFT:
        if from_supplier:
            if value > limits.supplier_gift_limit:
                return Verdict(
                    True,
                    True,
                    False,
                    f"Gifts from suppliers or contractors over £{limits.supplier_gift_limit} are declined.",
                )
            return Verdict(
                False, False, False, "A low-cost promotional item from a supplier may be accepted."
            )
        if value > limits.other_gift_limit:
            return Verdict(
                False,
                True,
                False,
                f"Gifts over £{limits.other_gift_limit} are accepted on behalf of the CCG only, "
                "and declared.",
            )
        return Verdict(
            False, False, False, f"Gifts of £{limits.other_gift_limit} or less need not be declared."
        )
    if value > limits.hospitality_approval_over:
        return Verdict(
            False,
            True,
            True,
            f"Hospitality over £{limits.hospitality_approval_over} is refused unless a senior manager "
            "approves it.",
        )
    if value >= limits.hospitality_declare_from:
        return Verdict(
            False, True, False, f"Hospitality from £{limits.hospitality_declare_from} is declared."
        )
    return Verdict(
        False, False, False, f"Hospitality under £{limits.hospitality_declare_from} need not be declared."
    )


# Breaches -----------------------------------------------------------------------------------------


def breach_report_problems(
    *, occurred_on: dt.date, report_required: bool | None, reported_on: dt.date | None, today: dt.date
) -> dict[str, str]:
    """What is wrong with the NHS England report recorded for a breach (None: not decided yet).

    Statutory guidance (2017): the CCG reports serious breaches to NHS England; the date it did so is
    kept with the breach, and only a breach that must be reported has one.
    """
    if reported_on is None:
        return {}
    if report_required is not True:
        return {"reported_to_nhse_on": "Only a breach that must be reported to NHS England has a report date"}
    if reported_on < occurred_on:
        return {"reported_to_nhse_on": "The report to NHS England cannot come before the breach happened"}
    if reported_on > today:
        return {"reported_to_nhse_on": "The report date cannot be in the future"}
    return {}


def breach_step_date_problem(
    field: str, day: dt.date, *, not_before: dt.date, what_before: str, today: dt.date
) -> dict[str, str]:
    """A step of a breach's lifecycle is dated between the step before it and today."""
    if day > today:
        return {field: "The date cannot be in the future"}
    if day < not_before:
        return {field: f"The date cannot be before {what_before} ({not_before:%-d %B %Y})"}
    return {}


def breach_closure_problems(*, report_required: bool | None, reported_on: dt.date | None) -> dict[str, str]:
    """A breach is closed only once it is settled whether NHS England must be told, and, if it must,
    once it has been (statutory guidance 2017: serious breaches are reported to NHS England)."""
    if report_required is None:
        return {"nhse_report": "Say whether the breach must be reported to NHS England before closing it"}
    if report_required and reported_on is None:
        return {
            "reported_to_nhse_on": "This breach must be reported to NHS England before it is closed: the "
            "governance officer or the Guardian reports it, then records the date here"
        }
    return {}


# Publication ---------------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day some months on, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: every month has a 28th


class Publication(StrEnum):
    PUBLISHED = "published"
    WITHHELD = "withheld"  # no consent to publish: counted, not shown
    NOT_LISTED = "not_listed"  # not a decision-maker, or ended more than 6 months ago


def publication(
    *, decision_maker: bool, consent: bool, ended_on: dt.date | None, today: dt.date
) -> Publication:
    """Whether a register entry appears on the public register today."""
    if not decision_maker:
        return Publication.NOT_LISTED
    if ended_on is not None and today > add_months(ended_on, PUBLISH_AFTER_END_MONTHS):
        return Publication.NOT_LISTED
    return Publication.PUBLISHED if consent else Publication.WITHHELD


def earliest_end_still_published(today: dt.date) -> dt.date:
    """The earliest end date an interest may have and still be on the published register today.

    `publication` keeps an ended interest until `add_months(ended_on, 6)`; months differ in length,
    so "6 months before today" is not always the exact edge (an interest that ended on 28 February is
    off the register on 31 August). Searching a few days around it gives the date at which the rule
    changes its answer, so a database can apply the same rule as `ended_on >= this date`.
    """
    day = add_months(today, -PUBLISH_AFTER_END_MONTHS) - dt.timedelta(days=4)
    while today > add_months(day, PUBLISH_AFTER_END_MONTHS):
        day += dt.timedelta(days=1)
    return day


# Detection -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InterestFact:
    """A current declared interest, as detection sees it."""

    person_id: int
    person: str
    kind_label: str
    description: str
    practice_id: int | None = None
    practice: str = ""
    organisation_id: int | None = None
    organisation: str = ""
    in_practice_of_ccg_id: int | None = None  # the CCG of the practice the interest concerns
    declaration_id: int | None = None  # the entry on the register, so a ruling can name it


@dataclass(frozen=True)
class ItemFact:
    """What an agenda item concerns."""

    item_id: int
    title: str
    ccg_id: int | None
    function_number: int | None
    practice_ids: frozenset[int]
    organisation_ids: frozenset[int]


@dataclass(frozen=True)
class Flag:
    item_id: int
    person_id: int
    reason: str
    direct: bool  # names the very practice or organisation, rather than the CCG's GP contracts at large
    interest_id: int | None = None  # the register entry behind the flag


# Functions about GP contracts generally: a GP with a practice in the CCG has a stake in them.
CONTRACT_FUNCTIONS = frozenset({1, 2, 3, 4, 8, 9, 10, 11})


def detect(items: Iterable[ItemFact], interests: Iterable[InterestFact]) -> list[Flag]:
    """Likely conflicts: members' and attendees' interests against what each item concerns."""
    interests = list(interests)
    flags: list[Flag] = []
    for item in items:
        for interest in interests:
            if interest.practice_id is not None and interest.practice_id in item.practice_ids:
                flags.append(
                    Flag(
                        item.item_id,
                        interest.person_id,
                        f"{interest.person} has declared a {interest.kind_label} interest in "
                        f"{interest.practice}, which this item concerns: {interest.description}",
                        direct=True,
                        interest_id=interest.declaration_id,
                    )
                )
            elif interest.organisation_id is not None and interest.organisation_id in item.organisation_ids:
                flags.append(
                    Flag(
                        item.item_id,
                        interest.person_id,
                        f"{interest.person} has declared a {interest.kind_label} interest in "
                        f"{interest.organisation}, which this item concerns: {interest.description}",
                        direct=True,
                        interest_id=interest.declaration_id,
                    )
                )
            elif (
                not item.practice_ids
                and item.function_number in CONTRACT_FUNCTIONS
                and interest.in_practice_of_ccg_id is not None
                and interest.in_practice_of_ccg_id == item.ccg_id
            ):
                flags.append(
                    Flag(
                        item.item_id,
                        interest.person_id,
                        f"{interest.person} has an interest in {interest.practice}, a practice of this "
                        f"CCG, and the item concerns GP contracts across the CCG "
                        f"(function {item.function_number}).",
                        direct=False,
                        interest_id=interest.declaration_id,
                    )
                )
    # One flag per person per item: the most direct reason wins.
    best: dict[tuple[int, int], Flag] = {}
    for flag in flags:
        key = (flag.item_id, flag.person_id)
        if key not in best or (flag.direct and not best[key].direct):
            best[key] = flag
    return list(best.values())


# Awards checked against interests ---------------------------------------------------------------------
# The Provider Selection Regime 2023 asks that each award record its decision-makers, their declared
# conflicts and how each was managed; the NAO (2015) and Transparency International UK (2021) found
# contracts awarded to bodies in which decision-makers held interests. The cross-check below finds
# everyone who took part in a procurement decision and held a current interest, on the decision
# date, in the body the contract went to.


class AwardFlagKind(StrEnum):
    MANAGED = "managed"  # declared at the item and ruled on by the chair
    NOT_DECLARED = "not_declared"  # on the register, but no declaration or ruling at the item


AWARD_FLAG_LABELS = {
    AwardFlagKind.MANAGED: "Declared and managed",
    AwardFlagKind.NOT_DECLARED: "Not declared at the item",
}


@dataclass(frozen=True)
class RegisteredInterest:
    """An entry on a register of interests, as the awards cross-check sees it."""

    declaration_id: int
    person_id: int
    kind_label: str
    description: str
    interest_from: dt.date | None
    interest_to: dt.date | None
    practice_id: int | None = None
    organisation_id: int | None = None
    body_name: str = ""  # the body named in words, when cocomm does not keep it as a record


@dataclass(frozen=True)
class AwardFacts:
    """An award and the decision it follows: who took part, and who was ruled on at the item."""

    award_id: int
    decided_on: dt.date
    supplier_practice_id: int | None
    supplier_organisation_id: int | None
    supplier_name: str
    participants: frozenset[int]  # voters, the chair, and everyone present or in attendance
    rulings: Mapping[int, str]  # person id -> the chair's ruling at the item, in words


@dataclass(frozen=True)
class AwardFlag:
    award_id: int
    person_id: int
    kind: AwardFlagKind
    interests: tuple[RegisteredInterest, ...]
    ruling: str = ""  # the chair's ruling, when managed

    @property
    def label(self) -> str:
        return AWARD_FLAG_LABELS[self.kind]

    @property
    def managed(self) -> bool:
        return self.kind == AwardFlagKind.MANAGED


def current_on(interest: RegisteredInterest, on: dt.date) -> bool:
    """Whether an interest was held on a date (both ends inclusive; an open end runs on)."""
    started = interest.interest_from is None or interest.interest_from <= on
    not_ended = interest.interest_to is None or interest.interest_to >= on
    return started and not_ended


def _same_name(a: str, b: str) -> bool:
    return bool(a.strip()) and " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def concerns_supplier(interest: RegisteredInterest, award: AwardFacts) -> bool:
    """Whether an interest is in the body an award went to: the same practice or organisation, or,
    for an interest that names the body only in words, the same name."""
    if award.supplier_practice_id is not None and interest.practice_id == award.supplier_practice_id:
        return True
    if (
        award.supplier_organisation_id is not None
        and interest.organisation_id == award.supplier_organisation_id
    ):
        return True
    unrecorded = interest.practice_id is None and interest.organisation_id is None
    return unrecorded and _same_name(interest.body_name, award.supplier_name)


def award_flags(award: AwardFacts, interests: Iterable[RegisteredInterest]) -> list[AwardFlag]:
    """Everyone who took part in the decision and held an interest in the supplier on the decision
    date: declared and managed when the chair ruled on them at the item, else not declared there."""
    held: dict[int, list[RegisteredInterest]] = {}
    for interest in interests:
        if (
            interest.person_id in award.participants
            and current_on(interest, award.decided_on)
            and concerns_supplier(interest, award)
        ):
            held.setdefault(interest.person_id, []).append(interest)
    flags = []
    for person_id, found in sorted(held.items()):
        ruling = award.rulings.get(person_id)
        flags.append(
            AwardFlag(
                award_id=award.award_id,
                person_id=person_id,
                kind=AwardFlagKind.MANAGED if ruling is not None else AwardFlagKind.NOT_DECLARED,
                interests=tuple(found),
                ruling=ruling or "",
            )
        )
    return flags


# Rulings before the vote ---------------------------------------------------------------------------------


def names_in_words(names: Sequence[str]) -> str:
    """A list of names as a sentence: "A", "A and B", "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def unruled_refusal(item_label: str, names: Sequence[str], who_acts: str) -> str:
    """Why an item may not go to the vote: people flagged on it have no ruling yet, and who must act.

    Statutory guidance 2017: every declared interest is managed, and the management recorded, before
    the conflicted person takes part in the decision; doing nothing is not a ruling.
    """
    ruling = "a ruling" if len(names) == 1 else "rulings"
    return (
        f"{item_label} cannot go to the vote yet: the conflicts checklist flags {names_in_words(names)}, "
        f"who need{'s' if len(names) == 1 else ''} a recorded declaration and {ruling} on this item first. "
        f"{who_acts}"
    )
