"""Who may record a CCG's level."""

from __future__ import annotations

from cocomm.models import CCG, Role, RoleKind, RoleStatus, User
from cocomm.permissions import AnyUser, can_change_ccg, is_administrator


def can_record_level(user: AnyUser, ccg: CCG) -> bool:
    """Level changes follow NHS England's approval, so administrators record them."""
    return is_administrator(user)


def can_manage_application(user: AnyUser, ccg: CCG) -> bool:
    """A governance officer of the CCG, or an administrator, prepares and withdraws its applications."""
    return can_change_ccg(user, ccg) or is_administrator(user)


def can_decide_application(user: AnyUser, ccg: CCG) -> bool:
    """Only an NHS England reviewer of the CCG's own area team decides."""
    return (
        isinstance(user, User)
        and user.is_active
        and Role.objects.filter(
            user=user, kind=RoleKind.NHSE_REVIEWER, area_team_id=ccg.area_team_id, status=RoleStatus.ACTIVE
        ).exists()
    )
