"""Forms for minutes: the draft and the chair's approval."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from committees.forms._common import CommitteeForm, MeetingChoiceField, _queryset
from committees.models import Meeting


class MinutesForm(CommitteeForm):
    text = forms.CharField(
        label="Draft minutes",
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "true"}),
        help_text="Written from the record; edit as needed before the chair approves them.",
        error_messages={"required": "The minutes cannot be empty"},
    )


class MinutesApproveForm(CommitteeForm):
    at_meeting = MeetingChoiceField(
        label="Approved at",
        queryset=Meeting.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="A later meeting of the same committee.",
        error_messages={"required": "Select the meeting that approved the minutes"},
    )

    def __init__(self, *args: Any, meetings: QuerySet[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "at_meeting", meetings)
