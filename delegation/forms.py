"""Forms for a CCG's levels and the "Who decides?" question. They validate; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from cocomm.forms import DateInputField, NHSForm, reason_field
from functions.models import Level
from functions.selectors import functions_all

DATE_HINT = "For example, 1 6 2016 for 1 June 2016."


class LevelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Level) -> str:
        return f"Level {obj.number}: {obj.name}"


class WhoDecidesForm(NHSForm):
    """Which function, on which date: answered from the level in force that day."""

    function = forms.ModelChoiceField(
        label="Function",
        queryset=functions_all(),
        to_field_name="number",
        empty_label="Choose a function",
        error_messages={
            "required": "Select a function",
            "invalid_choice": "Select one of the 14 functions",
        },
    )
    on = DateInputField(
        label="Date",
        initial=timezone.localdate,
        help_text=DATE_HINT,
        error_messages={
            "required": "Enter the date to ask about",
            "incomplete": "The date must include a day, a month and a year",
            "invalid": "Enter a real date, such as 1 6 2016",
        },
    )


class LevelRecordForm(NHSForm):
    level = LevelChoiceField(
        label="Level",
        queryset=Level.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select the level",
            "invalid_choice": "Select one of the levels of the CCG's scheme",
        },
    )
    effective_from = DateInputField(
        label="Effective from",
        help_text="The day the level takes effect, usually 1 April. For example, 1 4 2017.",
        error_messages={
            "required": "Enter the date the level takes effect",
            "incomplete": "The date must include a day, a month and a year",
            "invalid": "Enter a real date, such as 1 4 2017",
        },
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        help_text="The approval behind it, such as NHS England's letter.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = reason_field()

    def __init__(self, *args: Any, levels: QuerySet[Level], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        level_field = self.fields["level"]
        assert isinstance(level_field, forms.ModelChoiceField)
        level_field.queryset = levels
