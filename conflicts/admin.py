"""Conflicts of interest in the admin site, for system administrators.

Almost everything is read-only here: declarations, offers, campaigns, rulings and the procurement
register have their own services, which check the policy (28 days, gift limits, rulings into
exclusions, e-mailed invitations, who keeps the register) that a direct save would skip. A
breach's lifecycle (investigation, closure, the report to NHS England) moves only on its page,
through its services; here an administrator may amend the Guardian's view and the actions, and
the history names them.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from cocomm.admin import AuditedAdmin, ReadOnlyAdmin
from conflicts.models import (
    Award,
    Breach,
    Campaign,
    CampaignRecipient,
    ConflictSettings,
    Declaration,
    GiftOrHospitality,
    ItemChair,
    ItemDeclaration,
    ProcurementRecord,
    Referral,
)


@admin.register(Declaration)
class DeclarationAdmin(ReadOnlyAdmin):
    list_display = ["person", "ccg", "interest_type", "nil_return", "declared_on", "interest_to", "on_behalf"]
    list_filter = ["ccg", "interest_type", "nil_return", "consent_to_publish"]
    search_fields = ["person__full_name", "description", "organisation_name"]
    list_select_related = ["person", "ccg"]


@admin.register(ConflictSettings)
class ConflictSettingsAdmin(ReadOnlyAdmin):
    list_display = [
        "ccg",
        "supplier_gift_limit",
        "other_gift_limit",
        "hospitality_declare_from",
        "hospitality_approval_over",
    ]


@admin.register(GiftOrHospitality)
class GiftOrHospitalityAdmin(ReadOnlyAdmin):
    list_display = ["offered_on", "person", "ccg", "kind", "value", "offeror", "accepted"]
    list_filter = ["ccg", "kind", "accepted", "from_supplier"]
    search_fields = ["person__full_name", "offeror", "description"]
    list_select_related = ["person", "ccg"]


@admin.register(Breach)
class BreachAdmin(AuditedAdmin):
    list_display = ["occurred_on", "ccg", "reported_by", "status"]
    list_filter = ["ccg", "status", "nhse_report"]
    # The lifecycle moves only through its services (the breach's page), which check each step.
    readonly_fields = [
        "ccg",
        "occurred_on",
        "what_happened",
        "reported_by",
        "status",
        "investigated_by",
        "investigated_on",
        "findings",
        "nhse_report",
        "reported_to_nhse_on",
        "outcome",
        "lessons_learned",
        "closed_on",
    ]

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        # Breaches are recorded on the CCG's registers page, through the service.
        return False


class RecipientInline(admin.TabularInline):
    model = CampaignRecipient
    fields = ["person", "invited_at", "reminded_days_before"]
    readonly_fields = ["person", "invited_at", "reminded_days_before"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["title", "ccg", "opened_on", "deadline", "closed"]
    list_filter = ["ccg", "closed"]
    inlines = [RecipientInline]


@admin.register(ItemDeclaration)
class ItemDeclarationAdmin(ReadOnlyAdmin):
    list_display = ["item", "person", "ruling", "papers_withheld"]
    list_filter = ["ruling"]
    list_select_related = ["item", "person"]


@admin.register(ItemChair)
class ItemChairAdmin(ReadOnlyAdmin):
    list_display = ["item", "person", "named_by"]
    list_select_related = ["item", "person", "named_by"]


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ["item", "route", "to_committee", "guardian_consulted"]
    list_filter = ["route"]


@admin.register(ProcurementRecord)
class ProcurementRecordAdmin(ReadOnlyAdmin):
    list_display = ["service", "decision", "supplier", "value"]
    search_fields = ["service", "supplier"]


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    # Awards are recorded from the register entry, through the service, by the CCG's officers.
    list_display = ["record", "practice", "organisation", "value", "route", "starts_on", "ends_on"]
    list_filter = ["route"]
    search_fields = ["record__service", "practice__name", "organisation__name"]
    list_select_related = ["record", "practice", "organisation"]
