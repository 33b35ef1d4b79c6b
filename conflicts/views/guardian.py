"""The Conflicts of Interest Guardian's pages: an overview of the CCG's breaches, referrals, late
declarations and register, and the list of items referred because conflicts left them inquorate."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from cocomm.selectors import ccg_get
from cocomm.views import AuthenticatedRequest
from committees.selectors import committees_visible_to
from conflicts import permissions, selectors
from conflicts.models import BreachStatus
from conflicts.views._common import _not_found, _register_crumbs

REFERRALS_PER_PAGE = 25
LATEST_LATE = 5


@login_required
def guardian_overview(request: AuthenticatedRequest, ods_code: str) -> HttpResponse:
    """What the Guardian keeps an eye on: open breaches, referrals, declarations made late and the
    register of interests."""
    ccg = ccg_get(request.user, ods_code)
    if not permissions.can_view_guardian_page(request.user, ccg):
        raise _not_found()
    breaches = list(selectors.breaches_of(ccg).exclude(status=BreachStatus.CLOSED))
    late = selectors.late_declarations(ccg)
    return render(
        request,
        "conflicts/guardian_overview.html",
        {
            "ccg": ccg,
            "counts": selectors.breach_counts(ccg),
            "open_breaches": breaches,
            "referrals": list(selectors.referrals_of(ccg)[:5]),
            "late": list(late[:LATEST_LATE]),
            "late_total": late.count(),
            "late_offers": selectors.late_offers(ccg).count(),
            "crumbs": _register_crumbs(ccg)[:-1],
        },
    )


@login_required
def referral_list(request: AuthenticatedRequest, ods_code: str) -> HttpResponse:
    """Items of the CCG's committees referred elsewhere, latest first, a page at a time."""
    ccg = ccg_get(request.user, ods_code)
    if not permissions.can_view_referrals(request.user, ccg):
        raise _not_found()
    page = Paginator(selectors.referrals_of(ccg), REFERRALS_PER_PAGE).get_page(request.GET.get("page"))
    referrals = list(page.object_list)
    # The item a referral created may sit on another CCG's committee: link it only where it opens.
    elsewhere = {r.new_item.committee_id for r in referrals if r.new_item is not None}
    visible = (
        set(committees_visible_to(request.user).filter(pk__in=elsewhere).values_list("pk", flat=True))
        if elsewhere
        else set()
    )
    return render(
        request,
        "conflicts/referral_list.html",
        {
            "ccg": ccg,
            "page": page,
            "referrals": referrals,
            "visible_committee_ids": visible,
            "crumbs": [
                *_register_crumbs(ccg)[:-1],
                ("Conflicts of Interest Guardian", reverse("guardian-overview", args=[ccg.ods_code])),
            ]
            if permissions.can_view_guardian_page(request.user, ccg)
            else _register_crumbs(ccg),
        },
    )
