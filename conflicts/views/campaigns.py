"""Declaration campaign pages: opening a campaign, its progress, and closing it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cocomm.views import AuthenticatedRequest
from conflicts import permissions, selectors, services
from conflicts.forms.campaigns import CampaignForm
from conflicts.views._common import _form_page, _keeper_ccg, _not_found, _register_crumbs, _register_url


@login_required
def campaign_create(request: AuthenticatedRequest, ods_code: str) -> HttpResponse:
    ccg = _keeper_ccg(request, ods_code)
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_open(
                ccg=ccg,
                title=form.cleaned_data["title"],
                deadline=form.cleaned_data["deadline"],
                by=request.user,
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, f"{campaign.title} is open. Invitations are being e-mailed.")
            return redirect("campaign-detail", pk=campaign.pk)
    return _form_page(
        request,
        {
            "form": form,
            "title": "Open a declaration campaign",
            "caption": ccg.name,
            "intro": "Everyone who sits on a committee serving the CCG is e-mailed an invitation to declare "
            "their interests, or confirm a nil return, by the deadline.",
            "button": "Open the campaign",
            "cancel": ("the registers", _register_url(ccg, "campaigns")),
            "crumbs": _register_crumbs(ccg),
        },
    )


@login_required
def campaign_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(request.user, pk)
    progress = selectors.campaign_progress(campaign)
    counts = {answer: sum(1 for p in progress if p.answer == answer) for answer in selectors.Answer}
    return render(
        request,
        "conflicts/campaign_detail.html",
        {
            "campaign": campaign,
            "progress": progress,
            "counts": counts,
            "may_close": not campaign.closed and permissions.can_keep_registers(request.user, campaign.ccg),
            "crumbs": _register_crumbs(campaign.ccg),
        },
    )


@login_required
@require_POST
def campaign_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(request.user, pk)
    if campaign.closed or not permissions.can_keep_registers(request.user, campaign.ccg):
        raise _not_found()
    services.campaign_close(campaign=campaign, by=request.user)
    messages.success(request, f"{campaign.title} is closed.")
    return redirect("campaign-detail", pk=campaign.pk)
