"""The breach form: a breach of the conflicts of interest policy."""

from __future__ import annotations

from django import forms

from cocomm.forms import DateInputField, NHSForm
from conflicts.forms._common import DATE_HINT, _textarea


class BreachForm(NHSForm):
    occurred_on = DateInputField(
        label="When it happened",
        help_text=DATE_HINT,
        error_messages={
            "required": "Enter the date it happened",
            "incomplete": "The date must include a day, a month and a year",
            "invalid": "Enter a real date, such as 15 3 2016",
        },
    )
    what_happened = forms.CharField(
        label="What happened",
        max_length=4000,
        widget=_textarea(4),
        error_messages={"required": "Describe what happened"},
    )
    reported_by = forms.CharField(
        label="Who reported it", max_length=200, error_messages={"required": "Enter who reported it"}
    )
    guardian_view = forms.CharField(
        label="The Conflicts of Interest Guardian's view (optional)",
        required=False,
        max_length=4000,
        widget=_textarea(),
    )
    actions = forms.CharField(
        label="Actions taken (optional)", required=False, max_length=4000, widget=_textarea()
    )
