"""The action log, the minutes (drafted by the clerk, approved at a later meeting, then frozen) and the
errata that correct approved minutes."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cocomm.audit import save_audited
from cocomm.models import Person, User
from committees import permissions, rules
from committees.choices import DecisionStatus, MinutesStatus
from committees.models import Action, ActionStatus, AgendaItem, Decision, Erratum, Meeting, Minutes
from committees.services._common import (
    _can_manage_meeting,
    _require,
    require_meeting_started,
    require_record_open,
)


@transaction.atomic
def action_add(
    *,
    meeting: Meeting,
    description: str,
    owner: Person,
    due_on: dt.date,
    item: AgendaItem | None = None,
    by: User,
) -> Action:
    """Add an action to the log, with its owner and due date."""
    _require(_can_manage_meeting(by, meeting), "You may not change this meeting's action log.")
    require_meeting_started(meeting, "the actions it agrees can be logged")
    require_record_open(meeting)
    action = Action(meeting=meeting, item=item, description=description, owner=owner, due_on=due_on)
    save_audited(action, by=by, reason="Action agreed")
    return action


@transaction.atomic
def action_complete(*, action: Action, by: User, reason: str) -> Action:
    """Mark an action done, saying how; its owner or whoever manages the meeting may."""
    owner_user_id = action.owner.user_id
    _require(
        owner_user_id == by.pk or _can_manage_meeting(by, action.meeting),
        "Only the action's owner or the committee's managers may mark it done.",
    )
    if not reason.strip():
        raise ValidationError({"reason": "Say how the action was done."})
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if locked.status == ActionStatus.DONE:
        raise ValidationError("This action is already done.")
    locked.status = ActionStatus.DONE
    save_audited(locked, by=by, reason=reason.strip())
    return locked


@transaction.atomic
def minutes_draft(*, meeting: Meeting, text: str, by: User) -> Minutes:
    """Save the draft minutes (generated from the record, then edited by the clerk)."""
    _require(_can_manage_meeting(by, meeting), "You may not draft these minutes.")
    require_meeting_started(meeting, "its minutes can be drafted")
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first() or Minutes(meeting=meeting)
    require_record_open(meeting)
    minutes.text = text
    save_audited(minutes, by=by, reason="Minutes drafted")
    return minutes


@transaction.atomic
def minutes_approve(*, minutes: Minutes, at_meeting: Meeting, by: User) -> Minutes:
    """The chair approves the minutes at a later meeting of the same committee; then they are frozen."""
    minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
    committees = list(minutes.meeting.committees.all())
    _require(any(permissions.can_approve(by, c) for c in committees), "Only the chair approves the minutes.")
    require_meeting_started(at_meeting, "the minutes of an earlier meeting can be approved at it")
    if minutes.status == MinutesStatus.APPROVED:
        raise ValidationError("These minutes are approved already.")
    if (
        at_meeting.starts_at <= minutes.meeting.starts_at
        or not at_meeting.committees.filter(pk__in=[c.pk for c in committees]).exists()
    ):
        raise ValidationError("Minutes are approved at a later meeting of the same committee.")
    # Once approved, nothing at the meeting changes: a decision still being voted on or awaiting the
    # chair's approval could then never be completed, so it is completed first.
    unfinished = (
        Decision.objects.filter(
            item__meeting=minutes.meeting, status__in=[DecisionStatus.VOTING, DecisionStatus.RECORDED]
        )
        .select_related("item")
        .order_by("item__number")
    )
    waiting = [
        f"item {d.item.number}, {d.item.title} ({d.get_status_display().lower()})"
        for d in unfinished
        if d.item is not None
    ]
    if waiting:
        raise ValidationError(
            "The minutes cannot be approved while a decision at the meeting is unfinished: "
            + "; ".join(waiting)
            + ". The chair closes the vote and approves the decision first; once the minutes are approved "
            "nothing at the meeting changes."
        )
    minutes.status, minutes.approved_at_meeting, minutes.approved_by = MinutesStatus.APPROVED, at_meeting, by
    save_audited(minutes, by=by, reason=f"Approved at {at_meeting}")
    return minutes


def _chairs_or_manages(user: User, meeting: Meeting) -> bool:
    return _can_manage_meeting(user, meeting) or any(
        permissions.can_approve(user, c) for c in meeting.committees.all()
    )


@transaction.atomic
def erratum_record(*, minutes: Minutes, item: AgendaItem, correction: str, reason: str, by: User) -> Erratum:
    """Record a correction to approved minutes, agreed at an item of a later meeting of the committee;
    the minutes themselves never change, and the erratum is shown with them."""
    minutes = Minutes.objects.select_related("meeting").get(pk=minutes.pk)
    meeting = minutes.meeting
    _require(
        _chairs_or_manages(by, meeting),
        "Only the committee's governance officer or chair records an erratum to its minutes.",
    )
    if minutes.status != MinutesStatus.APPROVED:
        raise ValidationError(
            "These minutes are still a draft: correct the draft itself. An erratum corrects approved minutes."
        )
    if not correction.strip():
        raise ValidationError({"correction": "Say what the minutes should say."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the minutes are corrected."})
    raised_at = item.meeting
    refusal = rules.erratum_meeting_refusal(
        minutes_at=timezone.localtime(meeting.starts_at),
        raised_at=timezone.localtime(raised_at.starts_at),
        same_committee=raised_at.committees.filter(pk__in=meeting.committees.all()).exists(),
        started=rules.has_started(starts_at=raised_at.starts_at, now=timezone.now()),
    )
    if refusal:
        raise ValidationError({"item": refusal})
    require_record_open(raised_at)
    erratum = Erratum(
        minutes=minutes,
        item=item,
        correction=correction.strip(),
        reason=reason.strip(),
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    save_audited(erratum, by=by, reason=reason.strip())
    return erratum
