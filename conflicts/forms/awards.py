"""The award form: the contract that follows an approved procurement decision."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from cocomm.forms import DateInputField, NHSForm, reason_field
from cocomm.models import Organisation, Practice
from conflicts.forms._common import DATE_HINT
from conflicts.models import Award, ProcurementRoute

DATE_ERRORS = {
    "incomplete": "The date must include a day, a month and a year",
    "invalid": "Enter a real date, such as 1 4 2017",
}


class AwardForm(NHSForm):
    supplier = forms.ChoiceField(
        label="Supplier",
        help_text="The practices of the CCG and the organisations that work with it or that the matter "
        "names. Search below the form for any other organisation or practice.",
        error_messages={
            "required": "Select the supplier the contract was awarded to",
            "invalid_choice": "Select a supplier from the list",
        },
    )
    value = forms.DecimalField(
        label="Contract value in pounds",
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        help_text="The total value over the contract's term. For example, 1450000.00",
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "spellcheck": "false", "class": "nhsuk-input--width-10"}
        ),
        error_messages={
            "required": "Enter the contract's value",
            "invalid": "Enter the value as a number of pounds, such as 1450000.00",
            "min_value": "The value must be 0 or more",
            "max_digits": "Enter a value of less than £1,000,000,000,000",
            "max_decimal_places": "Enter the value in pounds and pence, such as 1450000.00",
        },
    )
    route = forms.ChoiceField(
        label="How the contract was awarded (Provider Selection Regime process)",
        choices=ProcurementRoute.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the contract was awarded"},
    )
    starts_on = DateInputField(
        label="Contract start",
        help_text=DATE_HINT,
        error_messages={"required": "Enter the date the contract starts", **DATE_ERRORS},
    )
    ends_on = DateInputField(
        label="Contract end",
        help_text=DATE_HINT,
        error_messages={"required": "Enter the date the contract ends", **DATE_ERRORS},
    )

    def __init__(
        self,
        *args: Any,
        practices: list[Practice],
        organisations: list[Organisation],
        award: Award | None = None,
        **kwargs: Any,
    ) -> None:
        if award is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "supplier": supplier_key(award.supplier),
                "value": award.value,
                "route": award.route,
                "starts_on": award.starts_on,
                "ends_on": award.ends_on,
            }
        super().__init__(*args, **kwargs)
        self._suppliers: dict[str, Practice | Organisation] = {
            **{supplier_key(p): p for p in practices},
            **{supplier_key(o): o for o in organisations},
        }
        groups: list[tuple[str, Any]] = [("", "Choose the supplier")]
        if practices:
            groups.append(("Practices", [(supplier_key(p), str(p)) for p in practices]))
        if organisations:
            groups.append(("Organisations", [(supplier_key(o), str(o)) for o in organisations]))
        field = self.fields["supplier"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = groups
        if award is not None:
            # Correcting a recorded award: the history keeps why.
            self.fields["reason"] = reason_field()

    def clean_supplier(self) -> Practice | Organisation:
        return self._suppliers[self.cleaned_data["supplier"]]


def supplier_key(supplier: Practice | Organisation) -> str:
    return f"{'practice' if isinstance(supplier, Practice) else 'organisation'}-{supplier.pk}"
