"""Gifts and hospitality forms: an offer, and the CCG's limits."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from cocomm.forms import DateInputField, NHSForm, reason_field
from cocomm.models import Person
from conflicts.forms._common import DATE_HINT, PersonChoiceField, _queryset, _textarea, yes_no_field
from conflicts.models import OfferKind


class OfferForm(NHSForm):
    person = PersonChoiceField(
        label="Who was offered it",
        queryset=Person.objects.none(),
        empty_label="Choose a person",
        error_messages={"required": "Select who was offered it"},
    )
    position = forms.CharField(label="Their position (optional)", required=False, max_length=200)
    kind = forms.ChoiceField(
        label="Gift or hospitality",
        choices=OfferKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether it is a gift or hospitality"},
    )
    description = forms.CharField(
        label="What was offered",
        max_length=2000,
        widget=_textarea(2),
        error_messages={"required": "Describe what was offered"},
    )
    value = forms.DecimalField(
        label="Value in pounds",
        min_value=Decimal("0"),
        max_digits=10,
        decimal_places=2,
        help_text="An estimate will do. For example, 45.00",
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "spellcheck": "false", "class": "nhsuk-input--width-10"}
        ),
        error_messages={
            "required": "Enter the value",
            "invalid": "Enter the value as a number of pounds, such as 45.00",
            "min_value": "The value must be 0 or more",
        },
    )
    offeror = forms.CharField(
        label="Who offered it",
        max_length=200,
        help_text="And the nature of their business.",
        error_messages={"required": "Enter who offered it"},
    )
    from_supplier = yes_no_field(
        "Is the offeror a supplier or contractor, or might they become one?",
        required_message="Select whether the offeror is a supplier or contractor",
    )
    offered_on = DateInputField(
        label="Offered on",
        help_text=DATE_HINT,
        error_messages={
            "required": "Enter the date it was offered",
            "incomplete": "The date must include a day, a month and a year",
            "invalid": "Enter a real date, such as 15 3 2016",
        },
    )
    accepted = yes_no_field(
        "Was it accepted or declined?",
        required_message="Select whether it was accepted or declined",
        choices=[("yes", "Accepted"), ("no", "Declined")],
    )
    reason = forms.CharField(
        label="Reason for accepting or declining (optional)",
        required=False,
        max_length=2000,
        widget=_textarea(2),
        help_text="Left empty, the register records what the CCG's policy says about the offer.",
    )
    senior_approver = PersonChoiceField(
        label="Senior manager who approved it (for hospitality over the approval limit)",
        queryset=Person.objects.none(),
        required=False,
        empty_label="Nobody",
    )

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "person", people)
        _queryset(self, "senior_approver", people)


def _money(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal("0"),
        max_digits=8,
        decimal_places=2,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "spellcheck": "false", "class": "nhsuk-input--width-10"}
        ),
        error_messages={
            "required": "Enter an amount in pounds",
            "invalid": "Enter an amount in pounds, such as 50.00",
            "min_value": "The amount must be 0 or more",
        },
    )


class ThresholdsForm(NHSForm):
    supplier_gift_limit = _money("Gifts from suppliers or contractors are declined over (£)")
    other_gift_limit = _money("Other gifts are declared over (£)")
    hospitality_declare_from = _money("Hospitality is declared from (£)")
    hospitality_approval_over = _money("Hospitality needs a senior manager's approval over (£)")
    reason = reason_field()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        low, high = cleaned.get("hospitality_declare_from"), cleaned.get("hospitality_approval_over")
        if low is not None and high is not None and high < low:
            self.add_error(
                "hospitality_approval_over", "The approval limit cannot be below the amount declared from"
            )
        return cleaned
