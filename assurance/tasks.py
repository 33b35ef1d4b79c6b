"""Background tasks for assurance packs."""

from __future__ import annotations

from celery import shared_task

from assurance import services
from cocomm.audit import system_user


@shared_task(soft_time_limit=600)
def pack_generate_task(pack_id: int) -> str:
    """Generate a queued pack; safe to run twice (a ready pack is left alone)."""
    return services.pack_generate(pack_id=pack_id, by=system_user()).status
