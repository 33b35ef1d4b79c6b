"""Forms for applications to move level. They validate what people type; the services write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils import timezone

from cocomm.forms import DateInputField, NHSForm, reason_field
from delegation.forms import LevelChoiceField
from delegation.models import EvidenceKind
from functions.models import Level

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def _date_field(label: str, *, required: bool = True, help_text: str, missing: str) -> DateInputField:
    return DateInputField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages={
            "required": missing,
            "incomplete": "The date must include a day, a month and a year",
            "invalid": "Enter a real date, such as 14 10 2016",
        },
    )


def _document_field(label: str = "Document (optional)", help_text: str = "") -> forms.FileField:
    return forms.FileField(
        label=label,
        required=False,
        help_text=help_text or "A PDF or other document, up to 20 MB.",
        error_messages={"empty": "The file is empty", "invalid": "Choose a file to upload"},
    )


def _note_field(label: str = "Note (optional)", help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=2000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _text_field(label: str, *, help_text: str, missing: str) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=200, help_text=help_text, error_messages={"required": missing}
    )


class DocumentMixin:
    """Refuses an upload too large to keep, before it reaches the service."""

    cleaned_data: dict[str, Any]

    def clean_document(self) -> UploadedFile | None:
        upload: UploadedFile | None = self.cleaned_data.get("document")
        if upload and upload.size is not None and upload.size > MAX_DOCUMENT_BYTES:
            raise ValidationError("The file must be smaller than 20 MB")
        return upload


def next_first_of_april(today: dt.date | None = None) -> dt.date:
    """Levels usually change on 1 April, so that is the likeliest date to apply for."""
    today = today or timezone.localdate()
    this_year = dt.date(today.year, 4, 1)
    return this_year if today < this_year else dt.date(today.year + 1, 4, 1)


class ApplicationStartForm(NHSForm):
    to_level = LevelChoiceField(
        label="Level applied for",
        queryset=Level.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select the level the CCG is applying for",
            "invalid_choice": "Select one of the levels of the CCG's scheme",
        },
    )
    effective_from = _date_field(
        "Effective from",
        help_text="The day the new level would take effect, usually 1 April. For example, 1 4 2017.",
        missing="Enter the date the new level would take effect",
    )
    reason = reason_field()

    def __init__(self, *args: Any, levels: QuerySet[Level], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"effective_from": next_first_of_april()})
        super().__init__(*args, **kwargs)
        level_field = self.fields["to_level"]
        assert isinstance(level_field, forms.ModelChoiceField)
        level_field.queryset = levels


class EvidenceForm(DocumentMixin, NHSForm):
    kind = forms.ChoiceField(
        label="Evidence",
        choices=[("", "Choose the document"), *EvidenceKind.choices],
        error_messages={
            "required": "Select which document was received",
            "invalid_choice": "Select one of the seven documents",
        },
    )
    received_on = _date_field(
        "Received on",
        help_text="For example, 3 10 2016.",
        missing="Enter the date the document was received",
    )
    document = _document_field()
    reason = reason_field()

    def __init__(self, *args: Any, missing: list[EvidenceKind] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if missing:
            # Offer what is still missing first; a newer version of a received one may follow.
            rest = [kind for kind in EvidenceKind if kind not in missing]
            field = self.fields["kind"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [
                ("", "Choose the document"),
                *((kind.value, f"{kind.label} (missing)") for kind in missing),
                *((kind.value, kind.label) for kind in rest),
            ]


def _count_field(label: str, missing: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "spellcheck": "false", "class": "nhsuk-input--width-4"}
        ),
        error_messages={
            "required": missing,
            "invalid": "Enter a whole number of practices, such as 12",
            "min_value": "The number of practices cannot be negative",
        },
    )


class MemberVoteForm(NHSForm):
    practices_for = _count_field("Practices for", "Enter how many practices voted for")
    practices_against = _count_field("Practices against", "Enter how many practices voted against")
    practices_abstaining = _count_field(
        "Practices abstaining", "Enter how many practices abstained (0 if none)"
    )
    reason = reason_field()


class StepForm(DocumentMixin, NHSForm):
    """The CCG's next step, signed off by a named body."""

    done_on = _date_field(
        "Done on", help_text="For example, 30 11 2016.", missing="Enter the date of the step"
    )
    by_body = _text_field(
        "By which body",
        help_text="Such as the governing body or the members' meeting.",
        missing="Enter the body that took the step",
    )
    signed_off_by = _text_field(
        "Signed off by",
        help_text="The person who signed it off, with their role, such as the clinical chair.",
        missing="Enter who signed the step off",
    )
    document = _document_field(help_text="Such as the minutes or the paper, up to 20 MB.")
    note = _note_field()
    reason = reason_field()


class SubmitForm(DocumentMixin, NHSForm):
    done_on = _date_field(
        "Sent on",
        help_text="The day the application went to NHS England.",
        missing="Enter the date it was sent",
    )
    signed_off_by = _text_field(
        "Signed off by",
        help_text="Usually the accountable officer.",
        missing="Enter who signed the application off",
    )
    document = _document_field("Application form (optional)", "The application as sent, up to 20 MB.")
    note = _note_field()
    reason = reason_field()


class Outcome:
    APPROVE = "approve"
    DECLINE = "decline"


class DecideForm(DocumentMixin, NHSForm):
    outcome = forms.ChoiceField(
        label="Decision",
        choices=[
            (Outcome.APPROVE, "Approve: the CCG holds the new level from its date"),
            (Outcome.DECLINE, "Decline"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether NHS England approves or declines the application"},
    )
    decided_on = _date_field(
        "Decided on",
        required=False,
        help_text="Leave empty for today.",
        missing="Enter the date of the decision",
    )
    note = _note_field(
        "Note (optional)", "Such as the reference of NHS England's letter, or why it was declined."
    )
    document = _document_field("Letter (optional)", "NHS England's letter to the CCG, up to 20 MB.")
    reason = reason_field()

    @property
    def approves(self) -> bool:
        return self.cleaned_data["outcome"] == Outcome.APPROVE


class WithdrawForm(NHSForm):
    reason = forms.CharField(
        label="Why is the CCG withdrawing the application?",
        help_text="This is kept in the history with your name.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter why the application is being withdrawn"},
    )
