"""Matters for decision and putting them on the agenda of the body that decides them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cocomm.audit import save_audited
from cocomm.models import CCG, Organisation, Practice, User
from cocomm.text import in_sentence
from committees import rules
from committees.choices import CommitteeKind, Purpose, Session
from committees.models import AgendaItem, Committee, Matter, Meeting
from committees.services._common import _meeting_date, _require, routing_on
from committees.services.meetings import agenda_item_add
from delegation.rules import DecidedBy
from functions.models import Function


def deciding_committees(matter: Matter, on: dt.date) -> tuple[DecidedBy, list[Committee]]:
    """Who decides a matter on a date, and which of cocomm's committees that is.

    Raises a ValidationError naming the missing cell when the decision-rights matrix had none for it.
    """
    routed = routing_on(matter.ccg, matter.function, on)
    candidates = Committee.objects.filter(ccgs=matter.ccg, functions=matter.function).distinct()
    bodies = [
        c
        for c in candidates
        if rules.may_decide(
            kind=rules.CommitteeKind(c.kind),
            serves_ccg=True,
            covers_function=True,
            decided_by=routed.decided_by,
        )[0]
    ]
    # A CCG's primary care commissioning committee comes before its governing body.
    bodies.sort(key=lambda c: (c.kind != CommitteeKind.PCCC, c.name))
    return routed.decided_by, bodies


@transaction.atomic
def matter_raise(
    *,
    ccg: CCG,
    function: Function,
    kind: str,
    title: str,
    description: str = "",
    raised_on: dt.date | None = None,
    practices: Iterable[Practice] = (),
    organisations: Iterable[Organisation] = (),
    by: User,
    reason: str,
) -> Matter:
    """Record a matter for a CCG under a function, such as a practice applying to close its list."""
    from cocomm.permissions import can_change_ccg

    _require(can_change_ccg(by, ccg), "Only the CCG's governance officers may raise its matters.")
    practices = list(practices)
    strangers = [p for p in practices if p.ccg_id != ccg.pk]
    if strangers:
        raise ValidationError({"practices": f"{strangers[0]} is not a practice of {ccg.name}."})
    matter = Matter(
        ccg=ccg,
        function=function,
        kind=kind,
        title=title,
        description=description,
        raised_on=raised_on or timezone.localdate(),
    )
    save_audited(matter, by=by, reason=reason)
    matter.practices.set(practices)
    matter.organisations.set(list(organisations))
    return matter


@transaction.atomic
def matter_schedule(*, matter: Matter, meeting: Meeting, by: User, reason: str, **sheet: str) -> AgendaItem:
    """Put a matter on the agenda of the body that decides it on the meeting's date."""
    on = _meeting_date(meeting)
    decided_by, bodies = deciding_committees(matter, on)
    here = [c for c in bodies if meeting.committees.filter(pk=c.pk).exists()]
    if not here:
        names = ", ".join(str(c) for c in bodies) or "no committee in cocomm"
        raise ValidationError(
            f"This meeting cannot decide '{matter.title}': on {on:%-d %B %Y} "
            f"{in_sentence(decided_by.label)} decides function {matter.function.number} "
            f"for {matter.ccg.name} ({names})."
        )
    return agenda_item_add(
        meeting=meeting,
        committee=here[0],
        title=matter.title,
        purpose=Purpose.DECISION,
        session=sheet.pop("session", Session.PUBLIC),
        ccg=matter.ccg,
        function=matter.function,
        practices=matter.practices.all(),
        organisations=matter.organisations.all(),
        matter=matter,
        summary=sheet.pop("summary", matter.description),
        by=by,
        reason=reason,
        **sheet,
    )
