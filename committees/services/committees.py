"""Setting up committees, their terms of reference and their membership."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cocomm.audit import Reason, save_audited, system_user
from cocomm.models import CCG, AreaTeam, Person, User
from committees import permissions, roles
from committees.choices import CastingVote, CommitteeKind, ToRStatus
from committees.models import Committee, Membership, MembershipStatus, TermsOfReference
from committees.services._common import _move, _require
from functions.models import Function

# Committees and terms of reference ---------------------------------------------------------------


@transaction.atomic
def committee_create(
    *,
    name: str,
    kind: str,
    ccgs: Iterable[CCG],
    short_name: str = "",
    area_team: AreaTeam | None = None,
    reports_to: Committee | None = None,
    functions: Iterable[Function] = (),
    by: User,
    reason: str,
) -> Committee:
    """Set up a committee serving one or more CCGs."""
    ccgs = list(ccgs)
    _require(
        permissions.can_create_committee_for(by, ccgs),
        "Only a governance officer of every CCG it serves may set up this committee.",
    )
    if not ccgs:
        raise ValidationError({"ccgs": "A committee serves at least one CCG."})
    committee = Committee(
        name=name, short_name=short_name, kind=kind, area_team=area_team, reports_to=reports_to
    )
    save_audited(committee, by=by, reason=reason)
    committee.ccgs.set(ccgs)
    committee.functions.set(list(functions))
    roles.chairs_group(committee)
    roles.members_group(committee)
    return committee


@transaction.atomic
def committee_update(
    *,
    committee: Committee,
    by: User,
    reason: str,
    name: str,
    short_name: str,
    reports_to: Committee | None,
    functions: Iterable[Function],
) -> Committee:
    """Change a committee's name, reporting line and the functions it may decide."""
    _require(permissions.can_manage_committee(by, committee), "You may not change this committee.")
    if reports_to is not None and (reports_to.pk == committee.pk or _reports_up_to(reports_to, committee)):
        raise ValidationError(
            {"reports_to": "A committee cannot report to itself or to a group reporting to it."}
        )
    committee.name, committee.short_name, committee.reports_to = name, short_name, reports_to
    save_audited(committee, by=by, reason=reason)
    committee.functions.set(list(functions))
    return committee


def _reports_up_to(start: Committee, target: Committee) -> bool:
    seen: set[int] = set()
    current: Committee | None = start
    while current is not None and current.pk not in seen:
        if current.pk == target.pk:
            return True
        seen.add(current.pk)
        current = current.reports_to
    return False


@transaction.atomic
def terms_draft(
    *,
    committee: Committee,
    version: str,
    composition_rule: str,
    quorum_minimum: int,
    quorum_categories: Mapping[str, int] | None = None,
    casting_vote: str | None = None,
    meets_in_public: bool = False,
    allows_virtual_decisions: bool = False,
    review_on: dt.date | None = None,
    by: User,
    reason: str,
) -> TermsOfReference:
    """Draft a new version of a committee's terms of reference."""
    _require(permissions.can_manage_committee(by, committee), "You may not change this committee.")
    if casting_vote is None:
        # NHS England holds the casting vote in a joint committee unless the terms say otherwise.
        casting_vote = (
            CastingVote.NHS_ENGLAND if committee.kind == CommitteeKind.JOINT_COMMITTEE else CastingVote.CHAIR
        )
    terms = TermsOfReference(
        committee=committee,
        version=version,
        composition_rule=composition_rule,
        quorum_minimum=quorum_minimum,
        quorum_categories=dict(quorum_categories or {}),
        casting_vote=casting_vote,
        meets_in_public=meets_in_public,
        allows_virtual_decisions=allows_virtual_decisions,
        review_on=review_on,
    )
    save_audited(terms, by=by, reason=reason)
    return terms


@transaction.atomic
def terms_approve(
    *, terms: TermsOfReference, approved_by: str, approved_on: dt.date, by: User, reason: str
) -> TermsOfReference:
    """Approve a draft, in force from the day it was approved; the version it replaces is superseded
    from that day, so each day has at most one version in force."""
    _require(permissions.can_manage_committee(by, terms.committee), "You may not change this committee.")
    terms = TermsOfReference.objects.select_for_update().get(pk=terms.pk)
    if not approved_by.strip():
        raise ValidationError({"approved_by": "Name the body that approved the terms of reference."})
    if approved_on > timezone.localdate():
        raise ValidationError({"approved_on": "The date they were approved cannot be in the future."})
    for current in TermsOfReference.objects.select_for_update().filter(
        committee=terms.committee, status=ToRStatus.APPROVED
    ):
        if current.approved_on is not None and approved_on < current.approved_on:
            raise ValidationError(
                {
                    "approved_on": f"Version {current.version} has been in force since "
                    f"{current.approved_on:%-d %B %Y}; the version replacing it must have been approved "
                    "on or after that day."
                }
            )
        current.superseded_on = approved_on
        _move(
            current,
            ToRStatus.SUPERSEDED,
            by=by,
            reason=f"Superseded by version {terms.version} from {approved_on:%-d %B %Y}",
        )
    terms.approved_by, terms.approved_on = approved_by, approved_on
    _move(terms, ToRStatus.APPROVED, by=by, reason=reason)
    return terms


# Membership --------------------------------------------------------------------------------------


def _membership_status(membership: Membership, today: dt.date) -> str:
    if membership.ends_on is not None and membership.ends_on <= today:
        return MembershipStatus.ENDED
    return MembershipStatus.ACTIVE if membership.starts_on <= today else MembershipStatus.SCHEDULED


def _locked_membership(pk: int) -> Membership:
    # Lock the seat's row alone: PostgreSQL will not lock across the outer join to a person's login.
    Membership.objects.select_for_update().filter(pk=pk).values_list("pk").get()
    return Membership.objects.select_related("committee", "person__user").get(pk=pk)


def _sync(person: Person) -> None:
    if person.user is not None:
        roles.sync_committee_groups(person.user)


@transaction.atomic
def membership_add(
    *,
    committee: Committee,
    person: Person,
    category: str,
    voting: bool = True,
    office: str = "member",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    by: User,
    reason: str,
) -> Membership:
    """Seat a person on a committee; a chair's seat grants the chair's permissions from its start."""
    _require(permissions.can_manage_committee(by, committee), "You may not change this committee's members.")
    membership = Membership(
        committee=committee,
        person=person,
        category=category,
        voting=voting,
        office=office,
        starts_on=starts_on or timezone.localdate(),
        ends_on=ends_on,
    )
    membership.status = _membership_status(membership, timezone.localdate())
    if (
        Membership.objects.filter(committee=committee, person=person)
        .exclude(status=MembershipStatus.ENDED)
        .exists()
    ):
        raise ValidationError({"person": f"{person} already has a seat on {committee}."})
    save_audited(membership, by=by, reason=reason)
    _sync(person)
    return membership


@transaction.atomic
def membership_end(
    *, membership: Membership, by: User, reason: str, ends_on: dt.date | None = None
) -> Membership:
    """End a seat (today unless another day is given); its permissions go when it ends."""
    _require(
        permissions.can_manage_committee(by, membership.committee),
        "You may not change this committee's members.",
    )
    membership = _locked_membership(membership.pk)
    if membership.status == MembershipStatus.ENDED:
        raise ValidationError("This seat has already ended.")
    membership.ends_on = max(ends_on or timezone.localdate(), membership.starts_on)
    membership.status = _membership_status(membership, timezone.localdate())
    save_audited(membership, by=by, reason=reason)
    _sync(membership.person)
    return membership


def memberships_refresh(*, today: dt.date | None = None) -> list[Membership]:
    """Start and end seats whose dates have come (nightly, from Celery beat). Safe to repeat."""
    today = today or timezone.localdate()
    actor = system_user()
    due = (
        Membership.objects.exclude(status=MembershipStatus.ENDED)
        .filter(Q(status=MembershipStatus.SCHEDULED, starts_on__lte=today) | Q(ends_on__lte=today))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    changed = []
    for pk in list(due):
        with transaction.atomic():
            membership = _locked_membership(pk)
            status = _membership_status(membership, today)
            if status == membership.status:
                continue
            why = (
                Reason.ROLE_ENDED_ON_DATE if status == MembershipStatus.ENDED else Reason.ROLE_STARTED_ON_DATE
            )
            _move(membership, status, by=actor, reason=why)
            _sync(membership.person)
            changed.append(membership)
    return changed
