"""Meeting pages: scheduling, the meeting's page, attendance, the action log and adding agenda items."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from cocomm.models import Person
from cocomm.views import AuthenticatedRequest
from committees import permissions, selectors, services
from committees.choices import AttendanceStatus, MinutesStatus
from committees.forms.meetings import (
    ActionCompleteForm,
    ActionForm,
    AgendaItemForm,
    AttendanceForm,
    MeetingScheduleForm,
)
from committees.models import Action, ActionStatus, Committee, Meeting
from committees.views._common import (
    QuorumPanel,
    _committee_crumbs,
    _form_page,
    _manages_any,
    _meeting_crumbs,
    _not_found,
)


def _partners(user: Any, committee: Committee) -> QuerySet[Committee]:
    """Committees the user manages serving the same area: those that may meet in common with it."""
    area_teams = {ccg.area_team_id for ccg in committee.ccgs.all()}
    candidates = (
        selectors.committees_visible_to(user)
        .filter(ccgs__area_team__in=area_teams)
        .exclude(pk=committee.pk)
        .prefetch_related("ccgs")
    )
    managed = [c.pk for c in candidates if permissions.can_manage_committee(user, c)]
    return Committee.objects.filter(pk__in=managed).order_by("name")


@login_required
def meeting_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    committee = selectors.committee_get(request.user, pk)
    if not permissions.can_manage_committee(request.user, committee):
        raise _not_found()
    form = MeetingScheduleForm(
        request.POST or None,
        partners=_partners(request.user, committee),
        initial={"title": f"{committee.short_name or committee.name} meeting", "at": "14:00"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_schedule(
                committees=[committee, *data.get("in_common", [])],
                title=data["title"],
                starts_at=data["starts_at"],
                place=data["place"],
                has_public_session=data["has_public_session"],
                has_private_session=data["has_private_session"],
                by=request.user,
                reason=data["reason"],
            )
        except ValidationError as error:
            form.attach(error)
        except PermissionDenied as error:
            form.add_error("in_common" if "in_common" in form.fields else None, str(error))
        else:
            messages.success(request, f"{meeting} has been scheduled with the standard opening items.")
            return redirect("meeting-detail", pk=meeting.pk)
    return _form_page(
        request,
        {
            "form": form,
            "caption": committee.name,
            "title": "Schedule a meeting",
            "intro": "The agenda starts with the standard items: apologies, quoracy, declarations of "
            "interest, the minutes of the last meeting and the action log. Chair's actions waiting for "
            "ratification are added too.",
            "button": "Schedule the meeting",
            "cancel": (committee.name, reverse("committee-detail", args=[committee.pk])),
            "crumbs": _committee_crumbs(committee),
        },
    )


def _attendance_form(
    record: selectors.MeetingRecord, data: Any = None
) -> tuple[AttendanceForm, dict[int, str]]:
    current = {pid: a.status for pid, a in record.attendance.items()}
    members = [m for c in record.committees for m in record.members_of(c)]
    return AttendanceForm(data, members=members, current=current, prefix="attendance"), current


def _action_people(record: selectors.MeetingRecord) -> QuerySet[Person]:
    ids = {m.person_id for seats in record.members.values() for m in seats} | set(record.attendance)
    return Person.objects.filter(pk__in=ids).order_by("full_name")


def _meeting_page(request: AuthenticatedRequest, meeting: Meeting, **forms: Any) -> HttpResponse:
    record = selectors.meeting_record(meeting)
    manages = _manages_any(request.user, record.committees)
    frozen = record.minutes is not None and record.minutes.status == MinutesStatus.APPROVED
    started = selectors.meeting_started(meeting)
    # Why the record's forms are not offered, said in their place (empty while they may be used).
    frozen_reason = selectors.record_frozen_because(meeting) if frozen and manages else ""
    attendance_reason = selectors.attendance_frozen_because(meeting) if manages and started else ""
    context: dict[str, Any] = {
        "meeting": meeting,
        "record": record,
        "agenda": [
            (item, record.decisions.get(item.pk), record.quorums.get(item.pk)) for item in record.items
        ],
        "decision_items": [
            (item, QuorumPanel(record.quorums[item.pk])) for item in record.items if item.pk in record.quorums
        ],
        "attendance": [
            (c, [(m, record.attendance.get(m.person_id)) for m in record.members_of(c)])
            for c in record.committees
        ],
        "manages": manages,
        # Open actions this user may mark done: their own, or any if they manage the meeting.
        "completable": {
            a.pk
            for a in record.actions
            if a.status == ActionStatus.OPEN and (manages or a.owner.user_id == request.user.pk)
        },
        "frozen": frozen,
        "frozen_reason": frozen_reason,
        "attendance_reason": attendance_reason,
        "errata": selectors.errata_of(record.minutes) if frozen else [],
        "started": started,
        "in_common": len(record.committees) > 1,
        "crumbs": _meeting_crumbs(meeting),
    }
    # Attendance and the actions agreed are recorded from the meeting's start (the services refuse
    # them before), so their forms are offered from then, or when a refused post is shown again.
    if manages and not frozen and (started or forms):
        # Once a vote at the meeting has closed, the attendance it was counted on is shown, not offered
        # for change (a refused post is still shown again with its refusal).
        attendance_form = forms.get("attendance_form")
        if attendance_form is None and not attendance_reason:
            attendance_form = _attendance_form(record)[0]
        if attendance_form is not None:
            names = {c.pk: c.short_name or c.name for c in record.committees}
            sits_on: dict[int, list[str]] = {}
            for committee_id, seats in record.members.items():
                for seat in seats:
                    sits_on.setdefault(seat.person_id, []).append(names[committee_id])
            context["attendance_form"] = attendance_form
            context["attendance_rows"] = [
                (membership, field, ", ".join(sits_on.get(membership.person_id, [])))
                for membership, field in attendance_form.member_rows()
            ]
        context["action_form"] = forms.get("action_form") or ActionForm(
            people=_action_people(record), items=record.items, prefix="action"
        )
    bound = forms.get("attendance_form") or forms.get("action_form")
    if bound is not None:
        context["form"] = bound  # the error summary and the page title show its errors
    return render(request, "committees/meeting_detail.html", context)


@login_required
def meeting_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, selectors.meeting_get(request.user, pk))


@login_required
def attendance_record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Record each member's attendance (and anyone else in attendance) in one go."""
    meeting = selectors.meeting_get(request.user, pk)
    if not _manages_any(request.user, meeting.committees.all()):
        raise _not_found()
    if request.method != "POST":
        return redirect(reverse("meeting-detail", args=[meeting.pk]) + "#attendance")
    record = selectors.meeting_record(meeting)
    form, current = _attendance_form(record, request.POST)
    if form.is_valid():
        changes = form.changes(current)
        guest = form.cleaned_data["guest"]
        if not changes and guest is None:
            form.add_error(None, "Change at least one member's attendance, or add someone in attendance")
        else:
            reason = form.cleaned_data["reason"]
            try:
                with transaction.atomic():  # all of the sheet or none of it
                    for person, status in changes:
                        services.attendance_record(
                            meeting=meeting, person=person, status=status, by=request.user, reason=reason
                        )
                    if guest is not None:
                        services.attendance_record(
                            meeting=meeting,
                            person=guest,
                            status=AttendanceStatus.IN_ATTENDANCE,
                            note=form.cleaned_data["guest_note"],
                            by=request.user,
                            reason=reason,
                        )
            except ValidationError as error:
                form.attach(error)
            else:
                messages.success(request, "The attendance has been recorded.")
                return redirect(reverse("meeting-detail", args=[meeting.pk]) + "#attendance")
    return _meeting_page(request, meeting, attendance_form=form)


@login_required
def action_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(request.user, pk)
    if not _manages_any(request.user, meeting.committees.all()):
        raise _not_found()
    if request.method != "POST":
        return redirect(reverse("meeting-detail", args=[meeting.pk]) + "#actions")
    record = selectors.meeting_record(meeting)
    form = ActionForm(request.POST, people=_action_people(record), items=record.items, prefix="action")
    if form.is_valid():
        try:
            services.action_add(
                meeting=meeting,
                description=form.cleaned_data["description"],
                owner=form.cleaned_data["owner"],
                due_on=form.cleaned_data["due_on"],
                item=form.cleaned_data["item"],
                by=request.user,
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, "The action has been added to the log.")
            return redirect(reverse("meeting-detail", args=[meeting.pk]) + "#actions")
    return _meeting_page(request, meeting, action_form=form)


@login_required
def action_complete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Mark an action done, saying how (its owner, or whoever manages the meeting)."""
    action = Action.objects.select_related("owner", "item").filter(pk=pk).first()
    if action is None:
        raise _not_found()
    meeting = selectors.meeting_get(request.user, action.meeting_id)  # a hidden meeting is a 404
    if action.owner.user_id != request.user.pk and not _manages_any(request.user, meeting.committees.all()):
        raise _not_found()
    form = ActionCompleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_complete(action=action, by=request.user, reason=form.cleaned_data["reason"])
        except PermissionDenied:
            raise _not_found() from None
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, "The action is marked done.")
            return redirect(reverse("meeting-detail", args=[meeting.pk]) + "#actions")
    return render(
        request,
        "committees/action_complete.html",
        {"action": action, "meeting": meeting, "form": form, "crumbs": _meeting_crumbs(meeting)},
    )


@login_required
def agenda_item_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(request.user, pk)
    managed = [c for c in meeting.committees.all() if permissions.can_manage_committee(request.user, c)]
    if not managed:
        raise _not_found()
    if request.method != "POST" and selectors.record_frozen_because(meeting):
        # No form that cannot be used: the meeting's page says why the agenda no longer changes.
        return redirect(reverse("meeting-detail", args=[meeting.pk]) + "#agenda")
    form = AgendaItemForm(request.POST or None, meeting=meeting, committees=managed)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.agenda_item_add(
                meeting=meeting,
                committee=data["committee"],
                title=data["title"],
                purpose=data["purpose"],
                session=data["session"],
                ccg=data["ccg"],
                function=data["function"],
                practices=data["practices"],
                by=request.user,
                reason=data["reason"],
                reference=data["reference"],
                author=data["author"],
                lead_director=data["lead_director"],
                summary=data["summary"],
                financial_implications=data["financial_implications"],
                risk_implications=data["risk_implications"],
                legal_implications=data["legal_implications"],
                equality_implications=data["equality_implications"],
                action_asked=data["action_asked"],
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, f"Item {item.number}, {item.title}, has been added to the agenda.")
            return redirect("agenda-item-detail", pk=item.pk)
    return render(
        request,
        "committees/agenda_item_form.html",
        {"meeting": meeting, "form": form, "crumbs": _meeting_crumbs(meeting)},
    )
