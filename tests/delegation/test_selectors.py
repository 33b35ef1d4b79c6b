"""Routing from the database: the seeds' cases, the matrix as edited, and flat query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cocomm.audit import system_user
from cocomm.models import CCG, User
from delegation.rules import DecidedBy
from delegation.selectors import (
    ccgs_with_levels,
    level_in_force,
    level_on,
    routing_for,
    routing_table,
    with_level_on,
    with_levels,
)
from functions.choices import Right
from functions.models import DecisionRight, Function
from functions.services import decision_right_change
from tests.factories.cocomm import CCGFactory
from tests.factories.delegation import give_level
from tests.factories.functions import Reference

pytestmark = pytest.mark.django_db
JUNE_2016 = dt.date(2016, 6, 1)


@pytest.fixture
def demo() -> None:
    import cocomm.demo
    import delegation.demo
    import functions.demo

    for module in (cocomm.demo, functions.demo, delegation.demo):
        module.load(by=system_user())


def _route(ods: str, function: int, on: dt.date):  # type: ignore[no-untyped-def]
    ccg = with_levels(CCG.objects.filter(ods_code=ods)).get()
    return routing_for(ccg, Function.objects.get(number=function), on)


def test_the_seed_cases(demo: None) -> None:
    lancashire_north = _route("01K", 3, JUNE_2016)
    assert (lancashire_north.level, lancashire_north.right, lancashire_north.decided_by) == (
        2,
        Right.JOINT,
        DecidedBy.JOINT_COMMITTEE,
    )
    assert lancashire_north.nhse_casting_vote

    blackpool = _route("00R", 3, JUNE_2016)
    assert (blackpool.level, blackpool.right, blackpool.decided_by) == (
        3,
        Right.DELEGATED,
        DecidedBy.CCG_COMMITTEE,
    )
    assert not blackpool.nhse_veto

    wiltshire = _route("99N", 3, JUNE_2016)
    assert (wiltshire.right, wiltshire.decided_by) == (Right.CONSULTED, DecidedBy.NHS_ENGLAND)


def test_complaints_stay_with_nhs_england_everywhere(demo: None) -> None:
    for ccg in ccgs_with_levels():
        answer = routing_for(ccg, Function.objects.get(number=7), JUNE_2016)
        assert answer.decided_by == DecidedBy.NHS_ENGLAND
        if ccg.area_team.scheme_choice.scheme.code == "national":
            assert answer.right == Right.RETAINED


def test_west_lancashire_moves_from_consulted_to_delegated_on_1_april_2017(demo: None) -> None:
    assert _route("02G", 3, dt.date(2017, 3, 31)).right == Right.CONSULTED
    assert _route("02G", 3, dt.date(2017, 4, 1)).right == Right.DELEGATED


def test_an_edited_matrix_cell_changes_the_answer_from_the_day_of_the_change(
    demo: None, administrator: User
) -> None:
    cell = DecisionRight.objects.get(level__scheme__code="national", level__number=2, function__number=3)
    decision_right_change(
        decision_right=cell,
        right=Right.JOINT,
        nhse_veto=True,
        reasoning="Local agreement",
        by=administrator,
        reason="Joint committee terms of reference give NHS England a veto",
    )
    assert _route("01K", 3, timezone.localdate()).nhse_veto
    # Who decided in 2016 was settled by the matrix as it stood then.
    assert not _route("01K", 3, JUNE_2016).nhse_veto


def test_level_on_a_date(level2_ccg: CCG) -> None:
    assert level_on(level2_ccg, dt.date(2015, 3, 31)) is None
    assigned = level_on(level2_ccg, dt.date(2015, 4, 1))
    assert assigned is not None and assigned.level.number == 2


def _count(run) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        run()
    return len(queries)


def test_routing_a_ccg_takes_the_same_queries_however_many_levels_it_had(
    level2_ccg: CCG, reference: Reference
) -> None:
    def table() -> None:
        ccg = with_levels(CCG.objects.filter(pk=level2_ccg.pk)).get()
        assert len(routing_table(ccg, JUNE_2016)) == 14

    few = _count(table)
    for year in range(2016, 2026):
        give_level(level2_ccg, 2 + year % 2, dt.date(year, 4, 1))
    assert _count(table) == few


def test_listing_ccgs_with_levels_takes_the_same_queries_however_many_ccgs(
    level2_ccg: CCG, reference: Reference
) -> None:
    def listing() -> None:
        for ccg in ccgs_with_levels():
            level_on(ccg, JUNE_2016)

    few = _count(listing)
    for _ in range(25):
        ccg = CCGFactory(area_team=level2_ccg.area_team)
        give_level(ccg, 1, dt.date(2015, 4, 1))
        give_level(ccg, 3, dt.date(2016, 4, 1))
    assert _count(listing) == few


def test_the_level_in_force_is_worked_out_in_one_query_on_any_date(
    level2_ccg: CCG, reference: Reference
) -> None:
    give_level(level2_ccg, 3, dt.date(2017, 4, 1))
    give_level(level2_ccg, 1, dt.date(2019, 4, 1))
    expected = {
        dt.date(2015, 3, 31): None,
        dt.date(2015, 4, 1): 2,
        dt.date(2017, 3, 31): 2,
        dt.date(2017, 4, 1): 3,
        dt.date(2030, 1, 1): 1,
    }

    for on, number in expected.items():
        with CaptureQueriesContext(connection) as queries:
            ccg = with_level_on(CCG.objects.filter(pk=level2_ccg.pk), on).get()
            found = level_in_force(ccg)
        assert len(queries) == 1
        assert (found.number if found else None) == number, on
        in_python = level_on(with_levels(CCG.objects.filter(pk=level2_ccg.pk)).get(), on)
        assert (in_python.level.number if in_python else None) == number, on
    ccg = with_level_on(CCG.objects.filter(pk=level2_ccg.pk), dt.date(2017, 4, 1)).get()
    assert str(level_in_force(ccg)) == "Level 3: Delegated commissioning"
