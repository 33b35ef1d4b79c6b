"""The published registers: decision-makers' interests, gifts and hospitality."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
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

# The bodies whose voting members are "decision-makers" for the published register.
DECIDING_KINDS = (CommitteeKind.GOVERNING_BODY, CommitteeKind.PCCC, CommitteeKind.JOINT_COMMITTEE)


def decision_makers(ccg: CCG, on: dt.date) -> set[int]:
    """People with a voting seat, now or within the last 6 months, on a body that decides for the CCG."""
    since = rules.add_months(on, -rules.PUBLISH_AFTER_END_MONTHS)
    return set(
        Membership.objects.filter(committee__ccgs=ccg, committee__kind__in=DECIDING_KINDS, voting=True)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=since))
        .values_list("person_id", flat=True)
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
        .order_by("person__full_name", "-declared_on", "-pk")
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
        .order_by("-offered_on")
    )


def committees_of(ccg: CCG) -> QuerySet[Committee]:
    return Committee.objects.filter(ccgs=ccg)
