"""Minutes pages: drafting a meeting's minutes from the record and the chair approving them."""

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
from committees.forms.minutes import MinutesApproveForm, MinutesForm
from committees.minutes import compose_minutes
from committees.models import Meeting
from committees.views._common import _form_page, _manages_any, _meeting_crumbs, _not_found


def _chairs_any(user: Any, meeting: Meeting) -> bool:
    return any(permissions.can_approve(user, c) for c in meeting.committees.all())


@login_required
def minutes_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The minutes: drafted from the record, edited, then approved by the chair and frozen."""
    meeting = selectors.meeting_get(request.user, pk)
    minutes = selectors.minutes_of(meeting)
    frozen = minutes is not None and minutes.status == MinutesStatus.APPROVED
    manages = _manages_any(request.user, meeting.committees.all()) and not frozen
    # Minutes are of a meeting that has taken place: drafting is offered from its start.
    started = selectors.meeting_started(meeting)
    form = None
    if manages:
        # A post before the meeting reaches the service, whose refusal the page shows on the form.
        if request.method == "POST":
            form = MinutesForm(request.POST)
            if form.is_valid():
                try:
                    services.minutes_draft(meeting=meeting, text=form.cleaned_data["text"], by=request.user)
                except ValidationError as error:
                    form.attach(error)
                else:
                    messages.success(request, "The draft minutes have been saved.")
                    return redirect("minutes-detail", pk=meeting.pk)
        elif started:
            if minutes is None or "regenerate" in request.GET:
                text = compose_minutes(meeting)
            else:
                text = minutes.text
            form = MinutesForm(initial={"text": text})
    elif request.method == "POST":
        raise _not_found()
    approve_form = None
    if minutes is not None and not frozen and _chairs_any(request.user, meeting):
        approve_form = MinutesApproveForm(
            meetings=selectors.later_meetings_of(meeting, started_by=timezone.now())
        )
    return render(
        request,
        "committees/minutes_detail.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "frozen": frozen,
            "form": form,
            "approve_form": approve_form,
            "not_started": manages and not started,
            "regenerated": "regenerate" in request.GET,
            # Approved minutes never change, so a later supersession is shown beside them.
            "superseded": selectors.superseded_decisions_at(meeting),
            "crumbs": _meeting_crumbs(meeting),
        },
    )


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
