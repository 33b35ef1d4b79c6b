"""Matter pages: raising a matter, which body decides it, and putting it on that body's agenda."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from cocomm.views import AuthenticatedRequest
from committees import permissions, selectors, services
from committees.forms.matters import MatterForm, MatterScheduleForm
from committees.models import Committee, Meeting
from committees.views._common import _crumbs, _form_page, _not_found
from delegation.rules import DecidedBy


@login_required
def matter_create(request: AuthenticatedRequest) -> HttpResponse:
    governed = selectors.ccgs_governed_by(request.user)
    if not governed.exists():
        raise _not_found()
    form = MatterForm(request.POST or None, ccgs=governed)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            matter = services.matter_raise(
                ccg=data["ccg"],
                function=data["function"],
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                practices=data["practices"],
                by=request.user,
                reason=data["reason"],
            )
        except ValidationError as error:
            form.attach(error)
        except PermissionDenied as error:
            form.add_error("ccg", str(error))
        else:
            messages.success(request, "The matter has been raised. Now put it on the deciding body's agenda.")
            return redirect("matter-detail", pk=matter.pk)
    return _form_page(
        request,
        {
            "form": form,
            "title": "Raise a matter",
            "intro": "Something a CCG must decide under one of the 14 functions, such as a practice applying "
            "to close its list. cocomm works out which body decides it from the CCG's level.",
            "button": "Raise the matter",
            "cancel": ("the committees", reverse("committee-list")),
            "crumbs": _crumbs(),
        },
    )


def _schedulable_meetings(user: Any, bodies: list[Committee]) -> QuerySet[Meeting]:
    managed = [c.pk for c in bodies if permissions.can_manage_committee(user, c)]
    return selectors.upcoming_meetings_of(managed)


@login_required
def matter_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    matter = selectors.matter_get(request.user, pk)
    today = timezone.localdate()
    decided_by: DecidedBy | None
    try:
        decided_by, bodies = services.deciding_committees(matter, today)
        routing_problem = ""
    except ValidationError as error:
        # A gap in the decision-rights matrix: the page says which cell, and offers no meeting.
        decided_by, bodies, routing_problem = None, [], " ".join(error.messages)
    meetings = _schedulable_meetings(request.user, bodies)
    return render(
        request,
        "committees/matter_detail.html",
        {
            "matter": matter,
            "today": today,
            "decided_by": decided_by,
            "routing_problem": routing_problem,
            "bodies": bodies,
            "meetings": selectors.upcoming_meetings_of([c.pk for c in bodies]),
            "schedule_form": (
                MatterScheduleForm(meetings=meetings, prefix="schedule") if meetings.exists() else None
            ),
            "items": list(
                matter.agenda_items.select_related("meeting", "committee").order_by("meeting__starts_at")
            ),
            "decisions": list(
                matter.decisions.select_related("committee", "supersedes", "superseded_by").order_by(
                    "-decided_on"
                )
            ),
            "crumbs": _crumbs(),
        },
    )


@login_required
def matter_schedule(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    matter = selectors.matter_get(request.user, pk)
    try:
        _, bodies = services.deciding_committees(matter, timezone.localdate())
    except ValidationError:
        bodies = []  # who decides is not known (a gap in the matrix): no meeting can take it
    meetings = _schedulable_meetings(request.user, bodies)
    if not meetings.exists():
        raise _not_found()
    form = MatterScheduleForm(request.POST or None, meetings=meetings, prefix="schedule")
    if request.method == "POST" and form.is_valid():
        try:
            item = services.matter_schedule(
                matter=matter,
                meeting=form.cleaned_data["meeting"],
                session=form.cleaned_data["session"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.attach(error)
        except PermissionDenied as error:
            form.add_error("meeting", str(error))
        else:
            messages.success(request, f"The matter is item {item.number} of {item.meeting}.")
            return redirect("agenda-item-detail", pk=item.pk)
    return _form_page(
        request,
        {
            "form": form,
            "caption": matter.title,
            "title": "Put the matter on an agenda",
            "intro": "Only meetings of the body that decides the matter are listed. It is added as an item "
            "for decision.",
            "button": "Add to the agenda",
            "cancel": ("the matter", reverse("matter-detail", args=[matter.pk])),
            "crumbs": _crumbs(),
        },
    )
