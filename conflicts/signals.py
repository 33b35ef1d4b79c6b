"""The register of procurement decisions fills itself as procurement decisions are approved.

Committees sit below conflicts, so they cannot call this app; conflicts listens instead.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from committees.choices import DecisionStatus
from committees.models import Decision
from conflicts.services import procurement_record_for


@receiver(post_save, sender=Decision, dispatch_uid="conflicts-procurement-register")
def decision_saved(sender: type[Decision], instance: Decision, **kwargs: Any) -> None:
    if instance.status == DecisionStatus.APPROVED:
        pk = instance.pk
        transaction.on_commit(lambda: procurement_record_for(Decision.objects.get(pk=pk)))
