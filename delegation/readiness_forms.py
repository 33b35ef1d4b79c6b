"""Forms for readiness assessments and their actions. They validate; the services write."""

from __future__ import annotations

from typing import Any

from django import forms

from cocomm.forms import DateInputField, NHSForm, reason_field
from delegation.models import RAG, ReadinessAssessment, Stance
from delegation.readiness import POSITION_LABELS, POSITIONS, PRINCIPLES

TEXT_LIMIT = 10000


def _text(label: str, help_text: str = "", rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_LIMIT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ReadinessRecordForm(NHSForm):
    """One function's assessment: each team's position and rating, then what follows from them.

    Field names match the model's, so a ValidationError from the service lands on the right field.
    """

    stance = forms.ChoiceField(
        label="The CCG's stance on this function",
        choices=Stance.choices,
        widget=forms.RadioSelect,
        help_text="As in the expression of interest.",
        error_messages={
            "required": "Select the CCG's stance on the function",
            "invalid_choice": "Select one of the stances listed",
        },
    )
    actions = _text("Actions needed (optional)", "Comments and the actions the teams see as needed.")
    resource_implications = _text("Resource implications (optional)")
    patient_involvement = _text("Patient involvement (optional)")
    principles = forms.TypedMultipleChoiceField(
        label="Co-commissioning principles it serves (optional)",
        choices=[(n, f"{n}. {text}") for n, text in PRINCIPLES.items()],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select principles from the list"},
    )
    reason = reason_field()

    def __init__(self, *args: Any, assessment: ReadinessAssessment | None = None, **kwargs: Any) -> None:
        if assessment is not None:
            initial = {
                "stance": assessment.stance,
                "actions": assessment.actions,
                "resource_implications": assessment.resource_implications,
                "patient_involvement": assessment.patient_involvement,
                "principles": list(assessment.principles),
            }
            for name in POSITIONS:
                initial[f"{name}_position"] = getattr(assessment, f"{name}_position")
                initial[f"{name}_rag"] = getattr(assessment, f"{name}_rag")
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        # Each of the four teams gives a position and a rating; the order is the seed's columns.
        for name in POSITIONS:
            team = POSITION_LABELS[name]
            self.fields[f"{name}_position"] = _text(f"{team} position (optional)", rows=5)
            self.fields[f"{name}_rag"] = forms.ChoiceField(
                label=f"{team} rating",
                choices=RAG.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Select the {team.lower()} rating: red, amber or green",
                    "invalid_choice": f"Select the {team.lower()} rating: red, amber or green",
                },
            )
        # The error summary lists errors in field order, which should be the page's order.
        teams = [f"{n}_{part}" for n in POSITIONS for part in ("position", "rag")]
        self.order_fields(["stance", *teams, "actions", "resource_implications", "patient_involvement"])

    def team_fields(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        """(team, position field, rating field) for each team, for the template."""
        return [(POSITION_LABELS[n], self[f"{n}_position"], self[f"{n}_rag"]) for n in POSITIONS]

    def positions(self) -> dict[str, tuple[str, str]]:
        """The cleaned positions in the shape `readiness_record` takes."""
        return {n: (self.cleaned_data[f"{n}_position"], self.cleaned_data[f"{n}_rag"]) for n in POSITIONS}


class ReadinessActionForm(NHSForm):
    description = forms.CharField(
        label="What needs doing",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what needs doing"},
    )
    owner = forms.CharField(
        label="Owner (optional)",
        max_length=200,
        required=False,
        help_text="The team or person who will do it, such as the finance team.",
    )
    due_on = DateInputField(
        label="Due by (optional)",
        required=False,
        help_text="For example, 1 4 2015.",
        error_messages={
            "incomplete": "The date must include a day, a month and a year",
            "invalid": "Enter a real date, such as 1 4 2015",
        },
    )
    reason = reason_field()


class ReadinessActionDoneForm(NHSForm):
    reason = reason_field()
