"""How roles turn into django-guardian permissions.

Each role is granted through a group per entity ("CCG 02A governance officers", "CCG 02A Conflicts
of Interest Guardians", "Area Q46
NHS England reviewers", "System administrators"); the group holds the object permissions and
a user holds the permissions of the groups of their active roles. Only the role services in
`cocomm.services` change group membership.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from guardian.shortcuts import assign_perm, remove_perm

from cocomm.models import CCG, AreaTeam, RoleKind

# Object permissions on a CCG that each role gives.
GOVERNANCE_OFFICER_CCG_PERMS = ("cocomm.view_ccg", "cocomm.change_ccg")
REVIEWER_CCG_PERMS = ("cocomm.view_ccg",)
# The Guardian reads the CCG (its registers among it) and acts on its breaches; nothing an officer keeps.
GUARDIAN_CCG_PERMS = ("cocomm.view_ccg", "cocomm.guard_conflicts")

# Model-wide permissions that a system administrator holds.
ADMINISTRATOR_PERMS = (
    "cocomm.view_ccg",
    "cocomm.change_ccg",
    "functions.change_decisionright",
    "delegation.add_levelassignment",
    "delegation.delete_levelassignment",
    "cocomm.add_role",
    "cocomm.change_role",
    "cocomm.add_ccg",
    "cocomm.add_areateam",
)

ADMINISTRATORS_GROUP = "System administrators"


def governance_officers_group(ccg: CCG) -> Group:
    group, _ = Group.objects.get_or_create(name=f"CCG {ccg.ods_code} governance officers")
    return group


GUARDIANS_SUFFIX = " Conflicts of Interest Guardians"


def guardians_group(ccg: CCG) -> Group:
    group, created = Group.objects.get_or_create(name=f"CCG {ccg.ods_code}{GUARDIANS_SUFFIX}")
    if created:
        # CCGs registered before the role existed have no such group yet: it gets its permissions now.
        for perm in GUARDIAN_CCG_PERMS:
            assign_perm(perm, group, ccg)
    return group


def reviewers_group(area_team: AreaTeam) -> Group:
    group, _ = Group.objects.get_or_create(name=f"Area {area_team.ods_code} NHS England reviewers")
    return group


# Administrators may also read every governance record of cocomm's apps in the admin site.
ADMIN_READABLE_APPS = ("cocomm", "functions", "delegation", "committees", "conflicts")


def administrators_group() -> Group:
    group, _ = Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)
    wanted = Permission.objects.filter(
        Q(content_type__app_label__in=ADMIN_READABLE_APPS, codename__startswith="view_")
        | Q(
            *[
                Q(content_type__app_label=a, codename=c)
                for a, c in (p.split(".") for p in ADMINISTRATOR_PERMS)
            ],
            _connector=Q.OR,
        )
    )
    # Kept in step on every use, so permissions added with new apps reach existing groups too.
    if set(group.permissions.values_list("pk", flat=True)) != set(wanted.values_list("pk", flat=True)):
        group.permissions.set(wanted)
    return group


def is_role_group(name: str) -> bool:
    """Whether a group is one of those the role services manage."""
    return name == ADMINISTRATORS_GROUP or (
        (name.startswith("CCG ") and name.endswith((" governance officers", GUARDIANS_SUFFIX)))
        or (name.startswith("Area ") and name.endswith(" NHS England reviewers"))
    )


def group_for(kind: str, *, ccg: CCG | None, area_team: AreaTeam | None) -> Group:
    """The group that carries the permissions of a role of this kind and scope."""
    if kind == RoleKind.GOVERNANCE_OFFICER and ccg is not None:
        return governance_officers_group(ccg)
    if kind == RoleKind.CONFLICTS_GUARDIAN and ccg is not None:
        return guardians_group(ccg)
    if kind == RoleKind.NHSE_REVIEWER and area_team is not None:
        return reviewers_group(area_team)
    if kind == RoleKind.SYSTEM_ADMINISTRATOR:
        return administrators_group()
    raise ValueError(f"No group for a {kind} role with this scope.")


def grant_ccg_perms_to_role_groups(ccg: CCG) -> None:
    """Give a CCG's role groups their permissions on it (on creation or a change of area)."""
    for perm in GOVERNANCE_OFFICER_CCG_PERMS:
        assign_perm(perm, governance_officers_group(ccg), ccg)
    for perm in REVIEWER_CCG_PERMS:
        assign_perm(perm, reviewers_group(ccg.area_team), ccg)
    for perm in GUARDIAN_CCG_PERMS:
        assign_perm(perm, guardians_group(ccg), ccg)


def revoke_reviewer_perms(ccg: CCG, area_team: AreaTeam) -> None:
    """Take a CCG away from the reviewers of an area team it has left."""
    for perm in REVIEWER_CCG_PERMS:
        remove_perm(perm, reviewers_group(area_team), ccg)
