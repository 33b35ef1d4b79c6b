"""Background tasks of the core. Tasks are thin: they call a service and return ids."""

from __future__ import annotations

from celery import shared_task

from cocomm import services


@shared_task
def roles_refresh_task() -> list[int]:
    """Start and end roles whose dates have come (daily, from Celery beat); safe to run twice."""
    return [role.pk for role in services.roles_refresh()]


@shared_task
def audit_check_run_task() -> int:
    """Check every history chain and keep the result (nightly, from Celery beat); safe to run twice."""
    return services.audit_check_run().pk
