"""The published registers: decision-makers' interests, gifts and hospitality."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cocomm.models import CCG
from committees.choices import CommitteeKind
from committees.models import (
    Committee,
    Membership,
)
from conflicts import rules
from conflicts.models import (
    Declaration,
    GiftOrHospitality,
)

# Both registers of interests list entries by person, newest first.
REGISTER_ORDER = ("person__full_name", "-declared_on", "-pk")

# The bodies whose voting members are "decision-makers" for the published register.
DECIDING_KINDS = (CommitteeKind.GOVERNING_BODY, CommitteeKind.PCCC, CommitteeKind.JOINT_COMMITTEE)


def deciding_seats(ccg: CCG, on: dt.date) -> QuerySet[Membership]:
    """Voting seats, held now or within the last 6 months, on the bodies that decide for the CCG."""
    since = rules.add_months(on, -rules.PUBLISH_AFTER_END_MONTHS)
    return Membership.objects.filter(
        committee__ccgs=ccg, committee__kind__in=DECIDING_KINDS, voting=True
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=since))


def decision_makers(ccg: CCG, on: dt.date) -> set[int]:
    """People with a voting seat, now or within the last 6 months, on a body that decides for the CCG."""
    return set(deciding_seats(ccg, on).values_list("person_id", flat=True))


def is_decision_maker(ccg: CCG, on: dt.date) -> Exists:
    """Whether a declaration's person is a decision-maker of the CCG (for a Declaration queryset)."""
    return Exists(deciding_seats(ccg, on).filter(person_id=OuterRef("person_id")))


def still_published(today: dt.date) -> Q:
    """Whether a declaration has not ended, or ended recently enough to stay on the published register."""
    return Q(interest_to__isnull=True) | Q(interest_to__gte=rules.earliest_end_still_published(today))


def published_interests(ccg: CCG, today: dt.date | None = None) -> QuerySet[Declaration]:
    """The entries the published register shows today, in its order: `rules.publication` in SQL."""
    today = today or timezone.localdate()
    return (
        Declaration.objects.filter(ccg=ccg, nil_return=False, consent_to_publish=True)
        .filter(is_decision_maker(ccg, today))
        .filter(still_published(today))
        .order_by(*REGISTER_ORDER)
    )


@dataclass(frozen=True)
class PublicRegister:
    entries: list[Declaration]
    withheld: int


def public_register_of_interests(ccg: CCG, today: dt.date | None = None) -> PublicRegister:
    """The published register: decision-makers' interests, with consent, current or ended within 6 months."""
    today = today or timezone.localdate()
    makers = decision_makers(ccg, today)
    entries, withheld = [], 0
    for declaration in (
        Declaration.objects.filter(ccg=ccg, nil_return=False)
        .select_related("person", "practice", "organisation")
        .order_by(*REGISTER_ORDER)
    ):
        verdict = rules.publication(
            decision_maker=declaration.person_id in makers,
            consent=declaration.consent_to_publish,
            ended_on=declaration.interest_to,
            today=today,
        )
        if verdict == rules.Publication.PUBLISHED:
            entries.append(declaration)
        elif verdict == rules.Publication.WITHHELD:
            withheld += 1
    return PublicRegister(entries, withheld)


def public_gifts(ccg: CCG) -> QuerySet[GiftOrHospitality]:
    return (
        GiftOrHospitality.objects.filter(ccg=ccg)
        .select_related("person", "senior_approver")
        .order_by("-offered_on", "-pk")
    )


def committees_of(ccg: CCG) -> QuerySet[Committee]:
    return Committee.objects.filter(ccgs=ccg)
