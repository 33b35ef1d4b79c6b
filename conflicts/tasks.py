"""Background tasks for conflicts of interest: campaign invitations and reminders."""

from __future__ import annotations

from celery import shared_task

from conflicts import services
from conflicts.models import Campaign


@shared_task
def campaign_invite_task(campaign_id: int) -> int:
    """E-mail the campaign's invitations; safe to run twice."""
    campaign = Campaign.objects.select_related("ccg").get(pk=campaign_id)
    return services.campaign_invite(campaign=campaign)


@shared_task
def campaign_reminders_task() -> int:
    """Send the reminders due today (daily, from Celery beat); safe to run twice."""
    return services.campaign_reminders()
