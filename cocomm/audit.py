"""Audit through one door: every audited write names who made it and why.

Services call `save_audited` / `delete_audited` instead of `save()` / `delete()`. Requests,
management commands and Celery tasks all pass the acting user explicitly, so history never
depends on a request being present. `QuerySet.update()` and `bulk_*` skip history and are
not used on audited models.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction

from cocomm.models import User

SYSTEM_USERNAME = "cocomm-system"


class Reason:
    """Fixed openings for change reasons written by the software itself."""

    REFERENCE_DATA = "NHS England defaults installed"
    DEMO_DATA = "Demonstration data loaded"
    ROLE_STARTED_ON_DATE = "Role reached its start date"
    ROLE_ENDED_ON_DATE = "Role reached its end date"
    AUDIT_CHECK = "Audit chains checked"
    SYSTEM_ACCOUNT = "Account for automatic changes created"
    ANONYMOUS_PLACEHOLDER = "Placeholder for visitors who are not logged in (django-guardian)"


def system_user() -> User:
    """The account that automated changes (commands, scheduled tasks) are made by."""
    user_model = get_user_model()
    try:
        return user_model.objects.get(username=SYSTEM_USERNAME)
    except user_model.DoesNotExist:
        pass
    user = user_model(username=SYSTEM_USERNAME, first_name="cocomm", last_name="(automatic)", is_active=False)
    # The account that authors automatic changes authors its own creation, so even this first
    # history row names who made it.
    user._history_user = user  # type: ignore[attr-defined]
    user._change_reason = Reason.SYSTEM_ACCOUNT  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # created meanwhile by another process
        return user_model.objects.get(username=SYSTEM_USERNAME)
    return user


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("An audited change needs a reason.")
    return reason


def save_audited(instance: models.Model, *, by: User, reason: str) -> None:
    """Validate and save a model, recording `by` and `reason` on its history row."""
    instance._history_user = by  # type: ignore[attr-defined]
    instance._change_reason = _require_reason(reason)  # type: ignore[attr-defined]
    instance.full_clean()
    instance.save()


def delete_audited(instance: models.Model, *, by: User, reason: str) -> None:
    """Delete a model, recording `by` and `reason` on its history row."""
    instance._history_user = by  # type: ignore[attr-defined]
    instance._change_reason = _require_reason(reason)  # type: ignore[attr-defined]
    instance.delete()
