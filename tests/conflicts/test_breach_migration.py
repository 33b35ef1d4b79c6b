"""The migration that gives breaches their lifecycle keeps what the former `closed` flag meant."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cocomm.models import CCG


def _lifecycle_migration(executor: MigrationExecutor) -> tuple[str, str]:
    # Found by its name rather than its number, which may change when branches are merged.
    [key] = [k for k in executor.loader.disk_migrations if k[0] == "conflicts" and "breach_lifecycle" in k[1]]
    return key


def _previous(executor: MigrationExecutor, key: tuple[str, str]) -> tuple[str, str]:
    [parent] = [p for p in executor.loader.graph.node_map[key].parents if p.key[0] == "conflicts"]
    return parent.key


@pytest.mark.django_db(transaction=True)
def test_a_breach_marked_closed_becomes_closed_and_an_open_one_reported(level2_ccg: CCG) -> None:
    executor = MigrationExecutor(connection)
    target = _lifecycle_migration(executor)
    before = _previous(executor, target)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps.get_model("conflicts", "Breach")
    common = {
        "ccg_id": level2_ccg.pk,
        "what_happened": "Undeclared hospitality",
        "reported_by": "Audit chair",
    }
    closed = old.objects.create(occurred_on=dt.date(2016, 5, 3), closed=True, **common)
    still_open = old.objects.create(occurred_on=dt.date(2016, 6, 3), closed=False, **common)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    new = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps.get_model(
        "conflicts", "Breach"
    )
    was_closed, was_open = new.objects.get(pk=closed.pk), new.objects.get(pk=still_open.pk)
    # No history row shows when it closed, so it is dated by the day it happened.
    assert (was_closed.status, was_closed.closed_on) == ("closed", dt.date(2016, 5, 3))
    assert (was_open.status, was_open.closed_on) == ("reported", None)
