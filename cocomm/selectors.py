"""Reads of the core records, scoped to what the user may see."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from cocomm import permissions
from cocomm.audit import SYSTEM_USERNAME
from cocomm.models import CCG, AreaTeam, AuditCheck, Practice, Role, RoleStatus, User
from cocomm.permissions import AnyUser


def ccgs_visible_to(user: AnyUser, queryset: QuerySet[CCG] | None = None) -> QuerySet[CCG]:
    """The CCGs a user may see: all for administrators, else those their roles grant."""
    queryset = CCG.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    if permissions.is_administrator(user):
        return queryset
    return get_objects_for_user(user, "cocomm.view_ccg", klass=queryset, accept_global_perms=True)


def ccg_get(user: AnyUser, ods_code: str, queryset: QuerySet[CCG] | None = None) -> CCG:
    """One CCG by ODS code; a hidden CCG is as missing as one that does not exist."""
    found = ccgs_visible_to(user, queryset).filter(ods_code=ods_code.upper()).first()
    if found is None:
        raise Http404("No such CCG.")
    return found


def practice_get(user: AnyUser, ods_code: str) -> Practice:
    """One practice by ODS code, if the user may see its CCG."""
    practice = (
        Practice.objects.select_related("ccg", "ccg__area_team", "locality")
        .filter(ods_code=ods_code.upper())
        .first()
    )
    if practice is None or not permissions.can_view_practice(user, practice):
        raise Http404("No such practice.")
    return practice


def area_teams_with_ccgs(ccgs: QuerySet[CCG]) -> list[tuple[AreaTeam, list[CCG]]]:
    """Group CCGs by area team, in name order."""
    grouped: dict[int, tuple[AreaTeam, list[CCG]]] = {}
    for ccg in ccgs.select_related("area_team").order_by("area_team__name", "name"):
        grouped.setdefault(ccg.area_team_id, (ccg.area_team, []))[1].append(ccg)
    return list(grouped.values())


def active_roles_of(user: User) -> list[Role]:
    """A user's active roles, for their home page and header."""
    return list(
        Role.objects.filter(user=user, status=RoleStatus.ACTIVE)
        .select_related("ccg", "area_team")
        .order_by("kind", "starts_on")
    )


def users_with_roles() -> QuerySet[User]:
    """Every login with its person and roles (for administrators), in a fixed number of queries."""
    roles = Role.objects.select_related("ccg", "area_team").order_by("status", "kind", "-starts_on")
    return (
        User.objects.exclude(username=SYSTEM_USERNAME)
        .select_related("person")
        .prefetch_related(Prefetch("roles", queryset=roles))
        .order_by("last_name", "first_name", "username")
    )


def user_get(user: AnyUser, username: str) -> User:
    """One login, for administrators only; anyone else gets the same 404 as for a missing one."""
    if not permissions.can_manage_roles(user):
        raise Http404("No such person.")
    found = users_with_roles().filter(username=username).first()
    if found is None:
        raise Http404("No such person.")
    return found


def audit_check_latest() -> AuditCheck | None:
    """The most recent run of the audit chain check, if there has been one."""
    return AuditCheck.objects.select_related("checked_by").order_by("-checked_at", "-pk").first()
