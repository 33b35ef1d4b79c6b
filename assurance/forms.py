"""Forms of the assurance pages; they only validate, the services write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from assurance import rules
from assurance.models import ReviewOutcome
from cocomm.forms import DateInputField, NHSForm


class PackRequestForm(NHSForm):
    period_start = DateInputField(label="Period starts on", help_text="For example, 1 4 2016")
    period_end = DateInputField(
        label="Period ends on", help_text="A quarter or a year, for example 31 3 2017"
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start: dt.date | None = cleaned.get("period_start")
        end: dt.date | None = cleaned.get("period_end")
        if start and end and not rules.period_is_valid(start, end):
            self.add_error("period_end", "The period must end on or after its start, and be a year at most")
        return cleaned


class ReviewForm(NHSForm):
    outcome = forms.ChoiceField(
        label="Level of assurance",
        choices=ReviewOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the level of assurance"},
    )
    comments = forms.CharField(
        label="Comments",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Enter your comments"},
    )
    actions = forms.CharField(
        label="Actions for the CCG (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )


class ResponseForm(NHSForm):
    response = forms.CharField(
        label="The CCG's response",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Enter the CCG's response"},
    )
