"""Reads about committees, meetings and decisions, scoped to the user, in fixed numbers of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from cocomm import permissions as core
from cocomm.permissions import AnyUser
from cocomm.selectors import ccgs_visible_to
from committees import rules
from committees.choices import AttendanceStatus, DecisionStatus, ToRStatus
from committees.models import (
    AgendaItem,
    Attendance,
    Committee,
    Decision,
    Exclusion,
    Meeting,
    Membership,
    TermsOfReference,
)


def committees_visible_to(user: AnyUser) -> QuerySet[Committee]:
    """Committees serving a CCG the user may see, and those the user sits on."""
    if not user.is_authenticated:
        return Committee.objects.none()
    if core.is_administrator(user):
        return Committee.objects.all()
    seated = get_objects_for_user(
        user, "committees.sit_on_committee", klass=Committee.objects.all(), accept_global_perms=False
    )
    return Committee.objects.filter(
        Q(ccgs__in=ccgs_visible_to(user)) | Q(pk__in=seated.values("pk"))
    ).distinct()


def committee_get(user: AnyUser, pk: int) -> Committee:
    committee = committees_visible_to(user).filter(pk=pk).first()
    if committee is None:
        raise Http404("No such committee.")
    return committee


def approved_terms(committee: Committee) -> TermsOfReference | None:
    """The approved terms of reference, whose rules the app enforces."""
    return committee.terms_of_reference.filter(status=ToRStatus.APPROVED).first()


def seats_on(committee: Committee, on: dt.date) -> list[Membership]:
    """The members sitting on a date."""
    return list(
        committee.memberships.filter(starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        .select_related("person")
        .order_by("office", "person__full_name")
    )


def as_seat(membership: Membership) -> rules.Seat:
    return rules.Seat(
        name=str(membership.person),
        category=rules.MemberCategory(membership.category),
        voting=membership.voting,
        office=rules.Office(membership.office),
    )


def quorum_rule(terms: TermsOfReference) -> rules.QuorumRule:
    return rules.QuorumRule(minimum=terms.quorum_minimum, categories=dict(terms.quorum_categories or {}))


@dataclass(frozen=True)
class Composition:
    terms: TermsOfReference | None
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def composition_of(committee: Committee, on: dt.date | None = None) -> Composition:
    """Whether the committee's members on a date meet its approved composition rule."""
    on = on or timezone.localdate()
    terms = approved_terms(committee)
    if terms is None:
        return Composition(None, ["The committee has no approved terms of reference."])
    seats = [as_seat(m) for m in seats_on(committee, on)]
    problems = rules.composition_problems(
        rules.CompositionRule(terms.composition_rule), seats, rules.CastingVote(terms.casting_vote)
    )
    return Composition(terms, problems)


@dataclass(frozen=True)
class ItemQuorum:
    """The quorum of one item: who counts, who is excluded and why, and the verdict."""

    item: AgendaItem
    rule: rules.QuorumRule | None
    counted: list[Membership]
    excluded: list[tuple[Membership, Exclusion]]
    absent: list[Membership]
    result: rules.QuorumResult | None

    @property
    def quorate(self) -> bool:
        return self.result is not None and self.result.quorate

    @property
    def explanation(self) -> str:
        if self.rule is None or self.result is None:
            return "No quorum can be counted: the committee has no approved terms of reference."
        return self.result.explain(self.rule)


def item_quorum(item: AgendaItem, *, committee: Committee | None = None) -> ItemQuorum:
    """Count the quorum for an item: voting members present and not excluded from it."""
    committee = committee or item.committee
    if committee is None:
        raise ValueError("Quorum is counted for an item a committee takes.")
    on = timezone.localtime(item.meeting.starts_at).date()
    seats = seats_on(committee, on)
    present = set(
        Attendance.objects.filter(meeting_id=item.meeting_id, status=AttendanceStatus.PRESENT).values_list(
            "person_id", flat=True
        )
    )
    exclusions = {e.person_id: e for e in Exclusion.objects.filter(item=item)}
    counted, excluded, absent = [], [], []
    for seat in seats:
        if seat.person_id not in present:
            absent.append(seat)
        elif seat.person_id in exclusions:
            excluded.append((seat, exclusions[seat.person_id]))
        else:
            counted.append(seat)
    terms = approved_terms(committee)
    if terms is None:
        return ItemQuorum(item, None, counted, excluded, absent, None)
    rule = quorum_rule(terms)
    return ItemQuorum(
        item, rule, counted, excluded, absent, rules.quorum(rule, [as_seat(m) for m in counted])
    )


def meetings_visible_to(user: AnyUser) -> QuerySet[Meeting]:
    return Meeting.objects.filter(committees__in=committees_visible_to(user)).distinct()


def meeting_get(user: AnyUser, pk: int) -> Meeting:
    meeting = (
        meetings_visible_to(user)
        .filter(pk=pk)
        .prefetch_related(
            "committees",
            Prefetch(
                "items",
                queryset=AgendaItem.objects.select_related(
                    "committee", "function", "ccg", "decision"
                ).order_by("number"),
            ),
        )
        .first()
    )
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


def decisions_visible_to(user: AnyUser) -> QuerySet[Decision]:
    return Decision.objects.filter(committee__in=committees_visible_to(user)).select_related(
        "committee", "ccg", "function", "item__meeting"
    )


def decision_get(user: AnyUser, pk: int) -> Decision:
    decision = decisions_visible_to(user).filter(pk=pk).first()
    if decision is None:
        raise Http404("No such decision.")
    return decision


def decisions_awaiting_approval(user: AnyUser) -> QuerySet[Decision]:
    """Recorded decisions of the committees the user chairs: the chair's approval list."""
    if not user.is_authenticated:
        return Decision.objects.none()
    chaired = get_objects_for_user(
        user, "committees.chair_committee", klass=Committee.objects.all(), accept_global_perms=False
    )
    return (
        Decision.objects.filter(committee__in=chaired, status=DecisionStatus.RECORDED)
        .select_related("committee", "ccg", "function", "item__meeting")
        .order_by("decided_on", "pk")
    )


def next_meeting_of(committee: Committee, after: dt.datetime) -> Meeting | None:
    return committee.meetings.filter(starts_at__gt=after).order_by("starts_at").first()
