"""The Django admin site, for system administrators (only their role makes a user staff).

Every save records the administrator and a fixed reason in the history. Records are never
deleted here: governance history must keep what existed. Roles and logins are shown read-only,
because their permissions are derived by the role services, which a direct save would bypass.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from cocomm import services
from cocomm.forms import AdminLoginForm
from cocomm.models import CCG, AreaTeam, Locality, Organisation, Person, Practice, Role, User

ADMIN_REASON = "Changed in the admin site"

# The admin's own log-in page refuses over-long user names as the main one does.
admin.site.login_form = AdminLoginForm


def actor(request: HttpRequest) -> User:
    """The administrator making a change (the admin site admits only logged-in staff)."""
    assert isinstance(request.user, User)
    return request.user


class AuditedAdmin(SimpleHistoryAdmin):
    """Saves name the administrator and a reason on the history row; nothing is deleted."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj._history_user = actor(request)
        obj._change_reason = ADMIN_REASON
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


class ReadOnlyAdmin(AuditedAdmin):
    """Shown, with history, but changed only through the services."""

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


@admin.register(AreaTeam)
class AreaTeamAdmin(AuditedAdmin):
    list_display = ["ods_code", "name"]
    search_fields = ["ods_code", "name"]


@admin.register(CCG)
class CCGAdmin(AuditedAdmin):
    list_display = ["ods_code", "name", "area_team", "weighted_population"]
    list_filter = ["area_team"]
    search_fields = ["ods_code", "name"]

    def get_readonly_fields(self, request: HttpRequest, obj: CCG | None = None) -> list[str]:
        # Moving a CCG between area teams changes who may see it; that is the service's job.
        return ["ods_code", "area_team"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: CCG, form: Any, change: bool) -> None:
        # Through the services, so a new CCG's role groups get their permissions on it.
        if change:
            services.ccg_update(
                ccg=obj,
                name=obj.name,
                weighted_population=obj.weighted_population,
                by=actor(request),
                reason=ADMIN_REASON,
            )
        else:
            created = services.ccg_create(
                ods_code=obj.ods_code,
                name=obj.name,
                area_team=obj.area_team,
                weighted_population=obj.weighted_population,
                by=actor(request),
                reason=ADMIN_REASON,
            )
            obj.pk = created.pk
            obj._state.adding = False


@admin.register(Locality)
class LocalityAdmin(AuditedAdmin):
    list_display = ["name", "ccg"]
    list_filter = ["ccg"]


class PracticeAdminForm(forms.ModelForm):
    class Meta:
        model = Practice
        fields = ["ods_code", "name", "ccg", "locality", "contract_type", "list_size"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        locality, ccg = cleaned.get("locality"), cleaned.get("ccg")
        if locality is not None and ccg is not None and locality.ccg_id != ccg.pk:
            self.add_error("locality", f"{locality.name} is not a locality of {ccg.name}.")
        return cleaned


@admin.register(Practice)
class PracticeAdmin(AuditedAdmin):
    form = PracticeAdminForm
    list_display = ["ods_code", "name", "ccg", "contract_type", "list_size"]
    list_filter = ["contract_type", "ccg"]
    search_fields = ["ods_code", "name"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "kind", "ods_code"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = ["full_name", "job_title", "email", "user"]
    search_fields = ["full_name", "email"]


@admin.register(Role)
class RoleAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "ccg", "area_team", "starts_on", "ends_on", "status"]
    list_filter = ["kind", "status"]


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "email"]
    exclude = ["password"]
