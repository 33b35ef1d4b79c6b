"""Routing for a date follows the level held that day, in the scheme it was granted under, and the
decision-rights matrix as it stood that day: later changes to the matrix or to the area team's scheme
never rewrite who decided in the past, and a missing cell is named, never a 500."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cocomm.audit import delete_audited, save_audited, system_user
from cocomm.models import CCG, RoleKind, User
from delegation.rules import DecidedBy, MatrixCellMissing
from delegation.selectors import routing_for, routing_table, scheme_of, scheme_on, with_levels
from functions.choices import Right
from functions.models import DecisionRight, Function, Level
from functions.selectors import rights_as_of
from functions.services import decision_right_change
from tests.factories.delegation import give_level
from tests.factories.functions import Reference

pytestmark = pytest.mark.django_db

APRIL_2016 = dt.date(2016, 4, 1)
JUNE_2016 = dt.date(2016, 6, 1)
APRIL_2017 = dt.date(2017, 4, 1)
JUNE_2017 = dt.date(2017, 6, 1)
BUDGET, CONTRACTS, MERGERS = 1, 2, 3


def fresh(ccg: CCG) -> CCG:
    """The CCG as a new request would load it: levels, their schemes and the area team's scheme."""
    return with_levels(CCG.objects.filter(pk=ccg.pk)).get()


def route(ccg: CCG, function: int, on: dt.date):  # type: ignore[no-untyped-def]
    return routing_for(fresh(ccg), Function.objects.get(number=function), on)


def cell(reference: Reference, level: int, function: int) -> DecisionRight:
    level_of = reference.level(reference.national, level)
    return DecisionRight.objects.get(level=level_of, function__number=function)


def change(cell: DecisionRight, right: str, *, by: User, veto: bool = False) -> None:
    decision_right_change(
        decision_right=cell, right=right, nhse_veto=veto, reasoning="Local agreement", by=by, reason="Review"
    )


def api_route(**params: str) -> dict[str, object]:
    response = APIClient().get(reverse("api-routing"), params)
    assert response.status_code == 200, response.content
    body: dict[str, object] = response.json()
    return body


@pytest.fixture
def level3_ccg(level2_ccg: CCG) -> CCG:
    """Lancashire North: level 2 (national) from April 2015, level 3 from April 2016."""
    give_level(level2_ccg, 3, APRIL_2016)
    return level2_ccg


# The matrix as it stood ---------------------------------------------------------------------------------


def test_routing_for_2016_is_unchanged_after_a_matrix_cell_changes(
    level3_ccg: CCG, reference: Reference, administrator: User
) -> None:
    before = route(level3_ccg, MERGERS, JUNE_2016)
    assert (before.right, before.decided_by) == (Right.DELEGATED, DecidedBy.CCG_COMMITTEE)

    change(cell(reference, 3, MERGERS), Right.JOINT, by=administrator, veto=True)

    assert route(level3_ccg, MERGERS, JUNE_2016) == before
    today = route(level3_ccg, MERGERS, timezone.localdate())
    assert (today.right, today.decided_by, today.nhse_veto) == (Right.JOINT, DecidedBy.JOINT_COMMITTEE, True)
    body = api_route(ccg=level3_ccg.ods_code, function=str(MERGERS), on="2016-06-01")
    assert (body["right"], body["decided_by"], body["nhse_veto"]) == ("delegated", "ccg_committee", False)


def test_each_change_to_a_cell_applies_from_the_day_it_was_made(
    level3_ccg: CCG, reference: Reference, administrator: User
) -> None:
    today = timezone.localdate()
    first, second = today + dt.timedelta(days=30), today + dt.timedelta(days=60)
    merger_cell = cell(reference, 3, MERGERS)
    with time_machine.travel(dt.datetime.combine(first, dt.time(10), tzinfo=dt.UTC), tick=False):
        change(merger_cell, Right.JOINT, by=administrator)
    with time_machine.travel(dt.datetime.combine(second, dt.time(10), tzinfo=dt.UTC), tick=False):
        change(merger_cell, Right.RETAINED, by=administrator)

    answers = {on: route(level3_ccg, MERGERS, on).right for on in (JUNE_2016, today, first, second)}

    # The day of a change already follows it; the day before does not.
    assert answers == {
        JUNE_2016: Right.DELEGATED,
        today: Right.DELEGATED,
        first: Right.JOINT,
        second: Right.RETAINED,
    }
    assert route(level3_ccg, MERGERS, first - dt.timedelta(days=1)).right == Right.DELEGATED


def test_a_cell_deleted_today_is_missing_from_today_but_still_answers_for_2016(
    level3_ccg: CCG, reference: Reference
) -> None:
    delete_audited(cell(reference, 3, MERGERS), by=system_user(), reason="Removed in error")

    assert route(level3_ccg, MERGERS, JUNE_2016).right == Right.DELEGATED
    with pytest.raises(MatrixCellMissing):
        route(level3_ccg, MERGERS, timezone.localdate())


# The scheme a level was granted under --------------------------------------------------------------------


def test_routing_for_2016_is_unchanged_after_the_area_team_changes_scheme(
    level3_ccg: CCG, reference: Reference
) -> None:
    # National level 3 delegates the budget; Greater Manchester's level 3 only shares it.
    before = route(level3_ccg, BUDGET, JUNE_2016)
    assert (before.level, before.right) == (3, Right.DELEGATED)

    reference.use_scheme(level3_ccg.area_team, reference.greater_manchester)

    ccg = fresh(level3_ccg)
    assert scheme_of(ccg) == reference.greater_manchester
    assert scheme_on(ccg, JUNE_2016) == reference.national
    assert route(level3_ccg, BUDGET, JUNE_2016) == before
    body = api_route(ccg=ccg.ods_code, function=str(BUDGET), on="2016-06-01")
    assert (body["scheme"], body["level"], body["right"]) == ("national", 3, "delegated")
    table = {line.function.number: line.routing for line in routing_table(ccg, JUNE_2016)}
    assert table[BUDGET] == before


def test_a_level_granted_under_the_new_scheme_routes_by_that_scheme_from_its_date(
    level3_ccg: CCG, reference: Reference
) -> None:
    reference.use_scheme(level3_ccg.area_team, reference.greater_manchester)
    give_level(fresh(level3_ccg), 4, APRIL_2017)  # Greater Manchester's level 4, the devolved budget

    assert route(level3_ccg, CONTRACTS, JUNE_2016).right == Right.DELEGATED  # national level 3
    assert route(level3_ccg, CONTRACTS, JUNE_2017).right == Right.JOINT  # Manchester level 4
    body = api_route(ccg=level3_ccg.ods_code, function=str(CONTRACTS), on="2017-06-01")
    assert (body["scheme"], body["level"]) == ("greater_manchester", 4)


# A missing cell -------------------------------------------------------------------------------------------


@pytest.fixture
def uncharted_ccg(level2_ccg: CCG, reference: Reference) -> CCG:
    """A CCG granted, from April 2016, a level of the national scheme that no matrix cell covers."""
    level = Level(scheme=reference.national, number=4, name="Pilot level")
    save_audited(level, by=system_user(), reason="Pilot")
    give_level(level2_ccg, 4, APRIL_2016)
    return level2_ccg


CELL_NAMED = "has no cell for function 3 ("
LEVEL_NAMED = "at level 4 (Pilot level) of the National scheme, as it stood on 1 June 2016"


def test_a_missing_cell_is_named_with_its_function_level_scheme_and_date(uncharted_ccg: CCG) -> None:
    with pytest.raises(MatrixCellMissing) as raised:
        route(uncharted_ccg, MERGERS, JUNE_2016)

    message = str(raised.value)
    assert CELL_NAMED in message and LEVEL_NAMED in message
    assert "A system administrator needs to complete the matrix." in message


def test_a_missing_cell_answers_a_json_error_naming_it_through_the_api(uncharted_ccg: CCG) -> None:
    response = APIClient().get(
        reverse("api-routing"), {"ccg": uncharted_ccg.ods_code, "function": "3", "on": "2016-06-01"}
    )

    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert CELL_NAMED in detail and LEVEL_NAMED in detail


def test_a_missing_cell_is_a_message_on_the_ccg_page_not_a_500(
    uncharted_ccg: CCG, make_user: Callable[..., User]
) -> None:
    client = Client()
    client.force_login(make_user(RoleKind.GOVERNANCE_OFFICER, ccg=uncharted_ccg))
    url = reverse("ccg-detail", args=[uncharted_ccg.ods_code])

    response = client.get(url, {"function": "3", "on_day": "1", "on_month": "6", "on_year": "2016"})

    assert response.status_code == 200
    html = response.content.decode()
    assert CELL_NAMED in html and LEVEL_NAMED in html
    assert 'id="who-decides-answer"' not in html
    # Today's table says the same of each function in its own row, and still lists all 14.
    assert html.count("<strong>Not known.</strong>") == 14


# Queries stay flat ---------------------------------------------------------------------------------------


def _count(run: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as queries:
        run()
    return len(queries)


def test_routing_as_of_a_date_costs_the_same_queries_however_long_the_matrix_history(
    level3_ccg: CCG, reference: Reference, administrator: User
) -> None:
    ccg = fresh(level3_ccg)
    merger = Function.objects.get(number=MERGERS)

    def ask() -> None:
        routing_for(ccg, merger, JUNE_2016)
        routing_table(ccg, JUNE_2016)

    few = _count(ask)
    for n in range(6):
        for number in (MERGERS, BUDGET):
            change(cell(reference, 3, number), [Right.JOINT, Right.DELEGATED][n % 2], by=administrator)
    many = _count(ask)

    assert many == few
    # One query for the cell, one for the table's cells and one for its functions.
    assert few == 3


def test_the_matrix_as_of_a_date_is_one_query_for_many_levels(reference: Reference) -> None:
    levels = list(Level.objects.values_list("pk", flat=True))

    with CaptureQueriesContext(connection) as queries:
        cells = rights_as_of(JUNE_2016, level_ids=levels)

    assert len(queries) == 1
    assert len(cells) == DecisionRight.objects.count()


def test_the_matrix_a_pack_shows_is_the_one_that_stood_at_the_end_of_its_period(
    level3_ccg: CCG, reference: Reference, administrator: User
) -> None:
    from assurance.selectors import pack_data
    from functions.selectors import matrix_for

    change(cell(reference, 3, MERGERS), Right.JOINT, by=administrator, veto=True)

    def mergers_at_level_3(matrix: object) -> tuple[str, bool]:
        [row] = [r for r in matrix.rows if r.function.number == MERGERS]  # type: ignore[attr-defined]
        [found] = [c for c in row.cells if c.level.number == 3]
        return found.right, found.nhse_veto

    then = pack_data(fresh(level3_ccg), APRIL_2016, dt.date(2017, 3, 31))
    assert then.scheme == reference.national
    assert mergers_at_level_3(then.matrix) == (Right.DELEGATED, False)
    assert mergers_at_level_3(matrix_for(reference.national)) == (Right.JOINT, True)
