"""Background tasks for committees. Tasks are thin: they call a service and return ids."""

from __future__ import annotations

from celery import shared_task

from committees import services


@shared_task
def memberships_refresh_task() -> list[int]:
    """Start and end committee seats whose dates have come (nightly); safe to run twice."""
    return [membership.pk for membership in services.memberships_refresh()]
