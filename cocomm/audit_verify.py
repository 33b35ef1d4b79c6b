"""Walk every history chain and say whether it still holds (read only; see docs/adr/0001).

Each history table is read in chain order (by its history row id). A row fails when its hash is
not the hash of its content and the previous row's hash: a row changed, removed or slipped in
after it was written. Personal details must still match their digest unless the retention rule
has blanked them (values and salt all empty), which the chain allows by design.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, models
from django.utils import timezone

from cocomm.audit_chain import DIGEST_FIELD, GENESIS, HASH_FIELD, SALT_FIELD, is_blank, personal_digest
from cocomm.audited_history import expected_hash, is_chained, personal_values
from cocomm.history_guard import guarded_tables, history_models


@dataclass(frozen=True)
class Problem:
    table: str
    row_id: Any
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row_id}" if self.row_id is not None else "the table"
        return f"{self.table}, {where}: {self.reason}"


@dataclass
class ChainReport:
    checked_at: Any
    database: str
    rows_per_table: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    duration_ms: int = 0

    @property
    def guarded(self) -> bool:
        """Whether the append-only trigger is in force on every table (never on SQLite)."""
        return self.database == "postgresql" and not any(
            p.reason.startswith("no append-only") for p in self.problems
        )

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    @property
    def rows_checked(self) -> int:
        return sum(self.rows_per_table.values())


def _verify_table(model: type[models.Model]) -> tuple[int, Problem | None]:
    """Rows checked in one chain, and its first broken row if any."""
    table = model._meta.db_table
    previous = GENESIS
    checked = 0
    pk_name = model._meta.pk.attname
    for row in model._base_manager.order_by(pk_name).iterator(chunk_size=2000):
        row_id = getattr(row, pk_name)
        values = personal_values(row)
        salt = getattr(row, SALT_FIELD)
        blanked = salt == "" and is_blank(values.values())
        if values and not blanked and getattr(row, DIGEST_FIELD) != personal_digest(values, salt):
            return checked, Problem(table, row_id, "personal details do not match their digest")
        stored = getattr(row, HASH_FIELD)
        if stored != expected_hash(row, previous):
            return checked, Problem(table, row_id, "hash does not match the row and the previous row's hash")
        previous = stored
        checked += 1
    return checked, None


def verify_history_chains(using: str = "default") -> ChainReport:
    """Check every history table's chain (and, on PostgreSQL, its append-only trigger)."""
    started = time.monotonic()
    connection = connections[using]
    report = ChainReport(checked_at=timezone.now(), database=connection.vendor)
    guarded = guarded_tables(connection)
    for model in history_models():
        table = model._meta.db_table
        if not is_chained(model):
            report.rows_per_table[table] = 0
            report.problems.append(Problem(table, None, "not chained: its model does not use AuditedHistory"))
            continue
        if connection.vendor == "postgresql" and table not in guarded:
            report.problems.append(Problem(table, None, "no append-only trigger on this table"))
        checked, problem = _verify_table(model)
        report.rows_per_table[table] = checked
        if problem is not None:
            report.problems.append(problem)
    report.duration_ms = int((time.monotonic() - started) * 1000)
    return report
