"""Who must declare, who is overdue and why, and the open campaign."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, Q
from django.utils import timezone

from cocomm.models import CCG, Person
from committees.models import (
    Membership,
    MembershipStatus,
)
from conflicts import rules
from conflicts.models import (
    Campaign,
    Declaration,
)


@dataclass(frozen=True)
class PersonStatus:
    person: Person
    last_declared_on: dt.date | None
    appointed_on: dt.date | None
    overdue: list[rules.Overdue]
    answered_campaign: bool = False
    nil_return: bool = False

    @property
    def reasons(self) -> list[str]:
        return [rules.OVERDUE_LABELS[r] for r in self.overdue]


def people_in_scope(ccg: CCG, on: dt.date) -> list[Membership]:
    """Current seats on the committees that serve the CCG (the people who must declare)."""
    return list(
        Membership.objects.filter(committee__ccgs=ccg, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        .exclude(status=MembershipStatus.ENDED)
        .select_related("person", "committee")
        .order_by("person__full_name")
    )


def declaration_status(
    ccg: CCG, today: dt.date | None = None, campaign: Campaign | None = None
) -> list[PersonStatus]:
    """Everyone who must declare to the CCG, with their last declaration and whether they are overdue."""
    today = today or timezone.localdate()
    seats = people_in_scope(ccg, today)
    appointed: dict[int, dt.date] = {}
    persons: dict[int, Person] = {}
    for seat in seats:
        persons[seat.person_id] = seat.person
        appointed[seat.person_id] = max(appointed.get(seat.person_id, seat.starts_on), seat.starts_on)
    last = dict(
        Declaration.objects.filter(ccg=ccg, person_id__in=persons)
        .values("person_id")
        .annotate(latest=Max("declared_on"))
        .values_list("person_id", "latest")
    )
    answered: set[int] = set()
    nil: set[int] = set()
    if campaign is not None:
        for person_id, is_nil in Declaration.objects.filter(campaign=campaign).values_list(
            "person_id", "nil_return"
        ):
            answered.add(person_id)
            if is_nil:
                nil.add(person_id)
    statuses = []
    for person_id, person in persons.items():
        overdue = rules.overdue_reasons(
            today=today,
            appointed_on=appointed.get(person_id),
            last_declared_on=last.get(person_id),
            campaign_deadline=campaign.deadline if campaign is not None and not campaign.closed else None,
            answered_campaign=person_id in answered,
        )
        statuses.append(
            PersonStatus(
                person=person,
                last_declared_on=last.get(person_id),
                appointed_on=appointed.get(person_id),
                overdue=overdue,
                answered_campaign=person_id in answered,
                nil_return=person_id in nil,
            )
        )
    return statuses


def declaration_status_on(ccg: CCG, on: dt.date) -> list[PersonStatus]:
    """Everyone who had to declare to the CCG on a past date, as the register stood that day: the seats
    held on it (ended since or not) and only the declarations made by then."""
    seats = (
        Membership.objects.filter(committee__ccgs=ccg, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        .select_related("person")
        .order_by("person__full_name", "pk")
    )
    appointed: dict[int, dt.date] = {}
    persons: dict[int, Person] = {}
    for seat in seats:
        persons[seat.person_id] = seat.person
        appointed[seat.person_id] = max(appointed.get(seat.person_id, seat.starts_on), seat.starts_on)
    last = dict(
        Declaration.objects.filter(ccg=ccg, person_id__in=persons, declared_on__lte=on)
        .values("person_id")
        .annotate(latest=Max("declared_on"))
        .values_list("person_id", "latest")
    )
    return [
        PersonStatus(
            person=person,
            last_declared_on=last.get(person_id),
            appointed_on=appointed[person_id],
            overdue=rules.overdue_reasons(
                today=on, appointed_on=appointed[person_id], last_declared_on=last.get(person_id)
            ),
        )
        for person_id, person in persons.items()
    ]


def open_campaign(ccg: CCG) -> Campaign | None:
    return Campaign.objects.filter(ccg=ccg, closed=False).order_by("-opened_on").first()
