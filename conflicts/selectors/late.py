"""Declarations made late: more than 28 days after the interest arose (s.14O NHS Act 2006), or, for
gifts and hospitality, after the offer (NHS-wide guidance, 2017). Worked out in SQL as an annotation,
so a list of any length takes the same queries; `conflicts.rules.days_late` is the same rule in
Python, and the tests hold the two together.

An offer of a gift or hospitality is declared the day it is recorded on the register: the day of its
first history row.

When the 28 days begin, for an entry on the register of interests:
- the day the interest arose (`interest_from`), or the day its holder took their seat on a committee
  serving the CCG if that came later: an interest held on appointment is declared on appointment. The
  seat counted is the earliest one that had not ended by the day the interest arose;
- never for a nil return, nor for an entry that does not say when the interest arose;
- never for an entry that restates one already on the register (the same person, CCG, type of
  interest and body concerned, not ended before this one arose): an annual re-declaration confirms an
  interest, and the first entry carries any lateness.
Ending an interest changes only its end date, so it never changes whether the entry was late.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate

from cocomm.models import CCG
from committees.models import Membership
from conflicts import rules
from conflicts.models import Declaration, GiftOrHospitality

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _Late(TypedDict):
    days_late: int


class _LateOffer(TypedDict):
    days_late: int
    recorded_on: dt.date | None


class _DaysBetween(Func):
    """Whole days from the second date to the first (in PostgreSQL, date - date is an integer)."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()

    def __init__(self, later: Any, earlier: Any) -> None:
        super().__init__(later, earlier)

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        # SQLite (the local demo) keeps dates as text.
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


def _late_by(declared_on: Any, clock_from: Any) -> Any:
    return Greatest(_DaysBetween(declared_on, clock_from) - Value(rules.DECLARE_WITHIN_DAYS), Value(0))


def _seated_from() -> Subquery:
    """The start of the declarant's earliest seat on a committee serving the CCG that had not ended
    by the day the interest arose."""
    seats = (
        Membership.objects.filter(person=OuterRef("person"), committee__ccgs=OuterRef("ccg"))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=OuterRef("interest_from")))
        .order_by("starts_on")
        .values("starts_on")[:1]
    )
    return Subquery(seats)


def _restates_an_earlier_entry() -> Exists:
    earlier = (
        Declaration.objects.filter(
            ccg=OuterRef("ccg"),
            person=OuterRef("person"),
            nil_return=False,
            interest_type=OuterRef("interest_type"),
            organisation_name=OuterRef("organisation_name"),
        )
        .filter(
            Q(declared_on__lt=OuterRef("declared_on"))
            | Q(declared_on=OuterRef("declared_on"), pk__lt=OuterRef("pk"))
        )
        .filter(Q(interest_to__isnull=True) | Q(interest_to__gte=OuterRef("interest_from")))
        .alias(
            same_practice=Coalesce("practice_id", Value(0)),
            same_organisation=Coalesce("organisation_id", Value(0)),
        )
        .filter(
            same_practice=Coalesce(OuterRef("practice_id"), Value(0)),
            same_organisation=Coalesce(OuterRef("organisation_id"), Value(0)),
        )
    )
    return Exists(earlier)


def with_days_late(declarations: QuerySet[Declaration]) -> QuerySet[WithAnnotations[Declaration, _Late]]:
    """Register entries, each annotated `days_late` (0 when declared in time or not judged)."""
    # With no seat, the clock starts when the interest arose (Coalesce: SQLite's MAX is NULL when
    # any argument is).
    clock_from = Greatest(F("interest_from"), Coalesce(_seated_from(), F("interest_from")))
    return declarations.annotate(
        days_late=Case(
            When(Q(nil_return=True) | Q(interest_from__isnull=True), then=Value(0)),
            When(_restates_an_earlier_entry(), then=Value(0)),
            default=_late_by(F("declared_on"), clock_from),
            output_field=IntegerField(),
        )
    )


def _recorded_on() -> Subquery:
    """The day an offer was declared: the day its first history row was written (the register keeps
    no separate date, and the history cannot be changed)."""
    first = (
        GiftOrHospitality.history.filter(id=OuterRef("pk"), history_type="+")
        .order_by("history_date", "history_id")
        .annotate(day=TruncDate("history_date"))
        .values("day")[:1]
    )
    return Subquery(first, output_field=DateField())


def offers_with_days_late(
    offers: QuerySet[GiftOrHospitality],
) -> QuerySet[WithAnnotations[GiftOrHospitality, _LateOffer]]:
    """Offers of gifts and hospitality, each annotated `recorded_on` (the day it was declared) and
    `days_late` (0 when declared within 28 days of the offer)."""
    return offers.annotate(recorded_on=_recorded_on()).annotate(
        days_late=Case(
            When(recorded_on__isnull=True, then=Value(0)),
            default=_late_by(F("recorded_on"), F("offered_on")),
            output_field=IntegerField(),
        )
    )


def declaration_days_late(declaration: Declaration) -> int:
    """How late one entry was declared, in days (0 when on time)."""
    found = with_days_late(Declaration.objects.filter(pk=declaration.pk)).values_list("days_late", flat=True)
    return next(iter(found), 0)


def offer_days_late(offer: GiftOrHospitality) -> int:
    """How late one offer was recorded, in days (0 when on time)."""
    found = offers_with_days_late(GiftOrHospitality.objects.filter(pk=offer.pk)).values_list(
        "days_late", flat=True
    )
    return next(iter(found), 0)


def _in_period(start: dt.date | None, end: dt.date | None, field: str = "declared_on") -> Q:
    when = Q()
    if start is not None:
        when &= Q(**{f"{field}__gte": start})
    if end is not None:
        when &= Q(**{f"{field}__lte": end})
    return when


def late_declarations(
    ccg: CCG, *, start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[WithAnnotations[Declaration, _Late]]:
    """A CCG's register entries declared late (within a period of declaration, when given), latest
    declared first."""
    return (
        with_days_late(Declaration.objects.filter(_in_period(start, end), ccg=ccg, nil_return=False))
        .filter(days_late__gt=0)
        .select_related("person", "practice", "organisation", "declared_by")
        .order_by("-declared_on", "person__full_name", "-pk")
    )


def late_offers(
    ccg: CCG, *, start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[WithAnnotations[GiftOrHospitality, _LateOffer]]:
    """A CCG's offers of gifts and hospitality declared late (within a period of declaration, when
    given), latest declared first."""
    return (
        offers_with_days_late(GiftOrHospitality.objects.filter(ccg=ccg))
        .filter(_in_period(start, end, "recorded_on"), days_late__gt=0)
        .select_related("person")
        .order_by("-recorded_on", "person__full_name", "-pk")
    )


def late_counts(ccg: CCG) -> dict[int, int]:
    """How many entries each person declared late to the CCG's register, by person id (one query)."""
    late = late_declarations(ccg).order_by().values("person_id").annotate(n=Count("pk"))
    return dict(late.values_list("person_id", "n"))


def gifts_of(ccg: CCG) -> QuerySet[WithAnnotations[GiftOrHospitality, _LateOffer]]:
    """A CCG's offers of gifts and hospitality for its keepers, newest first, each with how late it
    was recorded."""
    return offers_with_days_late(
        GiftOrHospitality.objects.filter(ccg=ccg).select_related("person", "senior_approver")
    ).order_by("-offered_on", "-pk")
