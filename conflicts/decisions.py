"""What the conflicts app adds to a decision's page: its entry on the register of procurement
decisions, the contract awarded after it, and the check of that award against the interests of
everyone who took part (registered in `committees.hooks.decision_notes`)."""

from __future__ import annotations

from django.urls import reverse

from cocomm.permissions import AnyUser
from committees.choices import Outcome
from committees.hooks import DecisionNote
from committees.models import Decision
from conflicts import permissions, selectors


def procurement_notes(decision: Decision, user: AnyUser) -> list[DecisionNote]:
    """The award and its cross-check, for a procurement decision on the register (else nothing)."""
    records = list(selectors.procurement_records(decision.ccg).filter(decision=decision))
    if not records:
        return []
    (entry,) = selectors.procurement_entries(records)
    url = reverse("procurement-entry", args=[decision.pk])
    may_see = permissions.can_view_registers(user, decision.ccg)
    award = entry.award
    if award is None:
        note = "On the register of procurement decisions; the award has not been recorded yet."
        if permissions.can_keep_registers(user, decision.ccg) and decision.outcome == Outcome.CARRIED:
            return [
                DecisionNote(
                    note, link_text="Record the award", link_url=reverse("award-record", args=[decision.pk])
                )
            ]
        if may_see:
            return [DecisionNote(note, link_text="See the register entry", link_url=url)]
        return [DecisionNote(note)]
    notes = [
        DecisionNote(
            f"Awarded to {award.supplier}, £{award.value:,.2f} ({award.get_route_display()}); the "
            f"contract runs from {award.starts_on:%-d %B %Y} to {award.ends_on:%-d %B %Y}.",
            link_text="See the register entry" if may_see else "",
            link_url=url if may_see else "",
        )
    ]
    if not entry.flags:
        notes.append(
            DecisionNote("No one who took part held an interest in the supplier on the decision date.")
        )
    for line in entry.flags if may_see else entry.published_flags:
        notes.append(DecisionNote(line.text, tag=line.flag.label, warning=not line.flag.managed))
    return notes
