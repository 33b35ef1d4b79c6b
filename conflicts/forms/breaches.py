"""The breach forms: recording a breach of the conflicts of interest policy, its investigation and
its closure."""

from __future__ import annotations

from django import forms

from cocomm.forms import DateInputField, NHSForm
from conflicts.forms._common import DATE_HINT, _textarea
from conflicts.models import NHSEReport


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


def _date_field(
    label: str, *, required_message: str = "", required: bool = True, help_text: str = DATE_HINT
) -> DateInputField:
    return DateInputField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages={
            "required": required_message or "Enter the date",
            "incomplete": "The date must include a day, a month and a year",
            "invalid": "Enter a real date, such as 15 3 2016",
        },
    )


def _nhse_report_field(choices: list[tuple[str, str]]) -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Must the breach be reported to NHS England?",
        help_text="Serious breaches are reported to NHS England (statutory guidance on managing "
        "conflicts of interest).",
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the breach must be reported to NHS England"},
    )


_REPORTED_ON_HINT = "Only for a breach that must be reported. " + DATE_HINT


class BreachInvestigateForm(NHSForm):
    investigated_by = forms.CharField(
        label="Who investigated it",
        max_length=200,
        error_messages={"required": "Enter who investigated the breach"},
    )
    investigated_on = _date_field(
        "When the investigation finished", required_message="Enter the date the investigation finished"
    )
    findings = forms.CharField(
        label="What the investigation found",
        max_length=4000,
        widget=_textarea(4),
        error_messages={"required": "Enter what the investigation found"},
    )
    guardian_view = forms.CharField(
        label="The Conflicts of Interest Guardian's view (optional)",
        required=False,
        max_length=4000,
        widget=_textarea(),
    )
    nhse_report = _nhse_report_field(
        [
            (NHSEReport.REQUIRED, "Yes"),
            (NHSEReport.NOT_REQUIRED, "No"),
            (NHSEReport.UNDECIDED, "Not decided yet: it is decided before the breach is closed"),
        ]
    )
    reported_to_nhse_on = _date_field(
        "When it was reported to NHS England (optional)", required=False, help_text=_REPORTED_ON_HINT
    )


class BreachCloseForm(NHSForm):
    outcome = forms.CharField(
        label="Outcome",
        max_length=4000,
        widget=_textarea(4),
        error_messages={"required": "Enter the outcome"},
    )
    lessons_learned = forms.CharField(
        label="Lessons learned",
        max_length=4000,
        widget=_textarea(4),
        error_messages={"required": "Enter the lessons learned (or say there are none)"},
    )
    closed_on = _date_field("When it was closed", required_message="Enter the date the breach was closed")
    nhse_report = _nhse_report_field([(NHSEReport.REQUIRED, "Yes"), (NHSEReport.NOT_REQUIRED, "No")])
    reported_to_nhse_on = _date_field(
        "When it was reported to NHS England", required=False, help_text=_REPORTED_ON_HINT
    )
