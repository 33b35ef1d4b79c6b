"""Level applications: the pages.

A CCG's applications to move level (seed 002): the list with a form to start one, and each
application with its steps, evidence, member vote and NHS England's decision, and the forms that
move it on. Every page selects the CCG as the user may see it and the application within that
CCG, so another CCG's application is a 404 like a missing one. An action the user may not take is
not shown, and posting it is a 404 too; a service's refusal is shown on the page as an error.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from cocomm.forms import NHSForm
from cocomm.history import history_entries
from cocomm.models import CCG, User
from cocomm.permissions import AnyUser
from cocomm.selectors import ccg_get
from cocomm.views import AuthenticatedRequest
from delegation import application_rules, applications
from delegation.application_forms import (
    ApplicationStartForm,
    DecideForm,
    EvidenceForm,
    MemberVoteForm,
    StepForm,
    SubmitForm,
    WithdrawForm,
)
from delegation.application_selectors import application_get, applications_of, open_application_of
from delegation.application_timeline import STEP_NAMES, evidence_checklist, timeline, title_of
from delegation.models import (
    CLOSED_APPLICATION_STATUSES,
    ApplicationEvidence,
    ApplicationStatus,
    ApplicationStep,
    LevelApplication,
)
from delegation.permissions import can_decide_application, can_manage_application
from delegation.selectors import levels_of_scheme, scheme_of, with_levels

NOT_FOUND = "No such page."

# The statuses in which the services accept a decision or a vote; a form is offered only then.
DECIDABLE = frozenset({ApplicationStatus.SUBMITTED, ApplicationStatus.NHSE_DECISION})
VOTE_OPEN = frozenset({ApplicationStatus.EVIDENCE_GATHERED, ApplicationStatus.MEMBER_VOTE})


def _not_found() -> Http404:
    # Someone who may see the application but not take this action gets the same answer as for
    # a page that does not exist.
    return Http404(NOT_FOUND)


def _crumbs(ccg: CCG, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        ("Home", reverse("home")),
        ("CCGs", reverse("ccg-list")),
        (ccg.name, reverse("ccg-detail", args=[ccg.ods_code])),
        *extra,
    ]


def _list_crumb(ccg: CCG) -> tuple[str, str]:
    return ("Applications to change level", reverse("application-list", args=[ccg.ods_code]))


def _detail_url(application: LevelApplication, anchor: str = "") -> str:
    url = reverse("application-detail", args=[application.ccg.ods_code, application.pk])
    return f"{url}#{anchor}" if anchor else url


@dataclass(frozen=True)
class Withdrawal:
    on: dt.datetime
    by: User | None
    reason: str


def _withdrawal(application: LevelApplication) -> Withdrawal | None:
    """When, by whom and why the application was withdrawn: only its history records that."""
    if application.status != ApplicationStatus.WITHDRAWN:
        return None
    row = (
        LevelApplication.history.filter(id=application.pk, status=ApplicationStatus.WITHDRAWN)
        .select_related("history_user")
        .order_by("history_date")
        .first()
    )
    if row is None:
        return None
    return Withdrawal(row.history_date, row.history_user, row.history_change_reason or "")


# Pages ---------------------------------------------------------------------------------------------


def ccg_page_context(user: AnyUser, ccg: CCG) -> dict[str, Any]:
    """What the CCG page shows of this part (its template is an include of the CCG page)."""
    open_application = open_application_of(ccg)
    return {
        "open_application": open_application,
        "may_start_application": open_application is None and can_manage_application(user, ccg),
    }


def _ccg(request: AuthenticatedRequest, ods_code: str, queryset: QuerySet[CCG] | None = None) -> CCG:
    return ccg_get(request.user, ods_code, queryset if queryset is not None else _ccgs())


def _ccgs() -> QuerySet[CCG]:
    return CCG.objects.select_related("area_team")


def _list_page(
    request: AuthenticatedRequest, ccg: CCG, form: ApplicationStartForm | None = None
) -> HttpResponse:
    found = applications_of(ccg)
    scheme = scheme_of(ccg)
    in_progress = next((a for a in found if a.status not in CLOSED_APPLICATION_STATUSES), None)
    context: dict[str, Any] = {
        "ccg": ccg,
        "scheme": scheme,
        "applications": found,
        "in_progress": in_progress,
        "crumbs": _crumbs(ccg),
    }
    # A bound form is shown even when an application is open, so its refusal is seen.
    if (
        can_manage_application(request.user, ccg)
        and scheme is not None
        and (form is not None or in_progress is None)
    ):
        context["form"] = form or ApplicationStartForm(levels=levels_of_scheme(scheme), prefix="start")
    return render(request, "delegation/application_list.html", context)


@login_required
def application_list(request: AuthenticatedRequest, ods_code: str) -> HttpResponse:
    return _list_page(request, _ccg(request, ods_code, with_levels(CCG.objects.all())))


@login_required
def application_start(request: AuthenticatedRequest, ods_code: str) -> HttpResponse:
    ccg = _ccg(request, ods_code, with_levels(CCG.objects.all()))
    if not can_manage_application(request.user, ccg):
        raise _not_found()
    if request.method != "POST":
        return redirect("application-list", ods_code=ccg.ods_code)
    form = ApplicationStartForm(request.POST, levels=levels_of_scheme(scheme_of(ccg)), prefix="start")
    if form.is_valid():
        try:
            application = applications.application_start(
                ccg=ccg,
                to_level=form.cleaned_data["to_level"],
                effective_from=form.cleaned_data["effective_from"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.attach(error)
        except PermissionDenied:
            raise _not_found() from None
        else:
            messages.success(request, f"The application has been started: {title_of(application).lower()}.")
            return redirect(_detail_url(application))
    return _list_page(request, ccg, form)


def _detail_page(
    request: AuthenticatedRequest, ccg: CCG, application: LevelApplication, **bound: NHSForm
) -> HttpResponse:
    user = request.user
    manages = can_manage_application(user, ccg)
    decides = can_decide_application(user, ccg)
    steps = list(application.steps.all())
    evidence = list(application.evidence.all())
    missing = application_rules.missing_evidence(e.kind for e in evidence)
    status = application.status
    is_open = status not in CLOSED_APPLICATION_STATUSES
    following = application_rules.next_step(status) if is_open else None
    vote_carried = None
    if application.vote_recorded:
        assert application.practices_for is not None  # for mypy: vote_recorded checked it
        vote_carried = application_rules.vote_carried(
            application.practices_for,
            application.practices_against or 0,
            application.practices_abstaining or 0,
        )
    forms: dict[str, NHSForm] = {}
    if manages and status in applications.EVIDENCE_OPEN:
        forms["evidence_form"] = EvidenceForm(missing=missing, prefix="evidence")
    if manages and status in VOTE_OPEN:
        initial = (
            {
                "practices_for": application.practices_for,
                "practices_against": application.practices_against,
                "practices_abstaining": application.practices_abstaining,
            }
            if application.vote_recorded
            else {}
        )
        forms["vote_form"] = MemberVoteForm(initial=initial, prefix="vote")
    if manages and following in applications.CCG_STEPS:
        forms["step_form"] = StepForm(prefix="step")
    if manages and status == ApplicationStatus.GOVERNING_BODY:
        forms["submit_form"] = SubmitForm(prefix="submit")
    if decides and status in DECIDABLE:
        forms["decide_form"] = DecideForm(prefix="decide")
    if manages and is_open:
        forms["withdraw_form"] = WithdrawForm(prefix="withdraw")
    # A form that came back with errors replaces the blank one, and is the page's `form` so the
    # error summary at the top lists its errors.
    forms.update(bound)
    context: dict[str, Any] = {
        "ccg": ccg,
        "application": application,
        "title": title_of(application),
        "is_open": is_open,
        "timeline": timeline(application, steps),
        "next_step": following,
        "next_step_name": STEP_NAMES[following] if following else "",
        "checklist": evidence_checklist(evidence),
        "missing": missing,
        "vote_carried": vote_carried,
        "decision_step": next(
            (s for s in steps if s.step in (ApplicationStatus.APPROVED, ApplicationStatus.DECLINED)), None
        ),
        "withdrawal": _withdrawal(application),
        "manages": manages,
        "decides": decides,
        "crumbs": _crumbs(ccg, _list_crumb(ccg)),
        **forms,
    }
    if bound:
        context["form"] = next(iter(bound.values()))
    return render(request, "delegation/application_detail.html", context)


@login_required
def application_detail(request: AuthenticatedRequest, ods_code: str, pk: int) -> HttpResponse:
    ccg = _ccg(request, ods_code)
    return _detail_page(request, ccg, application_get(ccg, pk))


@login_required
def application_history(request: AuthenticatedRequest, ods_code: str, pk: int) -> HttpResponse:
    ccg = _ccg(request, ods_code)
    application = application_get(ccg, pk)
    entries = history_entries(
        LevelApplication.history.filter(id=application.pk),
        ApplicationStep.history.filter(application_id=application.pk),
        ApplicationEvidence.history.filter(application_id=application.pk),
    )
    return render(
        request,
        "delegation/application_history.html",
        {
            "ccg": ccg,
            "application": application,
            "title": title_of(application),
            "entries": entries,
            "crumbs": _crumbs(ccg, _list_crumb(ccg), (title_of(application), _detail_url(application))),
        },
    )


# Actions -------------------------------------------------------------------------------------------

Act = Callable[[LevelApplication, Any, AuthenticatedRequest], str]


def _act(
    request: AuthenticatedRequest,
    ods_code: str,
    pk: int,
    *,
    may: Callable[[AnyUser, CCG], bool],
    form_class: type[NHSForm],
    key: str,
    anchor: str,
    act: Act,
) -> HttpResponse:
    """Select, check, validate, call the service, redirect; or show the page with the form's errors."""
    ccg = _ccg(request, ods_code)
    application = application_get(ccg, pk)
    if not may(request.user, ccg):
        raise _not_found()
    if request.method != "POST":
        return redirect(_detail_url(application, anchor))
    prefix = key.removesuffix("_form")
    form = form_class(request.POST, request.FILES, prefix=prefix)
    if form.is_valid():
        try:
            message = act(application, form, request)
        except ValidationError as error:
            form.attach(error)
        except PermissionDenied:
            raise _not_found() from None
        else:
            messages.success(request, message)
            return redirect(_detail_url(application, anchor))
    return _detail_page(request, ccg, application, **{key: form})


def _add_evidence(application: LevelApplication, form: Any, request: AuthenticatedRequest) -> str:
    data = form.cleaned_data
    evidence = applications.evidence_add(
        application=application,
        kind=data["kind"],
        received_on=data["received_on"],
        document=data["document"],
        by=request.user,
        reason=data["reason"],
    )
    return f"{evidence.get_kind_display()} received on {evidence.received_on:%-d %B %Y} has been added."


def _record_vote(application: LevelApplication, form: Any, request: AuthenticatedRequest) -> str:
    data = form.cleaned_data
    applications.member_vote_record(
        application=application,
        practices_for=data["practices_for"],
        practices_against=data["practices_against"],
        practices_abstaining=data["practices_abstaining"],
        by=request.user,
        reason=data["reason"],
    )
    return (
        f"The member practices' vote has been recorded: {data['practices_for']} for, "
        f"{data['practices_against']} against, {data['practices_abstaining']} abstaining."
    )


def _record_step(application: LevelApplication, form: Any, request: AuthenticatedRequest) -> str:
    data = form.cleaned_data
    step = applications.step_record(
        application=application,
        done_on=data["done_on"],
        by_body=data["by_body"],
        signed_off_by=data["signed_off_by"],
        document=data["document"],
        note=data["note"],
        by=request.user,
        reason=data["reason"],
    )
    return f"{STEP_NAMES[step.step]}: recorded as done on {step.done_on:%-d %B %Y} by {step.by_body}."


def _submit(application: LevelApplication, form: Any, request: AuthenticatedRequest) -> str:
    data = form.cleaned_data
    applications.application_submit(
        application=application,
        done_on=data["done_on"],
        signed_off_by=data["signed_off_by"],
        document=data["document"],
        note=data["note"],
        by=request.user,
        reason=data["reason"],
    )
    return "The application has been submitted to NHS England."


def _decide(application: LevelApplication, form: Any, request: AuthenticatedRequest) -> str:
    data = form.cleaned_data
    decided = applications.application_decide(
        application=application,
        approve=form.approves,
        note=data["note"],
        decided_on=data["decided_on"],
        document=data["document"],
        by=request.user,
        reason=data["reason"],
    )
    if decided.status == ApplicationStatus.APPROVED:
        return (
            f"The application has been approved. {application.ccg.name} holds level "
            f"{decided.to_level.number} from {decided.effective_from:%-d %B %Y}."
        )
    return "The application has been declined."


def _withdraw(application: LevelApplication, form: Any, request: AuthenticatedRequest) -> str:
    applications.application_withdraw(
        application=application, by=request.user, reason=form.cleaned_data["reason"]
    )
    return "The application has been withdrawn."


@login_required
def evidence_add(request: AuthenticatedRequest, ods_code: str, pk: int) -> HttpResponse:
    return _act(
        request,
        ods_code,
        pk,
        may=can_manage_application,
        form_class=EvidenceForm,
        key="evidence_form",
        anchor="evidence",
        act=_add_evidence,
    )


@login_required
def member_vote_record(request: AuthenticatedRequest, ods_code: str, pk: int) -> HttpResponse:
    return _act(
        request,
        ods_code,
        pk,
        may=can_manage_application,
        form_class=MemberVoteForm,
        key="vote_form",
        anchor="vote",
        act=_record_vote,
    )


@login_required
def step_record(request: AuthenticatedRequest, ods_code: str, pk: int) -> HttpResponse:
    return _act(
        request,
        ods_code,
        pk,
        may=can_manage_application,
        form_class=StepForm,
        key="step_form",
        anchor="steps",
        act=_record_step,
    )


@login_required
def application_submit(request: AuthenticatedRequest, ods_code: str, pk: int) -> HttpResponse:
    return _act(
        request,
        ods_code,
        pk,
        may=can_manage_application,
        form_class=SubmitForm,
        key="submit_form",
        anchor="steps",
        act=_submit,
    )


@login_required
def application_decide(request: AuthenticatedRequest, ods_code: str, pk: int) -> HttpResponse:
    return _act(
        request,
        ods_code,
        pk,
        may=can_decide_application,
        form_class=DecideForm,
        key="decide_form",
        anchor="decision",
        act=_decide,
    )


@login_required
def application_withdraw(request: AuthenticatedRequest, ods_code: str, pk: int) -> HttpResponse:
    return _act(
        request,
        ods_code,
        pk,
        may=can_manage_application,
        form_class=WithdrawForm,
        key="withdraw_form",
        anchor="withdraw",
        act=_withdraw,
    )


# Documents -----------------------------------------------------------------------------------------


def _download(document: Any) -> FileResponse:
    if not document:
        raise _not_found()
    try:
        handle = document.open("rb")
    except FileNotFoundError:
        raise Http404("The document's file is missing.") from None
    return FileResponse(handle, as_attachment=True, filename=os.path.basename(document.name))


@require_GET
@login_required
def evidence_document(
    request: AuthenticatedRequest, ods_code: str, pk: int, evidence_pk: int
) -> FileResponse:
    application = application_get(_ccg(request, ods_code), pk)
    item = next((e for e in application.evidence.all() if e.pk == evidence_pk), None)
    if item is None:
        raise _not_found()
    return _download(item.document)


@require_GET
@login_required
def step_document(request: AuthenticatedRequest, ods_code: str, pk: int, step_pk: int) -> FileResponse:
    application = application_get(_ccg(request, ods_code), pk)
    step = next((s for s in application.steps.all() if s.pk == step_pk), None)
    if step is None:
        raise _not_found()
    return _download(step.document)
