"""The vocabulary of decision rights, shared by the models and the pure rules."""

from django.db import models


class Right(models.TextChoices):
    """What a CCG's level lets it do with a function (DOMAIN.md, seed 002)."""

    NOT_INVOLVED = "not_involved", "Not involved"
    CONSULTED = "consulted", "Consulted"
    JOINT = "joint", "Joint with NHS England"
    DELEGATED = "delegated", "Delegated to the CCG"
    RETAINED = "retained", "Retained by NHS England"


class SchemeCode(models.TextChoices):
    NATIONAL = "national", "National scheme"
    GREATER_MANCHESTER = "greater_manchester", "Greater Manchester scheme"
