"""Every change to the core records: one write path each, atomic, permission-checked, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cocomm import permissions, roles
from cocomm.audit import Reason, save_audited, system_user
from cocomm.audit_verify import verify_history_chains
from cocomm.models import (
    CCG,
    AreaTeam,
    AuditCheck,
    Locality,
    Organisation,
    Person,
    Practice,
    Role,
    RoleStatus,
    User,
)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# Area teams and CCGs -------------------------------------------------------------------------


@transaction.atomic
def area_team_create(*, ods_code: str, name: str, by: User, reason: str) -> AreaTeam:
    """Register an NHS England area team."""
    _require(permissions.can_manage_area_teams(by), "Only a system administrator may add area teams.")
    area_team = AreaTeam(ods_code=ods_code, name=name)
    save_audited(area_team, by=by, reason=reason)
    return area_team


@transaction.atomic
def ccg_create(
    *,
    ods_code: str,
    name: str,
    area_team: AreaTeam,
    weighted_population: int | None = None,
    by: User,
    reason: str,
) -> CCG:
    """Register a CCG under an area team; its role groups get their permissions on it."""
    _require(permissions.is_administrator(by), "Only a system administrator may add CCGs.")
    ccg = CCG(ods_code=ods_code, name=name, area_team=area_team, weighted_population=weighted_population)
    save_audited(ccg, by=by, reason=reason)
    roles.grant_ccg_perms_to_role_groups(ccg)
    return ccg


@transaction.atomic
def ccg_update(
    *,
    ccg: CCG,
    by: User,
    reason: str,
    name: str | None = None,
    weighted_population: int | None = None,
    area_team: AreaTeam | None = None,
) -> CCG:
    """Change a CCG's profile. Moving it to another area team is for administrators."""
    _require(permissions.can_change_ccg(by, ccg), "You may not change this CCG.")
    ccg = CCG.objects.select_for_update().get(pk=ccg.pk)
    previous_area_team = ccg.area_team
    if name is not None:
        ccg.name = name
    if weighted_population is not None:
        ccg.weighted_population = weighted_population
    if area_team is not None and area_team != previous_area_team:
        _require(
            permissions.is_administrator(by), "Only a system administrator may move a CCG to another area."
        )
        ccg.area_team = area_team
    save_audited(ccg, by=by, reason=reason)
    if ccg.area_team != previous_area_team:
        roles.revoke_reviewer_perms(ccg, previous_area_team)
        roles.grant_ccg_perms_to_role_groups(ccg)
    return ccg


@transaction.atomic
def locality_create(*, ccg: CCG, name: str, by: User, reason: str) -> Locality:
    """Add a locality to a CCG."""
    _require(permissions.can_change_ccg(by, ccg), "You may not change this CCG.")
    locality = Locality(ccg=ccg, name=name)
    save_audited(locality, by=by, reason=reason)
    return locality


# Practices, organisations and people ----------------------------------------------------------


def _check_locality(ccg: CCG, locality: Locality | None) -> None:
    if locality is not None and locality.ccg_id != ccg.pk:
        raise ValidationError({"locality": f"{locality.name} is not a locality of {ccg.name}."})


@transaction.atomic
def practice_create(
    *,
    ods_code: str,
    name: str,
    ccg: CCG,
    contract_type: str,
    list_size: int | None = None,
    locality: Locality | None = None,
    by: User,
    reason: str,
) -> Practice:
    """Register a GP practice in a CCG."""
    _require(permissions.can_change_ccg(by, ccg), "You may not add practices to this CCG.")
    _check_locality(ccg, locality)
    practice = Practice(
        ods_code=ods_code,
        name=name,
        ccg=ccg,
        contract_type=contract_type,
        list_size=list_size,
        locality=locality,
    )
    save_audited(practice, by=by, reason=reason)
    return practice


@transaction.atomic
def practice_update(
    *,
    practice: Practice,
    by: User,
    reason: str,
    name: str,
    contract_type: str,
    list_size: int | None,
    locality: Locality | None,
) -> Practice:
    """Change a practice's name, contract, list size or locality."""
    _require(permissions.can_change_practice(by, practice), "You may not change this practice.")
    practice = Practice.objects.select_for_update().get(pk=practice.pk)
    _check_locality(practice.ccg, locality)
    practice.name = name
    practice.contract_type = contract_type
    practice.list_size = list_size
    practice.locality = locality
    save_audited(practice, by=by, reason=reason)
    return practice


@transaction.atomic
def organisation_create(
    *, name: str, kind: str, ods_code: str = "", ccgs: Iterable[CCG] = (), by: User, reason: str
) -> Organisation:
    """Register a provider, federation, local authority or other body."""
    _require(permissions.is_administrator(by), "Only a system administrator may add organisations.")
    organisation = Organisation(name=name, kind=kind, ods_code=ods_code)
    save_audited(organisation, by=by, reason=reason)
    ccgs = list(ccgs)
    if ccgs:
        organisation.ccgs.set(ccgs)
    return organisation


@transaction.atomic
def person_create(
    *,
    full_name: str,
    title: str = "",
    email: str = "",
    job_title: str = "",
    user: User | None = None,
    by: User,
    reason: str,
) -> Person:
    """Record a person, optionally linked to their login."""
    _require(permissions.is_administrator(by), "Only a system administrator may add people.")
    person = Person(full_name=full_name, title=title, email=email, job_title=job_title, user=user)
    save_audited(person, by=by, reason=reason)
    return person


@transaction.atomic
def user_create(
    *, username: str, first_name: str, last_name: str, email: str, password: str, by: User, reason: str
) -> User:
    """Create a login (roles are granted separately)."""
    _require(permissions.can_manage_roles(by), "Only a system administrator may add users.")
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    user.set_password(password)
    save_audited(user, by=by, reason=reason)
    return user


@transaction.atomic
def login_create(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    title: str = "",
    job_title: str = "",
    by: User,
    reason: str,
) -> Person:
    """Create a login and the person it belongs to, together."""
    user = user_create(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        password=password,
        by=by,
        reason=reason,
    )
    return person_create(
        full_name=f"{first_name} {last_name}".strip(),
        title=title,
        email=email,
        job_title=job_title,
        user=user,
        by=by,
        reason=reason,
    )


# Roles -----------------------------------------------------------------------------------------


def _status_on(role: Role, today: dt.date) -> str:
    if role.ends_on is not None and role.ends_on <= today:
        return RoleStatus.ENDED
    if role.starts_on <= today:
        return RoleStatus.ACTIVE
    return RoleStatus.SCHEDULED


def _sync_groups(user: User, *, by: User, reason: str) -> None:
    """Put the user in exactly the role groups of their active roles."""
    active = Role.objects.filter(user=user, status=RoleStatus.ACTIVE).select_related("ccg", "area_team")
    wanted = {roles.group_for(r.kind, ccg=r.ccg, area_team=r.area_team).pk for r in active}
    held_role_groups = {g.pk for g in user.groups.all() if roles.is_role_group(g.name)}
    to_remove = held_role_groups - wanted
    to_add = wanted - held_role_groups
    if to_remove:
        user.groups.remove(*Group.objects.filter(pk__in=to_remove))
    if to_add:
        user.groups.add(*Group.objects.filter(pk__in=to_add))
    if to_add or to_remove:
        # The Django admin site is for system administrators only.
        is_admin = roles.administrators_group().pk in wanted
        if user.is_staff != is_admin:
            user.is_staff = is_admin
            save_audited(user, by=by, reason=reason)
    # Permission caches on this instance are stale now.
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)


def _move(role: Role, status: str, *, by: User, reason: str) -> None:
    if status == role.status:
        return
    if status not in Role.TRANSITIONS[RoleStatus(role.status)]:
        raise ValidationError(f"A role that is {role.get_status_display().lower()} cannot become {status}.")
    role.status = status
    save_audited(role, by=by, reason=reason)


@transaction.atomic
def role_grant(
    *,
    user: User,
    kind: str,
    ccg: CCG | None = None,
    area_team: AreaTeam | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    by: User,
    reason: str,
) -> Role:
    """Give a user a role; its permissions apply from its start date."""
    _require(permissions.can_manage_roles(by), "Only a system administrator may grant roles.")
    today = timezone.localdate()
    role = Role(
        user=user,
        kind=kind,
        ccg=ccg,
        area_team=area_team,
        starts_on=starts_on or today,
        ends_on=ends_on,
    )
    role.status = _status_on(role, today)
    save_audited(role, by=by, reason=reason)
    _sync_groups(user, by=by, reason=reason)
    return role


@transaction.atomic
def role_end(*, role: Role, by: User, reason: str, ends_on: dt.date | None = None) -> Role:
    """End a role (today, unless another day is given); its permissions go when it ends."""
    _require(permissions.can_manage_roles(by), "Only a system administrator may end roles.")
    role = Role.objects.select_for_update().get(pk=role.pk)
    if role.status == RoleStatus.ENDED:
        raise ValidationError("This role has already ended.")
    today = timezone.localdate()
    role.ends_on = max(ends_on or today, role.starts_on)
    role.status = _status_on(role, today)
    save_audited(role, by=by, reason=reason)
    _sync_groups(role.user, by=by, reason=reason)
    return role


def roles_refresh(*, today: dt.date | None = None) -> list[Role]:
    """Start and end roles whose dates have come; run daily by Celery beat. Safe to repeat."""
    today = today or timezone.localdate()
    actor = system_user()
    due = (
        Role.objects.exclude(status=RoleStatus.ENDED)
        .filter(Q(status=RoleStatus.SCHEDULED, starts_on__lte=today) | Q(ends_on__lte=today))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    changed: list[Role] = []
    for pk in list(due):
        with transaction.atomic():
            role = Role.objects.select_for_update().select_related("user").get(pk=pk)
            status = _status_on(role, today)
            if status == role.status:
                continue
            reason = Reason.ROLE_ENDED_ON_DATE if status == RoleStatus.ENDED else Reason.ROLE_STARTED_ON_DATE
            _move(role, status, by=actor, reason=reason)
            _sync_groups(role.user, by=actor, reason=reason)
            changed.append(role)
    return changed


# The audit chains ----------------------------------------------------------------------------


def audit_check_run(*, by: User | None = None) -> AuditCheck:
    """Walk every history chain and keep the result (the nightly check; also on demand)."""
    by = by or system_user()
    _require(permissions.is_administrator(by), "Only a system administrator may run the audit check.")
    report = verify_history_chains()
    first = report.first_problem
    check = AuditCheck(
        checked_at=report.checked_at,
        ok=report.ok,
        database=report.database,
        guarded=report.guarded,
        rows_checked=report.rows_checked,
        rows_per_table=report.rows_per_table,
        failure_table=first.table if first else "",
        failure_row_id="" if first is None or first.row_id is None else str(first.row_id),
        failure_reason=first.reason if first else "",
        problems=[str(problem) for problem in report.problems],
        duration_ms=report.duration_ms,
        checked_by=by,
    )
    save_audited(check, by=by, reason=Reason.AUDIT_CHECK)
    return check
