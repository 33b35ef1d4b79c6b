"""Who may ask for, read, review and answer assurance packs. The only place this policy lives."""

from __future__ import annotations

from django.utils import timezone

from cocomm.models import CCG, Role, RoleKind, RoleStatus
from cocomm.permissions import AnyUser, can_view_ccg, is_administrator, is_conflicts_guardian


def is_governance_officer(user: AnyUser, ccg: CCG) -> bool:
    """An active governance officer of the CCG."""
    if not user.is_authenticated or not user.is_active:
        return False
    return Role.objects.filter(
        user_id=user.pk, kind=RoleKind.GOVERNANCE_OFFICER, status=RoleStatus.ACTIVE, ccg=ccg
    ).exists()


def is_area_reviewer(user: AnyUser, ccg: CCG) -> bool:
    """An active NHS England reviewer of the CCG's own area team."""
    if not user.is_authenticated or not user.is_active:
        return False
    today = timezone.localdate()
    return (
        Role.objects.filter(
            user_id=user.pk,
            kind=RoleKind.NHSE_REVIEWER,
            status=RoleStatus.ACTIVE,
            area_team_id=ccg.area_team_id,
            starts_on__lte=today,
        )
        .exclude(ends_on__lte=today)
        .exists()
    )


def can_view_packs(user: AnyUser, ccg: CCG) -> bool:
    """Administrators, the CCG's governance officers, its area's NHS England reviewers, and its
    Conflicts of Interest Guardian (the pack reports the breaches the Guardian oversees); read only."""
    if is_administrator(user) or is_conflicts_guardian(user, ccg):
        return True
    return can_view_ccg(user, ccg) and (is_governance_officer(user, ccg) or is_area_reviewer(user, ccg))


def can_request_pack(user: AnyUser, ccg: CCG) -> bool:
    return is_administrator(user) or is_governance_officer(user, ccg)


def can_review_pack(user: AnyUser, ccg: CCG) -> bool:
    # Only NHS England gives assurance: an administrator may not review on its behalf.
    return is_area_reviewer(user, ccg)


def can_respond_to_review(user: AnyUser, ccg: CCG) -> bool:
    return is_governance_officer(user, ccg)
