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
from cocomm.forms import CCGEditForm, LoginCreateForm, PracticeEditForm, RoleEndForm, RoleGrantForm
from cocomm.history import history_entries
from cocomm.models import CCG, Practice, Role, RoleKind, User
from cocomm.selectors import (
    active_roles_of,
    audit_check_latest,
    ccg_get,
    practice_get,
    user_get,
    users_with_roles,
)


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
        if role.kind == RoleKind.CONFLICTS_GUARDIAN and role.ccg is not None:
            # The Guardian's page (in the conflicts app) gathers breaches, referrals and the register.
            return redirect("guardian-overview", ods_code=role.ccg.ods_code)
        # Reviewers see their area's CCGs and administrators every CCG: that is the CCG list,
        # which already shows each CCG's current level grouped by area team.
        return redirect("ccg-list")
    if not roles and permissions.is_administrator(request.user):
        return redirect("ccg-list")
    if not roles and request.user.groups.filter(name__startswith="Committee ").exists():
        # Committee members and chairs hold seats rather than roles (committees.roles names their
        # groups "Committee <id> members/chairs"); their work starts at their committees.
        return redirect("committee-list")
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


# People and roles (system administrators) ----------------------------------------------------


def _require_role_manager(user: User) -> None:
    # Not for anyone else to know about: the same 404 as a page that does not exist.
    if not permissions.can_manage_roles(user):
        raise Http404("No such page.")


def _people_crumbs(person: User | None = None) -> list[tuple[str, str]]:
    crumbs = [("Home", reverse("home")), ("People and roles", reverse("person-list"))]
    if person is not None:
        crumbs.append((str(person), reverse("person-detail", args=[person.username])))
    return crumbs


@login_required
def person_list(request: AuthenticatedRequest) -> HttpResponse:
    _require_role_manager(request.user)
    return render(
        request,
        "cocomm/person_list.html",
        {"people": users_with_roles(), "crumbs": [("Home", reverse("home"))]},
    )


@login_required
def person_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_role_manager(request.user)
    form = LoginCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.login_create(
                username=data["username"],
                title=data["title"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                job_title=data["job_title"],
                password=data["password"],
                by=request.user,
                reason=data["reason"],
            )
        except ValidationError as error:
            form.attach(error)
        else:
            assert person.user is not None
            messages.success(request, f"The login for {person} has been created. Now give them a role.")
            return redirect("role-grant", username=person.user.username)
    return render(request, "cocomm/person_create.html", {"form": form, "crumbs": _people_crumbs()})


@login_required
def person_detail(request: AuthenticatedRequest, username: str) -> HttpResponse:
    person = user_get(request.user, username)
    entries = history_entries(Role.history.filter(user_id=person.pk))
    return render(
        request,
        "cocomm/person_detail.html",
        {"person": person, "entries": entries, "crumbs": _people_crumbs()},
    )


@login_required
def role_grant(request: AuthenticatedRequest, username: str) -> HttpResponse:
    person = user_get(request.user, username)
    form = RoleGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            role = services.role_grant(
                user=person,
                kind=data["kind"],
                ccg=data["ccg"],
                area_team=data["area_team"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                by=request.user,
                reason=data["reason"],
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, f"{person} is now {role.get_kind_display().lower()} of {role.scope}.")
            return redirect("person-detail", username=person.username)
    return render(
        request, "cocomm/role_grant.html", {"person": person, "form": form, "crumbs": _people_crumbs(person)}
    )


@login_required
def role_end(request: AuthenticatedRequest, username: str, pk: int) -> HttpResponse:
    person = user_get(request.user, username)
    role = next((r for r in person.roles.all() if r.pk == pk), None)
    if role is None:
        raise Http404("No such role.")
    form = RoleEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_end(
                role=role,
                ends_on=form.cleaned_data["ends_on"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, f"{person}'s role as {role.get_kind_display().lower()} has been ended.")
            return redirect("person-detail", username=person.username)
    return render(
        request,
        "cocomm/role_end.html",
        {"person": person, "role": role, "form": form, "crumbs": _people_crumbs(person)},
    )


# The audit chain check (administrators and NHS England reviewers) --------------------------


@login_required
def audit_check(request: AuthenticatedRequest) -> HttpResponse:
    """The last nightly check of the audit trail: whether every history chain still holds."""
    if not permissions.can_view_audit_check(request.user):
        raise Http404("No such page.")
    check = audit_check_latest()
    tables = sorted(check.rows_per_table.items()) if check is not None else []
    return render(
        request,
        "cocomm/audit_check.html",
        {"check": check, "tables": tables, "crumbs": [("Home", reverse("home"))]},
    )
