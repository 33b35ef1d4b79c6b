"""Forms at the meeting: a declaration and the chair's ruling on an item, and a referral."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from cocomm.forms import NHSForm
from cocomm.models import Person
from committees.models import Committee
from conflicts.forms._common import PersonChoiceField, _queryset, _textarea
from conflicts.models import Declaration, ReferralRoute, Ruling


class InterestChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Declaration) -> str:
        return f"{obj.person}: {obj.get_interest_type_display().lower()} interest in {obj.concerns}"


class ItemDeclarationForm(NHSForm):
    person = PersonChoiceField(
        label="Who declared",
        queryset=Person.objects.none(),
        empty_label="Choose a member or attendee",
        error_messages={
            "required": "Select who declared an interest",
            "invalid_choice": "Select one of the members or attendees listed",
        },
    )
    statement = forms.CharField(
        label="What was declared",
        max_length=4000,
        widget=_textarea(),
        help_text="Recorded in the minutes.",
        error_messages={"required": "Record what was declared"},
    )
    ruling = forms.ChoiceField(
        label="The chair's ruling",
        choices=Ruling.choices,
        widget=forms.RadioSelect,
        help_text="Anyone who stays without voting, or leaves, does not count towards the item's quorum.",
        error_messages={"required": "Select the chair's ruling"},
    )
    papers_withheld = forms.BooleanField(label="Papers for the item were withheld from them", required=False)
    interest = InterestChoiceField(
        label="The entry on the register of interests (optional)",
        queryset=Declaration.objects.none(),
        required=False,
        empty_label="None, or not yet on the register",
        error_messages={"invalid_choice": "Select one of the register entries listed"},
    )

    def __init__(
        self, *args: Any, people: QuerySet[Person], interests: QuerySet[Declaration], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "person", people)
        _queryset(self, "interest", interests)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        person, interest = cleaned.get("person"), cleaned.get("interest")
        if person is not None and interest is not None and interest.person_id != person.pk:
            self.add_error("interest", f"That entry is not {person}'s")
        return cleaned


class ReferralForm(NHSForm):
    route = forms.ChoiceField(
        label="Where the item goes",
        choices=ReferralRoute.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the item goes"},
    )
    guardian_consulted = forms.BooleanField(
        label="The Conflicts of Interest Guardian has been consulted", required=False
    )
    to_committee = forms.ModelChoiceField(
        label="The committee it is referred to",
        queryset=Committee.objects.none(),
        required=False,
        empty_label="Choose a committee",
        help_text="Not needed when non-conflicted members are co-opted. The item joins its next meeting.",
        error_messages={"invalid_choice": "Select one of the committees listed"},
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=4000, widget=_textarea(2))

    def __init__(self, *args: Any, committees: QuerySet[Committee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "to_committee", committees)
