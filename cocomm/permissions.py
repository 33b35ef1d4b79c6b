"""Who may see and change the core records. The only place this policy lives.

Permissions come from roles (see `cocomm.roles`): a system administrator holds model-wide
permissions; governance officers and NHS England reviewers hold object permissions on CCGs.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model

from cocomm.audit import SYSTEM_USERNAME
from cocomm.models import CCG, Practice, RoleKind, RoleStatus, User

AnyUser = User | AnonymousUser


def is_system(user: AnyUser) -> bool:
    """The automatic account used by commands and scheduled tasks."""
    return isinstance(user, User) and user.username == SYSTEM_USERNAME


def is_administrator(user: AnyUser) -> bool:
    """A system administrator (an active role) or the automatic account."""
    return is_system(user) or (user.is_active and user.has_perm("cocomm.add_role"))


def _has(user: AnyUser, perm: str, obj: Model) -> bool:
    if not user.is_active:
        return is_system(user)
    return user.has_perm(perm) or user.has_perm(perm, obj)


def can_view_ccg(user: AnyUser, ccg: CCG) -> bool:
    return _has(user, "cocomm.view_ccg", ccg)


def can_change_ccg(user: AnyUser, ccg: CCG) -> bool:
    return _has(user, "cocomm.change_ccg", ccg)


def is_conflicts_guardian(user: AnyUser, ccg: CCG) -> bool:
    """The CCG's Conflicts of Interest Guardian, while the role is active (administrators are not)."""
    return user.is_active and user.has_perm("cocomm.guard_conflicts", ccg)


def can_view_practice(user: AnyUser, practice: Practice) -> bool:
    return can_view_ccg(user, practice.ccg)


def can_change_practice(user: AnyUser, practice: Practice) -> bool:
    return can_change_ccg(user, practice.ccg)


def can_manage_roles(user: AnyUser) -> bool:
    return is_administrator(user)


def can_manage_area_teams(user: AnyUser) -> bool:
    return is_administrator(user)


def is_nhse_reviewer(user: AnyUser) -> bool:
    """An active NHS England reviewer of some area team."""
    return (
        isinstance(user, User)
        and user.is_active
        and user.roles.filter(kind=RoleKind.NHSE_REVIEWER, status=RoleStatus.ACTIVE).exists()
    )


def can_view_audit_check(user: AnyUser) -> bool:
    # The audit trail is the proof NHS England relies on: its reviewers and the administrators
    # who keep the system see whether it still holds.
    return is_administrator(user) or is_nhse_reviewer(user)
