"""The form for changing one cell of the decision-rights matrix. It validates; the service writes."""

from __future__ import annotations

from typing import Any

from django import forms

from cocomm.forms import NHSForm, reason_field
from functions.choices import Right
from functions.models import DecisionRight


class DecisionRightForm(NHSForm):
    right = forms.ChoiceField(
        label="Right at this level",
        choices=Right.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the right", "invalid_choice": "Select one of the rights listed"},
    )
    nhse_veto = forms.BooleanField(
        label="NHS England may veto the decision",
        required=False,
        help_text="Only matters where the CCG takes part in deciding (joint or delegated).",
    )
    reasoning = forms.CharField(
        label="Reasoning",
        required=False,
        max_length=4000,
        help_text="Why this is the right at this level, with its source.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    reason = reason_field()

    def __init__(self, *args: Any, decision_right: DecisionRight, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "right": decision_right.right,
                "nhse_veto": decision_right.nhse_veto,
                "reasoning": decision_right.reasoning,
            },
        )
        super().__init__(*args, **kwargs)
