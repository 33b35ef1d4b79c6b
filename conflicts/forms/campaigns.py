"""The campaign form: a declaration campaign's title and deadline."""

from __future__ import annotations

from django import forms

from cocomm.forms import DateInputField, NHSForm
from conflicts.forms._common import DATE_HINT


class CampaignForm(NHSForm):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Annual declarations 2016/17.",
        error_messages={"required": "Enter a title"},
    )
    deadline = DateInputField(
        label="Deadline",
        help_text=f"Reminders go a week before and on the day. {DATE_HINT}",
        error_messages={
            "required": "Enter the deadline",
            "incomplete": "The date must include a day, a month and a year",
            "invalid": "Enter a real date, such as 30 4 2016",
        },
    )
