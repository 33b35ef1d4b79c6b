"""Forms for minutes: the draft, the chair's approval and an erratum to approved minutes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from committees.choices import StandardItem
from committees.forms._common import CommitteeForm, MeetingChoiceField, _queryset
from committees.models import AgendaItem, Meeting


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


class ErratumForm(CommitteeForm):
    """A correction to approved minutes, agreed at an item of a later meeting of the committee."""

    item = forms.TypedChoiceField(
        label="Raised at",
        coerce=int,
        widget=forms.RadioSelect,
        help_text="The item of a later meeting of the committee at which the correction was agreed.",
        error_messages={
            "required": "Select the item at which the correction was agreed",
            "invalid_choice": "Select one of the items listed",
        },
    )
    correction = forms.CharField(
        label="The correction",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text="What the minutes should say, naming the item or passage it corrects.",
        error_messages={"required": "Enter the correction"},
    )
    reason = forms.CharField(
        label="Why the minutes are corrected",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Kept in the history with your name.",
        error_messages={"required": "Enter why the minutes are corrected"},
    )

    def __init__(self, *args: Any, items: list[AgendaItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = {item.pk: item for item in items}
        field = self.fields["item"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(item.pk, _item_label(item)) for item in items]
        # The agenda's standing item for the last meeting's minutes is where a correction usually comes.
        usual = next((i for i in items if i.standard == StandardItem.LAST_MINUTES), None)
        if usual is not None and not self.is_bound:
            self.initial.setdefault("item", usual.pk)

    def chosen_item(self) -> AgendaItem:
        return self.items[self.cleaned_data["item"]]


def _item_label(item: AgendaItem) -> str:
    when = timezone.localtime(item.meeting.starts_at)
    return f"{item.meeting.title}, {when:%-d %B %Y}: item {item.number}, {item.title}"
