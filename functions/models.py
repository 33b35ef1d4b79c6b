"""Reference data: level schemes and levels, the 14 functions, and the decision-rights matrix."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from cocomm.audited_history import AuditedHistory
from cocomm.models import AreaTeam
from functions.choices import Right

FUNCTION_COUNT = 14


class LevelScheme(models.Model):
    """A set of co-commissioning levels: the national scheme (1-3) or Greater Manchester's (1-4)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    history = AuditedHistory()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Level(models.Model):
    """One level of a scheme, such as national level 2, joint commissioning."""

    scheme = models.ForeignKey(LevelScheme, on_delete=models.PROTECT, related_name="levels")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    history = AuditedHistory()

    class Meta:
        ordering = ["scheme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="level_unique_number_per_scheme"),
        ]

    def __str__(self) -> str:
        return f"Level {self.number}: {self.name}"


class Function(models.Model):
    """One of the 14 primary care functions a CCG may take on."""

    number = models.PositiveSmallIntegerField(
        unique=True, validators=[MinValueValidator(1), MaxValueValidator(FUNCTION_COUNT)]
    )
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    history = AuditedHistory()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                name="function_number_1_to_14",
                condition=models.Q(number__gte=1, number__lte=FUNCTION_COUNT),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class DecisionRight(models.Model):
    """One cell of the matrix: what a level of a scheme gives a CCG for a function, and why."""

    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="rights")
    function = models.ForeignKey(Function, on_delete=models.PROTECT, related_name="rights")
    right = models.CharField(max_length=20, choices=Right.choices)
    nhse_veto = models.BooleanField(
        "NHS England veto",
        default=False,
        help_text="Whether NHS England may veto the decision at this level.",
    )
    reasoning = models.TextField(
        blank=True, help_text="Why this is the right at this level, with its source."
    )
    history = AuditedHistory()

    class Meta:
        ordering = ["level__scheme", "level__number", "function__number"]
        constraints = [
            models.UniqueConstraint(fields=["level", "function"], name="decision_right_unique_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.level} / {self.function}: {self.get_right_display()}"


class AreaTeamScheme(models.Model):
    """The level scheme an NHS England area team uses for its CCGs."""

    area_team = models.OneToOneField(AreaTeam, on_delete=models.CASCADE, related_name="scheme_choice")
    scheme = models.ForeignKey(LevelScheme, on_delete=models.PROTECT, related_name="area_teams")
    history = AuditedHistory()

    class Meta:
        ordering = ["area_team"]

    def __str__(self) -> str:
        return f"{self.area_team}: {self.scheme}"
