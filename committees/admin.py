"""Admin for committees: shown with history. Records that carry a vote, a seat, an approval or a
frozen record are read-only here; they change only through the services, which check the rules."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from cocomm.admin import AuditedAdmin, ReadOnlyAdmin
from committees.models import (
    Action,
    AgendaItem,
    Attendance,
    Committee,
    Decision,
    DecisionVoter,
    Erratum,
    Exclusion,
    Matter,
    Meeting,
    Membership,
    Minutes,
    Paper,
    TermsOfReference,
    Vote,
    minutes_freeze,
)


@admin.register(Committee)
class CommitteeAdmin(AuditedAdmin):
    list_display = ["name", "short_name", "kind", "reports_to"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    filter_horizontal = ["ccgs", "functions"]


@admin.register(TermsOfReference)
class TermsOfReferenceAdmin(ReadOnlyAdmin):
    # Approval supersedes the version in force; only the service does both together.
    list_display = [
        "committee",
        "version",
        "status",
        "approved_by",
        "approved_on",
        "superseded_on",
        "review_on",
    ]
    list_filter = ["status", "composition_rule"]
    search_fields = ["committee__name", "version"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    # A seat grants permissions on the committee; the membership services grant and remove them.
    list_display = ["person", "committee", "category", "voting", "office", "starts_on", "ends_on", "status"]
    list_filter = ["status", "category", "office", "voting"]
    search_fields = ["person__full_name", "committee__name"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "starts_at", "place"]
    date_hierarchy = "starts_at"
    search_fields = ["title"]


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyAdmin):
    # An item for decision must be one its committee may decide; agenda_item_add checks it.
    list_display = ["meeting", "number", "title", "purpose", "session", "committee"]
    list_filter = ["purpose", "session"]
    search_fields = ["title", "reference"]


@admin.register(Paper)
class PaperAdmin(ReadOnlyAdmin):
    list_display = ["title", "item"]
    search_fields = ["title"]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "person", "status", "note"]
    list_filter = ["status"]


@admin.register(Exclusion)
class ExclusionAdmin(ReadOnlyAdmin):
    list_display = ["item", "person", "scope"]
    list_filter = ["scope"]


@admin.register(Matter)
class MatterAdmin(AuditedAdmin):
    list_display = ["title", "ccg", "function", "kind", "raised_on"]
    list_filter = ["kind", "function"]
    search_fields = ["title", "ccg__name"]
    filter_horizontal = ["practices", "organisations"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    # The vote, the chair's approval and supersession are the services' alone; an approved
    # decision never changes.
    list_display = ["committee", "ccg", "function", "decided_on", "status", "outcome", "virtual"]
    list_filter = ["status", "outcome", "virtual"]
    search_fields = ["resolution", "committee__name", "ccg__name"]


@admin.register(DecisionVoter)
class DecisionVoterAdmin(ReadOnlyAdmin):
    list_display = ["decision", "person", "category", "eligible", "reason"]
    list_filter = ["eligible"]


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ["decision", "person", "choice", "recorded_by"]
    list_filter = ["choice"]


@admin.register(Minutes)
class MinutesAdmin(ReadOnlyAdmin):
    # Approved minutes are frozen, and so is the record of their meeting.
    list_display = ["meeting", "status", "approved_at_meeting", "approved_by"]
    list_filter = ["status"]


@admin.register(Action)
class ActionAdmin(AuditedAdmin):
    list_display = ["description", "meeting", "owner", "due_on", "status"]
    list_filter = ["status"]
    search_fields = ["description"]

    def has_change_permission(self, request: HttpRequest, obj: Action | None = None) -> bool:
        # An action agreed at a meeting whose minutes are approved is part of that frozen record; it is
        # marked done on the meeting's page, through the service, with the reason.
        if obj is not None and minutes_freeze(obj.meeting_id):
            return False
        return super().has_change_permission(request, obj)


@admin.register(Erratum)
class ErratumAdmin(ReadOnlyAdmin):
    # Recorded at a later meeting through the service, which checks the meeting; never changed after.
    list_display = ["minutes", "item", "recorded_by", "recorded_at"]
    search_fields = ["correction", "reason"]
