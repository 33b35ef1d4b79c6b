"""Forms for meetings: scheduling one, adding agenda items, attendance and the action log."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.boundfield import BoundField
from django.utils import timezone

from cocomm.forms import DateInputField, reason_field
from cocomm.models import CCG, Person, Practice
from committees.choices import AttendanceStatus, Purpose, Session
from committees.forms._common import (
    DATE_HINT,
    CommitteeChoiceField,
    CommitteeForm,
    PersonChoiceField,
    PracticeMultipleChoiceField,
    _functions_field,
    _queryset,
)
from committees.models import AgendaItem, Committee, Meeting, Membership

TIME_PATTERN = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


class CommitteeMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Committee) -> str:
        return obj.name


class MeetingScheduleForm(CommitteeForm):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the meeting's title"}
    )
    on = DateInputField(label="Date", help_text=DATE_HINT, error_messages={"required": "Enter the date"})
    at = forms.CharField(
        label="Start time",
        max_length=5,
        help_text="24-hour clock, such as 14:00.",
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-5", "inputmode": "numeric"}),
        error_messages={"required": "Enter the start time, such as 14:00"},
    )
    place = forms.CharField(label="Place (optional)", max_length=300, required=False)
    has_public_session = forms.BooleanField(label="Has a public session", required=False, initial=True)
    has_private_session = forms.BooleanField(label="Has a private session", required=False)
    in_common = CommitteeMultipleChoiceField(
        label="Committees meeting in common (optional)",
        queryset=Committee.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Other committees you manage that meet at the same time and place. Each takes its own "
        "decisions.",
    )
    reason = reason_field()

    def __init__(self, *args: Any, partners: QuerySet[Committee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "in_common", partners)
        if not partners.exists():
            del self.fields["in_common"]

    def clean_at(self) -> dt.time:
        match = TIME_PATTERN.match(self.cleaned_data["at"].strip())
        if match is None:
            raise ValidationError("Enter a time on the 24-hour clock, such as 14:00")
        return dt.time(int(match.group(1)), int(match.group(2)))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        on, at = cleaned.get("on"), cleaned.get("at")
        if isinstance(on, dt.date) and isinstance(at, dt.time):
            cleaned["starts_at"] = timezone.make_aware(dt.datetime.combine(on, at))
        if not cleaned.get("has_public_session") and not cleaned.get("has_private_session"):
            self.add_error("has_public_session", "A meeting has a public session, a private one or both")
        return cleaned


class AgendaItemForm(CommitteeForm):
    """A business item with the fields of the paper summary sheet."""

    committee = CommitteeChoiceField(
        label="Taken by",
        queryset=Committee.objects.none(),
        empty_label=None,
        help_text="Which of the meeting's committees takes the item.",
        error_messages={"required": "Select the committee taking the item"},
    )
    title = forms.CharField(label="Title", max_length=300, error_messages={"required": "Enter a title"})
    reference = forms.CharField(
        label="Reference (optional)", max_length=40, required=False, help_text="Such as GOV/14/07/17."
    )
    author = forms.CharField(label="Author (optional)", max_length=200, required=False)
    lead_director = forms.CharField(label="Lead director (optional)", max_length=200, required=False)
    session = forms.ChoiceField(
        label="Session", choices=Session.choices, widget=forms.RadioSelect, initial=Session.PUBLIC
    )
    purpose = forms.ChoiceField(
        label="Purpose",
        choices=Purpose.choices,
        widget=forms.RadioSelect,
        initial=Purpose.NOTING,
        error_messages={"required": "Select whether it is for decision, discussion or noting"},
    )
    ccg = forms.ModelChoiceField(
        label="CCG",
        queryset=CCG.objects.none(),
        required=False,
        empty_label="Choose a CCG",
        help_text="Needed for an item for decision.",
    )
    function = _functions_field(required=False)
    practices = PracticeMultipleChoiceField(
        label="Practices concerned (optional)",
        queryset=Practice.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(
        label="Executive summary", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    financial_implications = forms.CharField(
        label="Financial implications", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    risk_implications = forms.CharField(
        label="Risk", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    legal_implications = forms.CharField(
        label="Legal implications", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    equality_implications = forms.CharField(
        label="Equality impact", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    action_asked = forms.CharField(
        label="Action asked of the committee", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = reason_field()

    def __init__(self, *args: Any, meeting: Meeting, committees: list[Committee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "committee", Committee.objects.filter(pk__in=[c.pk for c in committees]))
        ccgs = CCG.objects.filter(committees__in=[c.pk for c in committees]).distinct().order_by("name")
        _queryset(self, "ccg", ccgs)
        _queryset(
            self,
            "practices",
            Practice.objects.filter(ccg__in=ccgs).select_related("ccg").order_by("ccg__name", "name"),
        )
        session = self.fields["session"]
        assert isinstance(session, forms.ChoiceField)
        if not meeting.has_private_session:
            session.choices = [(Session.PUBLIC, Session.PUBLIC.label)]
        if not meeting.has_public_session:
            session.choices = [(Session.PRIVATE, Session.PRIVATE.label)]
            session.initial = Session.PRIVATE

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        ccg, practices = cleaned.get("ccg"), cleaned.get("practices") or []
        if cleaned.get("purpose") == Purpose.DECISION:
            if ccg is None:
                self.add_error("ccg", "Select the CCG the decision is for")
            if cleaned.get("function") is None:
                self.add_error("function", "Select the function the decision falls under")
        strangers = [p for p in practices if ccg is None or p.ccg_id != ccg.pk]
        if strangers:
            owner = ccg.name if ccg else "the chosen CCG"
            self.add_error("practices", f"{strangers[0].name} is not a practice of {owner}")
        return cleaned


class AttendanceForm(CommitteeForm):
    """Each member's attendance, and anyone else in attendance, with one reason for the record."""

    guest = PersonChoiceField(
        label="Someone else in attendance (optional)",
        queryset=Person.objects.none(),
        required=False,
        empty_label="Nobody else",
    )
    guest_note = forms.CharField(
        label="Who they came for (optional)",
        max_length=200,
        required=False,
        help_text="Such as the organisation they represent.",
    )
    reason = reason_field()

    STATUS_CHOICES = [
        ("", "Not recorded"),
        (AttendanceStatus.PRESENT, AttendanceStatus.PRESENT.label),
        (AttendanceStatus.APOLOGIES, AttendanceStatus.APOLOGIES.label),
        (AttendanceStatus.ABSENT, AttendanceStatus.ABSENT.label),
    ]

    def __init__(self, *args: Any, members: list[Membership], current: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members: list[Membership] = []
        seen: set[int] = set()
        for membership in members:
            if membership.person_id in seen:  # one row per person, however many committees they sit on
                continue
            seen.add(membership.person_id)
            self.members.append(membership)
            self.fields[self.member_field(membership.person_id)] = forms.ChoiceField(
                label=str(membership.person),
                choices=self.STATUS_CHOICES,
                required=False,
                initial=current.get(membership.person_id, ""),
            )
        _queryset(self, "guest", Person.objects.exclude(pk__in=seen).order_by("full_name"))

    @staticmethod
    def member_field(person_id: int) -> str:
        return f"status_{person_id}"

    def member_rows(self) -> list[tuple[Membership, BoundField]]:
        return [(m, self[self.member_field(m.person_id)]) for m in self.members]

    def changes(self, current: dict[int, str]) -> list[tuple[Person, str]]:
        """The members whose status was set or changed."""
        changed = []
        for membership in self.members:
            status = self.cleaned_data.get(self.member_field(membership.person_id)) or ""
            if status and status != current.get(membership.person_id, ""):
                changed.append((membership.person, status))
        return changed


class ActionForm(CommitteeForm):
    description = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Describe the action"},
    )
    owner = PersonChoiceField(
        label="Owner",
        queryset=Person.objects.none(),
        empty_label="Choose who owns it",
        error_messages={"required": "Select who owns the action"},
    )
    due_on = DateInputField(
        label="Due by", help_text=DATE_HINT, error_messages={"required": "Enter the due date"}
    )
    item = forms.ModelChoiceField(
        label="Agenda item (optional)", queryset=AgendaItem.objects.none(), required=False, empty_label="None"
    )

    def __init__(self, *args: Any, people: QuerySet[Person], items: list[AgendaItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "owner", people)
        _queryset(self, "item", AgendaItem.objects.filter(pk__in=[i.pk for i in items]).order_by("number"))


class ActionCompleteForm(CommitteeForm):
    reason = forms.CharField(
        label="How was it done?",
        help_text="This is kept in the history with your name and today's date.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say how the action was done"},
    )
