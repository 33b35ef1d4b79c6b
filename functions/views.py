"""Pages for the 14 functions and the decision-rights matrix of each level scheme."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from cocomm.history import history_entries
from cocomm.views import AuthenticatedRequest
from functions import permissions
from functions.forms import DecisionRightForm
from functions.models import DecisionRight, Function, LevelScheme
from functions.selectors import decision_right_get, functions_all, matrix_for, scheme_get, schemes_all
from functions.services import decision_right_change


def _crumbs(scheme: LevelScheme | None = None) -> list[tuple[str, str]]:
    crumbs = [("Home", reverse("home")), ("Functions", reverse("function-list"))]
    if scheme is not None:
        crumbs.append((f"Decision rights: {scheme.name}", reverse("matrix-detail", args=[scheme.code])))
    return crumbs


@login_required
def function_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "functions/function_list.html",
        {
            "functions": list(functions_all()),
            "schemes": list(schemes_all()),
            "crumbs": [("Home", reverse("home"))],
        },
    )


@dataclass(frozen=True)
class MatrixLine:
    function: Function
    # One entry per level of the scheme, in level order; None where the matrix has no cell.
    cells: list[DecisionRight | None]


@login_required
def matrix_detail(request: AuthenticatedRequest, scheme_code: str) -> HttpResponse:
    scheme = scheme_get(scheme_code)
    matrix = matrix_for(scheme)
    lines = []
    for row in matrix.rows:
        by_level = {cell.level_id: cell for cell in row.cells}
        lines.append(MatrixLine(row.function, [by_level.get(level.pk) for level in matrix.levels]))
    return render(
        request,
        "functions/matrix_detail.html",
        {
            "scheme": scheme,
            "levels": matrix.levels,
            "lines": lines,
            "other_schemes": [s for s in schemes_all() if s.pk != scheme.pk],
            "can_change": permissions.can_change_decision_rights(request.user),
            "crumbs": _crumbs(),
        },
    )


@login_required
def matrix_history(request: AuthenticatedRequest, scheme_code: str) -> HttpResponse:
    scheme = scheme_get(scheme_code)
    # Historical rows keep the level's id, not a join to it, so filter on the scheme's level ids.
    level_ids = list(scheme.levels.values_list("pk", flat=True))
    entries = history_entries(DecisionRight.history.filter(level_id__in=level_ids))
    return render(
        request,
        "functions/matrix_history.html",
        {"scheme": scheme, "entries": entries, "crumbs": _crumbs(scheme)},
    )


@login_required
def decision_right_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    # Checked before looking the cell up, so the answer is the same whether or not it exists.
    if not permissions.can_change_decision_rights(request.user):
        raise Http404("No such page.")
    cell = decision_right_get(pk)
    scheme = cell.level.scheme
    form = DecisionRightForm(request.POST or None, decision_right=cell)
    if request.method == "POST" and form.is_valid():
        try:
            decision_right_change(
                decision_right=cell,
                right=form.cleaned_data["right"],
                nhse_veto=form.cleaned_data["nhse_veto"],
                reasoning=form.cleaned_data["reasoning"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(
                request,
                f"Function {cell.function.number} at level {cell.level.number} has been changed.",
            )
            return redirect(f"{reverse('matrix-detail', args=[scheme.code])}#function-{cell.function.number}")
    return render(
        request,
        "functions/decision_right_edit.html",
        {"cell": cell, "scheme": scheme, "form": form, "crumbs": _crumbs(scheme)},
    )
