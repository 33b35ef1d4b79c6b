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
        return (
            f"{obj.get_interest_type_display()} interest in {obj.concerns}: {obj.description} "
            f"(declared {obj.declared_on:%-d %B %Y})"
        )


class ChoosePersonForm(NHSForm):
    """First step of recording a ruling: whose declaration it is (their register entries follow)."""

    person = PersonChoiceField(
        label="Who is declaring",
        queryset=Person.objects.none(),
        empty_label="Choose a member or attendee",
        error_messages={
            "required": "Select who is declaring an interest",
            "invalid_choice": "Select one of the members or attendees listed",
        },
    )

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "person", people)


class ItemChairForm(NHSForm):
    person = PersonChoiceField(
        label="Who chairs this item",
        queryset=Person.objects.none(),
        empty_label="Choose a voting member without a conflict",
        help_text="A voting member present and not flagged on the item. They rule on the declarations.",
        error_messages={
            "required": "Select the member who chairs this item",
            "invalid_choice": "Select one of the members listed",
        },
    )
    reason = forms.CharField(label="Note for the minutes (optional)", required=False, max_length=2000)

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "person", people)


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
    ruling_reason = forms.CharField(
        label="Reason for the ruling",
        required=False,
        max_length=4000,
        widget=_textarea(2),
        help_text="Needed when they may take part: say why the interest does not stop them.",
    )
    papers_withheld = forms.BooleanField(label="Papers for the item were withheld from them", required=False)
    interest = InterestChoiceField(
        label="The entry on the register of interests (optional)",
        queryset=Declaration.objects.none(),
        required=False,
        empty_label="None, or not yet on the register",
        error_messages={"invalid_choice": "Select one of their register entries listed"},
    )

    def __init__(
        self,
        *args: Any,
        people: QuerySet[Person],
        interests: QuerySet[Declaration],
        fixed_person: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "person", people)
        _queryset(self, "interest", interests)
        if fixed_person:
            # The person was chosen first, so the register entries listed are theirs alone.
            self.fields["person"].widget = forms.HiddenInput()
        self.order_fields(["person", "interest", "statement", "ruling", "ruling_reason", "papers_withheld"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("ruling") == Ruling.NOTED and not (cleaned.get("ruling_reason") or "").strip():
            self.add_error("ruling_reason", "Say why they may take part despite the interest")
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
