"""Readiness assessments and shared teams: the pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from cocomm.models import CCG
from cocomm.permissions import AnyUser, can_change_ccg
from cocomm.selectors import ccg_get
from cocomm.views import AuthenticatedRequest
from delegation import readiness
from delegation.models import RAG, ReadinessAction, ReadinessAssessment
from delegation.readiness_forms import ReadinessActionDoneForm, ReadinessActionForm, ReadinessRecordForm
from functions.models import Function

RAG_LABELS = dict(RAG.choices)


@dataclass(frozen=True)
class RatedPosition:
    team: str
    rag: str
    rag_label: str
    position: str


def rated_positions(assessment: ReadinessAssessment | None) -> list[RatedPosition]:
    """The four teams' ratings and positions in the seed's column order; none if not assessed."""
    if assessment is None:
        return []
    return [
        RatedPosition(
            team=readiness.POSITION_LABELS[name],
            rag=getattr(assessment, f"{name}_rag"),
            rag_label=RAG_LABELS.get(getattr(assessment, f"{name}_rag"), "Not rated"),
            position=getattr(assessment, f"{name}_position"),
        )
        for name in readiness.POSITIONS
    ]


@dataclass(frozen=True)
class HeatRow:
    function: Function
    assessment: ReadinessAssessment | None
    cells: list[RatedPosition]


@dataclass(frozen=True)
class ActionWithDue:
    action: ReadinessAction
    overdue: bool


def with_overdue(actions: list[ReadinessAction], today: dt.date) -> list[ActionWithDue]:
    return [ActionWithDue(a, not a.done and a.due_on is not None and a.due_on < today) for a in actions]


def ccg_page_context(user: AnyUser, ccg: CCG) -> dict[str, Any]:
    """What the CCG page shows of this part (its template is an include of the CCG page).

    Four queries whatever the number of assessments and actions: the functions, the assessments,
    the open actions with their functions, and the CCG's shared teams.
    """
    today = timezone.localdate()
    rows = [HeatRow(f, a, rated_positions(a)) for f, a in readiness.readiness_grid(ccg)]
    return {
        "readiness_rows": rows,
        "readiness_assessed": sum(1 for row in rows if row.assessment is not None),
        "readiness_actions": with_overdue(readiness.open_readiness_actions(ccg), today),
        "readiness_team_labels": [readiness.POSITION_LABELS[n] for n in readiness.POSITIONS],
        "readiness_shared_teams": readiness.shared_teams_of(ccg),
    }


def _crumbs(ccg: CCG, *more: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        ("Home", reverse("home")),
        ("CCGs", reverse("ccg-list")),
        (ccg.name, reverse("ccg-detail", args=[ccg.ods_code])),
        *more,
    ]


def _readiness_crumb(ccg: CCG) -> tuple[str, str]:
    return ("Readiness", reverse("ccg-readiness", args=[ccg.ods_code]))


def _editable_ccg(request: AuthenticatedRequest, ods_code: str) -> CCG:
    """The CCG, if the user may record its readiness; to anyone else the page does not exist."""
    ccg = ccg_get(request.user, ods_code)
    if not can_change_ccg(request.user, ccg):
        raise Http404("No such page.")
    return ccg


def _function(number: int) -> Function:
    function = Function.objects.filter(number=number).first()
    if function is None:
        raise Http404("No such function.")
    return function


@dataclass(frozen=True)
class DetailLine:
    line: readiness.ReadinessLine
    positions: list[RatedPosition]
    actions: list[ActionWithDue]
    principles: list[tuple[int, str]]


@login_required
def ccg_readiness(request: AuthenticatedRequest, ods_code: str) -> HttpResponse:
    """Each function's full assessment, with its actions, done or not."""
    ccg = ccg_get(request.user, ods_code)
    today = timezone.localdate()
    lines = [
        DetailLine(
            line,
            rated_positions(line.assessment),
            with_overdue(line.actions, today),
            [(n, readiness.PRINCIPLES.get(n, "")) for n in line.assessment.principles]
            if line.assessment
            else [],
        )
        for line in readiness.readiness_lines(ccg)
    ]
    return render(
        request,
        "delegation/readiness_detail.html",
        {
            "ccg": ccg,
            "lines": lines,
            "can_record": can_change_ccg(request.user, ccg),
            "crumbs": _crumbs(ccg),
        },
    )


@login_required
def readiness_record(request: AuthenticatedRequest, ods_code: str, number: int) -> HttpResponse:
    """Record one function's assessment, or revise the one recorded."""
    ccg = _editable_ccg(request, ods_code)
    function = _function(number)
    assessment = ReadinessAssessment.objects.filter(ccg=ccg, function=function).first()
    form = ReadinessRecordForm(request.POST or None, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            readiness.readiness_record(
                ccg=ccg,
                function=function,
                stance=data["stance"],
                positions=form.positions(),
                actions=data["actions"],
                resource_implications=data["resource_implications"],
                patient_involvement=data["patient_involvement"],
                principles=data["principles"],
                by=request.user,
                reason=data["reason"],
            )
        except PermissionDenied:
            raise Http404("No such page.") from None
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, f"Readiness for function {function.number} recorded.")
            return redirect(f"{reverse('ccg-readiness', args=[ccg.ods_code])}#function-{function.number}")
    return render(
        request,
        "delegation/readiness_record.html",
        {
            "ccg": ccg,
            "function": function,
            "assessment": assessment,
            "form": form,
            "crumbs": _crumbs(ccg, _readiness_crumb(ccg)),
        },
    )


@login_required
def readiness_action_add(request: AuthenticatedRequest, ods_code: str, number: int) -> HttpResponse:
    """Add an action to a function's assessment (the function must be assessed first)."""
    ccg = _editable_ccg(request, ods_code)
    function = _function(number)
    assessment = ReadinessAssessment.objects.filter(ccg=ccg, function=function).first()
    if assessment is None:
        raise Http404("The function has not been assessed.")
    form = ReadinessActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            readiness.readiness_action_add(
                assessment=assessment,
                description=data["description"],
                owner=data["owner"],
                due_on=data["due_on"],
                by=request.user,
                reason=data["reason"],
            )
        except PermissionDenied:
            raise Http404("No such page.") from None
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, f"Action added to function {function.number}.")
            return redirect(f"{reverse('ccg-readiness', args=[ccg.ods_code])}#function-{function.number}")
    return render(
        request,
        "delegation/readiness_action_add.html",
        {
            "ccg": ccg,
            "function": function,
            "form": form,
            "crumbs": _crumbs(ccg, _readiness_crumb(ccg)),
        },
    )


@login_required
def readiness_action_done(request: AuthenticatedRequest, ods_code: str, pk: int) -> HttpResponse:
    """Mark one of the CCG's readiness actions done, saying why."""
    ccg = _editable_ccg(request, ods_code)
    action = readiness.readiness_action_of(ccg, pk)
    form = ReadinessActionDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            readiness.readiness_action_done(
                action=action, by=request.user, reason=form.cleaned_data["reason"]
            )
        except PermissionDenied:
            raise Http404("No such page.") from None
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, "Action marked done.")
            number = action.assessment.function.number
            return redirect(f"{reverse('ccg-readiness', args=[ccg.ods_code])}#function-{number}")
    return render(
        request,
        "delegation/readiness_action_done.html",
        {"ccg": ccg, "action": action, "form": form, "crumbs": _crumbs(ccg, _readiness_crumb(ccg))},
    )


@login_required
def readiness_history(request: AuthenticatedRequest, ods_code: str) -> HttpResponse:
    ccg = ccg_get(request.user, ods_code)
    return render(
        request,
        "delegation/readiness_history.html",
        {
            "ccg": ccg,
            "entries": readiness.readiness_history(ccg),
            "crumbs": _crumbs(ccg, _readiness_crumb(ccg)),
        },
    )


@login_required
def shared_team_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A shared team's posts and the MoU's share-out of its WTE among its CCGs by weighted population."""
    team = readiness.shared_team_get(request.user, pk)
    posts = readiness.shared_team_posts(team)
    return render(
        request,
        "delegation/shared_team_detail.html",
        {
            "team": team,
            "posts": posts,
            "table": readiness.share_table(team),
            "crumbs": [("Home", reverse("home")), ("CCGs", reverse("ccg-list"))],
        },
    )
