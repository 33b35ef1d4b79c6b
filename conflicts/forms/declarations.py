"""Declaration forms: an interest or nil return, the end of an interest, approving its mitigation."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet

from cocomm.forms import DateInputField, NHSForm, reason_field
from cocomm.models import CCG, Organisation, Person, Practice
from conflicts.forms._common import DATE_HINT, PersonChoiceField, _queryset, _textarea, yes_no_field
from conflicts.models import InterestType


class PracticeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Practice) -> str:
        return f"{obj.name} ({obj.ods_code})"


class DeclarationForm(NHSForm):
    """A declaration to a CCG's register of interests, or a nil return.

    Who declares is either the user (choosing among the CCGs whose committees they sit on) or, for a
    governance officer, someone in scope of the CCG (declared on their behalf).
    """

    ccg = forms.ModelChoiceField(
        label="Which CCG's register",
        queryset=CCG.objects.none(),
        empty_label=None,
        help_text="The CCGs whose committees you sit on.",
        error_messages={"required": "Select the CCG", "invalid_choice": "Select one of the CCGs listed"},
    )
    person = PersonChoiceField(
        label="Who is declaring",
        queryset=Person.objects.none(),
        empty_label="Choose a person",
        help_text="Everyone who sits on a committee serving the CCG.",
        error_messages={
            "required": "Select who is declaring",
            "invalid_choice": "Select one of the people listed",
        },
    )
    position = forms.CharField(
        label="Position",
        max_length=200,
        help_text="Your position within, or relationship with, the CCG. For example, GP member of the "
        "primary care commissioning committee.",
        error_messages={"required": "Enter the position"},
    )
    for_nhs_england = forms.BooleanField(
        label="Declared as NHS England's member of a joint committee", required=False
    )
    declaring = forms.ChoiceField(
        label="What are you declaring?",
        choices=[
            ("interest", "An interest"),
            ("nil", "A nil return: there are no interests to declare"),
        ],
        widget=forms.RadioSelect,
        initial="interest",
        error_messages={"required": "Select whether this is an interest or a nil return"},
    )
    interest_type = forms.ChoiceField(
        label="Type of interest",
        choices=InterestType.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="Indirect: a close associate, such as a spouse or business partner, holds one of the "
        "other kinds.",
    )
    description = forms.CharField(
        label="Description of the interest",
        required=False,
        max_length=4000,
        widget=_textarea(),
        help_text="For example, partner at the practice, or director of the federation.",
    )
    relationship = forms.CharField(
        label="For an indirect interest: who holds it, and their relationship to the declarant",
        required=False,
        max_length=200,
    )
    practice = PracticeChoiceField(
        label="Practice concerned (if any)",
        queryset=Practice.objects.none(),
        required=False,
        empty_label="Not a practice",
        error_messages={"invalid_choice": "Select one of the practices listed"},
    )
    organisation = forms.ModelChoiceField(
        label="Other organisation concerned (if any)",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Not listed here",
        error_messages={"invalid_choice": "Select one of the organisations listed"},
    )
    organisation_name = forms.CharField(
        label="Or the organisation's name, if it is not listed",
        required=False,
        max_length=200,
    )
    interest_from = DateInputField(
        label="Interest from (optional)",
        required=False,
        help_text="The day the interest arose. Declare it within 28 days of that day, or of taking your "
        "seat if you already held it (section 14O of the NHS Act 2006); a later declaration is accepted "
        f"and marked as late. {DATE_HINT}",
    )
    interest_to = DateInputField(
        label="Interest to (optional)", required=False, help_text="Leave empty while the interest goes on."
    )
    mitigation = forms.CharField(
        label="Actions to mitigate the risk (optional)",
        required=False,
        max_length=4000,
        widget=_textarea(),
        help_text="Agreed with a manager, who approves them on the register.",
    )
    consent_to_publish = yes_no_field(
        "Do you consent to this entry being published?",
        # No answer is chosen in advance: publishing is the declarant's decision to make, every time.
        required_message="Select yes or no: may this entry be published?",
        help_text="Decision-makers' interests are published unless there is a good reason, such as a "
        "risk to personal safety.",
    )
    withheld_reason = forms.CharField(
        label="If not, why not",
        required=False,
        max_length=2000,
        widget=_textarea(2),
    )

    def __init__(
        self,
        *args: Any,
        ccgs: QuerySet[CCG] | None = None,
        ccg: CCG | None = None,
        people: QuerySet[Person] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Either the declarant picks the register (ccgs), or the register is given (ccg) and an
        # officer picks the person in scope (people).
        if ccgs is not None:
            _queryset(self, "ccg", ccgs)
            del self.fields["person"]
            scope = list(ccgs)
        else:
            assert ccg is not None and people is not None
            del self.fields["ccg"]
            _queryset(self, "person", people)
            self.fields["position"].help_text = "Their position within, or relationship with, the CCG."
            scope = [ccg]
        self.fixed_ccg = ccg
        practices = Practice.objects.filter(ccg__in=scope).select_related("ccg").order_by("ccg__name", "name")
        _queryset(self, "practice", practices)
        if len(scope) > 1:
            # Grouped by CCG so a GP serving two CCGs finds the practice under the right one.
            self.fields["practice"].widget.choices = _grouped_practices(practices)
        organisations = Organisation.objects.filter(ccgs__in=scope).distinct().order_by("name")
        if organisations.exists():
            _queryset(self, "organisation", organisations)
        else:
            del self.fields["organisation"]
            self.fields["organisation_name"].label = "Other organisation concerned (if any)"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        ccg = cleaned.get("ccg") or self.fixed_ccg
        practice = cleaned.get("practice")
        if practice is not None and ccg is not None and practice.ccg_id != ccg.pk:
            self.add_error("practice", f"{practice.name} is not a practice of {ccg.name}")
        named = [
            bool(practice),
            bool(cleaned.get("organisation")),
            bool((cleaned.get("organisation_name") or "").strip()),
        ]
        if sum(named) > 1:
            self.add_error("organisation_name", "Name one practice or organisation per entry")
        start, end = cleaned.get("interest_from"), cleaned.get("interest_to")
        if start and end and end < start:
            self.add_error("interest_to", "The interest cannot end before it began")
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned answers, as `declaration_make` takes them."""
        data = self.cleaned_data
        return {
            "position": data["position"],
            "for_nhs_england": data["for_nhs_england"],
            "nil_return": data["declaring"] == "nil",
            "interest_type": data["interest_type"],
            "description": data["description"],
            "relationship": data["relationship"],
            "practice": data["practice"],
            "organisation": data.get("organisation"),
            "organisation_name": data["organisation_name"],
            "interest_from": data["interest_from"],
            "interest_to": data["interest_to"],
            "mitigation": data["mitigation"],
            "consent_to_publish": data["consent_to_publish"],
            "withheld_reason": data["withheld_reason"],
        }


def _grouped_practices(practices: Iterable[Practice]) -> list[tuple[str, Any]]:
    groups: dict[str, list[tuple[int, str]]] = {}
    for practice in practices:
        groups.setdefault(practice.ccg.name, []).append(
            (practice.pk, f"{practice.name} ({practice.ods_code})")
        )
    return [("", "Not a practice"), *groups.items()]


class DeclarationEndForm(NHSForm):
    interest_to = DateInputField(
        label="The interest ended on",
        help_text=f"The entry stays on the published register for 6 months after this date. {DATE_HINT}",
        error_messages={
            "required": "Enter the date the interest ended",
            "incomplete": "The date must include a day, a month and a year",
            "invalid": "Enter a real date, such as 31 3 2016",
        },
    )
    reason = reason_field()


class MitigationApproveForm(NHSForm):
    approver = PersonChoiceField(
        label="Manager who agreed the actions",
        queryset=Person.objects.none(),
        empty_label="Choose the manager",
        error_messages={"required": "Select the manager who agreed the actions"},
    )

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "approver", people)
