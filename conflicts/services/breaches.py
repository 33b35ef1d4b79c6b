"""Breaches of the conflicts policy: reported, investigated, closed (with the report to NHS England)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cocomm.audit import save_audited
from cocomm.models import CCG, User
from conflicts import permissions, rules
from conflicts.models import (
    Breach,
    BreachStatus,
    NHSEReport,
)
from conflicts.services._common import _require


@transaction.atomic
def breach_record(
    *,
    ccg: CCG,
    occurred_on: dt.date,
    what_happened: str,
    reported_by: str,
    guardian_view: str = "",
    actions: str = "",
    by: User,
) -> Breach:
    """Record a breach of the conflicts policy for the breaches register; it starts as reported."""
    _require(
        permissions.can_handle_breaches(by, ccg),
        "Only the CCG's governance officers and its Conflicts of Interest Guardian record breaches.",
    )
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": "The date cannot be in the future"})
    breach = Breach(
        ccg=ccg,
        occurred_on=occurred_on,
        what_happened=what_happened,
        reported_by=reported_by,
        guardian_view=guardian_view,
        actions=actions,
    )
    save_audited(breach, by=by, reason="Breach reported")
    return breach


# What each refused step needs instead, by the breach's status now.
_BREACH_STEP_REFUSALS = {
    BreachStatus.REPORTED: "The breach has not been investigated yet: record the investigation first.",
    BreachStatus.INVESTIGATED: "The breach has been investigated already: what remains is to close it.",
    BreachStatus.CLOSED: "The breach is closed: nothing more is recorded on it.",
}


def _breach_locked(breach: Breach, by: User) -> Breach:
    breach = Breach.objects.select_for_update().select_related("ccg").get(pk=breach.pk)
    _require(
        permissions.can_handle_breaches(by, breach.ccg),
        "Only the CCG's governance officers and its Conflicts of Interest Guardian take a breach further.",
    )
    return breach


def _breach_move(breach: Breach, status: BreachStatus, *, by: User, reason: str) -> None:
    """The one way a breach changes step: anything the transition table does not allow is refused."""
    current = BreachStatus(breach.status)
    if status not in Breach.TRANSITIONS[current]:
        raise ValidationError(_BREACH_STEP_REFUSALS[current])
    breach.status = status
    save_audited(breach, by=by, reason=reason)


def _report_required(nhse_report: str) -> bool | None:
    if nhse_report not in NHSEReport.values:
        raise ValidationError({"nhse_report": "Say whether the breach must be reported to NHS England"})
    return None if nhse_report == NHSEReport.UNDECIDED else nhse_report == NHSEReport.REQUIRED


def _raise_if(problems: dict[str, str]) -> None:
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def breach_investigate(
    *,
    breach: Breach,
    investigated_by: str,
    investigated_on: dt.date,
    findings: str,
    nhse_report: str,
    reported_to_nhse_on: dt.date | None = None,
    guardian_view: str = "",
    by: User,
) -> Breach:
    """Record the investigation of a reported breach: who, when, what they found, and whether NHS
    England must be told (which may still be open until closure)."""
    breach = _breach_locked(breach, by)
    if breach.status != BreachStatus.REPORTED:
        raise ValidationError(_BREACH_STEP_REFUSALS[BreachStatus(breach.status)])
    today = timezone.localdate()
    if not investigated_by.strip():
        raise ValidationError({"investigated_by": "Enter who investigated the breach"})
    if not findings.strip():
        raise ValidationError({"findings": "Enter what the investigation found"})
    required = _report_required(nhse_report)
    _raise_if(
        rules.breach_step_date_problem(
            "investigated_on",
            investigated_on,
            not_before=breach.occurred_on,
            what_before="the day the breach happened",
            today=today,
        )
    )
    _raise_if(
        rules.breach_report_problems(
            occurred_on=breach.occurred_on,
            report_required=required,
            reported_on=reported_to_nhse_on,
            today=today,
        )
    )
    breach.investigated_by, breach.investigated_on = investigated_by.strip(), investigated_on
    breach.findings = findings
    breach.nhse_report, breach.reported_to_nhse_on = nhse_report, reported_to_nhse_on
    if guardian_view.strip():
        breach.guardian_view = guardian_view
    _breach_move(breach, BreachStatus.INVESTIGATED, by=by, reason="Breach investigated")
    return breach


@transaction.atomic
def breach_close(
    *,
    breach: Breach,
    outcome: str,
    lessons_learned: str,
    closed_on: dt.date,
    nhse_report: str,
    reported_to_nhse_on: dt.date | None = None,
    by: User,
) -> Breach:
    """Close an investigated breach with its outcome and the lessons learned. A breach that must be
    reported to NHS England is closed only once the report's date is recorded."""
    breach = _breach_locked(breach, by)
    if breach.status != BreachStatus.INVESTIGATED:
        raise ValidationError(_BREACH_STEP_REFUSALS[BreachStatus(breach.status)])
    today = timezone.localdate()
    if not outcome.strip():
        raise ValidationError({"outcome": "Enter the outcome"})
    if not lessons_learned.strip():
        raise ValidationError({"lessons_learned": "Enter the lessons learned (or say there are none)"})
    required = _report_required(nhse_report)
    _raise_if(
        rules.breach_step_date_problem(
            "closed_on",
            closed_on,
            not_before=breach.investigated_on or breach.occurred_on,
            what_before="the investigation" if breach.investigated_on else "the day the breach happened",
            today=today,
        )
    )
    _raise_if(
        rules.breach_report_problems(
            occurred_on=breach.occurred_on,
            report_required=required,
            reported_on=reported_to_nhse_on,
            today=today,
        )
    )
    _raise_if(rules.breach_closure_problems(report_required=required, reported_on=reported_to_nhse_on))
    breach.outcome, breach.lessons_learned, breach.closed_on = outcome, lessons_learned, closed_on
    breach.nhse_report, breach.reported_to_nhse_on = nhse_report, reported_to_nhse_on
    _breach_move(breach, BreachStatus.CLOSED, by=by, reason="Breach closed")
    return breach
