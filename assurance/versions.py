"""Reads about a pack's versions: when each generation read the data, what each record showed, and
what changed since the previous version, record by record, with the history rows behind it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils import timezone

from assurance import as_of, rules
from assurance.models import AssurancePack, PackRead, PackStatus
from assurance.selectors import previous_version


def pack_reads(pack: AssurancePack) -> list[PackRead]:
    """Each time the pack's generation read its data, first to last."""
    return list(PackRead.objects.filter(pack=pack).order_by("read_at", "pk").defer("records"))


def first_read_at(pack: AssurancePack) -> dt.datetime | None:
    """When the pack's data was first read (by its first attempt, if it was retried)."""
    first = PackRead.objects.filter(pack=pack).order_by("read_at", "pk").values_list("read_at", flat=True)
    return first.first()


def records_shown(pack: AssurancePack) -> list[dict[str, Any]] | None:
    """What each record showed in a ready pack: those of the reading it was made from (None for a
    pack made before readings were kept)."""
    if pack.data_as_of is None:
        return None
    shown = (
        PackRead.objects.filter(pack=pack, read_at=pack.data_as_of)
        .order_by("-pk")
        .values_list("records", flat=True)
        .first()
    )
    return list(shown) if shown is not None else None


# Where each kind of record keeps its history: the model, and the field of its history rows that
# holds the record's id (a meeting's attendance belongs to the meeting's record, the terms of
# reference to the committee's, a person's register entries to their declarations).
HISTORY_OF: dict[str, list[tuple[str, str]]] = {
    "level": [("delegation.LevelAssignment", "id")],
    "committee": [("committees.Committee", "id"), ("committees.TermsOfReference", "committee_id")],
    "seat": [("committees.Membership", "id")],
    "meeting": [("committees.Meeting", "id"), ("committees.Attendance", "meeting_id")],
    "item": [("committees.AgendaItem", "id")],
    "decision": [("committees.Decision", "id")],
    "item-declaration": [("conflicts.ItemDeclaration", "id")],
    "exclusion": [("committees.Exclusion", "id")],
    "referral": [("conflicts.Referral", "id")],
    "register": [("conflicts.Declaration", "person_id")],
    "gift": [("conflicts.GiftOrHospitality", "id")],
    "procurement": [("conflicts.ProcurementRecord", "id"), ("conflicts.Award", "record_id")],
    "breach": [("conflicts.Breach", "id")],
    "readiness": [("delegation.ReadinessAssessment", "id")],
    "readiness-action": [("delegation.ReadinessAction", "id")],
}


@dataclass(frozen=True)
class Correction:
    """A change written to a record between two versions' readings: when, by whom and why."""

    when: dt.datetime
    by: str
    reason: str
    after_period: bool  # written after the period ended: a correction of the past, not its business
    created: bool = False  # the row that recorded the record in the first place

    @property
    def opening(self) -> str:
        """How the page introduces it: a record entered late, a correction, or the period's business."""
        if self.created:
            return "Recorded after the period ended" if self.after_period else "Recorded"
        return "Corrected after the period ended" if self.after_period else "Changed"


@dataclass(frozen=True)
class Comparison:
    """How a ready pack differs from the previous ready version of the same period."""

    previous: AssurancePack | None
    same_content: bool  # the same content hash
    counts: list[rules.Change]
    records: list[rules.RecordChange]
    corrections: dict[str, list[Correction]]
    records_compared: bool  # both versions kept their records (packs made before them did not)

    @property
    def unchanged(self) -> bool:
        return self.previous is not None and self.same_content and not self.counts and not self.records

    @property
    def record_lines(self) -> list[tuple[rules.RecordChange, list[Correction]]]:
        """Each changed record with the history rows written to it between the two readings."""
        return [(change, self.corrections.get(change.key, [])) for change in self.records]


def version_comparison(pack: AssurancePack) -> Comparison:
    """What changed since the previous ready version: counts, the records shown differently (by
    name, field by field), and the history rows written to them between the two readings."""
    previous = previous_version(pack) if pack.status == PackStatus.READY else None
    if previous is None:
        return Comparison(None, False, [], [], {}, False)
    same = previous.content_sha256 == pack.content_sha256
    counts = rules.changes_between(previous.contents, pack.contents)
    before, after = records_shown(previous), records_shown(pack)
    if before is None or after is None:
        return Comparison(previous, same, counts, [], {}, False)
    changes = rules.record_changes(before, after)
    since = previous.data_as_of or previous.finished_at or previous.created_at
    until = pack.data_as_of or pack.finished_at or timezone.now()
    return Comparison(
        previous,
        same,
        counts,
        changes,
        _corrections([c.key for c in changes], since, until, pack.period_end),
        True,
    )


def _corrections(
    keys: list[str], since: dt.datetime, until: dt.datetime, period_end: dt.date
) -> dict[str, list[Correction]]:
    # One query per kind of record that changed (at most one per model in HISTORY_OF), however
    # many records changed.
    ids: dict[str, set[int]] = {}
    for key in keys:
        kind, _, pk = key.partition(":")
        if kind in HISTORY_OF and pk.isdigit():
            ids.setdefault(kind, set()).add(int(pk))
    _, after_end = as_of.day_bounds(period_end, period_end)
    found: dict[str, list[Correction]] = {}
    for kind, pks in sorted(ids.items()):
        for label, field_name in HISTORY_OF[kind]:
            history = apps.get_model(label).history
            rows = (
                history.filter(**{f"{field_name}__in": pks}, history_date__gt=since, history_date__lte=until)
                .select_related("history_user")
                .order_by("history_date", "history_id")
            )
            for row in rows:
                found.setdefault(f"{kind}:{getattr(row, field_name)}", []).append(
                    Correction(
                        when=row.history_date,
                        by=str(row.history_user) if row.history_user else "an automatic process",
                        reason=row.history_change_reason or "",
                        after_period=row.history_date >= after_end,
                        created=row.history_type == "+",
                    )
                )
    for corrections in found.values():
        corrections.sort(key=lambda c: c.when)
    return found
