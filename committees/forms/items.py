"""Forms for an agenda item: its papers and the discussion note."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from cocomm.forms import reason_field
from committees.forms._common import CommitteeForm


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


class NoteForm(CommitteeForm):
    discussion_note = forms.CharField(
        label="What was said",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The discussion, for the minutes.",
    )
    reason = reason_field()
