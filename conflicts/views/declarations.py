"""Declaration pages: my declarations, declaring (or on someone's behalf), the end, history and mitigation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from cocomm.history import history_entries
from cocomm.models import CCG
from cocomm.views import AuthenticatedRequest
from conflicts import permissions, rules, selectors, services
from conflicts.forms.declarations import DeclarationEndForm, DeclarationForm, MitigationApproveForm
from conflicts.models import Campaign, Declaration
from conflicts.views._common import (
    _form_page,
    _home,
    _keeper_ccg,
    _mine_crumbs,
    _not_found,
    _register_crumbs,
    _register_url,
)


@dataclass(frozen=True)
class RegisterGroup:
    """One CCG's register as a declarant sees their part of it."""

    ccg: CCG
    declarations: list[Declaration]
    campaign: Campaign | None
    sits_on: bool


@login_required
def my_declarations(request: AuthenticatedRequest) -> HttpResponse:
    person = selectors.person_of(request.user)
    groups: list[RegisterGroup] = []
    if person is not None:
        declarations = list(selectors.declarations_of(person))
        current = list(selectors.ccgs_sat_on(person, timezone.localdate()))
        earlier = {d.ccg.pk: d.ccg for d in declarations if d.ccg not in current}
        for ccg in [*current, *sorted(earlier.values(), key=lambda c: c.name)]:
            groups.append(
                RegisterGroup(
                    ccg=ccg,
                    declarations=[d for d in declarations if d.ccg_id == ccg.pk],
                    campaign=selectors.open_campaign(ccg) if ccg in current else None,
                    sits_on=ccg in current,
                )
            )
    return render(
        request,
        "conflicts/my_declarations.html",
        {
            "person": person,
            "groups": groups,
            "may_declare": any(g.sits_on for g in groups),
            "crumbs": [_home()],
        },
    )


@login_required
def declaration_create(request: AuthenticatedRequest) -> HttpResponse:
    """The user declares an interest, or a nil return, to the register of a CCG they serve."""
    person = selectors.person_of(request.user)
    if person is None:
        raise _not_found()
    ccgs = selectors.ccgs_sat_on(person, timezone.localdate())
    if not ccgs.exists():
        raise _not_found()
    form = DeclarationForm(request.POST or None, ccgs=ccgs, initial={"position": person.job_title})
    if request.method == "POST" and form.is_valid():
        try:
            declaration = services.declaration_make(
                ccg=form.cleaned_data["ccg"], person=person, by=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            form.attach(error)
        else:
            what = "nil return" if declaration.nil_return else "declaration"
            messages.success(request, f"Your {what} is on the register of {declaration.ccg.name}.")
            _warn_if_late(request, declaration)
            return redirect("my-declarations")
    return render(
        request,
        "conflicts/declaration_form.html",
        {
            "form": form,
            "title": "Declare an interest",
            "caption": str(person),
            "yours": True,
            "cancel": ("My declarations", reverse("my-declarations")),
            "crumbs": _mine_crumbs(),
        },
    )


def _warn_if_late(request: AuthenticatedRequest, declaration: Declaration) -> None:
    """The entry is accepted either way; one made after the 28 days is marked late, and says so."""
    days = selectors.declaration_days_late(declaration)
    if days:
        messages.warning(
            request,
            f"The interest in {declaration.concerns} was declared {rules.late_text(days)}: section 14O "
            f"of the NHS Act 2006 asks for a declaration within {rules.DECLARE_WITHIN_DAYS} days of an "
            "interest arising, or of taking a seat for an interest already held. It is on the register, "
            "marked as late.",
        )


def _back_from_declaration(user: Any, declaration: Declaration) -> tuple[list[tuple[str, str]], str]:
    """Where a declaration's pages lead back to: the declarant's own page, or the CCG's register."""
    if permissions.is_declarant(user, declaration.person):
        return _mine_crumbs(), reverse("my-declarations")
    return _register_crumbs(declaration.ccg), _register_url(declaration.ccg, "interests")


@login_required
def declaration_end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    declaration = selectors.declaration_get(request.user, pk)
    if declaration.nil_return or not permissions.can_declare_for(
        request.user, declaration.person, declaration.ccg
    ):
        raise _not_found()
    crumbs, back = _back_from_declaration(request.user, declaration)
    form = DeclarationEndForm(
        request.POST or None, initial={"interest_to": declaration.interest_to or timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.declaration_end(
                declaration=declaration,
                interest_to=form.cleaned_data["interest_to"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(
                request,
                f"The interest in {declaration.concerns} is recorded as ended on "
                f"{form.cleaned_data['interest_to']:%-d %B %Y}.",
            )
            return redirect(back)
    return _form_page(
        request,
        {
            "form": form,
            "title": "Record that an interest has ended",
            "caption": f"{declaration.person}, {declaration.ccg.name}",
            "summary": [
                ("Interest", f"{declaration.get_interest_type_display()}: {declaration.description}"),
                ("Concerns", declaration.concerns),
            ],
            "button": "Record the end",
            "cancel": ("go back", back),
            "crumbs": crumbs,
        },
    )


@login_required
def declaration_history(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    declaration = selectors.declaration_get(request.user, pk)
    crumbs, _ = _back_from_declaration(request.user, declaration)
    return render(
        request,
        "conflicts/declaration_history.html",
        {
            "declaration": declaration,
            "entries": history_entries(declaration.history.all()),
            "crumbs": crumbs,
        },
    )


@login_required
def declaration_create_for(request: AuthenticatedRequest, ods_code: str) -> HttpResponse:
    """A governance officer enters a declaration on someone's behalf (the register says so)."""
    ccg = _keeper_ccg(request, ods_code)
    people = selectors.persons_in_scope(ccg, timezone.localdate())
    form = DeclarationForm(request.POST or None, ccg=ccg, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            declaration = services.declaration_make(
                ccg=ccg, person=form.cleaned_data["person"], by=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(
                request, f"{declaration.person}'s entry is on the register, entered by you for them."
            )
            _warn_if_late(request, declaration)
            return redirect(_register_url(ccg, "interests"))
    return render(
        request,
        "conflicts/declaration_form.html",
        {
            "form": form,
            "title": "Declare on someone's behalf",
            "caption": ccg.name,
            "yours": False,
            "cancel": ("the registers", _register_url(ccg, "interests")),
            "crumbs": _register_crumbs(ccg),
        },
    )


@login_required
def mitigation_approve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    declaration = selectors.declaration_get(request.user, pk)
    ccg = declaration.ccg
    if not permissions.can_keep_registers(request.user, ccg) or not declaration.mitigation.strip():
        raise _not_found()
    form = MitigationApproveForm(
        request.POST or None, people=selectors.persons_in_scope(ccg, timezone.localdate())
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.mitigation_approve(
                declaration=declaration, approver=form.cleaned_data["approver"], by=request.user
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(
                request, f"The actions on {declaration.person}'s interest are recorded as agreed."
            )
            return redirect(_register_url(ccg, "interests"))
    return _form_page(
        request,
        {
            "form": form,
            "title": "Approve the actions to mitigate an interest",
            "caption": f"{declaration.person}, {ccg.name}",
            "summary": [
                ("Interest", f"{declaration.get_interest_type_display()}: {declaration.description}"),
                ("Concerns", declaration.concerns),
                ("Actions to mitigate the risk", declaration.mitigation),
            ],
            "button": "Record the approval",
            "cancel": ("the registers", _register_url(ccg, "interests")),
            "crumbs": _register_crumbs(ccg),
        },
    )
