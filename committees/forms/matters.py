"""Forms for matters: raising one and putting it on an agenda."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from cocomm.forms import reason_field
from cocomm.models import CCG, Practice
from committees.choices import MatterKind, Session
from committees.forms._common import (
    CommitteeForm,
    MeetingChoiceField,
    PracticeMultipleChoiceField,
    _functions_field,
    _queryset,
)
from committees.models import Meeting


class MatterForm(CommitteeForm):
    ccg = forms.ModelChoiceField(
        label="CCG",
        queryset=CCG.objects.none(),
        empty_label="Choose a CCG",
        error_messages={"required": "Select the CCG"},
    )
    function = _functions_field()
    kind = forms.ChoiceField(
        label="Kind of matter",
        choices=MatterKind.choices,
        error_messages={"required": "Select the kind of matter"},
    )
    title = forms.CharField(
        label="Title",
        max_length=300,
        help_text="Such as: Castle Hill Surgery applies to close its list.",
        error_messages={"required": "Enter a title"},
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    practices = PracticeMultipleChoiceField(
        label="Practices concerned (optional)",
        queryset=Practice.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = reason_field()

    def __init__(self, *args: Any, ccgs: QuerySet[CCG], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "ccg", ccgs.order_by("name"))
        _queryset(
            self,
            "practices",
            Practice.objects.filter(ccg__in=ccgs).select_related("ccg").order_by("ccg__name", "name"),
        )


class MatterScheduleForm(CommitteeForm):
    meeting = MeetingChoiceField(
        label="Meeting",
        queryset=Meeting.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the meeting to take it"},
    )
    session = forms.ChoiceField(
        label="Session", choices=Session.choices, widget=forms.RadioSelect, initial=Session.PUBLIC
    )
    reason = reason_field()

    def __init__(self, *args: Any, meetings: QuerySet[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "meeting", meetings)
