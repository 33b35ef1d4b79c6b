"""Pure rules of assurance packs: periods, the bar chart, and what changed between versions (no ORM)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# What each count in a pack's `contents` is called on the page, in the order the pack shows them.
CONTENT_LABELS: dict[str, str] = {
    "levels": "Levels in force",
    "committees": "Committees serving the CCG",
    "committees_not_compliant": "Committees whose membership breaks their terms of reference",
    "meetings": "Meetings held",
    "decision_items": "Items for decision at meetings",
    "decisions": "Decisions",
    "item_declarations": "Declarations of interest on decision items",
    "meeting_declarations": "Declarations of interest at meetings, on any item",
    "exclusions": "Members excluded from items",
    "inquorate_items": "Inquorate items",
    "referrals": "Items referred elsewhere",
    "virtual_decisions": "Chair's actions (virtual decisions)",
    "virtual_unratified": "Chair's actions not yet ratified",
    "interests_declared": "People up to date with their declarations",
    "interests_overdue": "People overdue with their declarations",
    "declarations_late": "Interests declared more than 28 days after they arose",
    "offers_late": "Gifts and hospitality declared more than 28 days after the offer",
    "gifts": "Gifts and hospitality offered",
    "procurement": "Procurement decisions",
    "breaches": "Breaches of the conflicts of interest policy",
    "functions_assessed": "Functions with a readiness assessment",
    "readiness_red": "Readiness positions rated red",
    "readiness_actions_open": "Open readiness actions",
    "readiness_actions_overdue": "Readiness actions overdue at the end of the period",
}


def period_is_valid(start: dt.date, end: dt.date) -> bool:
    """A pack covers at least a day and at most a year (plus the leap day)."""
    return start <= end and (end - start).days <= 366


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    percent: int  # of the longest bar, so the chart uses its whole width


def bars(counts: Sequence[tuple[str, int]]) -> list[Bar]:
    """A horizontal bar chart: each count as a share of the largest (0 when there is nothing)."""
    top = max((count for _, count in counts), default=0)
    return [Bar(label, count, round(100 * count / top) if top else 0) for label, count in counts]


@dataclass(frozen=True)
class Change:
    key: str
    label: str
    before: int
    after: int

    @property
    def difference(self) -> int:
        return self.after - self.before


def changes_between(before: Mapping[str, int], after: Mapping[str, int]) -> list[Change]:
    """The counts that differ between two versions' contents, in the pack's order."""
    keys = [k for k in CONTENT_LABELS if k in before or k in after]
    keys += sorted((set(before) | set(after)) - set(CONTENT_LABELS))
    return [
        Change(k, CONTENT_LABELS.get(k, k), int(before.get(k, 0)), int(after.get(k, 0)))
        for k in keys
        if int(before.get(k, 0)) != int(after.get(k, 0))
    ]


class RecordChangeKind:
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True)
class FieldChange:
    name: str
    before: str
    after: str


@dataclass(frozen=True)
class RecordChange:
    """A record that one version of a pack shows differently from the previous one."""

    key: str
    label: str
    kind: str
    fields: tuple[FieldChange, ...] = ()

    @property
    def kind_of_record(self) -> str:
        return self.key.split(":", 1)[0]


def record_changes(
    before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]]
) -> list[RecordChange]:
    """The records added, no longer shown, or shown differently between two versions (each a list of
    {key, label, fields}); in the newer version's order, then the records it no longer shows."""
    old = {r["key"]: r for r in before}
    new = {r["key"]: r for r in after}
    changes = []
    for key, record in new.items():
        if key not in old:
            changes.append(RecordChange(key, record["label"], RecordChangeKind.ADDED))
            continue
        was, now = old[key]["fields"], record["fields"]
        fields = tuple(
            FieldChange(name, was.get(name, ""), now.get(name, ""))
            for name in [*now, *(n for n in was if n not in now)]
            if was.get(name, "") != now.get(name, "")
        )
        if fields:
            changes.append(RecordChange(key, record["label"], RecordChangeKind.CHANGED, fields))
    changes += [
        RecordChange(key, record["label"], RecordChangeKind.REMOVED)
        for key, record in old.items()
        if key not in new
    ]
    return changes


def stalled_reason(
    status: str,
    *,
    queued_at: dt.datetime | None,
    started_at: dt.datetime | None,
    now: dt.datetime,
    start_within: dt.timedelta,
    finish_within: dt.timedelta,
) -> str | None:
    """Why a pack waiting or generating for too long should be marked failed, or None if it is not.

    A worker killed mid-render (or a message lost by the broker) would otherwise leave the pack
    "being generated" for ever; marking it failed lets the officer retry it.
    """
    if status == "queued" and queued_at is not None and now - queued_at > start_within:
        return f"Generation did not start within {_minutes(start_within)}; retry to queue it again."
    if status == "generating" and started_at is not None and now - started_at > finish_within:
        return f"Generation did not finish within {_minutes(finish_within)}; retry to generate it again."
    return None


def _minutes(span: dt.timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    return f"{minutes} minute{'' if minutes == 1 else 's'}"
