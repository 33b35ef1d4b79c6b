"""What the committee forms share: the base form, the date hint and the choice fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from cocomm.forms import NHSForm
from cocomm.models import Person, Practice
from committees.models import Committee, Meeting
from functions.selectors import functions_all

DATE_HINT = "For example, 15 6 2016."


class CommitteeForm(NHSForm):
    """The committees' forms: NHS.UK rendering from the core."""


def _queryset(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class CommitteeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Committee) -> str:
        return obj.name


class PracticeMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Practice) -> str:
        return f"{obj.name} ({obj.ods_code}), {obj.ccg.name}"


def _functions_field(*, required: bool = True) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label="Function",
        help_text="" if required else "Needed for an item for decision.",
        queryset=functions_all(),
        required=required,
        empty_label="Choose a function",
        error_messages={"required": "Select the function it falls under"},
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj}, {obj.job_title}" if obj.job_title else str(obj)


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Meeting) -> str:
        return f"{obj.title}, {timezone.localtime(obj.starts_at):%-d %B %Y at %H:%M}"
