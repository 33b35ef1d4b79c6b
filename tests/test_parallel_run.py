"""The parallel run's isolation: each xdist worker has its own Celery broker database."""

from __future__ import annotations

import pytest

from tests.conftest import broker_for_this_process


def test_a_run_without_xdist_uses_the_broker_database_it_is_given() -> None:
    assert broker_for_this_process("redis://127.0.0.1:6379/15", None) == "redis://127.0.0.1:6379/15"


def test_each_xdist_worker_takes_the_next_lower_database() -> None:
    brokers = [broker_for_this_process("redis://127.0.0.1:6379/15", f"gw{n}") for n in range(3)]

    assert brokers == ["redis://127.0.0.1:6379/15", "redis://127.0.0.1:6379/14", "redis://127.0.0.1:6379/13"]


def test_a_worker_left_without_a_database_is_told_what_to_change() -> None:
    with pytest.raises(pytest.UsageError, match="name a higher one"):
        broker_for_this_process("redis://127.0.0.1:6379/1", "gw2")
