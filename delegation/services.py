"""Recording a CCG's levels: audited, validated against the CCG's scheme."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cocomm.audit import delete_audited, save_audited
from cocomm.models import CCG, User
from delegation import permissions
from delegation.models import LevelAssignment
from delegation.selectors import scheme_of
from functions.models import Level


@transaction.atomic
def level_assignment_record(
    *, ccg: CCG, level: Level, effective_from: dt.date, note: str = "", by: User, reason: str
) -> LevelAssignment:
    """Record that a CCG holds a level from a date."""
    if not permissions.can_record_level(by, ccg):
        raise PermissionDenied("Only a system administrator may record a CCG's level.")
    scheme = scheme_of(ccg)
    if scheme is None:
        raise ValidationError(f"{ccg.area_team} has no level scheme yet.")
    if level.scheme_id != scheme.pk:
        raise ValidationError({"level": f"{ccg.name} uses the {scheme.name}; this level belongs to another."})
    # Lock the CCG so two people recording levels at once cannot both pass the checks.
    CCG.objects.select_for_update().filter(pk=ccg.pk).first()
    if LevelAssignment.objects.filter(ccg=ccg, effective_from=effective_from).exists():
        raise ValidationError(
            {"effective_from": f"{ccg.name} already has a level taking effect on {effective_from:%-d %B %Y}."}
        )
    assignment = LevelAssignment(ccg=ccg, level=level, effective_from=effective_from, note=note)
    save_audited(assignment, by=by, reason=reason)
    return assignment


@transaction.atomic
def level_assignment_withdraw(*, assignment: LevelAssignment, by: User, reason: str) -> None:
    """Withdraw a level recorded in error; the history keeps it."""
    if not permissions.can_record_level(by, assignment.ccg):
        raise PermissionDenied("Only a system administrator may withdraw a CCG's level.")
    delete_audited(assignment, by=by, reason=reason)
