"""The action log and the minutes, drafted by the clerk and approved at a later meeting."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from cocomm.audit import save_audited
from cocomm.models import Person, User
from committees import permissions
from committees.choices import MinutesStatus
from committees.models import Action, ActionStatus, AgendaItem, Meeting, Minutes
from committees.services._common import _can_manage_meeting, _require, require_meeting_started


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
    if minutes.status == MinutesStatus.APPROVED:
        raise ValidationError("These minutes are approved and frozen.")
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
    minutes.status, minutes.approved_at_meeting, minutes.approved_by = MinutesStatus.APPROVED, at_meeting, by
    save_audited(minutes, by=by, reason=f"Approved at {at_meeting}")
    return minutes
