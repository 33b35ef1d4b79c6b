"""The pages for applications to change level: who sees what, each form's effect and refusals, queries."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cocomm.models import CCG, AreaTeam, RoleKind, User
from delegation import applications
from delegation.application_timeline import timeline
from delegation.models import (
    ApplicationEvidence,
    ApplicationStatus,
    ApplicationStep,
    EvidenceKind,
    LevelApplication,
)
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


@pytest.fixture
def other_officer(make_user: Callable[..., User], other_ccg: CCG) -> User:
    return make_user(RoleKind.GOVERNANCE_OFFICER, ccg=other_ccg)


@pytest.fixture
def other_reviewer(make_user: Callable[..., User], other_ccg: CCG) -> User:
    return make_user(RoleKind.NHSE_REVIEWER, area_team=other_ccg.area_team)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response: HttpResponse) -> str:
    """The page as a reader sees it: entities such as &#x27; turned back into characters."""
    return html.unescape(response.content.decode())


# Getting an application to each stage, through the services ---------------------------------------------


def start(ccg: CCG, reference: Reference, by: User) -> LevelApplication:
    return applications.application_start(
        ccg=ccg,
        to_level=reference.level(reference.national, 3),
        effective_from=APRIL_2017,
        by=by,
        reason="Move to delegated commissioning",
    )


def add_evidence(application: LevelApplication, by: User, *, skip: tuple[EvidenceKind, ...] = ()) -> None:
    for kind in EvidenceKind:
        if kind not in skip:
            applications.evidence_add(
                application=application, kind=kind, received_on=dt.date(2016, 10, 3), by=by, reason="Received"
            )


def record_step(application: LevelApplication, by: User, body: str, on: dt.date) -> None:
    applications.step_record(
        application=application,
        done_on=on,
        by_body=body,
        signed_off_by="Clinical chair",
        by=by,
        reason="Signed",
    )


def vote(application: LevelApplication, by: User, practices_for: int = 30) -> None:
    applications.member_vote_record(
        application=application,
        practices_for=practices_for,
        practices_against=8,
        practices_abstaining=2,
        by=by,
        reason="Counted",
    )


def at_governing_body(
    ccg: CCG, reference: Reference, by: User, *, skip: tuple[EvidenceKind, ...] = ()
) -> LevelApplication:
    application = start(ccg, reference, by)
    add_evidence(application, by, skip=skip)
    record_step(application, by, "Steering group", dt.date(2016, 10, 14))
    vote(application, by)
    record_step(application, by, "Members' meeting", dt.date(2016, 10, 27))
    record_step(application, by, "Governing body", dt.date(2016, 11, 9))
    application.refresh_from_db()
    return application


def submitted(ccg: CCG, reference: Reference, by: User) -> LevelApplication:
    application = at_governing_body(ccg, reference, by)
    applications.application_submit(
        application=application,
        done_on=dt.date(2016, 11, 21),
        signed_off_by="Accountable officer",
        by=by,
        reason="Sent",
    )
    application.refresh_from_db()
    return application


# URLs and form data ---------------------------------------------------------------------------------------


def list_url(ccg: CCG) -> str:
    return reverse("application-list", args=[ccg.ods_code])


def detail_url(application: LevelApplication, ccg: CCG | None = None) -> str:
    return reverse("application-detail", args=[(ccg or application.ccg).ods_code, application.pk])


def action_url(name: str, application: LevelApplication) -> str:
    return reverse(f"application-{name}", args=[application.ccg.ods_code, application.pk])


def date(prefix: str, name: str, day: dt.date | None) -> dict[str, str]:
    if day is None:
        return {f"{prefix}-{name}_{part}": "" for part in ("day", "month", "year")}
    return {
        f"{prefix}-{name}_day": str(day.day),
        f"{prefix}-{name}_month": str(day.month),
        f"{prefix}-{name}_year": str(day.year),
    }


def start_form(level_pk: int, day: dt.date = APRIL_2017) -> dict[str, Any]:
    return {"start-to_level": str(level_pk), **date("start", "effective_from", day), "start-reason": "Agreed"}


def evidence_form(kind: str, day: dt.date | None = dt.date(2016, 10, 3), **extra: Any) -> dict[str, Any]:
    return {
        "evidence-kind": kind,
        **date("evidence", "received_on", day),
        "evidence-reason": "Received",
        **extra,
    }


def step_form(**extra: Any) -> dict[str, Any]:
    return {
        **date("step", "done_on", dt.date(2016, 10, 14)),
        "step-by_body": "Steering group",
        "step-signed_off_by": "Director of primary care",
        "step-note": "Checked against the checklist",
        "step-reason": "Signed off",
        **extra,
    }


def submit_form() -> dict[str, Any]:
    return {
        **date("submit", "done_on", dt.date(2016, 11, 21)),
        "submit-signed_off_by": "Accountable officer",
        "submit-reason": "Sent to NHS England",
    }


def decide_form(outcome: str = "approve") -> dict[str, Any]:
    return {
        "decide-outcome": outcome,
        **date("decide", "decided_on", dt.date(2017, 1, 20)),
        "decide-note": "Letter of 20 January 2017",
        "decide-reason": "Assurance complete",
    }


# Who sees what --------------------------------------------------------------------------------------------


def test_the_ccgs_officer_sees_the_list_with_the_start_form(officer: User, level2_ccg: CCG) -> None:
    response = logged_in(officer).get(list_url(level2_ccg))

    assert response.status_code == 200
    page = text(response)
    assert "made no application to change level" in page
    assert "Start the application" in page
    assert "Level 3: Delegated commissioning" in page


def test_a_reviewer_sees_the_list_and_application_but_no_ccg_forms(
    officer: User, reviewer: User, level2_ccg: CCG, reference: Reference
) -> None:
    application = start(level2_ccg, reference, officer)
    client = logged_in(reviewer)

    listing = client.get(list_url(level2_ccg))
    page = client.get(detail_url(application))

    assert listing.status_code == page.status_code == 200
    assert "Start the application" not in text(listing)
    assert "To level 3" in text(listing)
    for button in ("Add the evidence", "Record the step", "Withdraw the application", "Record the decision"):
        assert button not in text(page)


@pytest.mark.parametrize("who", ["other_officer", "other_reviewer"])
def test_another_ccgs_or_areas_user_gets_not_found_everywhere(
    who: str, request: pytest.FixtureRequest, officer: User, level2_ccg: CCG, reference: Reference
) -> None:
    application = start(level2_ccg, reference, officer)
    client = logged_in(request.getfixturevalue(who))

    for url in (list_url(level2_ccg), detail_url(application), action_url("history", application)):
        assert client.get(url).status_code == 404
    assert client.post(action_url("withdraw", application), {"withdraw-reason": "No"}).status_code == 404
    assert client.post(action_url("decide", application), decide_form()).status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_an_application_is_not_found_under_another_ccgs_address(
    administrator: User, officer: User, level2_ccg: CCG, other_ccg: CCG, reference: Reference
) -> None:
    application = start(level2_ccg, reference, officer)
    client = logged_in(administrator)

    assert client.get(detail_url(application)).status_code == 200
    assert client.get(detail_url(application, ccg=other_ccg)).status_code == 404
    wrong = reverse("application-withdraw", args=[other_ccg.ods_code, application.pk])
    assert client.post(wrong, {"withdraw-reason": "Tidy up"}).status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_anonymous_users_are_sent_to_log_in(officer: User, level2_ccg: CCG, reference: Reference) -> None:
    application = start(level2_ccg, reference, officer)
    for url in (list_url(level2_ccg), detail_url(application), action_url("evidence-add", application)):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# Starting -------------------------------------------------------------------------------------------------


def test_an_officer_starts_an_application_through_the_service(
    officer: User, level2_ccg: CCG, reference: Reference
) -> None:
    level3 = reference.level(reference.national, 3)

    response = logged_in(officer).post(
        reverse("application-start", args=[level2_ccg.ods_code]), start_form(level3.pk)
    )

    application = LevelApplication.objects.get(ccg=level2_ccg)
    assert response.status_code == 302
    assert response["Location"] == detail_url(application)
    assert (application.to_level, application.effective_from) == (level3, APRIL_2017)
    assert application.from_level == reference.level(reference.national, 2)
    row = application.history.get()
    assert (row.history_user, row.history_change_reason) == (officer, "Agreed")


def test_a_second_open_application_is_refused_on_the_list_page(
    officer: User, level2_ccg: CCG, reference: Reference
) -> None:
    start(level2_ccg, reference, officer)

    response = logged_in(officer).post(
        reverse("application-start", args=[level2_ccg.ods_code]),
        start_form(reference.level(reference.national, 3).pk, dt.date(2018, 4, 1)),
    )

    assert response.status_code == 200
    assert "already has an application in progress" in text(response)
    assert LevelApplication.objects.filter(ccg=level2_ccg).count() == 1


def test_starting_needs_a_level_a_real_date_and_a_reason(officer: User, level2_ccg: CCG) -> None:
    response = logged_in(officer).post(
        reverse("application-start", args=[level2_ccg.ods_code]),
        {
            "start-effective_from_day": "31",
            "start-effective_from_month": "2",
            "start-effective_from_year": "2017",
        },
    )

    page = text(response)
    assert response.status_code == 200
    assert "Select the level the CCG is applying for" in page
    assert "Enter a real date" in page
    assert "Enter the reason for the change" in page
    assert 'href="#id_start-effective_from_day"' in page
    assert not LevelApplication.objects.exists()


def test_a_reviewer_cannot_start_an_application(
    reviewer: User, level2_ccg: CCG, reference: Reference
) -> None:
    response = logged_in(reviewer).post(
        reverse("application-start", args=[level2_ccg.ods_code]),
        start_form(reference.level(reference.national, 3).pk),
    )

    assert response.status_code == 404
    assert not LevelApplication.objects.exists()


# Evidence -------------------------------------------------------------------------------------------------


def test_evidence_is_added_with_its_document_stored_and_downloadable(
    officer: User, level2_ccg: CCG, reference: Reference, other_officer: User
) -> None:
    application = start(level2_ccg, reference, officer)
    upload = SimpleUploadedFile("constitution-v7.pdf", b"%PDF-1.4 amended constitution", "application/pdf")
    client = logged_in(officer)

    response = client.post(
        action_url("evidence-add", application),
        evidence_form(EvidenceKind.CONSTITUTION_AMENDMENT, **{"evidence-document": upload}),
    )

    assert response.status_code == 302
    assert response["Location"] == detail_url(application) + "#evidence"
    evidence = ApplicationEvidence.objects.get(application=application)
    assert (evidence.kind, evidence.received_on) == (
        EvidenceKind.CONSTITUTION_AMENDMENT,
        dt.date(2016, 10, 3),
    )
    assert evidence.document.read() == b"%PDF-1.4 amended constitution"
    assert evidence.history.get().history_user == officer

    page = text(client.get(detail_url(application)))
    assert "Constitution amendment received on 3 October 2016 has been added." in page
    document_url = reverse(
        "application-evidence-document", args=[level2_ccg.ods_code, application.pk, evidence.pk]
    )
    assert document_url in page
    download = client.get(document_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 amended constitution"  # type: ignore[attr-defined]
    assert logged_in(other_officer).get(document_url).status_code == 404


def test_the_checklist_shows_what_is_received_and_what_is_missing(
    officer: User, level2_ccg: CCG, reference: Reference
) -> None:
    application = start(level2_ccg, reference, officer)
    add_evidence(application, officer, skip=(EvidenceKind.IG_TOOLKIT, EvidenceKind.DUE_DILIGENCE))

    page = text(logged_in(officer).get(detail_url(application)))

    assert "2 still missing" in page
    assert page.count(">Missing</strong>") == 2
    assert page.count(">Received</strong>") == 5
    # The form offers the missing documents first.
    assert page.index("Due diligence report on contracts and finances (missing)") < page.index(
        ">Constitution amendment</option>"
    )


def test_evidence_without_a_date_is_refused_on_the_page(
    officer: User, level2_ccg: CCG, reference: Reference
) -> None:
    application = start(level2_ccg, reference, officer)

    response = logged_in(officer).post(
        action_url("evidence-add", application), evidence_form(EvidenceKind.IG_TOOLKIT, day=None)
    )

    assert response.status_code == 200
    assert "Enter the date the document was received" in text(response)
    assert 'href="#id_evidence-received_on_day"' in text(response)
    assert not ApplicationEvidence.objects.exists()


def test_evidence_after_submission_is_refused_on_the_page(
    officer: User, level2_ccg: CCG, reference: Reference
) -> None:
    application = submitted(level2_ccg, reference, officer)
    kinds = sorted(application.evidence.values_list("kind", flat=True))

    response = logged_in(officer).post(
        action_url("evidence-add", application), evidence_form(EvidenceKind.IG_TOOLKIT)
    )

    assert response.status_code == 200
    assert "Evidence cannot be added to an application that is submitted" in text(response)
    assert sorted(application.evidence.values_list("kind", flat=True)) == kinds


# The member vote and the CCG's steps --------------------------------------------------------------------


def test_the_vote_is_recorded_and_shown_as_carried(
    officer: User, level2_ccg: CCG, reference: Reference
) -> None:
    application = start(level2_ccg, reference, officer)
    record_step(application, officer, "Steering group", dt.date(2016, 10, 14))
    client = logged_in(officer)

    response = client.post(
        action_url("vote-record", application),
        {
            "vote-practices_for": "27",
            "vote-practices_against": "4",
            "vote-practices_abstaining": "3",
            "vote-reason": "Counted",
        },
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.practices_for, application.practices_against, application.practices_abstaining) == (
        27,
        4,
        3,
    )
    page = text(client.get(detail_url(application)))
    assert "Carried" in page
    assert "Not carried" not in page


def test_a_vote_before_the_evidence_step_is_refused_on_the_page(
    officer: User, level2_ccg: CCG, reference: Reference
) -> None:
    application = start(level2_ccg, reference, officer)

    response = logged_in(officer).post(
        action_url("vote-record", application),
        {
            "vote-practices_for": "27",
            "vote-practices_against": "4",
            "vote-practices_abstaining": "3",
            "vote-reason": "Counted",
        },
    )

    assert response.status_code == 200
    assert "The member vote is recorded after the evidence is gathered" in text(response)
    application.refresh_from_db()
    assert not application.vote_recorded


def test_a_negative_vote_count_is_refused(officer: User, level2_ccg: CCG, reference: Reference) -> None:
    application = start(level2_ccg, reference, officer)
    record_step(application, officer, "Steering group", dt.date(2016, 10, 14))

    response = logged_in(officer).post(
        action_url("vote-record", application),
        {
            "vote-practices_for": "-1",
            "vote-practices_against": "x",
            "vote-practices_abstaining": "",
            "vote-reason": "Counted",
        },
    )

    page = text(response)
    assert response.status_code == 200
    assert "The number of practices cannot be negative" in page
    assert "Enter a whole number of practices" in page
    assert "Enter how many practices abstained" in page
    application.refresh_from_db()
    assert not application.vote_recorded


def test_the_next_step_is_recorded_with_its_document(
    officer: User, level2_ccg: CCG, reference: Reference
) -> None:
    application = start(level2_ccg, reference, officer)
    client = logged_in(officer)

    response = client.post(
        action_url("step-record", application),
        step_form(**{"step-document": SimpleUploadedFile("checklist.pdf", b"%PDF-1.4 checklist")}),
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.EVIDENCE_GATHERED
    step = application.steps.get()
    assert (step.step, step.done_on, step.by_body) == (
        ApplicationStatus.EVIDENCE_GATHERED,
        dt.date(2016, 10, 14),
        "Steering group",
    )
    assert step.document.read() == b"%PDF-1.4 checklist"
    page = text(client.get(detail_url(application)))
    assert "14 October 2016, Steering group. Signed off by Director of primary care." in page
    assert reverse("application-step-document", args=[level2_ccg.ods_code, application.pk, step.pk]) in page
    # The member vote comes next, and is the one highlighted.
    assert 'id="step-member_vote" aria-current="step"' in page
    assert page.count('aria-current="step"') == 1


def test_the_vote_step_before_the_vote_is_refused_on_the_page(
    officer: User, level2_ccg: CCG, reference: Reference
) -> None:
    application = start(level2_ccg, reference, officer)
    record_step(application, officer, "Steering group", dt.date(2016, 10, 14))

    response = logged_in(officer).post(action_url("step-record", application), step_form())

    assert response.status_code == 200
    assert "Record how the member practices voted before recording the vote step." in text(response)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.EVIDENCE_GATHERED
    assert application.steps.count() == 1


# Submitting and deciding ----------------------------------------------------------------------------------


def test_submitting_with_evidence_missing_lists_what_is_missing(
    officer: User, level2_ccg: CCG, reference: Reference
) -> None:
    application = at_governing_body(
        level2_ccg, reference, officer, skip=(EvidenceKind.IG_TOOLKIT, EvidenceKind.STAFFING_APPRAISAL)
    )

    response = logged_in(officer).post(action_url("submit", application), submit_form())

    page = text(response)
    assert response.status_code == 200
    missing = "Information governance toolkit; Staffing options appraisal."
    assert f"The application cannot be submitted without: {missing}" in page
    assert "There is a problem" in page
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GOVERNING_BODY
    assert not application.steps.filter(step=ApplicationStatus.SUBMITTED).exists()

    # The missing documents can still be added, and then the application goes.
    client = logged_in(officer)
    for kind in (EvidenceKind.IG_TOOLKIT, EvidenceKind.STAFFING_APPRAISAL):
        assert client.post(action_url("evidence-add", application), evidence_form(kind)).status_code == 302
    assert client.post(action_url("submit", application), submit_form()).status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_an_officer_submits_and_cannot_see_or_use_the_decision_form(
    officer: User, level2_ccg: CCG, reference: Reference
) -> None:
    application = at_governing_body(level2_ccg, reference, officer)
    client = logged_in(officer)

    response = client.post(action_url("submit", application), submit_form())

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.steps.get(step=ApplicationStatus.SUBMITTED).signed_off_by == "Accountable officer"
    page = text(client.get(detail_url(application)))
    assert "Record NHS England's decision" not in page
    assert "The application is with NHS England Lancashire for decision." in page
    assert client.post(action_url("decide", application), decide_form()).status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_the_areas_reviewer_approves_and_the_ccg_holds_the_new_level_from_its_date(
    officer: User, reviewer: User, level2_ccg: CCG, reference: Reference
) -> None:
    application = submitted(level2_ccg, reference, officer)
    client = logged_in(reviewer)
    assert "Record NHS England's decision" in text(client.get(detail_url(application)))

    response = client.post(action_url("decide", application), decide_form("approve"))

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert (application.decided_by, application.decided_on) == (reviewer, dt.date(2017, 1, 20))
    assert level2_ccg.level_assignments.get(effective_from=APRIL_2017).level.number == 3
    page = text(client.get(detail_url(application)))
    assert "holds level 3 from 1 April 2017" in page
    assert "Letter of 20 January 2017" in page
    assert str(reviewer) in page
    ccg_page = text(client.get(reverse("ccg-detail", args=[level2_ccg.ods_code])))
    assert "No application to change level is in progress." in ccg_page


def test_a_declined_application_is_shown_closed(
    officer: User, reviewer: User, level2_ccg: CCG, reference: Reference
) -> None:
    application = submitted(level2_ccg, reference, officer)

    response = logged_in(reviewer).post(action_url("decide", application), decide_form("decline"))

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED
    assert not level2_ccg.level_assignments.filter(effective_from=APRIL_2017).exists()
    page = text(logged_in(officer).get(detail_url(application)))
    assert 'id="step-declined"' in page
    assert "Withdraw the application" not in page
    assert "NHS England declined this application." in page


def test_a_decision_without_an_outcome_is_refused(
    officer: User, reviewer: User, level2_ccg: CCG, reference: Reference
) -> None:
    application = submitted(level2_ccg, reference, officer)

    response = logged_in(reviewer).post(action_url("decide", application), {"decide-reason": "Done"})

    assert response.status_code == 200
    assert "Select whether NHS England approves or declines the application" in text(response)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_a_decision_before_submission_is_refused_on_the_page(
    officer: User, reviewer: User, level2_ccg: CCG, reference: Reference
) -> None:
    application = at_governing_body(level2_ccg, reference, officer)

    response = logged_in(reviewer).post(action_url("decide", application), decide_form())

    assert response.status_code == 200
    assert "cannot become approved" in text(response)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GOVERNING_BODY


# Withdrawing ----------------------------------------------------------------------------------------------


def test_an_officer_withdraws_with_a_reason_and_the_page_says_so(
    officer: User, level2_ccg: CCG, reference: Reference
) -> None:
    application = start(level2_ccg, reference, officer)
    client = logged_in(officer)

    response = client.post(
        action_url("withdraw", application), {"withdraw-reason": "Governing body deferred the move"}
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    page = text(client.get(detail_url(application)))
    assert "Governing body deferred the move" in page
    assert 'id="step-withdrawn"' in page
    assert "Not reached" in page


def test_withdrawing_twice_is_refused_on_the_page(
    officer: User, level2_ccg: CCG, reference: Reference
) -> None:
    application = start(level2_ccg, reference, officer)
    applications.application_withdraw(application=application, by=officer, reason="Deferred")

    response = logged_in(officer).post(action_url("withdraw", application), {"withdraw-reason": "Again"})

    assert response.status_code == 200
    assert "is closed and cannot change" in text(response)
    assert application.history.count() == 2


def test_withdrawing_needs_a_reason(officer: User, level2_ccg: CCG, reference: Reference) -> None:
    application = start(level2_ccg, reference, officer)

    response = logged_in(officer).post(action_url("withdraw", application), {"withdraw-reason": ""})

    assert response.status_code == 200
    assert "Enter why the application is being withdrawn" in text(response)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_a_reviewer_cannot_use_the_ccgs_forms(
    officer: User, reviewer: User, level2_ccg: CCG, reference: Reference
) -> None:
    application = start(level2_ccg, reference, officer)
    client = logged_in(reviewer)

    assert (
        client.post(
            action_url("evidence-add", application), evidence_form(EvidenceKind.IG_TOOLKIT)
        ).status_code
        == 404
    )
    assert client.post(action_url("step-record", application), step_form()).status_code == 404
    assert client.post(action_url("withdraw", application), {"withdraw-reason": "No"}).status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert not application.evidence.exists()


def test_opening_an_action_address_leads_back_to_the_application(
    officer: User, level2_ccg: CCG, reference: Reference
) -> None:
    application = start(level2_ccg, reference, officer)

    response = logged_in(officer).get(action_url("evidence-add", application))

    assert response.status_code == 302
    assert response["Location"] == detail_url(application) + "#evidence"


# The timeline, as a pure function of the application and its steps -------------------------------------


def states(status: str, steps: tuple[str, ...]) -> list[tuple[str, str]]:
    application = LevelApplication(status=status)
    records = [ApplicationStep(step=step, done_on=dt.date(2016, 10, 1)) for step in steps]
    return [(row.status, row.state) for row in timeline(application, records)]


def test_an_application_withdrawn_after_its_first_step_shows_the_rest_as_not_reached() -> None:
    assert states(ApplicationStatus.WITHDRAWN, (ApplicationStatus.EVIDENCE_GATHERED,)) == [
        (ApplicationStatus.DRAFT, "done"),
        (ApplicationStatus.EVIDENCE_GATHERED, "done"),
        (ApplicationStatus.MEMBER_VOTE, "not_reached"),
        (ApplicationStatus.GOVERNING_BODY, "not_reached"),
        (ApplicationStatus.SUBMITTED, "not_reached"),
        (ApplicationStatus.NHSE_DECISION, "not_reached"),
        (ApplicationStatus.APPROVED, "not_reached"),
        (ApplicationStatus.WITHDRAWN, "withdrawn"),
    ]


def test_a_declined_application_ends_with_the_decline_in_place_of_approval() -> None:
    done = (
        ApplicationStatus.EVIDENCE_GATHERED,
        ApplicationStatus.MEMBER_VOTE,
        ApplicationStatus.GOVERNING_BODY,
    )
    rows = states(
        ApplicationStatus.DECLINED, (*done, ApplicationStatus.SUBMITTED, ApplicationStatus.DECLINED)
    )
    assert rows[-2:] == [(ApplicationStatus.NHSE_DECISION, "done"), (ApplicationStatus.DECLINED, "declined")]
    assert all(state == "done" for _, state in rows[:-1])


def test_an_open_application_has_exactly_one_next_step() -> None:
    rows = states(ApplicationStatus.SUBMITTED, ())
    assert [status for status, state in rows if state == "next"] == [ApplicationStatus.NHSE_DECISION]
    assert rows[-1] == (ApplicationStatus.APPROVED, "waiting")


# History, the CCG page and query counts ----------------------------------------------------------------


def test_the_history_shows_the_application_its_steps_and_evidence_with_reasons(
    officer: User, level2_ccg: CCG, reference: Reference
) -> None:
    application = start(level2_ccg, reference, officer)
    applications.evidence_add(
        application=application,
        kind=EvidenceKind.IG_TOOLKIT,
        received_on=dt.date(2016, 9, 1),
        by=officer,
        reason="Received",
    )
    record_step(application, officer, "Steering group", dt.date(2016, 10, 14))

    response = logged_in(officer).get(action_url("history", application))

    page = text(response)
    assert response.status_code == 200
    for reason in ("Move to delegated commissioning", "Received", "Signed"):
        assert reason in page
    assert "Created: Application evidence" in page
    assert "Created: Application step" in page
    assert "Evidence gathered" in page


def test_the_ccg_page_shows_the_open_application(
    officer: User, level2_ccg: CCG, reference: Reference
) -> None:
    client = logged_in(officer)
    before = text(client.get(reverse("ccg-detail", args=[level2_ccg.ods_code])))
    application = start(level2_ccg, reference, officer)

    after = text(client.get(reverse("ccg-detail", args=[level2_ccg.ods_code])))

    assert "No application to change level is in progress." in before
    assert "Start an application" in before
    assert f'href="{detail_url(application)}">to level 3 from 1 April 2017</a>' in after
    assert "Start an application" not in after
    assert list_url(level2_ccg) in after


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("who", ["officer", "reviewer"])
def test_the_application_page_costs_the_same_queries_for_few_or_many_steps_and_evidence(
    who: str, request: pytest.FixtureRequest, officer: User, level2_ccg: CCG, reference: Reference
) -> None:
    application = start(level2_ccg, reference, officer)
    applications.evidence_add(
        application=application,
        kind=EvidenceKind.IG_TOOLKIT,
        received_on=dt.date(2016, 9, 1),
        by=officer,
        reason="In",
    )
    record_step(application, officer, "Steering group", dt.date(2016, 10, 14))
    client = logged_in(request.getfixturevalue(who))
    client.get(detail_url(application))
    few = queries_for(client, detail_url(application))

    add_evidence(application, officer)
    add_evidence(application, officer)
    vote(application, officer)
    record_step(application, officer, "Members' meeting", dt.date(2016, 10, 27))
    record_step(application, officer, "Governing body", dt.date(2016, 11, 9))
    many = queries_for(client, detail_url(application))

    assert application.evidence.count() == 15
    assert application.steps.count() == 3
    assert few == many
    assert many <= 12, f"the application page took {many} queries"


def test_the_ccg_page_costs_the_same_queries_with_one_or_many_past_applications(
    officer: User, level2_ccg: CCG, reference: Reference
) -> None:
    client = logged_in(officer)
    url = reverse("ccg-detail", args=[level2_ccg.ods_code])
    applications.application_withdraw(
        application=start(level2_ccg, reference, officer), by=officer, reason="Later"
    )
    start(level2_ccg, reference, officer)
    client.get(url)
    few = queries_for(client, url)
    for _ in range(5):
        open_one = LevelApplication.objects.get(ccg=level2_ccg, status=ApplicationStatus.DRAFT)
        applications.application_withdraw(application=open_one, by=officer, reason="Later")
        start(level2_ccg, reference, officer)

    assert queries_for(client, url) == few
    assert LevelApplication.objects.filter(ccg=level2_ccg).count() == 7
