"""Forms for committees: setting one up, its terms of reference and its members' seats."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.boundfield import BoundField
from django.utils import timezone

from cocomm.forms import DateInputField, reason_field
from cocomm.models import CCG, AreaTeam, Person
from committees.choices import CastingVote, CommitteeKind, CompositionRule, MemberCategory, Office
from committees.forms._common import (
    DATE_HINT,
    CommitteeChoiceField,
    CommitteeForm,
    PersonChoiceField,
    _queryset,
)
from committees.models import Committee
from functions.models import Function
from functions.selectors import functions_all


class CCGMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: CCG) -> str:
        return f"{obj.name} ({obj.ods_code})"


# Committees and terms of reference ------------------------------------------------------------------


class CommitteeCreateForm(CommitteeForm):
    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="Such as NHS Blackpool CCG Primary Care Commissioning Committee.",
        error_messages={"required": "Enter the committee's name"},
    )
    short_name = forms.CharField(
        label="Short name (optional)", max_length=30, required=False, help_text="Such as PCCC or CCFC."
    )
    kind = forms.ChoiceField(
        label="Kind of committee",
        choices=CommitteeKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of committee"},
    )
    ccgs = CCGMultipleChoiceField(
        label="CCGs it serves",
        queryset=CCG.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Only the CCGs you are governance officer of are listed.",
        error_messages={"required": "Select at least one CCG"},
    )
    area_team = forms.ModelChoiceField(
        label="NHS England area team (optional)",
        queryset=AreaTeam.objects.none(),
        required=False,
        empty_label="None",
        help_text="For a joint committee or a co-commissioning group with NHS England.",
    )
    reports_to = CommitteeChoiceField(
        label="Reports to (optional)",
        queryset=Committee.objects.none(),
        required=False,
        empty_label="Nobody (a governing body)",
    )
    functions = forms.ModelMultipleChoiceField(
        label="Functions it may decide",
        queryset=Function.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="It decides a function only when the CCG's level also sends the function to it.",
    )
    reason = reason_field()

    def __init__(
        self, *args: Any, ccgs: QuerySet[CCG], committees: QuerySet[Committee], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "ccgs", ccgs.order_by("name"))
        _queryset(self, "area_team", AreaTeam.objects.filter(ccgs__in=ccgs).distinct().order_by("name"))
        _queryset(self, "reports_to", committees.order_by("name"))
        _queryset(self, "functions", functions_all())


class TermsDraftForm(CommitteeForm):
    """A version of the terms of reference; the quorum is one number box per member category."""

    version = forms.CharField(
        label="Version",
        max_length=20,
        help_text="Such as v2. Each version of a committee's terms has its own name.",
        error_messages={"required": "Enter the version, such as v2"},
    )
    composition_rule = forms.ChoiceField(
        label="Composition rule",
        choices=CompositionRule.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the composition rule"},
    )
    quorum_minimum = forms.IntegerField(
        label="Quorum: voting members present",
        min_value=1,
        max_value=99,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-2"}),
        help_text="How many voting members, present and not excluded, make the quorum.",
        error_messages={
            "required": "Enter how many voting members make the quorum",
            "invalid": "Enter a whole number, such as 3",
            "min_value": "The quorum is at least 1 voting member",
        },
    )
    casting_vote = forms.ChoiceField(
        label="Casting vote",
        choices=CastingVote.choices,
        widget=forms.RadioSelect,
        help_text="Who breaks a tie. A joint committee's is usually NHS England's.",
        error_messages={"required": "Select who holds the casting vote"},
    )
    meets_in_public = forms.BooleanField(label="Meets in public", required=False)
    allows_virtual_decisions = forms.BooleanField(
        label="Allows decisions between meetings (chair's action)",
        required=False,
        help_text="Urgent decisions the chair takes are ratified at the next meeting.",
    )
    review_on = DateInputField(label="Review date (optional)", required=False, help_text=DATE_HINT)
    reason = reason_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # One box per category, after the minimum: "3 members including 1 lay and 1 GP".
        for category in MemberCategory:
            self.fields[self.category_field(category)] = forms.IntegerField(
                label=category.label,
                min_value=0,
                max_value=99,
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-2"}),
                error_messages={
                    "invalid": f"Enter a whole number of {category.label.lower()} members, such as 1",
                    "min_value": "Enter 0 or more",
                },
            )

    @staticmethod
    def category_field(category: str) -> str:
        return f"quorum_{category}"

    def category_fields(self) -> list[BoundField]:
        return [self[self.category_field(c)] for c in MemberCategory]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # Only the categories the quorum actually asks for are kept.
        categories = {
            str(c): cleaned[self.category_field(c)]
            for c in MemberCategory
            if cleaned.get(self.category_field(c))
        }
        cleaned["quorum_categories"] = categories
        minimum = cleaned.get("quorum_minimum")
        if minimum is not None and sum(categories.values()) > minimum:
            self.add_error(
                "quorum_minimum",
                f"The quorum must be at least the {sum(categories.values())} members its categories require",
            )
        return cleaned


class TermsApproveForm(CommitteeForm):
    approved_by = forms.CharField(
        label="Approved by",
        max_length=200,
        help_text="The body that approved them, such as the governing body.",
        error_messages={"required": "Enter the body that approved the terms of reference"},
    )
    approved_on = DateInputField(
        label="Approved on",
        help_text=DATE_HINT,
        error_messages={"required": "Enter the date they were approved"},
    )
    reason = reason_field()

    def clean_approved_on(self) -> dt.date:
        approved_on: dt.date = self.cleaned_data["approved_on"]
        if approved_on > timezone.localdate():
            raise ValidationError("The date they were approved cannot be in the future")
        return approved_on


# Membership ---------------------------------------------------------------------------------------


class MembershipAddForm(CommitteeForm):
    person = PersonChoiceField(
        label="Person",
        queryset=Person.objects.none(),
        empty_label="Choose a person",
        error_messages={"required": "Select the person taking the seat"},
    )
    category = forms.ChoiceField(
        label="Member category",
        choices=MemberCategory.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the member category"},
    )
    voting = forms.BooleanField(label="Voting member", required=False, initial=True)
    office = forms.ChoiceField(
        label="Office",
        choices=Office.choices,
        widget=forms.RadioSelect,
        initial=Office.MEMBER,
        error_messages={"required": "Select the office"},
    )
    starts_on = DateInputField(
        label="Sits from", required=False, help_text="Leave empty to start today. " + DATE_HINT
    )
    ends_on = DateInputField(
        label="Until (optional)", required=False, help_text="The first day off the committee, if known."
    )
    reason = reason_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "person", Person.objects.order_by("full_name"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if ends_on and ends_on < (starts_on or timezone.localdate()):
            self.add_error("ends_on", "The end date must be on or after the start date")
        return cleaned


class MembershipEndForm(CommitteeForm):
    ends_on = DateInputField(
        label="Ends on",
        required=False,
        help_text="The first day off the committee. Leave empty to end the seat today.",
    )
    reason = reason_field()
