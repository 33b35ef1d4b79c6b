"""Helpers the committees services share: permission refusals, transitions, routing checks, and the
meeting's clock (`require_meeting_started`) and the frozen record (`require_record_open`,
`require_item_open`, `require_attendance_open`), which the conflicts services call too."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.utils import timezone

from cocomm.audit import save_audited
from cocomm.models import CCG, User
from cocomm.text import in_sentence
from committees import permissions, rules
from committees.choices import Purpose
from committees.models import (
    AgendaItem,
    Committee,
    Decision,
    Meeting,
    closed_vote_at_meeting,
    closed_vote_on_item,
    minutes_freeze,
)
from delegation.rules import MatrixCellMissing, Routing
from delegation.selectors import routing_for, with_levels
from functions.models import Function


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _move(obj: Any, status: str, *, by: User, reason: str) -> None:
    """Move a record along its TRANSITIONS table, refusing any other step."""
    if status not in obj.TRANSITIONS[obj.status]:
        raise ValidationError(
            f"A {obj._meta.verbose_name} that is {obj.get_status_display().lower()} cannot become {status}."
        )
    obj.status = status
    save_audited(obj, by=by, reason=reason)


def _meeting_date(meeting: Meeting) -> dt.date:
    return timezone.localtime(meeting.starts_at).date()


def require_meeting_started(
    meeting: Meeting, then: str, *, allowed_early: bool = False, before: str = ""
) -> None:
    """Refuse a record of what happens at a meeting before the meeting starts, saying when it starts.

    `then` says what becomes possible at the start ("attendance can be recorded"); `allowed_early`
    lets through the few things that may be done beforehand (a ruling that withholds papers), and
    `before` tells the user what those are.
    """
    if allowed_early:
        return
    refusal = rules.meeting_not_started(
        starts_at=timezone.localtime(meeting.starts_at), now=timezone.now(), then=then, before=before
    )
    if refusal:
        raise ValidationError(refusal)


def routing_on(ccg: CCG, function: Function, on: dt.date) -> Routing:
    """Who decides a function for a CCG on a date; a gap in the decision-rights matrix is refused with
    the cell it lacks, as a validation error the pages and the API show."""
    try:
        return routing_for(with_levels(CCG.objects.filter(pk=ccg.pk)).get(), function, on)
    except MatrixCellMissing as missing:
        raise ValidationError(
            f"Who decides function {function.number} for {ccg.name} on {on:%-d %B %Y} is not known. {missing}"
        ) from missing


def _check_may_decide(committee: Committee, ccg: CCG, function: Function, on: dt.date) -> None:
    """Refuse, with the reason, unless the routing rule names this committee for the CCG on the date."""
    routed = routing_on(ccg, function, on)
    allowed, why = rules.may_decide(
        kind=rules.CommitteeKind(committee.kind),
        serves_ccg=committee.ccgs.filter(pk=ccg.pk).exists(),
        covers_function=committee.functions.filter(pk=function.pk).exists(),
        decided_by=routed.decided_by,
    )
    if not allowed:
        level = f"level {routed.level}" if routed.level is not None else "no level"
        raise ValidationError(
            f"{committee} may not decide function {function.number} for {ccg.name} on {on:%-d %B %Y}: "
            f"{ccg.name} held {level} ({in_sentence(routed.right.label)}), "
            f"so {in_sentence(routed.decided_by.label)} decides. {why}"
        )


def _can_manage_meeting(user: User, meeting: Meeting) -> bool:
    return any(permissions.can_manage_committee(user, c) for c in meeting.committees.all())


def require_record_open(meeting: Meeting) -> None:
    """Refuse any change to what was recorded at a meeting once its minutes are approved, saying
    when they were approved and that a correction is an erratum at a later meeting."""
    refusal = minutes_freeze(meeting.pk)
    if refusal:
        raise ValidationError(refusal)


def require_item_open(item: AgendaItem) -> None:
    """Refuse any change to what an item's vote was taken on (declarations, rulings, exclusions, who
    chairs it) once the vote has closed, or once the meeting's minutes are approved."""
    refusal = minutes_freeze(item.meeting_id) or closed_vote_on_item(item.pk)
    if refusal:
        raise ValidationError(refusal)


def require_attendance_open(meeting: Meeting) -> None:
    """Refuse a change to a meeting's attendance once a vote there has closed (attendance is kept for
    the whole meeting, so every item's quorum and vote rests on it) or its minutes are approved."""
    refusal = minutes_freeze(meeting.pk) or closed_vote_at_meeting(meeting.pk)
    if refusal:
        raise ValidationError(refusal)


def _ratification_item_add(meeting: Meeting, decision: Decision, *, by: User) -> AgendaItem:
    return _item_add(
        meeting,
        committee=decision.committee,
        title=f"Ratification of chair's action: {decision.resolution[:200]}",
        purpose=Purpose.NOTING,
        ccg=decision.ccg,
        function=decision.function,
        ratifies=decision,
        by=by,
        reason="Chair's action listed for ratification",
    )


def _item_add(meeting: Meeting, *, by: User, reason: str, **fields: Any) -> AgendaItem:
    number = (meeting.items.aggregate(top=Max("number"))["top"] or 0) + 1
    practices = fields.pop("practices", ())
    organisations = fields.pop("organisations", ())
    item = AgendaItem(meeting=meeting, number=number, **fields)
    save_audited(item, by=by, reason=reason)
    if practices:
        item.practices.set(practices)
    if organisations:
        item.organisations.set(organisations)
    return item
