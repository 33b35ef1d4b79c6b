"""Admin for CCGs' levels: shown with history; levels are recorded on the CCG's page."""

from __future__ import annotations

from django.contrib import admin

from cocomm.admin import ReadOnlyAdmin
from delegation.models import LevelAssignment


@admin.register(LevelAssignment)
class LevelAssignmentAdmin(ReadOnlyAdmin):
    # Recording a level checks it against the CCG's scheme and refuses duplicate dates, so it
    # is done through "Record a level" on the CCG's page, which calls the service.
    list_display = ["ccg", "level", "effective_from", "note"]
    list_filter = ["level__scheme", "level"]
    search_fields = ["ccg__name", "ccg__ods_code"]
