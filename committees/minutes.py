"""Draft minutes written from the meeting's record: attendance, quorum, declarations and how each
was handled, each item's discussion, votes and decisions, and the actions agreed.

The text is plain, with numbered headings, so it reads the same on a page, in an e-mail and in a
PDF. The clerk may edit the draft; once approved, the stored text is frozen.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from committees.choices import AttendanceStatus, DecisionStatus, Purpose
from committees.models import Action, AgendaItem, Attendance, Decision, Erratum, Exclusion, Meeting
from committees.selectors import item_quorum

# Apps above committees may add lines about each item (the conflicts app adds every declaration and
# the chair's ruling on it). A provider takes a meeting and returns, per item id, (person id, line).
DeclarationLines = dict[int, list[tuple[int, str]]]
declaration_providers: list[Callable[[Meeting], DeclarationLines]] = []


def _names(rows: list[Attendance]) -> str:
    return "; ".join(f"{a.person}{f' ({a.note})' if a.note else ''}" for a in rows) or "None"


def compose_minutes(meeting: Meeting) -> str:
    """The draft minutes of a meeting, from what cocomm recorded."""
    when = timezone.localtime(meeting.starts_at)
    committees = list(meeting.committees.all())
    attendance = list(meeting.attendances.select_related("person").order_by("person__full_name"))
    by_status = {s: [a for a in attendance if a.status == s] for s in AttendanceStatus.values}
    items = list(meeting.items.select_related("committee", "function", "ccg", "ratifies").order_by("number"))
    provided: DeclarationLines = {}
    for provider in declaration_providers:
        for item_id, rows in provider(meeting).items():
            provided.setdefault(item_id, []).extend(rows)
    exclusions: dict[int, list[Exclusion]] = {}
    for exclusion in Exclusion.objects.filter(item__meeting=meeting).select_related("person"):
        exclusions.setdefault(exclusion.item_id, []).append(exclusion)
    decisions = {
        d.item_id: d
        for d in Decision.objects.filter(item__meeting=meeting)
        .select_related("supersedes", "superseded_by")
        .prefetch_related("votes__person", "voters__person")
    }
    actions = list(Action.objects.filter(meeting=meeting).select_related("owner", "item").order_by("due_on"))
    # Corrections agreed here to earlier approved minutes belong to this meeting's record too.
    errata: dict[int, list[Erratum]] = {}
    for erratum in (
        Erratum.objects.filter(item__meeting=meeting).select_related("minutes__meeting").order_by("pk")
    ):
        errata.setdefault(erratum.item_id, []).append(erratum)

    lines = [
        f"Minutes of the meeting of {' and '.join(str(c) for c in committees)}"
        + (" (committees in common)" if len(committees) > 1 else ""),
        f"{when:%A %-d %B %Y, %H:%M}" + (f", {meeting.place}" if meeting.place else ""),
        "",
        f"Present: {_names(by_status[AttendanceStatus.PRESENT])}",
        f"Apologies: {_names(by_status[AttendanceStatus.APOLOGIES])}",
        f"Absent: {_names(by_status[AttendanceStatus.ABSENT])}",
        f"In attendance: {_names(by_status[AttendanceStatus.IN_ATTENDANCE])}",
        "",
    ]
    for item in items:
        lines.append(f"{item.number}. {item.title}" + (f" [{item.reference}]" if item.reference else ""))
        if item.committee is not None and len(committees) > 1:
            lines.append(f"Taken by: {item.committee}")
        if item.ratifies is not None and item.ratifies.chair_declaration:
            lines.append(f"The chair's declaration on taking this action: {item.ratifies.chair_declaration}")
        declared = provided.get(item.pk, [])
        lines.extend(line for _, line in declared)
        # Exclusions ruled without a recorded declaration still appear, once per person.
        for exclusion in exclusions.get(item.pk, []):
            if exclusion.person_id in {person_id for person_id, _ in declared}:
                continue
            lines.append(
                f"Declaration: {exclusion.person}: {exclusion.reason}. "
                f"Ruling: {exclusion.get_scope_display()}."
            )
        for erratum in errata.get(item.pk, []):
            corrected = timezone.localtime(erratum.minutes.meeting.starts_at)
            lines.append(
                f"Erratum to the minutes of {corrected:%-d %B %Y}: {erratum.correction} "
                f"(reason: {erratum.reason})"
            )
        if item.discussion_note:
            lines.append(item.discussion_note)
        if item.purpose == Purpose.DECISION and item.committee is not None:
            lines.extend(_decision_lines(item, decisions.get(item.pk)))
        for action in (a for a in actions if a.item_id == item.pk):
            lines.append(
                f"Action: {action.description} (owner: {action.owner}, due {action.due_on:%-d %B %Y})"
            )
        lines.append("")
    loose = [a for a in actions if a.item_id is None]
    if loose:
        lines.append("Other actions")
        for action in loose:
            lines.append(f"- {action.description} (owner: {action.owner}, due {action.due_on:%-d %B %Y})")
    return "\n".join(lines).rstrip() + "\n"


def _decision_lines(item: AgendaItem, decision: Decision | None) -> list[str]:
    if decision is None:
        quorum = item_quorum(item)
        return [f"No decision was recorded. {quorum.explanation}"]
    lines = [f"Resolution: {decision.resolution}"]
    if decision.supersedes is not None:
        lines.append(f"It supersedes the decision of {decision.supersedes.decided_on:%-d %B %Y}.")
    if decision.status in (DecisionStatus.DRAFT, DecisionStatus.VOTING):
        lines.append("The vote was not completed.")
        return lines
    if decision.quorum_note:
        lines.append(decision.quorum_note)
    votes = {v.person_id: v for v in decision.votes.all()}
    for voter in decision.voters.all():
        if voter.eligible:
            vote = votes.get(voter.person_id)
            lines.append(f"- {voter.person}: {vote.get_choice_display().lower() if vote else 'did not vote'}")
        else:
            lines.append(f"- {voter.person}: could not vote ({voter.reason.lower()})")
    lines.append(f"Vote: {decision.vote_summary}")
    lines.append(f"Outcome: {decision.get_outcome_display()}")
    if decision.approved_by_id is not None:
        lines.append(
            f"Approved by the chair, {decision.approved_by}, "
            f"on {timezone.localtime(decision.approved_at):%-d %B %Y}."
        )
    else:
        lines.append("Awaiting the chair's approval.")
    successor = getattr(decision, "superseded_by", None)
    if decision.status == DecisionStatus.SUPERSEDED and successor is not None:
        lines.append(f"Since superseded by the decision of {successor.decided_on:%-d %B %Y}.")
    return lines
