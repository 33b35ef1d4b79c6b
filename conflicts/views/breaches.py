"""Breach pages: recording a breach of the conflicts of interest policy, and its page, where the
CCG's governance officers and its Conflicts of Interest Guardian take it from reported through
investigated to closed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cocomm.history import history_entries
from cocomm.selectors import ccg_get
from cocomm.views import AuthenticatedRequest
from conflicts import permissions, selectors, services
from conflicts.forms.breaches import BreachCloseForm, BreachForm, BreachInvestigateForm
from conflicts.models import Breach, BreachStatus
from conflicts.views._common import _form_page, _not_found, _register_crumbs, _register_url


@login_required
def breach_create(request: AuthenticatedRequest, ods_code: str) -> HttpResponse:
    ccg = ccg_get(request.user, ods_code)
    if not permissions.can_handle_breaches(request.user, ccg):
        raise _not_found()
    form = BreachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            breach = services.breach_record(ccg=ccg, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, "The breach is on the register. Record its investigation next.")
            return redirect("breach-detail", pk=breach.pk)
    return _form_page(
        request,
        {
            "form": form,
            "title": "Record a breach of the conflicts of interest policy",
            "caption": ccg.name,
            "intro": "Breaches are reported to the Conflicts of Interest Guardian and to NHS England in the "
            "assurance pack.",
            "button": "Record the breach",
            "cancel": ("the registers", _register_url(ccg, "breaches")),
            "crumbs": _register_crumbs(ccg),
        },
    )


def _breach_page(
    request: AuthenticatedRequest,
    breach: Breach,
    *,
    form: BreachInvestigateForm | BreachCloseForm | None = None,
) -> HttpResponse:
    """The breach, its history, and the form for its next step for those who may take it."""
    acts = permissions.can_handle_breaches(request.user, breach.ccg)
    if acts and form is None:
        if breach.status == BreachStatus.REPORTED:
            form = BreachInvestigateForm(prefix="investigate")
        elif breach.status == BreachStatus.INVESTIGATED:
            initial = {"nhse_report": breach.nhse_report, "reported_to_nhse_on": breach.reported_to_nhse_on}
            form = BreachCloseForm(prefix="close", initial=initial)
    action = None
    if isinstance(form, BreachInvestigateForm):
        action = ("investigate", reverse("breach-investigate", args=[breach.pk]))
    elif isinstance(form, BreachCloseForm):
        action = ("close", reverse("breach-close", args=[breach.pk]))
    return render(
        request,
        "conflicts/breach_detail.html",
        {
            "breach": breach,
            "form": form if acts else None,
            "action": action,
            "entries": history_entries(breach.history.all()),
            "crumbs": _register_crumbs(breach.ccg),
        },
    )


@login_required
def breach_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _breach_page(request, selectors.breach_get(request.user, pk))


def _handled_breach(request: AuthenticatedRequest, pk: int) -> Breach:
    breach = selectors.breach_get(request.user, pk)
    if not permissions.can_handle_breaches(request.user, breach.ccg):
        raise _not_found()
    return breach


@require_POST
@login_required
def breach_investigate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    breach = _handled_breach(request, pk)
    form = BreachInvestigateForm(request.POST, prefix="investigate")
    if form.is_valid():
        try:
            services.breach_investigate(breach=breach, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.attach(error)
        except PermissionDenied:
            raise _not_found() from None
        else:
            messages.success(request, "The investigation is recorded. Close the breach when it is settled.")
            return redirect("breach-detail", pk=breach.pk)
    return _breach_page(request, selectors.breach_get(request.user, pk), form=form)


@require_POST
@login_required
def breach_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    breach = _handled_breach(request, pk)
    form = BreachCloseForm(request.POST, prefix="close")
    if form.is_valid():
        try:
            services.breach_close(breach=breach, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.attach(error)
        except PermissionDenied:
            raise _not_found() from None
        else:
            messages.success(request, "The breach is closed.")
            return redirect(reverse("breach-detail", args=[breach.pk]))
    return _breach_page(request, selectors.breach_get(request.user, pk), form=form)
