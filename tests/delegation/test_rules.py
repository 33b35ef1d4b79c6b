"""The routing rule, as a pure function: every edge without a database."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from delegation.rules import CellRight, DecidedBy, LevelPeriod, Routing, decided_by, level_in_force, route
from functions.choices import Right

APRIL_2015 = dt.date(2015, 4, 1)
APRIL_2016 = dt.date(2016, 4, 1)
NATIONAL_CONTRACT_FUNCTION = {
    1: CellRight(Right.CONSULTED),
    2: CellRight(Right.JOINT),
    3: CellRight(Right.DELEGATED),
}
LANCASHIRE_LEVEL_3 = [LevelPeriod(2, APRIL_2015), LevelPeriod(3, APRIL_2016)]


def test_the_day_before_a_level_takes_effect_the_earlier_level_governs() -> None:
    answer = route(periods=LANCASHIRE_LEVEL_3, rights=NATIONAL_CONTRACT_FUNCTION, on=dt.date(2016, 3, 31))
    assert answer == Routing(
        2, Right.JOINT, DecidedBy.JOINT_COMMITTEE, nhse_casting_vote=True, nhse_veto=False
    )


def test_on_the_day_a_level_takes_effect_it_governs() -> None:
    answer = route(periods=LANCASHIRE_LEVEL_3, rights=NATIONAL_CONTRACT_FUNCTION, on=APRIL_2016)
    assert answer == Routing(
        3, Right.DELEGATED, DecidedBy.CCG_COMMITTEE, nhse_casting_vote=False, nhse_veto=False
    )


def test_before_any_level_nhs_england_decides_alone() -> None:
    answer = route(periods=LANCASHIRE_LEVEL_3, rights=NATIONAL_CONTRACT_FUNCTION, on=dt.date(2015, 3, 31))
    assert answer.level is None
    assert answer.decided_by == DecidedBy.NHS_ENGLAND
    assert answer.right == Right.NOT_INVOLVED
    assert not answer.nhse_casting_vote


def test_a_ccg_with_no_level_at_all_is_routed_to_nhs_england() -> None:
    answer = route(periods=[], rights={}, on=dt.date(2020, 1, 1))
    assert (answer.level, answer.decided_by) == (None, DecidedBy.NHS_ENGLAND)


def test_a_function_retained_at_every_level_stays_with_nhs_england() -> None:
    retained = {n: CellRight(Right.RETAINED) for n in (1, 2, 3)}
    for periods in ([LevelPeriod(1, APRIL_2015)], [LevelPeriod(2, APRIL_2015)], LANCASHIRE_LEVEL_3):
        answer = route(periods=periods, rights=retained, on=dt.date(2018, 1, 1))
        assert answer.right == Right.RETAINED
        assert answer.decided_by == DecidedBy.NHS_ENGLAND


def test_consulted_means_nhs_england_decides() -> None:
    answer = route(periods=[LevelPeriod(1, APRIL_2015)], rights=NATIONAL_CONTRACT_FUNCTION, on=APRIL_2016)
    assert (answer.right, answer.decided_by) == (Right.CONSULTED, DecidedBy.NHS_ENGLAND)


def test_a_veto_in_the_matrix_is_reported_only_where_the_ccg_takes_part_in_deciding() -> None:
    vetoed = {2: CellRight(Right.JOINT, nhse_veto=True), 1: CellRight(Right.CONSULTED, nhse_veto=True)}
    assert route(periods=[LevelPeriod(2, APRIL_2015)], rights=vetoed, on=APRIL_2016).nhse_veto
    assert not route(periods=[LevelPeriod(1, APRIL_2015)], rights=vetoed, on=APRIL_2016).nhse_veto


def test_periods_need_not_arrive_in_date_order() -> None:
    periods = list(reversed(LANCASHIRE_LEVEL_3))
    assert level_in_force(periods, dt.date(2016, 6, 1)) == LevelPeriod(3, APRIL_2016)


def test_a_missing_matrix_cell_is_an_error_not_a_guess() -> None:
    try:
        route(periods=[LevelPeriod(4, APRIL_2015)], rights=NATIONAL_CONTRACT_FUNCTION, on=APRIL_2016)
    except ValueError as error:
        assert "level 4" in str(error)
    else:
        raise AssertionError("a level with no matrix cell must not be routed")


@given(
    starts=st.lists(
        st.dates(min_value=dt.date(2014, 1, 1), max_value=dt.date(2030, 1, 1)), unique=True, max_size=6
    ),
    on=st.dates(min_value=dt.date(2013, 1, 1), max_value=dt.date(2031, 1, 1)),
)
def test_the_level_in_force_is_the_latest_that_started_on_or_before_the_date(
    starts: list[dt.date], on: dt.date
) -> None:
    periods = [LevelPeriod(index % 3 + 1, start) for index, start in enumerate(starts)]
    found = level_in_force(periods, on)
    started = [p for p in periods if p.effective_from <= on]
    if not started:
        assert found is None
    else:
        assert found is not None
        assert found.effective_from <= on
        assert all(p.effective_from <= found.effective_from for p in started)


@given(right=st.sampled_from(list(Right)))
def test_every_right_maps_to_exactly_one_body(right: Right) -> None:
    body = decided_by(right)
    expected = {
        Right.JOINT: DecidedBy.JOINT_COMMITTEE,
        Right.DELEGATED: DecidedBy.CCG_COMMITTEE,
    }.get(right, DecidedBy.NHS_ENGLAND)
    assert body == expected
