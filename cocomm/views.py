"""Pages for the core records: home, practices, and editing a CCG's profile.

Views are thin: select what the user may see, validate a form, call a service, redirect.
The CCG pages that show levels live in `delegation.views` (the core sits below the apps that
know about levels, so it does not import them); `delegation.urls` routes `ccg-edit` here.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from cocomm import permissions, services
from cocomm.forms import CCGEditForm, PracticeEditForm
from cocomm.history import history_entries
from cocomm.models import CCG, Practice, RoleKind, User
from cocomm.selectors import active_roles_of, ccg_get, practice_get


class AuthenticatedRequest(HttpRequest):
    """A request to a `login_required` view: its user is a real, logged-in user."""

    user: User


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    """Send each user where their work is; explain when they hold several roles or none."""
    roles = active_roles_of(request.user)
    if len(roles) == 1:
        role = roles[0]
        if role.kind == RoleKind.GOVERNANCE_OFFICER and role.ccg is not None:
            return redirect("ccg-detail", ods_code=role.ccg.ods_code)
        # Reviewers see their area's CCGs and administrators every CCG: that is the CCG list,
        # which already shows each CCG's current level grouped by area team.
        return redirect("ccg-list")
    if not roles and permissions.is_administrator(request.user):
        return redirect("ccg-list")
    return render(request, "cocomm/home.html", {"roles": roles})


# CCG profile ---------------------------------------------------------------------------------


def _ccg_crumbs(ccg: CCG) -> list[tuple[str, str]]:
    return [
        ("Home", reverse("home")),
        ("CCGs", reverse("ccg-list")),
        (ccg.name, reverse("ccg-detail", args=[ccg.ods_code])),
    ]


@login_required
def ccg_edit(request: AuthenticatedRequest, ods_code: str) -> HttpResponse:
    ccg = ccg_get(request.user, ods_code)
    # Someone who may see the CCG but not change it gets the same answer as for a missing page:
    # the edit page is not theirs to know about.
    if not permissions.can_change_ccg(request.user, ccg):
        raise Http404("No such page.")
    form = CCGEditForm(request.POST or None, ccg=ccg)
    if request.method == "POST" and form.is_valid():
        try:
            services.ccg_update(
                ccg=ccg,
                by=request.user,
                reason=form.cleaned_data["reason"],
                name=form.cleaned_data["name"],
                weighted_population=form.cleaned_data["weighted_population"],
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, f"Your changes to {form.cleaned_data['name']} have been saved.")
            return redirect("ccg-detail", ods_code=ccg.ods_code)
    return render(request, "cocomm/ccg_edit.html", {"ccg": ccg, "form": form, "crumbs": _ccg_crumbs(ccg)})


# Practices -----------------------------------------------------------------------------------


def _practice_crumbs(practice: Practice, *, include_practice: bool) -> list[tuple[str, str]]:
    crumbs = _ccg_crumbs(practice.ccg)
    if include_practice:
        crumbs.append((practice.name, reverse("practice-detail", args=[practice.ods_code])))
    return crumbs


@login_required
def practice_detail(request: AuthenticatedRequest, ods_code: str) -> HttpResponse:
    practice = practice_get(request.user, ods_code)
    return render(
        request,
        "cocomm/practice_detail.html",
        {
            "practice": practice,
            "can_change": permissions.can_change_practice(request.user, practice),
            "crumbs": _practice_crumbs(practice, include_practice=False),
        },
    )


@login_required
def practice_edit(request: AuthenticatedRequest, ods_code: str) -> HttpResponse:
    practice = practice_get(request.user, ods_code)
    if not permissions.can_change_practice(request.user, practice):
        raise Http404("No such page.")
    form = PracticeEditForm(request.POST or None, practice=practice)
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_update(
                practice=practice,
                by=request.user,
                reason=form.cleaned_data["reason"],
                name=form.cleaned_data["name"],
                contract_type=form.cleaned_data["contract_type"],
                list_size=form.cleaned_data["list_size"],
                locality=form.cleaned_data["locality"],
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, f"Your changes to {form.cleaned_data['name']} have been saved.")
            return redirect("practice-detail", ods_code=practice.ods_code)
    return render(
        request,
        "cocomm/practice_edit.html",
        {"practice": practice, "form": form, "crumbs": _practice_crumbs(practice, include_practice=True)},
    )


@login_required
def practice_history(request: AuthenticatedRequest, ods_code: str) -> HttpResponse:
    practice = practice_get(request.user, ods_code)
    return render(
        request,
        "cocomm/practice_history.html",
        {
            "practice": practice,
            "entries": history_entries(practice.history.all()),
            "crumbs": _practice_crumbs(practice, include_practice=True),
        },
    )
