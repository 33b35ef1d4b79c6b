"""What the conflicts forms share: the date hint, yes-or-no questions, the person choice, text areas."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from cocomm.models import Person

DATE_HINT = "For example, 15 3 2016."


YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes(value: str) -> bool:
    return value == "yes"


def yes_no_field(
    label: str, *, required_message: str, choices: list[tuple[str, str]] = YES_NO, **kwargs: Any
) -> forms.TypedChoiceField:
    """A question answered yes or no with radios (a lone checkbox is easy to miss)."""
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=_yes,
        widget=forms.RadioSelect,
        error_messages={"required": required_message},
        **kwargs,
    )


def _queryset(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj} ({obj.job_title})" if obj.job_title else str(obj)


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})
