"""What each record in a pack showed, record by record, so versions can be compared by record.

A pack's content hash says *whether* anything differs from the previous version; this list says
*what*: each record the pack relies on (a decision, a seat, a declaration, a gift…) with a key that
names it across versions, a label in the users' words, and the values the pack took from it, as
text. The values are those of the record as it stood at the end of the period (the copies made by
`assurance.as_of`), so a seat ended after the period, or a decision superseded later, reads the same
in every version; a corrected record does not.

Built from the gathered `PackData` without further queries.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from assurance.selectors import MeetingRow, PackData


def _day(value: dt.date | None) -> str:
    return f"{value:%-d %b %Y}" if value is not None else ""


def _moment(value: dt.datetime) -> str:
    return f"{timezone.localtime(value):%-d %b %Y %H:%M}"


def _ended_by(ends_on: dt.date | None, end: dt.date) -> bool:
    return ends_on is not None and ends_on <= end


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _record(kind: str, pk: int, label: str, values: dict[str, Any]) -> dict[str, Any]:
    fields = {name: "" if value is None else str(value) for name, value in values.items()}
    return {"key": f"{kind}:{pk}", "label": label, "fields": fields}


def records_of(data: PackData) -> list[dict[str, Any]]:
    """Every record the pack shows or counts, in the pack's order, with what it showed."""
    out: list[dict[str, Any]] = []
    for span in data.levels:
        a = span.assignment
        out.append(
            _record(
                "level",
                a.pk,
                f"Level {a.level} from {_day(a.effective_from)}",
                {
                    "Level": a.level,
                    "Took effect": _day(a.effective_from),
                    "In force in the period": f"{_day(span.starts_on)} to {_day(span.ends_on)}",
                    "Approval": a.note,
                },
            )
        )
    for row in data.committees:
        terms = row.composition.terms
        out.append(
            _record(
                "committee",
                row.committee.pk,
                row.committee.name,
                {
                    "Terms of reference": (
                        f"{terms.version}, approved {_day(terms.approved_on)} by {terms.approved_by}"
                        if terms is not None
                        else "none approved"
                    ),
                    "Composition at the end of the period": "; ".join(row.composition.problems)
                    or "keeps to its terms of reference",
                },
            )
        )
    for seat in data.seats:
        out.append(
            _record(
                "seat",
                seat.pk,
                f"{seat.person}'s seat on {seat.committee}",
                {
                    "Category": seat.get_category_display(),
                    "Voting": _yes(seat.voting),
                    "Office": seat.get_office_display(),
                    "From": _day(seat.starts_on),
                    # Ended after the period: it was held at its end, which is all the pack knows.
                    "Ended": _day(seat.ends_on) if _ended_by(seat.ends_on, data.end) else "",
                },
            )
        )
    for meeting_row in data.meetings:
        out += _meeting_records(meeting_row)
    for decision_row in data.decisions:
        d = decision_row.decision
        out.append(
            _record(
                "decision",
                d.pk,
                f"Decision of {_day(d.decided_on)} by {d.committee}: {d.resolution[:80]}",
                {
                    "Resolution": d.resolution,
                    "Function": d.function,
                    "Status": d.get_status_display(),
                    "Outcome": d.get_outcome_display(),
                    "Vote": d.vote_summary,
                    "Quorum": d.quorum_note,
                    "Chair's action": d.urgency_reason if d.virtual else "",
                    "Ratified at": (
                        f"{d.ratified_at.title}, {_day(timezone.localtime(d.ratified_at.starts_at).date())}"
                        if d.ratified_at is not None
                        else ""
                    ),
                },
            )
        )
    for status in data.statuses:
        out.append(
            _record(
                "register",
                status.person.pk,
                f"Declarations of {status.person}",
                {
                    "Appointed": _day(status.appointed_on),
                    "Last declared": _day(status.last_declared_on) or "never",
                    "At the end of the period": "; ".join(status.reasons) or "up to date",
                },
            )
        )
    for gift in data.gifts:
        out.append(
            _record(
                "gift",
                gift.pk,
                f"{gift.get_kind_display()} offered to {gift.person} on {_day(gift.offered_on)}",
                {
                    "What": gift.description,
                    "Offered by": gift.offeror,
                    "Value": f"£{gift.value}",
                    "Accepted": _yes(gift.accepted),
                },
            )
        )
    for entry in data.awards:
        record, award = entry.record, entry.award
        out.append(
            _record(
                "procurement",
                record.pk,
                f"Procurement decision of {_day(record.decision.decided_on)}: {record.service}",
                {
                    "Service": record.service,
                    "Award": (
                        f"{award.supplier_name}, {award.value_text}, {award.get_route_display()}, "
                        f"{_day(award.starts_on)} to {_day(award.ends_on)}"
                        if award is not None
                        else f"{record.supplier} {record.value or ''}".strip()
                    ),
                    "Conflicts and how they were managed": record.conflicts_summary,
                    "Interests found": " ".join(line.text for line in entry.flags),
                },
            )
        )
    for breach in data.breaches:
        out.append(
            _record(
                "breach",
                breach.pk,
                f"Breach of {_day(breach.occurred_on)}",
                {
                    "What happened": breach.what_happened,
                    "Stage": breach.get_status_display(),
                    "Report to NHS England": breach.get_nhse_report_display(),
                    "Reported to NHS England": _day(breach.reported_to_nhse_on),
                },
            )
        )
    for function, assessment in data.readiness:
        if assessment is None:
            continue
        out.append(
            _record(
                "readiness",
                assessment.pk,
                f"Readiness for function {function.number} ({function.name})",
                {
                    "Corporate and governance": assessment.get_corporate_rag_display(),
                    "Finance": assessment.get_finance_rag_display(),
                    "Primary care team": assessment.get_primary_care_rag_display(),
                    "Contracts and performance": assessment.get_contracts_rag_display(),
                    "Stance": assessment.get_stance_display(),
                },
            )
        )
    for action in data.readiness_actions:
        out.append(
            _record(
                "readiness-action",
                action.pk,
                f"Readiness action for function {action.assessment.function.number}: "
                f"{action.description[:60]}",
                {"Action": action.description, "Owner": action.owner, "Due": _day(action.due_on)},
            )
        )
    return out


def _meeting_records(row: MeetingRow) -> list[dict[str, Any]]:
    """A meeting (with who came), its items for decision, and the declarations and exclusions at it."""
    meeting = row.meeting
    by_status: dict[str, list[str]] = {}
    for attendance in row.attendance:
        by_status.setdefault(attendance.get_status_display(), []).append(str(attendance.person))
    out = [
        _record(
            "meeting",
            meeting.pk,
            f"{meeting.title}, {_day(timezone.localtime(meeting.starts_at).date())}",
            {
                "Title": meeting.title,
                "Starts": _moment(meeting.starts_at),
                **{status: ", ".join(names) for status, names in sorted(by_status.items())},
            },
        )
    ]
    for item_row in row.items:
        item, decision = item_row.item, item_row.decision
        out.append(
            _record(
                "item",
                item.pk,
                f"Item {item.number} ({item.title}) at {meeting.title}",
                {
                    "Title": item.title,
                    "Quorum": item_row.quorum.explanation if item_row.quorum else "not counted",
                    "Decision": (
                        decision.get_outcome_display() or decision.get_status_display()
                        if decision is not None
                        else ("referred" if item_row.referral else "none recorded")
                    ),
                },
            )
        )
        for exclusion in item_row.exclusions:
            out.append(
                _record(
                    "exclusion",
                    exclusion.pk,
                    f"{exclusion.person} excluded from item {item.number} at {meeting.title}",
                    {"Scope": exclusion.get_scope_display(), "Reason": exclusion.reason},
                )
            )
        if item_row.referral is not None:
            referral = item_row.referral
            out.append(
                _record(
                    "referral",
                    referral.pk,
                    f"Referral of item {item.number} at {meeting.title}",
                    {
                        "Referred to": referral.to_committee or referral.get_route_display(),
                        "Conflicts of Interest Guardian consulted": _yes(referral.guardian_consulted),
                    },
                )
            )
    for declared in row.declarations:
        declaration, interest = declared.declaration, declared.declaration.interest
        out.append(
            _record(
                "item-declaration",
                declaration.pk,
                f"{declaration.person}'s declaration on item {declared.item.number} at {meeting.title}",
                {
                    "Statement": declaration.statement,
                    "Ruling": declaration.get_ruling_display(),
                    "Papers withheld": _yes(declaration.papers_withheld),
                    "Ruled by": declaration.ruled_by,
                    "Register entry": (
                        f"{interest.get_interest_type_display()} interest in {interest.concerns}, "
                        f"declared {_day(interest.declared_on)}"
                        if interest is not None
                        else "not on the register"
                    ),
                },
            )
        )
    return out
