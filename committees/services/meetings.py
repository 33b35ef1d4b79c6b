"""Meetings, their agendas and papers, attendance and exclusions from items."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction

from cocomm.audit import save_audited
from cocomm.models import CCG, Organisation, Person, Practice, User
from committees import permissions, rules, selectors
from committees.choices import (
    AttendanceStatus,
    DecisionStatus,
    ExclusionScope,
    Purpose,
    Session,
    StandardItem,
)
from committees.models import AgendaItem, Attendance, Committee, Decision, Exclusion, Matter, Meeting, Paper
from committees.services._common import (
    _can_manage_meeting,
    _check_may_decide,
    _item_add,
    _meeting_date,
    _ratification_item_add,
    _require,
    require_attendance_open,
    require_item_open,
    require_meeting_started,
    require_record_open,
)
from functions.models import Function


@transaction.atomic
def meeting_schedule(
    *,
    committees: Iterable[Committee],
    title: str,
    starts_at: dt.datetime,
    place: str = "",
    has_public_session: bool = True,
    has_private_session: bool = False,
    by: User,
    reason: str,
) -> Meeting:
    """Schedule a meeting (of several committees in common, if more than one) with its opening items."""
    committees = list(committees)
    if not committees:
        raise ValidationError({"committees": "A meeting is of at least one committee."})
    for committee in committees:
        _require(
            permissions.can_manage_committee(by, committee), f"You may not arrange meetings of {committee}."
        )
    meeting = Meeting(
        title=title,
        starts_at=starts_at,
        place=place,
        has_public_session=has_public_session,
        has_private_session=has_private_session,
    )
    save_audited(meeting, by=by, reason=reason)
    meeting.committees.set(committees)
    for number, standard in enumerate(StandardItem, start=1):
        item = AgendaItem(meeting=meeting, number=number, standard=standard, title=standard.label)
        save_audited(item, by=by, reason="Standard opening item")
    # Chair's actions not yet on any agenda come to this meeting for ratification.
    for committee in committees:
        waiting = Decision.objects.filter(
            committee=committee,
            virtual=True,
            status=DecisionStatus.APPROVED,
            ratified_at__isnull=True,
            ratification_items__isnull=True,
        )
        for decision in waiting:
            _ratification_item_add(meeting, decision, by=by)
    return meeting


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    committee: Committee,
    title: str,
    purpose: str = Purpose.NOTING,
    session: str = Session.PUBLIC,
    ccg: CCG | None = None,
    function: Function | None = None,
    practices: Iterable[Practice] = (),
    organisations: Iterable[Organisation] = (),
    matter: Matter | None = None,
    by: User,
    reason: str,
    **sheet: str,
) -> AgendaItem:
    """Add a business item with its paper summary sheet; an item for decision must be decidable here."""
    _require(permissions.can_manage_committee(by, committee), "You may not change this meeting's agenda.")
    require_record_open(meeting)
    if not meeting.committees.filter(pk=committee.pk).exists():
        raise ValidationError({"committee": f"{committee} does not sit at this meeting."})
    if session == Session.PRIVATE and not meeting.has_private_session:
        raise ValidationError({"session": "This meeting has no private session."})
    if purpose == Purpose.DECISION:
        if ccg is None or function is None:
            raise ValidationError("An item for decision names the CCG and the function it falls under.")
        _check_may_decide(committee, ccg, function, _meeting_date(meeting))
    return _item_add(
        meeting,
        committee=committee,
        title=title,
        purpose=purpose,
        session=session,
        ccg=ccg,
        function=function,
        matter=matter,
        practices=list(practices),
        organisations=list(organisations),
        by=by,
        reason=reason,
        **sheet,
    )


@transaction.atomic
def agenda_item_note(*, item: AgendaItem, discussion_note: str, by: User, reason: str) -> AgendaItem:
    """Record what was said on an item, for the minutes."""
    _require(_can_manage_meeting(by, item.meeting), "You may not change this meeting's record.")
    require_meeting_started(item.meeting, "what was said can be noted")
    require_record_open(item.meeting)
    item.discussion_note = discussion_note
    save_audited(item, by=by, reason=reason)
    return item


@transaction.atomic
def attendance_record(
    *, meeting: Meeting, person: Person, status: str, note: str = "", by: User, reason: str
) -> Attendance:
    """Record whether someone was present, sent apologies, was absent, or attended as a guest."""
    _require(_can_manage_meeting(by, meeting), "You may not record attendance at this meeting.")
    require_meeting_started(meeting, "attendance can be recorded")
    require_attendance_open(meeting)
    is_member = any(
        m.person_id == person.pk
        for c in meeting.committees.all()
        for m in selectors.seats_on(c, _meeting_date(meeting))
    )
    if status == AttendanceStatus.IN_ATTENDANCE and is_member:
        raise ValidationError({"status": f"{person} is a member: record them as present, not in attendance."})
    if status != AttendanceStatus.IN_ATTENDANCE and not is_member:
        raise ValidationError({"status": f"{person} is not a member: record them as in attendance."})
    attendance = Attendance.objects.filter(meeting=meeting, person=person).first() or Attendance(
        meeting=meeting, person=person
    )
    attendance.status, attendance.note = status, note
    save_audited(attendance, by=by, reason=reason)
    return attendance


@transaction.atomic
def exclusion_record(
    *, item: AgendaItem, person: Person, scope: str, reason: str, by: User, papers_withheld: bool = False
) -> Exclusion:
    """Take a member out of an item's vote and quorum (the chair's ruling on a declared interest)."""
    _require(
        permissions.can_rule_on_item(by, item),
        "Only the chair, whoever chairs the item or the governance officer may rule on exclusions.",
    )
    require_meeting_started(
        item.meeting,
        "the chair's rulings can be recorded",
        before=rules.PRE_MEETING_RULING,
        allowed_early=rules.ruling_allowed_before_meeting(
            leaves_item=scope == ExclusionScope.LEAVES, papers_withheld=papers_withheld
        ),
    )
    require_item_open(item)
    if scope not in ExclusionScope.values:
        raise ValidationError({"scope": "Choose whether they leave the item or stay without voting."})
    exclusion = Exclusion.objects.filter(item=item, person=person).first() or Exclusion(
        item=item, person=person
    )
    exclusion.scope, exclusion.reason, exclusion.papers_withheld = scope, reason, papers_withheld
    save_audited(exclusion, by=by, reason=reason)
    return exclusion


# Papers (appended with the pages) ----------------------------------------------------------------


@transaction.atomic
def paper_add(*, item: AgendaItem, title: str, file: File[Any], by: User, reason: str) -> Paper:
    """Attach a paper to an agenda item; who may read it follows the item's session."""
    _require(_can_manage_meeting(by, item.meeting), "You may not add papers to this meeting.")
    require_record_open(item.meeting)
    if not title.strip():
        raise ValidationError({"title": "Give the paper a title."})
    paper = Paper(item=item, title=title, file=file)
    save_audited(paper, by=by, reason=reason)
    return paper


@transaction.atomic
def exclusion_lift(*, item: AgendaItem, person: Person, by: User, reason: str) -> None:
    """Return a member to an item's vote and quorum (a ruling that they may take part after all)."""
    exclusion = Exclusion.objects.filter(item=item, person=person).first()
    if exclusion is None:
        return
    _require(
        permissions.can_rule_on_item(by, item),
        "Only the chair, whoever chairs the item or the governance officer may rule on exclusions.",
    )
    require_meeting_started(item.meeting, "the chair may rule that a member takes part after all")
    require_item_open(item)
    exclusion._history_user = by  # type: ignore[attr-defined]
    exclusion._change_reason = reason  # type: ignore[attr-defined]
    exclusion.delete()
