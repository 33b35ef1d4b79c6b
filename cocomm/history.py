"""Reading history: who changed what, when, from what to what, and why.

Any record's History page is built from one or more historical querysets (a CCG's page also
shows the history of its level assignments and localities). The cost is one query per
historical model, one for the authors and one per kind of related record named in a change
(with that record's own parents), however many rows there are.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.text import capfirst

from cocomm.models import User

KIND_LABELS = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: dt.datetime
    who: User | None
    kind: str
    record_type: str
    record: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def who_label(self) -> str:
        return str(self.who) if self.who is not None else "Unknown"


def _tracked_fields(historical_model: type[models.Model]) -> list[models.Field[Any, Any]]:
    instance_model = historical_model.instance_type  # type: ignore[attr-defined]
    order = [f.name for f in instance_model._meta.concrete_fields if not f.primary_key]
    by_name = {f.name: f for f in historical_model._meta.concrete_fields}
    return [by_name[name] for name in order if name in by_name]


def _display(fld: models.Field[Any, Any], value: Any, related: dict[tuple[Any, Any], str]) -> str:
    if value is None or value == "":
        return "—"
    if fld.choices:
        return str(dict(fld.flatchoices).get(value, value))
    if isinstance(fld, models.ForeignKey):
        return related.get((fld.related_model, value), f"#{value}")
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return f"{value:%-d %B %Y}"
    return str(value)


def history_entries(*historical_querysets: Iterable[Any]) -> list[HistoryEntry]:
    """Merge the history of several records into one list, newest first, with field diffs."""
    rows_by_model: list[tuple[type[models.Model], list[Any]]] = []
    for queryset in historical_querysets:
        rows = list(queryset.order_by("history_date", "history_id"))  # type: ignore[attr-defined]
        if rows:
            rows_by_model.append((type(rows[0]), rows))

    # Collect every related id named in these rows, then load each related model once.
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    user_ids: set[Any] = set()
    for model, rows in rows_by_model:
        fks = [f for f in _tracked_fields(model) if isinstance(f, models.ForeignKey)]
        for row in rows:
            if row.history_user_id is not None:
                user_ids.add(row.history_user_id)
            for fk in fks:
                value = getattr(row, fk.attname)
                if value is not None and isinstance(fk.related_model, type):
                    wanted[fk.related_model].add(value)
    related: dict[tuple[Any, Any], str] = {}
    for related_model, ids in wanted.items():
        # A record's name often names its own parents (an assessment is "CCG: readiness for
        # function"), so load those with it rather than one query per record.
        parents = [f.name for f in related_model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
        for obj in related_model._default_manager.filter(pk__in=ids).select_related(*parents):
            related[(related_model, obj.pk)] = str(obj)
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids)}

    entries: list[HistoryEntry] = []
    for model, rows in rows_by_model:
        tracked = _tracked_fields(model)
        record_type = capfirst(str(model.instance_type._meta.verbose_name))  # type: ignore[attr-defined]
        previous: dict[Any, Any] = {}
        for row in rows:
            object_id = getattr(row, model.instance_type._meta.pk.attname)  # type: ignore[attr-defined]
            before = previous.get(object_id)
            changes = []
            for fld in tracked:
                new = getattr(row, fld.attname)
                old = getattr(before, fld.attname) if before is not None else None
                if row.history_type == "+" and new in (None, ""):
                    continue
                if row.history_type == "-" or (before is not None and old == new):
                    continue
                changes.append(
                    FieldChange(
                        field=capfirst(str(fld.verbose_name)),
                        old=_display(fld, old, related) if before is not None else "",
                        new=_display(fld, new, related),
                    )
                )
            previous[object_id] = row
            entries.append(
                HistoryEntry(
                    when=row.history_date,
                    who=users.get(row.history_user_id),
                    kind=KIND_LABELS.get(row.history_type, row.history_type),
                    record_type=record_type,
                    record=_record_label(row, tracked, related),
                    reason=row.history_change_reason or "",
                    changes=changes,
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def _record_label(
    row: Any, tracked: list[models.Field[Any, Any]], related: dict[tuple[Any, Any], str]
) -> str:
    """A label for the record as it was, built without loading anything more."""
    for name in ("name", "full_name", "username"):
        if getattr(row, name, ""):
            return str(getattr(row, name))
    parts = [
        _display(f, getattr(row, f.attname), related)
        for f in tracked
        if isinstance(f, models.ForeignKey | models.DateField) and getattr(row, f.attname) is not None
    ]
    return " · ".join(parts[:3])
