"""Admin for the reference data: levels, functions and the decision-rights matrix."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from cocomm.admin import ADMIN_REASON, AuditedAdmin, actor
from functions import services
from functions.models import AreaTeamScheme, DecisionRight, Function, Level, LevelScheme


@admin.register(LevelScheme)
class LevelSchemeAdmin(AuditedAdmin):
    list_display = ["name", "code"]


@admin.register(Level)
class LevelAdmin(AuditedAdmin):
    list_display = ["scheme", "number", "name"]
    list_filter = ["scheme"]


@admin.register(Function)
class FunctionAdmin(AuditedAdmin):
    list_display = ["number", "name"]


@admin.register(DecisionRight)
class DecisionRightAdmin(AuditedAdmin):
    list_display = ["level", "function", "right", "nhse_veto"]
    list_filter = ["level__scheme", "level", "right"]
    readonly_fields = ["level", "function"]

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        # Every cell exists from the reference data; cells are changed, never added.
        return False

    def save_model(self, request: HttpRequest, obj: DecisionRight, form: Any, change: bool) -> None:
        services.decision_right_change(
            decision_right=obj,
            right=obj.right,
            nhse_veto=obj.nhse_veto,
            reasoning=obj.reasoning,
            by=actor(request),
            reason=ADMIN_REASON,
        )


@admin.register(AreaTeamScheme)
class AreaTeamSchemeAdmin(AuditedAdmin):
    list_display = ["area_team", "scheme"]

    def get_readonly_fields(self, request: HttpRequest, obj: AreaTeamScheme | None = None) -> list[str]:
        return ["area_team"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: AreaTeamScheme, form: Any, change: bool) -> None:
        saved = services.area_team_scheme_set(
            area_team=obj.area_team, scheme=obj.scheme, by=actor(request), reason=ADMIN_REASON
        )
        obj.pk = saved.pk
        obj._state.adding = False
