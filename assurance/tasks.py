"""Background tasks for assurance packs."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from assurance import services
from cocomm.audit import system_user


# The soft limit raises inside the render, which records the failure on the pack; the hard limit
# kills a worker stuck outside Python. The message is acknowledged only when the task ends
# (`acks_late`), and a worker lost mid-task (killed, out of memory) gives it back to the broker
# (`reject_on_worker_lost`); a worker killed outright leaves it unacknowledged, and Redis delivers it
# again after the visibility timeout (settings: just above the hard limit). The service is safe to
# run twice, restarts a pack its lost run left "generating", and gives up after a few such restarts.
@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.ASSURANCE_PACK_SOFT_TIME_LIMIT,
    time_limit=settings.ASSURANCE_PACK_TIME_LIMIT,
)
def pack_generate_task(pack_id: int) -> str:
    """Generate a queued pack; safe to run twice (a ready pack is left alone)."""
    return services.pack_generate(pack_id=pack_id, by=system_user()).status


@shared_task
def packs_send_waiting_task() -> int:
    """Send the packs asked for while the broker was down; returns how many were sent."""
    return services.packs_send_waiting(by=system_user())


@shared_task
def packs_fail_stalled_task() -> int:
    """Mark failed the packs that waited or generated too long; returns how many."""
    return len(services.packs_fail_stalled(by=system_user()))
