"""Applications to move level: the whole journey, its refusals, and the audit trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cocomm.models import CCG, AreaTeam, RoleKind, User
from delegation.applications import (
    application_decide,
    application_start,
    application_submit,
    application_withdraw,
    evidence_add,
    member_vote_record,
    step_record,
)
from delegation.models import ApplicationStatus, EvidenceKind, LevelApplication
from delegation.selectors import routing_for
from functions.models import Function
from tests.factories.functions import Reference

pytestmark = pytest.mark.django_db
APRIL_2017 = dt.date(2017, 4, 1)


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def officer(make_user: Callable[..., User], level2_ccg: CCG) -> User:
    return make_user(RoleKind.GOVERNANCE_OFFICER, ccg=level2_ccg)


@pytest.fixture
def reviewer(make_user: Callable[..., User], national_area: AreaTeam) -> User:
    return make_user(RoleKind.NHSE_REVIEWER, area_team=national_area)


def _start(ccg: CCG, reference: Reference, by: User) -> LevelApplication:
    return application_start(
        ccg=ccg,
        to_level=reference.level(reference.national, 3),
        effective_from=APRIL_2017,
        by=by,
        reason="Move to delegated commissioning",
    )


def _step(application: LevelApplication, body: str, by: User, on: dt.date) -> None:
    step_record(
        application=application,
        done_on=on,
        by_body=body,
        signed_off_by="Dr A Chair",
        document=SimpleUploadedFile(f"{body}.pdf", b"%PDF-1.4"),
        by=by,
        reason=f"{body} signed off",
    )


def _ready_to_submit(
    ccg: CCG, reference: Reference, officer: User, *, skip: EvidenceKind | None = None, for_: int = 30
) -> LevelApplication:
    application = _start(ccg, reference, officer)
    for kind in EvidenceKind:
        if kind != skip:
            evidence_add(
                application=application,
                kind=kind,
                received_on=dt.date(2016, 10, 3),
                document=SimpleUploadedFile(f"{kind}.pdf", b"%PDF-1.4"),
                by=officer,
                reason="Evidence received",
            )
    _step(application, "Governance team", officer, dt.date(2016, 10, 31))
    member_vote_record(
        application=application,
        practices_for=for_,
        practices_against=10,
        practices_abstaining=2,
        by=officer,
        reason="Vote counted",
    )
    _step(application, "Membership council", officer, dt.date(2016, 11, 15))
    _step(application, "Governing body", officer, dt.date(2016, 11, 30))
    application.refresh_from_db()
    return application


def _submit(application: LevelApplication, officer: User) -> None:
    application_submit(
        application=application,
        done_on=dt.date(2016, 12, 5),
        signed_off_by="Chief Officer",
        by=officer,
        reason="Application sent",
    )


def test_an_approved_application_moves_the_ccg_to_level_3_from_1_april(
    reference: Reference, level2_ccg: CCG, officer: User, reviewer: User
) -> None:
    application = _ready_to_submit(level2_ccg, reference, officer)
    assert application.status == ApplicationStatus.GOVERNING_BODY
    assert application.from_level == reference.level(reference.national, 2)
    _submit(application, officer)

    application_decide(
        application=application,
        approve=True,
        note="Letter of 20 January 2017",
        decided_on=dt.date(2017, 1, 20),
        by=reviewer,
        reason="Assurance complete",
    )

    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.decided_by == reviewer
    assert list(application.steps.values_list("step", flat=True)) == [
        ApplicationStatus.EVIDENCE_GATHERED,
        ApplicationStatus.MEMBER_VOTE,
        ApplicationStatus.GOVERNING_BODY,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.APPROVED,
    ]
    assert application.steps.get(step=ApplicationStatus.MEMBER_VOTE).document.read() == b"%PDF-1.4"
    function = Function.objects.get(number=1)
    level2_ccg.refresh_from_db()
    assert routing_for(level2_ccg, function, APRIL_2017).level == 3
    assert routing_for(level2_ccg, function, dt.date(2017, 3, 31)).level == 2
    assignment = level2_ccg.level_assignments.get(effective_from=APRIL_2017)
    record = assignment.history.get()
    assert str(reviewer) in record.history_change_reason


def test_history_rows_carry_the_user_and_reason(reference: Reference, level2_ccg: CCG, officer: User) -> None:
    application = _start(level2_ccg, reference, officer)
    _step(application, "Governance team", officer, dt.date(2016, 10, 31))

    rows = list(application.history.order_by("history_date"))
    assert [(r.status, r.history_user, r.history_change_reason) for r in rows] == [
        (ApplicationStatus.DRAFT, officer, "Move to delegated commissioning"),
        (ApplicationStatus.EVIDENCE_GATHERED, officer, "Governance team signed off"),
    ]
    step = application.steps.get()
    assert (step.history.get().history_user, step.signed_off_by) == (officer, "Dr A Chair")


def test_a_submission_missing_evidence_is_refused_naming_what_is_missing(
    reference: Reference, level2_ccg: CCG, officer: User
) -> None:
    application = _ready_to_submit(level2_ccg, reference, officer, skip=EvidenceKind.IG_TOOLKIT)
    with pytest.raises(ValidationError, match="Information governance toolkit") as error:
        _submit(application, officer)
    assert "Scheme of delegation" not in str(error.value)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GOVERNING_BODY


def test_a_submission_after_a_failed_member_vote_is_refused(
    reference: Reference, level2_ccg: CCG, officer: User
) -> None:
    application = _ready_to_submit(level2_ccg, reference, officer, for_=10)
    with pytest.raises(ValidationError, match="did not vote for"):
        _submit(application, officer)


def test_steps_cannot_be_skipped(reference: Reference, level2_ccg: CCG, officer: User) -> None:
    application = _start(level2_ccg, reference, officer)
    with pytest.raises(ValidationError, match="cannot become submitted"):
        _submit(application, officer)
    _step(application, "Governance team", officer, dt.date(2016, 10, 31))
    with pytest.raises(ValidationError, match="Record how the member practices voted"):
        _step(application, "Membership council", officer, dt.date(2016, 11, 15))


def test_a_governance_officer_cannot_decide(reference: Reference, level2_ccg: CCG, officer: User) -> None:
    application = _ready_to_submit(level2_ccg, reference, officer)
    _submit(application, officer)
    with pytest.raises(PermissionDenied, match="NHS England reviewer"):
        application_decide(application=application, approve=True, by=officer, reason="Self-approval")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_a_reviewer_of_another_area_cannot_decide(
    reference: Reference,
    level2_ccg: CCG,
    officer: User,
    other_national_area: AreaTeam,
    make_user: Callable[..., User],
) -> None:
    application = _ready_to_submit(level2_ccg, reference, officer)
    _submit(application, officer)
    stranger = make_user(RoleKind.NHSE_REVIEWER, area_team=other_national_area)
    with pytest.raises(PermissionDenied):
        application_decide(application=application, approve=True, by=stranger, reason="Wrong area")
    assert level2_ccg.level_assignments.count() == 1


def test_a_declined_application_leaves_the_level_alone(
    reference: Reference, level2_ccg: CCG, officer: User, reviewer: User
) -> None:
    application = _ready_to_submit(level2_ccg, reference, officer)
    _submit(application, officer)
    application_decide(
        application=application,
        approve=False,
        note="Due diligence incomplete",
        by=reviewer,
        reason="Declined",
    )
    application.refresh_from_db()
    assert (application.status, application.decision_note) == (
        ApplicationStatus.DECLINED,
        "Due diligence incomplete",
    )
    assert level2_ccg.level_assignments.count() == 1


def test_a_withdrawn_application_cannot_move(reference: Reference, level2_ccg: CCG, officer: User) -> None:
    application = _start(level2_ccg, reference, officer)
    application_withdraw(application=application, by=officer, reason="Not this year")
    with pytest.raises(ValidationError, match="closed"):
        _step(application, "Governance team", officer, dt.date(2016, 10, 31))
    with pytest.raises(ValidationError, match="closed"):
        application_withdraw(application=application, by=officer, reason="Again")
    with pytest.raises(ValidationError, match="cannot be added"):
        evidence_add(
            application=application,
            kind=EvidenceKind.IG_TOOLKIT,
            received_on=dt.date(2016, 10, 3),
            by=officer,
            reason="Late",
        )


def test_one_open_application_per_ccg(reference: Reference, level2_ccg: CCG, officer: User) -> None:
    _start(level2_ccg, reference, officer)
    with pytest.raises(ValidationError, match="already has an application"):
        _start(level2_ccg, reference, officer)


def test_a_level_the_ccg_already_holds_or_from_another_scheme_is_refused(
    reference: Reference, level2_ccg: CCG, officer: User
) -> None:
    with pytest.raises(ValidationError, match="already holds level 2"):
        application_start(
            ccg=level2_ccg,
            to_level=reference.level(reference.national, 2),
            effective_from=APRIL_2017,
            by=officer,
            reason="Same level",
        )
    with pytest.raises(ValidationError) as error:
        application_start(
            ccg=level2_ccg,
            to_level=reference.level(reference.greater_manchester, 4),
            effective_from=APRIL_2017,
            by=officer,
            reason="Wrong scheme",
        )
    assert "to_level" in error.value.message_dict


def test_an_officer_of_another_ccg_cannot_start_an_application(
    reference: Reference, level2_ccg: CCG, other_ccg: CCG, make_user: Callable[..., User]
) -> None:
    outsider = make_user(RoleKind.GOVERNANCE_OFFICER, ccg=other_ccg)
    with pytest.raises(PermissionDenied):
        _start(level2_ccg, reference, outsider)
