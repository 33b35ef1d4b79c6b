"""The assurance pages: a CCG's packs with the form to ask for one, a pack with its review.

Views are thin: select what the user may see (a hidden pack is a 404, as a missing one), validate
a form, call a service, redirect.
"""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assurance import permissions, rules, selectors, services, versions
from assurance.forms import PackRequestForm, ResponseForm, ReviewForm
from assurance.models import AssurancePack, PackReview, PackStatus
from cocomm.views import AuthenticatedRequest


def _crumbs(pack_ccg_name: str, ods_code: str) -> list[tuple[str, str]]:
    return [
        ("Home", reverse("home")),
        ("CCGs", reverse("ccg-list")),
        (pack_ccg_name, reverse("ccg-detail", args=[ods_code])),
        ("Assurance packs", reverse("pack-list", args=[ods_code])),
    ]


@login_required
def pack_overview(request: AuthenticatedRequest) -> HttpResponse:
    """For a reviewer with many CCGs: each CCG's latest pack and where its review stands."""
    rows = selectors.pack_overview(request.user)
    outcomes = Counter(
        row.latest.review.get_outcome_display() for row in rows if row.latest and not row.awaiting_review
    )
    return render(
        request,
        "assurance/pack_overview.html",
        {
            "rows": rows,
            "without_pack": sum(1 for row in rows if row.latest is None),
            "awaiting_review": sum(1 for row in rows if row.awaiting_review),
            "outcomes": sorted(outcomes.items()),
            "crumbs": [("Home", reverse("home"))],
        },
    )


@login_required
def pack_list(request: AuthenticatedRequest, ods_code: str) -> HttpResponse:
    ccg = selectors.ccg_for_packs(request.user, ods_code)
    may_request = permissions.can_request_pack(request.user, ccg)
    form = PackRequestForm(request.POST or None) if may_request else None
    if request.method == "POST":
        if form is None:
            raise Http404("No such page.")
        if form.is_valid():
            try:
                pack = services.pack_request(
                    ccg=ccg,
                    start=form.cleaned_data["period_start"],
                    end=form.cleaned_data["period_end"],
                    by=request.user,
                )
            except ValidationError as error:
                form.attach(error)
            else:
                _say_whether_queued(request, pack, f"Version {pack.version} of the pack is being generated.")
                return redirect("pack-detail", pk=pack.pk)
    return render(
        request,
        "assurance/pack_list.html",
        {
            "ccg": ccg,
            "packs": selectors.packs_of(ccg),
            "form": form,
            "crumbs": _crumbs(ccg.name, ccg.ods_code)[:-1],
        },
    )


def _say_whether_queued(request: AuthenticatedRequest, pack: AssurancePack, queued: str) -> None:
    # The request's transaction has committed and its on-commit send has run (or failed) by now.
    # When the broker did not answer, the pack's page says so itself (for as long as it is true),
    # so no "done" banner is shown.
    pack.refresh_from_db(fields=["status", "sent_at"])
    if not pack.waiting_for_broker:
        messages.success(request, queued)


def _review_of(pack: AssurancePack) -> PackReview | None:
    return PackReview.objects.filter(pack=pack).select_related("reviewer", "responded_by").first()


@login_required
def pack_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    # Each form on the page names itself in a hidden "form" field, so an empty submission is
    # still bound to its form and answered with errors.
    pack = selectors.pack_get(request.user, pk)
    review = _review_of(pack)
    review_form = response_form = None
    if (
        pack.status == PackStatus.READY
        and review is None
        and permissions.can_review_pack(request.user, pack.ccg)
    ):
        review_form = ReviewForm(request.POST if request.POST.get("form") == "review" else None)
    if review is not None and permissions.can_respond_to_review(request.user, pack.ccg):
        initial = {"response": review.response}
        response_form = ResponseForm(
            request.POST if request.POST.get("form") == "response" else None, initial=initial
        )
    if request.method == "POST":
        if review_form is not None and review_form.is_bound and review_form.is_valid():
            try:
                services.review_record(pack=pack, by=request.user, **review_form.cleaned_data)
            except ValidationError as error:
                review_form.attach(error)
            else:
                messages.success(request, "The review is recorded.")
                return redirect("pack-detail", pk=pack.pk)
        elif response_form is not None and response_form.is_bound and response_form.is_valid():
            assert review is not None
            try:
                services.review_respond(
                    review=review, response=response_form.cleaned_data["response"], by=request.user
                )
            except ValidationError as error:
                response_form.attach(error)
            else:
                messages.success(request, "The CCG's response is recorded.")
                return redirect("pack-detail", pk=pack.pk)
        elif not (review_form and review_form.is_bound) and not (response_form and response_form.is_bound):
            raise Http404("No such page.")
    return render(
        request,
        "assurance/pack_detail.html",
        {
            "pack": pack,
            "review": review,
            "review_form": review_form,
            "response_form": response_form,
            "comparison": versions.version_comparison(pack),
            "reads": versions.pack_reads(pack),
            "contents": [(label, pack.contents.get(key, 0)) for key, label in rules.CONTENT_LABELS.items()],
            "in_progress": pack.status in (PackStatus.QUEUED, PackStatus.GENERATING),
            "may_retry": pack.status == PackStatus.FAILED
            and permissions.can_request_pack(request.user, pack.ccg),
            "crumbs": _crumbs(pack.ccg.name, pack.ccg.ods_code),
        },
    )


@login_required
def pack_download(request: AuthenticatedRequest, pk: int) -> FileResponse:
    pack = selectors.pack_get(request.user, pk)
    if pack.status != PackStatus.READY:
        raise Http404("The pack is not ready.")
    return _pdf_response(pack)


def _pdf_response(pack: AssurancePack) -> FileResponse:
    name = pack.file.name.rsplit("/", 1)[-1]
    return FileResponse(pack.file.open("rb"), content_type="application/pdf", filename=name)


@login_required
@require_POST
def pack_retry(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    pack = selectors.pack_get(request.user, pk)
    if not permissions.can_request_pack(request.user, pack.ccg):
        raise Http404("No such page.")
    try:
        retried = services.pack_retry(pack=pack, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        _say_whether_queued(request, retried, "The pack is being generated again.")
    return redirect("pack-detail", pk=pack.pk)
