"""How committee seats turn into django-guardian permissions.

Each committee has two groups, its chairs and its members, holding `chair_committee` and
`sit_on_committee` on it. The membership services put a member's login into the groups of
their current seats and take it out when a seat ends.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from guardian.shortcuts import assign_perm

from cocomm.models import User
from committees.choices import Office
from committees.models import Committee, Membership, MembershipStatus

CHAIR_OFFICES = (Office.CHAIR, Office.CO_CHAIR)


def chairs_group(committee: Committee) -> Group:
    group, created = Group.objects.get_or_create(name=f"Committee {committee.pk} chairs")
    if created:
        assign_perm("committees.chair_committee", group, committee)
        assign_perm("committees.sit_on_committee", group, committee)
    return group


def members_group(committee: Committee) -> Group:
    group, created = Group.objects.get_or_create(name=f"Committee {committee.pk} members")
    if created:
        assign_perm("committees.sit_on_committee", group, committee)
    return group


def is_committee_group(name: str) -> bool:
    return name.startswith("Committee ") and name.endswith((" chairs", " members"))


def sync_committee_groups(user: User) -> None:
    """Put a login in exactly the committee groups of its person's current seats."""
    seats = Membership.objects.filter(person__user=user, status=MembershipStatus.ACTIVE).select_related(
        "committee"
    )
    wanted: set[int] = set()
    for seat in seats:
        wanted.add(members_group(seat.committee).pk)
        if seat.office in CHAIR_OFFICES:
            wanted.add(chairs_group(seat.committee).pk)
    held = {g.pk for g in user.groups.all() if is_committee_group(g.name)}
    if held - wanted:
        user.groups.remove(*Group.objects.filter(pk__in=held - wanted))
    if wanted - held:
        user.groups.add(*Group.objects.filter(pk__in=wanted - held))
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)
