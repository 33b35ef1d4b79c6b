"""History: every governance record keeps it, and the History view reads it back with diffs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cocomm import services
from cocomm.history import history_entries
from cocomm.models import CCG, User
from delegation.models import LevelAssignment
from delegation.services import level_assignment_record
from tests.factories.functions import Reference

pytestmark = pytest.mark.django_db

OUR_APPS = {"cocomm", "functions", "delegation", "committees", "conflicts", "assurance"}
# Guardian's permission rows are derived from roles and seats, whose history is their audit trail.
DERIVED = {
    "CCGUserObjectPermission",
    "CCGGroupObjectPermission",
    "CommitteeUserObjectPermission",
    "CommitteeGroupObjectPermission",
}


def test_every_model_of_ours_keeps_history() -> None:
    ours = [
        m
        for m in apps.get_models()
        if m._meta.app_label in OUR_APPS
        and not m.__name__.startswith("Historical")
        and m.__name__ not in DERIVED
        and not m._meta.auto_created
    ]
    assert len(ours) >= 10
    missing = [m.__name__ for m in ours if not hasattr(m, "history")]
    assert missing == []


def test_a_ccg_history_shows_who_changed_which_field_from_what_to_what_and_why(
    administrator: User, level2_ccg: CCG
) -> None:
    services.ccg_update(ccg=level2_ccg, weighted_population=164092, by=administrator, reason="MoU figures")

    entries = history_entries(level2_ccg.history.all())

    latest = entries[0]
    assert latest.kind == "Changed"
    assert latest.who == administrator
    assert latest.reason == "MoU figures"
    assert [(c.field, c.old, c.new) for c in latest.changes] == [("Weighted population", "150000", "164092")]
    assert entries[-1].kind == "Created"


def test_level_changes_appear_in_the_history_with_readable_values(
    administrator: User, level2_ccg: CCG, reference: Reference
) -> None:
    level_assignment_record(
        ccg=level2_ccg,
        level=reference.level(reference.national, 3),
        effective_from=dt.date(2017, 4, 1),
        by=administrator,
        reason="Delegation approved by NHS England",
    )
    entries = history_entries(LevelAssignment.history.filter(ccg_id=level2_ccg.pk))
    created = entries[0]
    assert created.who == administrator
    assert created.reason == "Delegation approved by NHS England"
    assert ("Level", "", "Level 3: Delegated commissioning") in [
        (c.field, c.old, c.new) for c in created.changes
    ]
    assert ("Effective from", "", "1 April 2017") in [(c.field, c.old, c.new) for c in created.changes]


def test_reading_history_takes_the_same_queries_however_long_it_is(
    administrator: User, level2_ccg: CCG
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            history_entries(level2_ccg.history.all(), LevelAssignment.history.filter(ccg_id=level2_ccg.pk))
        return len(queries)

    few = count()
    for population in range(100, 130):
        services.ccg_update(ccg=level2_ccg, weighted_population=population, by=administrator, reason="Test")
    assert count() == few


def test_labels_read_naturally_mid_sentence() -> None:
    from cocomm.text import in_sentence

    assert in_sentence("Joint with NHS England") == "joint with NHS England"
    assert in_sentence("NHS England") == "NHS England"
    assert in_sentence("GP / clinical") == "GP / clinical"
    assert in_sentence("A joint committee with NHS England") == "a joint committee with NHS England"
