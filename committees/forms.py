"""Forms for the committee pages. They validate what people type; the services do every write.

Choices are narrowed to what the user may act on (the CCGs they govern, the committees they
manage, the members of the committee taking an item), so a form never offers what the service
would refuse for want of permission.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.boundfield import BoundField
from django.utils import timezone

from cocomm.forms import DateInputField, NHSForm, reason_field
from cocomm.models import CCG, AreaTeam, Person, Practice
from committees.choices import (
    AttendanceStatus,
    CastingVote,
    CommitteeKind,
    CompositionRule,
    ExclusionScope,
    MatterKind,
    MemberCategory,
    Office,
    Purpose,
    Session,
    VoteChoice,
)
from committees.models import AgendaItem, Committee, Meeting, Membership
from functions.models import Function
from functions.selectors import functions_all

DATE_HINT = "For example, 15 6 2016."
TIME_PATTERN = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


class CommitteeForm(NHSForm):
    """The committees' forms: NHS.UK rendering from the core."""


def _queryset(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class CommitteeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Committee) -> str:
        return obj.name


class CommitteeMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Committee) -> str:
        return obj.name


class CCGMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: CCG) -> str:
        return f"{obj.name} ({obj.ods_code})"


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


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj}, {obj.job_title}" if obj.job_title else str(obj)


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


# Meetings, agendas, attendance --------------------------------------------------------------------


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


# Items: papers, exclusions, notes, decisions and votes ----------------------------------------------


class PaperForm(CommitteeForm):
    title = forms.CharField(
        label="Title", max_length=300, error_messages={"required": "Give the paper a title"}
    )
    file = forms.FileField(
        label="File",
        help_text="A PDF or document, up to 20 MB.",
        error_messages={"required": "Choose the file to upload", "empty": "The file is empty"},
    )
    reason = reason_field()

    MAX_BYTES = 20 * 1024 * 1024

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise ValidationError("The file must be smaller than 20 MB")
        return upload


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


class NoteForm(CommitteeForm):
    discussion_note = forms.CharField(
        label="What was said",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The discussion, for the minutes.",
    )
    reason = reason_field()


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

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "ccg", committee.ccgs.order_by("name"))
        _queryset(self, "function", committee.functions.order_by("number"))


# Matters ----------------------------------------------------------------------------------------------


class MatterForm(CommitteeForm):
    ccg = forms.ModelChoiceField(
        label="CCG",
        queryset=CCG.objects.none(),
        empty_label="Choose a CCG",
        error_messages={"required": "Select the CCG"},
    )
    function = _functions_field()
    kind = forms.ChoiceField(
        label="Kind of matter",
        choices=MatterKind.choices,
        error_messages={"required": "Select the kind of matter"},
    )
    title = forms.CharField(
        label="Title",
        max_length=300,
        help_text="Such as: Castle Hill Surgery applies to close its list.",
        error_messages={"required": "Enter a title"},
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    practices = PracticeMultipleChoiceField(
        label="Practices concerned (optional)",
        queryset=Practice.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = reason_field()

    def __init__(self, *args: Any, ccgs: QuerySet[CCG], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "ccg", ccgs.order_by("name"))
        _queryset(
            self,
            "practices",
            Practice.objects.filter(ccg__in=ccgs).select_related("ccg").order_by("ccg__name", "name"),
        )


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Meeting) -> str:
        return f"{obj.title}, {timezone.localtime(obj.starts_at):%-d %B %Y at %H:%M}"


class MatterScheduleForm(CommitteeForm):
    meeting = MeetingChoiceField(
        label="Meeting",
        queryset=Meeting.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the meeting to take it"},
    )
    session = forms.ChoiceField(
        label="Session", choices=Session.choices, widget=forms.RadioSelect, initial=Session.PUBLIC
    )
    reason = reason_field()

    def __init__(self, *args: Any, meetings: QuerySet[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "meeting", meetings)


# Minutes --------------------------------------------------------------------------------------------


class MinutesForm(CommitteeForm):
    text = forms.CharField(
        label="Draft minutes",
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "true"}),
        help_text="Written from the record; edit as needed before the chair approves them.",
        error_messages={"required": "The minutes cannot be empty"},
    )


class MinutesApproveForm(CommitteeForm):
    at_meeting = MeetingChoiceField(
        label="Approved at",
        queryset=Meeting.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="A later meeting of the same committee.",
        error_messages={"required": "Select the meeting that approved the minutes"},
    )

    def __init__(self, *args: Any, meetings: QuerySet[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "at_meeting", meetings)
