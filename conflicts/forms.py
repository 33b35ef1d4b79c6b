"""Forms for the conflicts pages. They check what people type; the services in `conflicts.services`
make every change and apply the policy (28 days, gifts and hospitality limits, rulings, referrals).

Choices are narrowed to what the user may act on: the CCGs whose committees they sit on, the
people in scope of a CCG, the members and attendees of an item's committee.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from cocomm.forms import DateInputField, NHSForm, reason_field
from cocomm.models import CCG, Organisation, Person, Practice
from committees.models import Committee
from conflicts.models import Declaration, InterestType, OfferKind, ReferralRoute, Ruling

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


class PracticeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Practice) -> str:
        return f"{obj.name} ({obj.ods_code})"


class InterestChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Declaration) -> str:
        return f"{obj.person}: {obj.get_interest_type_display().lower()} interest in {obj.concerns}"


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


# Declarations -----------------------------------------------------------------------------------------------


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
    interest_from = DateInputField(label="Interest from (optional)", required=False, help_text=DATE_HINT)
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
        required_message="Select whether the entry may be published",
        initial="yes",
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


# Gifts, hospitality, limits and breaches --------------------------------------------------------------------


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


class BreachForm(NHSForm):
    occurred_on = DateInputField(
        label="When it happened",
        help_text=DATE_HINT,
        error_messages={
            "required": "Enter the date it happened",
            "incomplete": "The date must include a day, a month and a year",
            "invalid": "Enter a real date, such as 15 3 2016",
        },
    )
    what_happened = forms.CharField(
        label="What happened",
        max_length=4000,
        widget=_textarea(4),
        error_messages={"required": "Describe what happened"},
    )
    reported_by = forms.CharField(
        label="Who reported it", max_length=200, error_messages={"required": "Enter who reported it"}
    )
    guardian_view = forms.CharField(
        label="The Conflicts of Interest Guardian's view (optional)",
        required=False,
        max_length=4000,
        widget=_textarea(),
    )
    actions = forms.CharField(
        label="Actions taken (optional)", required=False, max_length=4000, widget=_textarea()
    )


# Campaigns --------------------------------------------------------------------------------------------------


class CampaignForm(NHSForm):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Annual declarations 2016/17.",
        error_messages={"required": "Enter a title"},
    )
    deadline = DateInputField(
        label="Deadline",
        help_text=f"Reminders go a week before and on the day. {DATE_HINT}",
        error_messages={
            "required": "Enter the deadline",
            "incomplete": "The date must include a day, a month and a year",
            "invalid": "Enter a real date, such as 30 4 2016",
        },
    )


# At the meeting ---------------------------------------------------------------------------------------------


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
