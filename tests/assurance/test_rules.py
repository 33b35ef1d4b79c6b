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


def record(key: str, label: str, **fields: str) -> dict[str, object]:
    return {"key": key, "label": label, "fields": fields}


def test_record_changes_name_the_records_added_changed_and_gone_field_by_field() -> None:
    before = [
        record("gift:1", "Hospitality offered to A on 15 Nov 2016", Value="£40.00", Accepted="yes"),
        record("seat:2", "B's seat on the PCCC", Category="Lay member", Ended=""),
        record("breach:3", "Breach of 2 Nov 2016", Stage="Reported"),
    ]
    after = [
        record("gift:1", "Hospitality offered to A on 15 Nov 2016", Value="£60.00", Accepted="yes"),
        record("seat:2", "B's seat on the PCCC", Category="Lay member", Ended=""),
        record("gift:4", "Gift offered to A on 14 Feb 2017", Value="£15.00"),
    ]

    changes = rules.record_changes(before, after)

    assert [(c.key, c.kind) for c in changes] == [
        ("gift:1", rules.RecordChangeKind.CHANGED),
        ("gift:4", rules.RecordChangeKind.ADDED),
        ("breach:3", rules.RecordChangeKind.REMOVED),
    ]
    assert changes[0].fields == (rules.FieldChange("Value", "£40.00", "£60.00"),)
    assert changes[0].kind_of_record == "gift"


def test_a_field_shown_only_in_one_version_counts_as_changed_and_identical_lists_have_no_changes() -> None:
    before = [record("meeting:1", "PCCC meeting, 9 Jun 2016", Present="A, B")]
    after = [record("meeting:1", "PCCC meeting, 9 Jun 2016", Present="A, B", Apologies="C")]

    (change,) = rules.record_changes(before, after)

    assert change.fields == (rules.FieldChange("Apologies", "", "C"),)
    assert rules.record_changes(after, after) == []
    assert rules.record_changes([], []) == []


NOW = dt.datetime(2016, 10, 3, 12, 0, tzinfo=dt.UTC)
LIMITS = {"start_within": dt.timedelta(minutes=60), "finish_within": dt.timedelta(minutes=15)}


def test_a_pack_generating_past_the_limit_has_stalled_and_one_at_the_limit_has_not() -> None:
    at_limit = NOW - dt.timedelta(minutes=15)
    assert rules.stalled_reason("generating", queued_at=None, started_at=at_limit, now=NOW, **LIMITS) is None
    why = rules.stalled_reason(
        "generating", queued_at=None, started_at=at_limit - dt.timedelta(seconds=1), now=NOW, **LIMITS
    )
    assert why == "Generation did not finish within 15 minutes; retry to generate it again."


def test_a_pack_queued_past_the_limit_has_stalled() -> None:
    at_limit = NOW - dt.timedelta(minutes=60)
    assert rules.stalled_reason("queued", queued_at=at_limit, started_at=None, now=NOW, **LIMITS) is None
    why = rules.stalled_reason(
        "queued", queued_at=at_limit - dt.timedelta(seconds=1), started_at=None, now=NOW, **LIMITS
    )
    assert why == "Generation did not start within 60 minutes; retry to queue it again."


def test_ready_and_failed_packs_never_stall() -> None:
    long_ago = NOW - dt.timedelta(days=30)
    for status in ("ready", "failed"):
        assert (
            rules.stalled_reason(status, queued_at=long_ago, started_at=long_ago, now=NOW, **LIMITS) is None
        )
