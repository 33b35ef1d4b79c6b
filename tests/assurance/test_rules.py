"""The pure rules of packs: periods, bars, and changes between versions."""

from __future__ import annotations

import datetime as dt

from assurance import rules


def test_a_period_is_a_day_to_a_year() -> None:
    assert rules.period_is_valid(dt.date(2016, 4, 1), dt.date(2017, 3, 31))
    assert rules.period_is_valid(dt.date(2016, 4, 1), dt.date(2016, 4, 1))
    assert not rules.period_is_valid(dt.date(2016, 4, 1), dt.date(2016, 3, 31))
    assert not rules.period_is_valid(dt.date(2016, 4, 1), dt.date(2017, 4, 3))


def test_bars_are_shares_of_the_largest() -> None:
    assert [(b.count, b.percent) for b in rules.bars([("a", 2), ("b", 4), ("c", 0)])] == [
        (2, 50),
        (4, 100),
        (0, 0),
    ]
    assert rules.bars([]) == []


def test_changes_list_only_the_counts_that_differ() -> None:
    changes = rules.changes_between({"decisions": 1, "gifts": 2}, {"decisions": 3, "gifts": 2, "breaches": 1})
    assert [(c.label, c.before, c.after, c.difference) for c in changes] == [
        ("Decisions", 1, 3, 2),
        ("Breaches of the conflicts of interest policy", 0, 1, 1),
    ]
