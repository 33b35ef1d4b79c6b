"""Pure rules of assurance packs: periods, the bar chart, and what changed between versions (no ORM)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# What each count in a pack's `contents` is called on the page, in the order the pack shows them.
CONTENT_LABELS: dict[str, str] = {
    "levels": "Levels in force",
    "committees": "Committees serving the CCG",
    "committees_not_compliant": "Committees whose membership breaks their terms of reference",
    "meetings": "Meetings held",
    "decision_items": "Items for decision at meetings",
    "decisions": "Decisions",
    "item_declarations": "Declarations of interest on decision items",
    "exclusions": "Members excluded from items",
    "inquorate_items": "Inquorate items",
    "referrals": "Items referred elsewhere",
    "virtual_decisions": "Chair's actions (virtual decisions)",
    "virtual_unratified": "Chair's actions not yet ratified",
    "interests_declared": "People up to date with their declarations",
    "interests_overdue": "People overdue with their declarations",
    "gifts": "Gifts and hospitality offered",
    "procurement": "Procurement decisions",
    "breaches": "Breaches of the conflicts of interest policy",
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
