"""Late declarations worked out in SQL: the annotation agrees with `rules.days_late` at the edges, the
28 days run from the seat for an interest held on appointment, a re-declaration of an interest
already on the register is not late again, ending an interest changes nothing, and an offer of a
gift or hospitality declared more than 28 days after it was made is late too."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from cocomm.audit import system_user
from cocomm.models import CCG, Practice
from committees import services as committee_services
from committees.choices import MemberCategory
from conflicts import rules, selectors, services
from conflicts.models import Declaration, GiftOrHospitality, InterestType
from tests.factories.cocomm import OrganisationFactory, PracticeFactory
from tests.factories.committees import Board, pccc, person_with_login

pytestmark = pytest.mark.django_db

D = dt.date
SEATED = D(2015, 1, 1)  # every seat of `pccc` starts on this day


@pytest.fixture
def ccg(level2_ccg: CCG) -> CCG:
    return level2_ccg


@pytest.fixture
def board(ccg: CCG) -> Board:
    return pccc(ccg)


@pytest.fixture
def practice(ccg: CCG) -> Practice:
    return PracticeFactory(ccg=ccg, name="Castle Hill Surgery", ods_code="P81001")


def declare(board: Board, ccg: CCG, key: str = "gp_one", **fields: Any) -> Declaration:
    values: dict[str, Any] = {
        "position": "GP member",
        "interest_type": InterestType.FINANCIAL,
        "description": "Partner at the practice",
    }
    values.update(fields)
    return services.declaration_make(ccg=ccg, person=board.person(key), by=system_user(), **values)


def days_late_of(declaration: Declaration) -> int:
    return selectors.declaration_days_late(declaration)


# The annotation and the rule agree --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arose", "declared"),
    [
        (D(2016, 6, 1), D(2016, 6, 1)),  # the same day
        (D(2016, 6, 1), D(2016, 6, 29)),  # day 28: on time
        (D(2016, 6, 1), D(2016, 6, 30)),  # day 29: late by 1
        (D(2016, 6, 1), D(2016, 7, 11)),  # day 40: late by 12
        (D(2016, 2, 1), D(2016, 2, 29)),  # leap year: day 28 is the 29th
        (D(2016, 2, 1), D(2016, 3, 1)),  # leap year: late by 1
        (D(2015, 2, 1), D(2015, 3, 1)),  # not a leap year: day 28 is 1 March
        (D(2015, 3, 1), D(2016, 3, 1)),  # a year that holds a leap day
        (D(2016, 9, 1), D(2016, 6, 1)),  # declared before the interest arose
    ],
)
def test_sql_and_the_rule_agree(board: Board, ccg: CCG, arose: dt.date, declared: dt.date) -> None:
    declaration = declare(board, ccg, interest_from=arose, declared_on=declared)

    assert days_late_of(declaration) == rules.days_late(arose, declared)


def test_forty_days_after_the_interest_arose_is_late_by_12(board: Board, ccg: CCG) -> None:
    late = declare(board, ccg, interest_from=D(2016, 6, 1), declared_on=D(2016, 7, 11))

    assert days_late_of(late) == 12
    assert list(selectors.late_declarations(ccg)) == [late]
    assert selectors.late_declarations(ccg)[0].days_late == 12


def test_nil_returns_and_entries_without_a_start_are_not_judged(board: Board, ccg: CCG) -> None:
    nil = declare(board, ccg, "lay_member", nil_return=True, interest_type="", description="")
    undated = declare(board, ccg, interest_from=None, declared_on=D(2020, 1, 1))

    assert days_late_of(nil) == 0
    assert days_late_of(undated) == 0
    assert not selectors.late_declarations(ccg).exists()


# When the 28 days begin ------------------------------------------------------------------------------------


def test_an_interest_held_on_appointment_runs_from_the_seat(board: Board, ccg: CCG) -> None:
    # A partner since 2009, seated on 1 January 2015.
    on_time = declare(board, ccg, "gp_one", interest_from=D(2009, 4, 1), declared_on=D(2015, 1, 29))
    late = declare(board, ccg, "gp_two", interest_from=D(2009, 4, 1), declared_on=D(2015, 2, 10))

    assert days_late_of(on_time) == 0
    assert days_late_of(late) == rules.days_late(SEATED, D(2015, 2, 10)) == 12


def test_declared_before_taking_the_seat_is_on_time(board: Board, ccg: CCG) -> None:
    person = person_with_login("Newcomer")
    committee_services.membership_add(
        committee=board.committee,
        person=person,
        category=MemberCategory.LAY,
        starts_on=D(2016, 9, 1),
        by=system_user(),
        reason="Test data",
    )
    early = services.declaration_make(
        ccg=ccg,
        person=person,
        position="Lay member",
        interest_type=InterestType.PROFESSIONAL,
        description="Trustee",
        interest_from=D(2010, 1, 1),
        declared_on=D(2016, 8, 20),
        by=system_user(),
    )

    assert days_late_of(early) == 0


def test_a_seat_that_ended_before_the_interest_arose_does_not_count(board: Board, ccg: CCG) -> None:
    """Off the committee in 2015, back in 2017: an interest that arose in between is due on return."""
    person = person_with_login("Returner")
    first = committee_services.membership_add(
        committee=board.committee,
        person=person,
        category=MemberCategory.LAY,
        starts_on=D(2014, 1, 1),
        by=system_user(),
        reason="Test data",
    )
    committee_services.membership_end(
        membership=first, ends_on=D(2015, 6, 1), by=system_user(), reason="Left"
    )
    committee_services.membership_add(
        committee=board.committee,
        person=person,
        category=MemberCategory.LAY,
        starts_on=D(2017, 3, 1),
        by=system_user(),
        reason="Test data",
    )

    def entry(declared_on: dt.date, description: str) -> Declaration:
        return services.declaration_make(
            ccg=ccg,
            person=person,
            position="Lay member",
            interest_type=InterestType.PROFESSIONAL,
            description=description,
            organisation_name=description,
            interest_from=D(2016, 1, 1),
            declared_on=declared_on,
            by=system_user(),
        )

    assert days_late_of(entry(D(2017, 3, 29), "Trustee of a charity")) == 0
    assert days_late_of(entry(D(2017, 4, 9), "Governor of a school")) == 11


def test_without_a_seat_the_interest_starts_the_clock(board: Board, ccg: CCG, other_ccg: CCG) -> None:
    """An officer's entry for someone who sits on no committee of that CCG."""
    person = board.person("gp_one")
    declaration = services.declaration_make(
        ccg=other_ccg,
        person=person,
        position="GP",
        interest_type=InterestType.FINANCIAL,
        description="Shares",
        interest_from=D(2016, 6, 1),
        declared_on=D(2016, 7, 11),
        by=system_user(),
    )

    assert days_late_of(declaration) == 12


# Re-declarations and amendments ----------------------------------------------------------------------


def test_restating_an_interest_already_on_the_register_is_not_late_again(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    first = declare(board, ccg, practice=practice, interest_from=D(2016, 6, 1), declared_on=D(2016, 7, 11))
    # The next year's campaign: the same interest in the same practice, declared again.
    again = declare(
        board,
        ccg,
        practice=practice,
        interest_from=D(2016, 6, 1),
        declared_on=D(2017, 6, 1),
        description="Still",
    )

    assert days_late_of(first) == 12
    assert days_late_of(again) == 0
    assert list(selectors.late_declarations(ccg)) == [first]


def test_a_different_interest_of_the_same_person_is_judged_on_its_own(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    declare(board, ccg, practice=practice, interest_from=D(2016, 6, 1), declared_on=D(2016, 6, 2))
    other_practice = PracticeFactory(ccg=ccg, name="Marton Surgery", ods_code="P81002")
    other_body = OrganisationFactory(name="Fylde Coast Pharmacy Ltd")
    in_another_practice = declare(
        board, ccg, practice=other_practice, interest_from=D(2016, 6, 1), declared_on=D(2016, 7, 11)
    )
    in_a_company = declare(
        board, ccg, organisation=other_body, interest_from=D(2016, 6, 1), declared_on=D(2016, 7, 12)
    )
    of_another_type = declare(
        board,
        ccg,
        practice=practice,
        interest_type=InterestType.PROFESSIONAL,
        interest_from=D(2016, 6, 1),
        declared_on=D(2016, 7, 13),
    )

    assert [days_late_of(d) for d in (in_another_practice, in_a_company, of_another_type)] == [12, 13, 14]


def test_an_interest_that_arises_again_after_the_first_ended_is_judged_afresh(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    first = declare(board, ccg, practice=practice, interest_from=D(2015, 6, 1), declared_on=D(2015, 6, 2))
    services.declaration_end(declaration=first, interest_to=D(2016, 1, 31), by=system_user(), reason="Left")
    rejoined = declare(board, ccg, practice=practice, interest_from=D(2017, 6, 1), declared_on=D(2017, 7, 11))

    assert days_late_of(rejoined) == 12


def test_ending_an_interest_does_not_change_whether_it_was_late(board: Board, ccg: CCG) -> None:
    late = declare(board, ccg, interest_from=D(2016, 6, 1), declared_on=D(2016, 7, 11))
    services.declaration_end(declaration=late, interest_to=D(2016, 12, 31), by=system_user(), reason="Sold")

    late.refresh_from_db()
    assert late.interest_to == D(2016, 12, 31)
    assert days_late_of(late) == 12


def test_late_counts_by_person(board: Board, ccg: CCG) -> None:
    declare(board, ccg, "gp_one", interest_from=D(2016, 6, 1), declared_on=D(2016, 7, 11), description="A")
    declare(
        board,
        ccg,
        "gp_one",
        interest_type=InterestType.PROFESSIONAL,
        interest_from=D(2016, 6, 1),
        declared_on=D(2016, 8, 11),
    )
    declare(board, ccg, "gp_two", interest_from=D(2016, 6, 1), declared_on=D(2016, 6, 20))

    assert selectors.late_counts(ccg) == {board.person("gp_one").pk: 2}


def test_the_period_filter_takes_declarations_made_in_it(board: Board, ccg: CCG) -> None:
    in_period = declare(board, ccg, "gp_one", interest_from=D(2016, 6, 1), declared_on=D(2016, 7, 11))
    declare(board, ccg, "gp_two", interest_from=D(2017, 2, 1), declared_on=D(2017, 4, 1))

    assert list(selectors.late_declarations(ccg, start=D(2016, 4, 1), end=D(2017, 3, 31))) == [in_period]


# Gifts and hospitality -------------------------------------------------------------------------------------


def record_offer(board: Board, ccg: CCG, *, offered_on: dt.date, recorded_on: dt.date) -> GiftOrHospitality:
    with time_machine.travel(dt.datetime.combine(recorded_on, dt.time(12), tzinfo=dt.UTC), tick=False):
        return services.offer_record(
            ccg=ccg,
            person=board.person("gp_one"),
            kind="hospitality",
            description="Dinner",
            value=Decimal("40"),
            offeror="A professional body",
            from_supplier=False,
            offered_on=offered_on,
            accepted=True,
            by=system_user(),
        )


@pytest.mark.parametrize(("after", "late"), [(0, 0), (28, 0), (29, 1), (40, 12)])
def test_an_offer_declared_more_than_28_days_after_it_was_made_is_late(
    board: Board, ccg: CCG, after: int, late: int
) -> None:
    offer = record_offer(
        board, ccg, offered_on=D(2016, 6, 1), recorded_on=D(2016, 6, 1) + dt.timedelta(days=after)
    )

    assert selectors.offer_days_late(offer) == late
    assert list(selectors.late_offers(ccg)) == ([offer] if late else [])


def test_an_offer_is_declared_the_day_it_is_recorded(board: Board, ccg: CCG) -> None:
    record_offer(board, ccg, offered_on=D(2016, 6, 1), recorded_on=D(2016, 9, 1))

    listed = selectors.gifts_of(ccg).get()
    assert (listed.recorded_on, listed.days_late) == (
        D(2016, 9, 1),
        rules.days_late(D(2016, 6, 1), D(2016, 9, 1)),
    )


def test_today_is_the_default_declaration_day(board: Board, ccg: CCG) -> None:
    declaration = declare(board, ccg, interest_from=timezone.localdate() - dt.timedelta(days=40))

    assert declaration.declared_on == timezone.localdate()
    assert days_late_of(declaration) == 12
