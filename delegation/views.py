"""The CCG pages: the list, a CCG with its levels and who decides, recording a level, history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from cocomm import permissions as core_permissions
from cocomm.history import history_entries
from cocomm.models import CCG, AreaTeam, Locality
from cocomm.selectors import area_teams_with_ccgs, ccg_get
from cocomm.views import AuthenticatedRequest
from delegation import application_views, permissions, readiness_views
from delegation.forms import LevelRecordForm, WhoDecidesForm
from delegation.models import LevelAssignment
from delegation.rules import MatrixCellMissing, Routing
from delegation.selectors import (
    FunctionRouting,
    LevelInForce,
    ccgs_with_levels_visible_to,
    level_history,
    level_in_force,
    level_on,
    levels_of_scheme,
    routing_for,
    routing_table,
    scheme_of,
    scheme_on,
    with_levels,
)
from delegation.services import level_assignment_record
from functions.models import Function, LevelScheme


def _crumbs(ccg: CCG | None = None) -> list[tuple[str, str]]:
    crumbs = [("Home", reverse("home")), ("CCGs", reverse("ccg-list"))]
    if ccg is not None:
        crumbs.append((ccg.name, reverse("ccg-detail", args=[ccg.ods_code])))
    return crumbs


@dataclass(frozen=True)
class CCGRow:
    ccg: CCG
    scheme: LevelScheme | None
    level: LevelInForce | None


@login_required
def ccg_list(request: AuthenticatedRequest) -> HttpResponse:
    """The CCGs the user may see, by area team, with today's level (a fixed number of queries)."""
    today = timezone.localdate()
    groups: list[tuple[AreaTeam, list[CCGRow]]] = [
        (area_team, [CCGRow(ccg, scheme_of(ccg), level_in_force(ccg)) for ccg in ccgs])
        for area_team, ccgs in area_teams_with_ccgs(ccgs_with_levels_visible_to(request.user, today))
    ]
    return render(
        request,
        "delegation/ccg_list.html",
        {
            "groups": groups,
            "today": today,
            "sees_all": core_permissions.is_administrator(request.user),
            "sees_audit_check": core_permissions.can_view_audit_check(request.user),
            "crumbs": [("Home", reverse("home"))],
        },
    )


@dataclass(frozen=True)
class WhoDecidesAnswer:
    function: Function
    on: dt.date
    level: LevelAssignment | None
    scheme: LevelScheme | None
    routing: Routing


@login_required
def ccg_detail(request: AuthenticatedRequest, ods_code: str) -> HttpResponse:
    ccg = ccg_get(request.user, ods_code, with_levels(CCG.objects.all()))
    today = timezone.localdate()
    # The "Who decides?" form is a GET form answered on this page; it is bound once asked.
    asked = any(key in request.GET for key in ("function", "on_day", "on_month", "on_year"))
    who_form = WhoDecidesForm(request.GET if asked else None)
    answer = None
    if asked and who_form.is_valid():
        function, on = who_form.cleaned_data["function"], who_form.cleaned_data["on"]
        try:
            answer = WhoDecidesAnswer(
                function, on, level_on(ccg, on), scheme_on(ccg, on), routing_for(ccg, function, on)
            )
        except MatrixCellMissing as missing:
            # The matrix lacked a cell for the level in force: a gap in reference data, not the user's.
            who_form.add_error(None, str(missing))
    routing: list[FunctionRouting] = routing_table(ccg, today)
    history = level_history(ccg)
    return render(
        request,
        "delegation/ccg_detail.html",
        {
            "ccg": ccg,
            "today": today,
            "scheme": scheme_of(ccg),
            "current": level_on(ccg, today),
            "level_history": list(reversed(history)),
            "localities": list(ccg.localities.all()),
            "practices": list(ccg.practices.select_related("locality").order_by("name")),
            "routing": routing,
            "form": who_form,
            "answer": answer,
            "can_change": core_permissions.can_change_ccg(request.user, ccg),
            "can_record_level": permissions.can_record_level(request.user, ccg),
            "crumbs": _crumbs(),
            **application_views.ccg_page_context(request.user, ccg),
            **readiness_views.ccg_page_context(request.user, ccg),
        },
    )


@login_required
def level_record(request: AuthenticatedRequest, ods_code: str) -> HttpResponse:
    ccg = ccg_get(request.user, ods_code, with_levels(CCG.objects.all()))
    if not permissions.can_record_level(request.user, ccg):
        raise Http404("No such page.")
    scheme = scheme_of(ccg)
    form = LevelRecordForm(request.POST or None, levels=levels_of_scheme(scheme))
    if request.method == "POST" and form.is_valid():
        try:
            assignment = level_assignment_record(
                ccg=ccg,
                level=form.cleaned_data["level"],
                effective_from=form.cleaned_data["effective_from"],
                note=form.cleaned_data["note"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(
                request,
                f"{ccg.name} holds level {assignment.level.number} from "
                f"{assignment.effective_from:%-d %B %Y}.",
            )
            return redirect("ccg-detail", ods_code=ccg.ods_code)
    return render(
        request,
        "delegation/level_record.html",
        {"ccg": ccg, "scheme": scheme, "form": form, "crumbs": _crumbs(ccg)},
    )


@login_required
def ccg_history(request: AuthenticatedRequest, ods_code: str) -> HttpResponse:
    ccg = ccg_get(request.user, ods_code)
    entries = history_entries(
        ccg.history.all(),
        LevelAssignment.history.filter(ccg_id=ccg.pk),
        Locality.history.filter(ccg_id=ccg.pk),
    )
    return render(
        request, "delegation/ccg_history.html", {"ccg": ccg, "entries": entries, "crumbs": _crumbs(ccg)}
    )
