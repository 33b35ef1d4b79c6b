"""Applications to move level (seed 002): every step dated, signed off, permission-checked and audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from cocomm.audit import save_audited, system_user
from cocomm.models import CCG, User
from delegation import application_rules
from delegation.models import (
    OPEN_APPLICATION_STATUSES,
    ApplicationEvidence,
    ApplicationStatus,
    ApplicationStep,
    LevelApplication,
)
from delegation.permissions import can_decide_application, can_manage_application, can_record_level
from delegation.selectors import level_on, scheme_of
from delegation.services import level_assignment_record
from functions.models import Level

# Steps the CCG records itself with `step_record`; submission and NHS England's decision have
# their own services because they check more.
CCG_STEPS = frozenset(
    {ApplicationStatus.EVIDENCE_GATHERED, ApplicationStatus.MEMBER_VOTE, ApplicationStatus.GOVERNING_BODY}
)
# Evidence may arrive until the application goes to NHS England: a document found missing at
# submission can still be added, rather than the application having to be withdrawn.
EVIDENCE_OPEN = frozenset(
    {
        ApplicationStatus.DRAFT,
        ApplicationStatus.EVIDENCE_GATHERED,
        ApplicationStatus.MEMBER_VOTE,
        ApplicationStatus.GOVERNING_BODY,
    }
)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _locked(application: LevelApplication) -> LevelApplication:
    """Re-read the application under a row lock, so two people cannot move it at once."""
    return (
        LevelApplication.objects.select_for_update().select_related("ccg", "to_level").get(pk=application.pk)
    )


def _move(application: LevelApplication, to: str, *, by: User, reason: str) -> None:
    allowed, why = application_rules.can_move(application.status, to)
    if not allowed:
        raise ValidationError(why)
    application.status = to
    save_audited(application, by=by, reason=reason)


def _record_step(
    application: LevelApplication,
    *,
    done_on: dt.date,
    by_body: str,
    signed_off_by: str,
    document: File | None,
    note: str,
    by: User,
    reason: str,
) -> ApplicationStep:
    step = ApplicationStep(
        application=application,
        step=application.status,
        done_on=done_on,
        by_body=by_body,
        signed_off_by=signed_off_by,
        note=note,
    )
    if document is not None:
        step.document = document
    save_audited(step, by=by, reason=reason)
    return step


@transaction.atomic
def application_start(
    *, ccg: CCG, to_level: Level, effective_from: dt.date, by: User, reason: str
) -> LevelApplication:
    """Start a CCG's application to move to a level of its scheme from a date."""
    _require(
        can_manage_application(by, ccg),
        "Only a governance officer of the CCG or an administrator may start its application.",
    )
    scheme = scheme_of(ccg)
    if scheme is None:
        raise ValidationError(f"{ccg.area_team} has no level scheme yet.")
    if to_level.scheme_id != scheme.pk:
        raise ValidationError(
            {"to_level": f"{ccg.name} uses the {scheme.name}; this level belongs to another."}
        )
    held = level_on(ccg, effective_from - dt.timedelta(days=1))
    if held is not None and held.level_id == to_level.pk:
        raise ValidationError({"to_level": f"{ccg.name} already holds level {to_level.number} by then."})
    # Lock the CCG so two officers starting at once cannot both pass the one-open-application check.
    CCG.objects.select_for_update().filter(pk=ccg.pk).first()
    if ccg.level_applications.filter(status__in=OPEN_APPLICATION_STATUSES).exists():
        raise ValidationError(f"{ccg.name} already has an application in progress.")
    application = LevelApplication(
        ccg=ccg,
        from_level=held.level if held is not None else None,
        to_level=to_level,
        effective_from=effective_from,
    )
    save_audited(application, by=by, reason=reason)
    return application


@transaction.atomic
def evidence_add(
    *,
    application: LevelApplication,
    kind: str,
    received_on: dt.date,
    document: File | None = None,
    by: User,
    reason: str,
) -> ApplicationEvidence:
    """Add a document the application rests on, at any time before it is submitted."""
    application = _locked(application)
    _require(
        can_manage_application(by, application.ccg),
        "Only a governance officer of the CCG or an administrator may add evidence.",
    )
    if application.status not in EVIDENCE_OPEN:
        raise ValidationError(
            f"Evidence cannot be added to an application that is {application.get_status_display().lower()}."
        )
    evidence = ApplicationEvidence(application=application, kind=kind, received_on=received_on)
    if document is not None:
        evidence.document = document
    save_audited(evidence, by=by, reason=reason)
    return evidence


@transaction.atomic
def member_vote_record(
    *,
    application: LevelApplication,
    practices_for: int,
    practices_against: int,
    practices_abstaining: int = 0,
    by: User,
    reason: str,
) -> LevelApplication:
    """Record how the member practices voted on the application."""
    application = _locked(application)
    _require(
        can_manage_application(by, application.ccg),
        "Only a governance officer of the CCG or an administrator may record the member vote.",
    )
    if application.status not in (ApplicationStatus.EVIDENCE_GATHERED, ApplicationStatus.MEMBER_VOTE):
        raise ValidationError(
            "The member vote is recorded after the evidence is gathered and before the "
            "governing body decides."
        )
    application_rules.vote_carried(practices_for, practices_against, practices_abstaining)  # refuses < 0
    application.practices_for = practices_for
    application.practices_against = practices_against
    application.practices_abstaining = practices_abstaining
    save_audited(application, by=by, reason=reason)
    return application


@transaction.atomic
def step_record(
    *,
    application: LevelApplication,
    done_on: dt.date,
    by_body: str,
    signed_off_by: str,
    document: File | None = None,
    note: str = "",
    by: User,
    reason: str,
) -> ApplicationStep:
    """Record the CCG's next step (evidence gathered, member vote, governing body), signed off by a body."""
    application = _locked(application)
    _require(
        can_manage_application(by, application.ccg),
        "Only a governance officer of the CCG or an administrator may record its steps.",
    )
    if not application_rules.next_statuses(application.status):
        raise ValidationError(application_rules.can_move(application.status, ApplicationStatus.DRAFT)[1])
    following = application_rules.next_step(application.status)
    if following is None or following not in CCG_STEPS:
        raise ValidationError(
            f"The CCG has no step to record on an application that is "
            f"{application.get_status_display().lower()}."
        )
    if following == ApplicationStatus.MEMBER_VOTE and not application.vote_recorded:
        raise ValidationError("Record how the member practices voted before recording the vote step.")
    _move(application, following, by=by, reason=reason)
    return _record_step(
        application,
        done_on=done_on,
        by_body=by_body,
        signed_off_by=signed_off_by,
        document=document,
        note=note,
        by=by,
        reason=reason,
    )


@transaction.atomic
def application_submit(
    *,
    application: LevelApplication,
    done_on: dt.date,
    signed_off_by: str,
    document: File | None = None,
    note: str = "",
    by: User,
    reason: str,
) -> LevelApplication:
    """Send the application to NHS England: all seven documents and a carried member vote are needed."""
    application = _locked(application)
    _require(
        can_manage_application(by, application.ccg),
        "Only a governance officer of the CCG or an administrator may submit its application.",
    )
    allowed, why = application_rules.can_move(application.status, ApplicationStatus.SUBMITTED)
    if not allowed:
        raise ValidationError(why)
    missing = application_rules.missing_evidence(application.evidence.values_list("kind", flat=True))
    if missing:
        raise ValidationError(
            "The application cannot be submitted without: " + "; ".join(k.label for k in missing) + "."
        )
    if not application.vote_recorded:
        raise ValidationError("The application cannot be submitted before the member practices vote.")
    assert application.practices_for is not None  # for mypy: vote_recorded checked it
    if not application_rules.vote_carried(
        application.practices_for, application.practices_against or 0, application.practices_abstaining or 0
    ):
        raise ValidationError(
            f"The member practices did not vote for the application ({application.practices_for} for, "
            f"{application.practices_against} against), so it cannot be submitted."
        )
    _move(application, ApplicationStatus.SUBMITTED, by=by, reason=reason)
    _record_step(
        application,
        done_on=done_on,
        by_body=application.ccg.name,
        signed_off_by=signed_off_by,
        document=document,
        note=note,
        by=by,
        reason=reason,
    )
    return application


@transaction.atomic
def application_decide(
    *,
    application: LevelApplication,
    approve: bool,
    note: str = "",
    decided_on: dt.date | None = None,
    document: File | None = None,
    by: User,
    reason: str,
) -> LevelApplication:
    """NHS England approves (recording the new level from its date) or declines a submitted application."""
    application = _locked(application)
    _require(
        can_decide_application(by, application.ccg),
        f"Only an NHS England reviewer of {application.ccg.area_team} may decide this application.",
    )
    decided_on = decided_on or timezone.localdate()
    if application.status == ApplicationStatus.SUBMITTED:
        _move(application, ApplicationStatus.NHSE_DECISION, by=by, reason=reason)
    outcome = ApplicationStatus.APPROVED if approve else ApplicationStatus.DECLINED
    allowed, why = application_rules.can_move(application.status, outcome)
    if not allowed:
        raise ValidationError(why)
    application.decided_by = by
    application.decided_on = decided_on
    application.decision_note = note
    application.status = outcome
    save_audited(application, by=by, reason=reason)
    _record_step(
        application,
        done_on=decided_on,
        by_body=str(application.ccg.area_team),
        signed_off_by=str(by),
        document=document,
        note=note,
        by=by,
        reason=reason,
    )
    if approve:
        # Recording levels is an administrator's act; a reviewer's approval is carried out by the
        # automatic account, and the reason names the reviewer.
        level_assignment_record(
            ccg=application.ccg,
            level=application.to_level,
            effective_from=application.effective_from,
            note=f"Level application approved by {by} on {decided_on:%-d %B %Y}. {note}".strip(),
            by=by if can_record_level(by, application.ccg) else system_user(),
            reason=f"Level application approved by {by}: {reason}",
        )
    return application


@transaction.atomic
def application_withdraw(*, application: LevelApplication, by: User, reason: str) -> LevelApplication:
    """The CCG withdraws an application that is still open."""
    application = _locked(application)
    _require(
        can_manage_application(by, application.ccg),
        "Only a governance officer of the CCG or an administrator may withdraw its application.",
    )
    _move(application, ApplicationStatus.WITHDRAWN, by=by, reason=reason)
    return application
