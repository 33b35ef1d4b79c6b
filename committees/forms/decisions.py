"""Forms for decisions: exclusions, the resolution, the votes and the chair's action."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.boundfield import BoundField
from django.utils import timezone

from cocomm.forms import reason_field
from cocomm.models import CCG, Person
from committees.choices import ExclusionScope, VoteChoice
from committees.forms._common import CommitteeForm, PersonChoiceField, _functions_field, _queryset
from committees.models import AgendaItem, Committee


class ExclusionForm(CommitteeForm):
    person = PersonChoiceField(
        label="Member",
        queryset=Person.objects.none(),
        empty_label="Choose a member",
        error_messages={"required": "Select the member who declared an interest"},
    )
    scope = forms.ChoiceField(
        label="The chair's ruling",
        choices=ExclusionScope.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether they leave or stay without voting"},
    )
    reason = forms.CharField(
        label="The interest declared",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the minutes and the history with your name.",
        error_messages={"required": "Describe the interest declared"},
    )

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "person", people)


class DecisionProposeForm(CommitteeForm):
    resolution = forms.CharField(
        label="Resolution",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the committee is asked to resolve, such as: approve the list closure for 6 months.",
        error_messages={"required": "Enter the resolution put to the committee"},
    )
    reason = reason_field()


class VoteForm(CommitteeForm):
    """One row per voter the user may record: for, against or abstain."""

    def __init__(self, *args: Any, voters: list[Person], current: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.voters = voters
        for person in voters:
            self.fields[self.voter_field(person.pk)] = forms.ChoiceField(
                label=f"{person}'s vote",
                choices=VoteChoice.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=current.get(person.pk),
            )

    @staticmethod
    def voter_field(person_id: int) -> str:
        return f"vote_{person_id}"

    def rows(self) -> list[tuple[Person, BoundField]]:
        return [(p, self[self.voter_field(p.pk)]) for p in self.voters]

    def chosen(self) -> list[tuple[Person, str]]:
        return [
            (p, self.cleaned_data[self.voter_field(p.pk)])
            for p in self.voters
            if self.cleaned_data.get(self.voter_field(p.pk))
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any(cleaned.get(self.voter_field(p.pk)) for p in self.voters):
            raise ValidationError("Choose for, against or abstain for at least one member")
        return cleaned


class VirtualDecisionForm(CommitteeForm):
    ccg = forms.ModelChoiceField(
        label="CCG",
        queryset=CCG.objects.none(),
        empty_label="Choose a CCG",
        error_messages={"required": "Select the CCG"},
    )
    function = _functions_field()
    resolution = forms.CharField(
        label="Decision",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the decision you are taking"},
    )
    urgency_reason = forms.CharField(
        label="Why it cannot wait for the next meeting",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The next meeting is asked to ratify it, and sees this reason.",
        error_messages={"required": "Say why the decision cannot wait for the next meeting"},
    )

    has_interest = forms.ChoiceField(
        label="Do you have an interest in this decision?",
        choices=[("no", "No, I have no interest in it"), ("yes", "Yes, I have an interest to declare")],
        widget=forms.RadioSelect,
        help_text="Any interest of yours in a practice or organisation it concerns, or in GP contracts in "
        "the CCG. Your declaration is kept with the decision and shown when it is ratified.",
        error_messages={"required": "Say whether you have an interest in this decision"},
    )
    interest_details = forms.CharField(
        label="Your interest (if you have one)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Such as: partner at the practice concerned. A decision touching an interest on the "
        "register with no agreed mitigation cannot be taken by chair's action.",
    )

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "ccg", committee.ccgs.order_by("name"))
        _queryset(self, "function", committee.functions.order_by("number"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        details = (cleaned.get("interest_details") or "").strip()
        if cleaned.get("has_interest") == "yes" and not details:
            self.add_error("interest_details", "Describe your interest in this decision")
        cleaned["chair_declaration"] = (
            f"Interest declared: {details}"
            if cleaned.get("has_interest") == "yes"
            else "No interest declared."
        )
        return cleaned


class SupersedeItemField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AgendaItem) -> str:
        when = timezone.localtime(obj.meeting.starts_at)
        return f"{obj.meeting.title}, {when:%-d %B %Y}: item {obj.number}, {obj.title}"


class DecisionSupersedeForm(CommitteeForm):
    """The chair's new resolution on a later item, which replaces an approved decision once approved."""

    item = SupersedeItemField(
        label="The agenda item that will carry the new decision",
        queryset=AgendaItem.objects.none(),
        widget=forms.RadioSelect,
        help_text="Items for decision for the same CCG and function at this committee's meetings, "
        "with no decision yet; the latest meetings first.",
        error_messages={"required": "Select the agenda item that will carry the new decision"},
    )
    resolution = forms.CharField(
        label="The new resolution",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the committee is asked to resolve instead.",
        error_messages={"required": "Enter the new resolution"},
    )
    reason = forms.CharField(
        label="Why the decision is being superseded",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the history of the new decision with your name.",
        error_messages={"required": "Enter why the decision is being superseded"},
    )

    def __init__(self, *args: Any, items: QuerySet[AgendaItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "item", items)
