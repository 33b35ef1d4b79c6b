"""The 28-day rule as pure functions (s.14O NHS Act 2006): how many days late a declaration was, at
its edges, across leap years, for an interest declared before it arose, and when the 28 days begin
for an interest held on appointment."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conflicts.rules import DECLARE_WITHIN_DAYS, days_late, declared_late, duty_arose_on, late_text

D = dt.date


def test_day_28_is_on_time_and_day_29_is_late_by_one() -> None:
    arose = D(2016, 6, 1)
    assert days_late(arose, D(2016, 6, 29)) == 0  # 28 days after
    assert days_late(arose, D(2016, 6, 30)) == 1  # 29 days after
    assert not declared_late(arose, D(2016, 6, 29))
    assert declared_late(arose, D(2016, 6, 30))


def test_declared_the_day_it_arose_is_on_time() -> None:
    assert days_late(D(2016, 6, 1), D(2016, 6, 1)) == 0


def test_forty_days_after_is_late_by_12() -> None:
    assert days_late(D(2016, 6, 1), D(2016, 7, 11)) == 12
    assert late_text(12) == "late by 12 days"


def test_one_day_and_many_days_read_as_english() -> None:
    assert late_text(1) == "late by 1 day"
    assert late_text(1461) == "late by 1,461 days"


@pytest.mark.parametrize(
    ("arose", "on_time", "late_by_one"),
    [
        # 2016 is a leap year: the 28 days from 1 February end on the 29th.
        (D(2016, 2, 1), D(2016, 2, 29), D(2016, 3, 1)),
        # 2015 is not: the 28 days from 1 February end on 1 March.
        (D(2015, 2, 1), D(2015, 3, 1), D(2015, 3, 2)),
        # Arising on the leap day itself.
        (D(2016, 2, 29), D(2016, 3, 28), D(2016, 3, 29)),
        # Across the turn of a year.
        (D(2016, 12, 20), D(2017, 1, 17), D(2017, 1, 18)),
    ],
)
def test_the_deadline_counts_calendar_days_across_leap_years(
    arose: dt.date, on_time: dt.date, late_by_one: dt.date
) -> None:
    assert days_late(arose, on_time) == 0
    assert days_late(arose, late_by_one) == 1


def test_a_whole_leap_year_late_counts_the_leap_day() -> None:
    # 1 March 2015 to 1 March 2016 spans 29 February 2016: 366 days, so 338 late.
    assert days_late(D(2015, 3, 1), D(2016, 3, 1)) == 366 - DECLARE_WITHIN_DAYS
    assert days_late(D(2016, 3, 1), D(2017, 3, 1)) == 365 - DECLARE_WITHIN_DAYS


def test_an_interest_declared_before_it_arises_is_never_late() -> None:
    assert days_late(D(2016, 9, 1), D(2016, 6, 1)) == 0
    assert days_late(D(2030, 1, 1), D(2016, 6, 1)) == 0


@given(arose=st.dates(D(2000, 1, 1), D(2040, 12, 31)), after=st.integers(-400, 4000))
def test_late_by_the_days_past_the_28th_and_never_negative(arose: dt.date, after: int) -> None:
    declared = arose + dt.timedelta(days=after)
    assert days_late(arose, declared) == max(after - 28, 0)
    assert declared_late(arose, declared) == (after > 28)


def test_an_interest_held_on_appointment_is_due_28_days_after_the_seat_began() -> None:
    # A partnership since 2009, a seat from April 2015: the 28 days run from the seat.
    assert duty_arose_on(D(2009, 4, 1), D(2015, 4, 1)) == D(2015, 4, 1)
    assert days_late(duty_arose_on(D(2009, 4, 1), D(2015, 4, 1)) or D.min, D(2015, 4, 29)) == 0


def test_an_interest_arising_while_seated_is_due_28_days_after_it_arose() -> None:
    assert duty_arose_on(D(2016, 1, 10), D(2015, 4, 1)) == D(2016, 1, 10)


def test_without_a_seat_the_interest_itself_starts_the_clock() -> None:
    assert duty_arose_on(D(2016, 1, 10), None) == D(2016, 1, 10)


def test_an_entry_that_does_not_say_when_its_interest_arose_is_not_judged() -> None:
    assert duty_arose_on(None, D(2015, 4, 1)) is None
