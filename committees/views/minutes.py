"""Minutes pages: drafting a meeting's minutes from the record, the chair approving them, and the errata
recorded at later meetings to correct them once approved."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from cocomm.views import AuthenticatedRequest
from committees import permissions, selectors, services
from committees.choices import MinutesStatus
from committees.forms.minutes import ErratumForm, MinutesApproveForm, MinutesForm
from committees.minutes import compose_minutes
from committees.models import Meeting, Minutes
from committees.views._common import _form_page, _manages_any, _meeting_crumbs, _not_found


def _chairs_any(user: Any, meeting: Meeting) -> bool:
    return any(permissions.can_approve(user, c) for c in meeting.committees.all())


def _records_errata(user: Any, meeting: Meeting) -> bool:
    return _manages_any(user, meeting.committees.all()) or _chairs_any(user, meeting)


def _erratum_form(minutes: Minutes, data: Any = None) -> ErratumForm:
    return ErratumForm(data, items=selectors.items_to_raise_errata_at(minutes), prefix="erratum")


def _minutes_page(
    request: AuthenticatedRequest,
    meeting: Meeting,
    *,
    form: MinutesForm | None = None,
    erratum_form: ErratumForm | None = None,
) -> HttpResponse:
    minutes = selectors.minutes_of(meeting)
    frozen = minutes is not None and minutes.status == MinutesStatus.APPROVED
    manages = _manages_any(request.user, meeting.committees.all())
    # Minutes are of a meeting that has taken place: drafting is offered from its start.
    started = selectors.meeting_started(meeting)
    if form is None and manages and not frozen and started:
        keep = minutes is not None and "regenerate" not in request.GET
        form = MinutesForm(
            initial={"text": minutes.text if minutes is not None and keep else compose_minutes(meeting)}
        )
    approve_form = None
    if minutes is not None and not frozen and _chairs_any(request.user, meeting):
        approve_form = MinutesApproveForm(
            meetings=selectors.later_meetings_of(meeting, started_by=timezone.now())
        )
    if minutes is not None and frozen and erratum_form is None and _records_errata(request.user, meeting):
        erratum_form = _erratum_form(minutes)
    return render(
        request,
        "committees/minutes_detail.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "frozen": frozen,
            "form": form if form is not None and not frozen else None,
            "refused": form if form is not None and frozen else None,
            "approve_form": approve_form,
            "errata": selectors.errata_of(minutes),
            "erratum_form": erratum_form,
            "not_started": manages and not frozen and not started,
            "regenerated": "regenerate" in request.GET,
            # Approved minutes never change, so a later supersession is shown beside them.
            "superseded": selectors.superseded_decisions_at(meeting),
            "crumbs": _meeting_crumbs(meeting),
        },
    )


@login_required
def minutes_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The minutes: drafted from the record, edited, then approved by the chair and frozen."""
    meeting = selectors.meeting_get(request.user, pk)
    if request.method != "POST":
        return _minutes_page(request, meeting)
    if not _manages_any(request.user, meeting.committees.all()):
        raise _not_found()
    # A post before the meeting, or after the minutes are approved, reaches the service, whose refusal
    # the page shows.
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            services.minutes_draft(meeting=meeting, text=form.cleaned_data["text"], by=request.user)
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, "The draft minutes have been saved.")
            return redirect("minutes-detail", pk=meeting.pk)
    return _minutes_page(request, meeting, form=form)


@login_required
def erratum_record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Record a correction to approved minutes, agreed at an item of a later meeting."""
    meeting = selectors.meeting_get(request.user, pk)
    minutes = selectors.minutes_of(meeting)
    if minutes is None or not _records_errata(request.user, meeting):
        raise _not_found()
    if request.method != "POST":
        return redirect(reverse("minutes-detail", args=[meeting.pk]) + "#errata")
    form = _erratum_form(minutes, request.POST)
    if form.is_valid():
        try:
            services.erratum_record(
                minutes=minutes,
                item=form.chosen_item(),
                correction=form.cleaned_data["correction"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            form.attach(error)
        except PermissionDenied:
            raise _not_found() from None
        else:
            messages.success(request, "The erratum has been recorded. It is shown with the minutes.")
            return redirect(reverse("minutes-detail", args=[meeting.pk]) + "#errata")
    return _minutes_page(request, meeting, erratum_form=form)


@login_required
def minutes_approve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(request.user, pk)
    minutes = selectors.minutes_of(meeting)
    if minutes is None or minutes.status != MinutesStatus.DRAFT or not _chairs_any(request.user, meeting):
        raise _not_found()
    form = MinutesApproveForm(
        request.POST or None, meetings=selectors.later_meetings_of(meeting, started_by=timezone.now())
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_approve(
                minutes=minutes, at_meeting=form.cleaned_data["at_meeting"], by=request.user
            )
        except ValidationError as error:
            form.attach(error)
        except PermissionDenied:
            raise _not_found() from None
        else:
            messages.success(request, "The minutes have been approved. They are now frozen.")
            return redirect("minutes-detail", pk=meeting.pk)
    return _form_page(
        request,
        {
            "form": form,
            "caption": str(meeting),
            "title": "Approve the minutes",
            "intro": "Minutes are approved at a later meeting of the same committee. Once approved they "
            "cannot be changed, and neither can the meeting's record.",
            "button": "Approve the minutes",
            "cancel": ("the minutes", reverse("minutes-detail", args=[meeting.pk])),
            "crumbs": _meeting_crumbs(meeting),
        },
    )
