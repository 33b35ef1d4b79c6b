"""Gifts and hospitality pages: recording an offer and changing the CCG's limits."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from cocomm.views import AuthenticatedRequest
from conflicts import rules, selectors, services
from conflicts.forms.gifts import OfferForm, ThresholdsForm
from conflicts.views._common import _form_page, _keeper_ccg, _register_crumbs, _register_url


@login_required
def offer_create(request: AuthenticatedRequest, ods_code: str) -> HttpResponse:
    ccg = _keeper_ccg(request, ods_code)
    people = selectors.persons_in_scope(ccg, timezone.localdate())
    form = OfferForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            offer = services.offer_record(
                ccg=ccg,
                person=data["person"],
                position=data["position"],
                kind=data["kind"],
                description=data["description"],
                value=data["value"],
                offeror=data["offeror"],
                from_supplier=data["from_supplier"],
                offered_on=data["offered_on"],
                accepted=data["accepted"],
                reason=data["reason"],
                senior_approver=data["senior_approver"],
                by=request.user,
            )
        except ValidationError as error:
            form.attach(error)
        else:
            state = "accepted" if offer.accepted else "declined"
            messages.success(
                request, f"The {offer.get_kind_display().lower()} {state} by {offer.person} is recorded."
            )
            days = selectors.offer_days_late(offer)
            if days:
                messages.warning(
                    request,
                    f"This offer was declared {rules.late_text(days)}: offers are declared within "
                    f"{rules.DECLARE_WITHIN_DAYS} days of being made. It is recorded, marked as late.",
                )
            return redirect(_register_url(ccg, "gifts"))
    limits = services.thresholds_of(ccg)
    return _form_page(
        request,
        {
            "form": form,
            "title": "Record a gift or hospitality",
            "caption": ccg.name,
            "intro": "Record offers that were declined as well as those accepted.",
            "inset": [
                f"Gifts from suppliers or contractors over £{limits.supplier_gift_limit} must be declined.",
                f"Other gifts over £{limits.other_gift_limit} are declared.",
                f"Hospitality from £{limits.hospitality_declare_from} is declared; over "
                f"£{limits.hospitality_approval_over} it needs a senior manager's approval.",
                f"Offers are declared within {rules.DECLARE_WITHIN_DAYS} days of being made; one recorded "
                "later is accepted and marked as late.",
            ],
            "button": "Record the offer",
            "cancel": ("the registers", _register_url(ccg, "gifts")),
            "crumbs": _register_crumbs(ccg),
        },
    )


@login_required
def thresholds_edit(request: AuthenticatedRequest, ods_code: str) -> HttpResponse:
    ccg = _keeper_ccg(request, ods_code)
    current = services.thresholds_of(ccg)
    form = ThresholdsForm(
        request.POST or None,
        initial={
            "supplier_gift_limit": current.supplier_gift_limit,
            "other_gift_limit": current.other_gift_limit,
            "hospitality_declare_from": current.hospitality_declare_from,
            "hospitality_approval_over": current.hospitality_approval_over,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.thresholds_set(
                ccg=ccg,
                limits=rules.Thresholds(
                    supplier_gift_limit=data["supplier_gift_limit"],
                    other_gift_limit=data["other_gift_limit"],
                    hospitality_declare_from=data["hospitality_declare_from"],
                    hospitality_approval_over=data["hospitality_approval_over"],
                ),
                by=request.user,
                reason=data["reason"],
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, f"The gifts and hospitality limits of {ccg.name} have been changed.")
            return redirect(_register_url(ccg, "gifts"))
    return _form_page(
        request,
        {
            "form": form,
            "title": "Change the gifts and hospitality limits",
            "caption": ccg.name,
            "intro": "NHS England's guidance sets the defaults: supplier gifts over £6 declined, other gifts "
            "over £50 declared, hospitality from £25 declared and over £75 only with a senior manager's "
            "approval. New offers are judged against the limits in force when they are recorded.",
            "button": "Save the limits",
            "cancel": ("the registers", _register_url(ccg, "gifts")),
            "crumbs": _register_crumbs(ccg),
        },
    )
