"""Each CCG's co-commissioning level over time."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from cocomm.models import CCG
from functions.models import Level


class LevelAssignment(models.Model):
    """A CCG holds a level from a date (usually 1 April) until its next assignment."""

    ccg = models.ForeignKey(
        CCG, on_delete=models.CASCADE, verbose_name="CCG", related_name="level_assignments"
    )
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="assignments")
    effective_from = models.DateField("effective from")
    note = models.TextField(blank=True, help_text="The approval behind it, such as NHS England's letter.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["ccg", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["ccg", "effective_from"], name="one_level_per_ccg_per_date"),
        ]
        indexes = [models.Index(fields=["ccg", "-effective_from"], name="level_assignment_latest")]

    def __str__(self) -> str:
        return f"{self.ccg}: level {self.level.number} from {self.effective_from:%d %b %Y}"
