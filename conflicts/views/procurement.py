"""The register of procurement decisions, entry by entry: the decision, the contract awarded after
it, who took part, the conflicts declared and how they were managed, and the awards cross-check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from cocomm.history import history_entries
from cocomm.views import AuthenticatedRequest
from committees.selectors import decisions_visible_to
from conflicts import permissions, selectors, services
from conflicts.forms.awards import AwardForm
from conflicts.models import Award, ProcurementRecord
from conflicts.views._common import _not_found, _register_crumbs

SEARCH_LENGTH = 100


def _entry_url(decision_pk: int) -> str:
    return reverse("procurement-entry", args=[decision_pk])


@login_required
def procurement_entry(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One entry on the register, by its decision: for those who may see the CCG's registers."""
    entry = selectors.procurement_entry_get(request.user, pk)
    ccg = entry.decision.ccg
    award_history = (
        Award.history.filter(id=entry.award.pk) if entry.award is not None else Award.history.none()
    )
    return render(
        request,
        "conflicts/procurement_entry.html",
        {
            "entry": entry,
            "ccg": ccg,
            "can_keep": permissions.can_keep_registers(request.user, ccg),
            "decision_visible": decisions_visible_to(request.user).filter(pk=entry.decision.pk).exists(),
            "entries": history_entries(award_history, ProcurementRecord.history.filter(id=entry.record.pk)),
            "crumbs": _register_crumbs(ccg),
        },
    )


@login_required
def award_record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Record, or correct, the contract awarded after an approved procurement decision."""
    entry = selectors.procurement_entry_get(request.user, pk)
    decision = entry.decision
    if not permissions.can_keep_registers(request.user, decision.ccg):
        raise _not_found()
    data = request.POST if request.method == "POST" else request.GET
    search = data.get("q", "").strip()[:SEARCH_LENGTH]
    practices, organisations = selectors.supplier_choices(decision, search)
    form = AwardForm(
        request.POST if request.method == "POST" else None,
        practices=practices,
        organisations=organisations,
        award=entry.award,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.award_record(
                decision=decision,
                supplier=form.cleaned_data["supplier"],
                value=form.cleaned_data["value"],
                route=form.cleaned_data["route"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                reason=form.cleaned_data.get("reason", ""),
                by=request.user,
            )
        except ValidationError as error:
            form.attach(error)
        except PermissionDenied:
            raise _not_found() from None
        else:
            messages.success(request, "The award is on the register of procurement decisions.")
            return redirect(_entry_url(decision.pk))
    return render(
        request,
        "conflicts/award_form.html",
        {
            "form": form,
            "entry": entry,
            "search": search,
            "found": len(practices) + len(organisations),
            "title": "Correct the award" if entry.award is not None else "Record the award",
            "caption": entry.record.service,
            "cancel": ("the register entry", _entry_url(decision.pk)),
            "crumbs": [*_register_crumbs(decision.ccg), ("Procurement decision", _entry_url(decision.pk))],
        },
    )
