"""Background tasks for assurance packs."""

from __future__ import annotations

from celery import shared_task

from assurance import services
from cocomm.audit import system_user


# The soft limit raises inside the render, which records the failure on the pack; the hard limit
# kills a worker stuck outside Python (and `packs_fail_stalled_task` then marks the pack failed).
@shared_task(soft_time_limit=600, time_limit=660)
def pack_generate_task(pack_id: int) -> str:
    """Generate a queued pack; safe to run twice (a ready pack is left alone)."""
    return services.pack_generate(pack_id=pack_id, by=system_user()).status


@shared_task
def packs_fail_stalled_task() -> int:
    """Mark failed the packs that waited or generated too long; returns how many."""
    return len(services.packs_fail_stalled(by=system_user()))
