"""Conflicts rules as pure functions: deadlines, thresholds, publication and detection, at their edges."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from conflicts.rules import (
    InterestFact,
    ItemFact,
    OfferKind,
    Overdue,
    Publication,
    Thresholds,
    add_months,
    declaration_due,
    declared_late,
    detect,
    offer_verdict,
    overdue_reasons,
    publication,
    reminder_due,
)

LIMITS = Thresholds()
D = dt.date


# Deadlines ---------------------------------------------------------------------------------------


def test_an_interest_is_due_28_days_after_it_arose() -> None:
    assert declaration_due(D(2016, 6, 1)) == D(2016, 6, 29)
    assert not declared_late(D(2016, 6, 1), D(2016, 6, 29))
    assert declared_late(D(2016, 6, 1), D(2016, 6, 30))


def test_a_new_member_is_overdue_from_the_29th_day_without_a_declaration() -> None:
    appointed = D(2016, 6, 1)
    assert overdue_reasons(today=D(2016, 6, 29), appointed_on=appointed, last_declared_on=None) == []
    assert overdue_reasons(today=D(2016, 6, 30), appointed_on=appointed, last_declared_on=None) == [
        Overdue.ON_APPOINTMENT
    ]
    assert (
        overdue_reasons(today=D(2016, 7, 30), appointed_on=appointed, last_declared_on=D(2016, 6, 10)) == []
    )


def test_a_declaration_older_than_a_year_needs_confirming() -> None:
    assert overdue_reasons(today=D(2017, 6, 1), appointed_on=None, last_declared_on=D(2016, 6, 1)) == []
    assert overdue_reasons(today=D(2017, 6, 2), appointed_on=None, last_declared_on=D(2016, 6, 1)) == [
        Overdue.ANNUAL
    ]


def test_an_unanswered_campaign_is_overdue_after_its_deadline() -> None:
    args = {"appointed_on": None, "last_declared_on": D(2016, 9, 1), "campaign_deadline": D(2016, 10, 31)}
    assert overdue_reasons(today=D(2016, 10, 31), **args) == []
    assert overdue_reasons(today=D(2016, 11, 1), **args) == [Overdue.CAMPAIGN]
    assert overdue_reasons(today=D(2016, 11, 1), answered_campaign=True, **args) == []


def test_reminders_fall_a_week_before_and_on_the_deadline() -> None:
    deadline = D(2016, 10, 31)
    assert reminder_due(today=D(2016, 10, 24), deadline=deadline) == 7
    assert reminder_due(today=D(2016, 10, 25), deadline=deadline) is None
    assert reminder_due(today=deadline, deadline=deadline) == 0
    assert reminder_due(today=D(2016, 11, 1), deadline=deadline) is None


# Gifts and hospitality ------------------------------------------------------------------------------


def test_supplier_gifts_over_six_pounds_are_declined() -> None:
    assert not offer_verdict(OfferKind.GIFT, Decimal("6.00"), from_supplier=True, limits=LIMITS).must_decline
    verdict = offer_verdict(OfferKind.GIFT, Decimal("6.01"), from_supplier=True, limits=LIMITS)
    assert verdict.must_decline and "over £6" in verdict.reason


def test_other_gifts_over_fifty_pounds_are_declared() -> None:
    assert not offer_verdict(OfferKind.GIFT, Decimal("50"), from_supplier=False, limits=LIMITS).must_declare
    over = offer_verdict(OfferKind.GIFT, Decimal("50.01"), from_supplier=False, limits=LIMITS)
    assert over.must_declare and not over.must_decline


def test_hospitality_bands() -> None:
    below = offer_verdict(OfferKind.HOSPITALITY, Decimal("24.99"), from_supplier=False, limits=LIMITS)
    at_25 = offer_verdict(OfferKind.HOSPITALITY, Decimal("25"), from_supplier=False, limits=LIMITS)
    at_75 = offer_verdict(OfferKind.HOSPITALITY, Decimal("75"), from_supplier=False, limits=LIMITS)
    over = offer_verdict(OfferKind.HOSPITALITY, Decimal("75.01"), from_supplier=True, limits=LIMITS)
    assert (below.must_declare, at_25.must_declare, at_75.must_declare) == (False, True, True)
    assert not at_75.needs_senior_approval
    assert over.needs_senior_approval and over.must_declare


def test_a_ccg_may_set_its_own_limits() -> None:
    strict = Thresholds(hospitality_declare_from=Decimal("10"))
    assert offer_verdict(
        OfferKind.HOSPITALITY, Decimal("12"), from_supplier=False, limits=strict
    ).must_declare


@given(st.decimals(min_value=0, max_value=1000, places=2), st.booleans())
def test_anything_declined_or_needing_approval_is_also_declared(value: Decimal, supplier: bool) -> None:
    for kind in OfferKind:
        verdict = offer_verdict(kind, value, from_supplier=supplier, limits=LIMITS)
        if verdict.must_decline or verdict.needs_senior_approval:
            assert verdict.must_declare


# Publication ------------------------------------------------------------------------------------------


def test_only_decision_makers_are_published() -> None:
    assert (
        publication(decision_maker=False, consent=True, ended_on=None, today=D(2017, 1, 1))
        == Publication.NOT_LISTED
    )
    assert (
        publication(decision_maker=True, consent=True, ended_on=None, today=D(2017, 1, 1))
        == Publication.PUBLISHED
    )


def test_entries_without_consent_are_withheld_and_counted() -> None:
    assert (
        publication(decision_maker=True, consent=False, ended_on=None, today=D(2017, 1, 1))
        == Publication.WITHHELD
    )


def test_an_ended_interest_stays_public_for_six_months() -> None:
    ended = D(2016, 8, 31)
    assert (
        publication(decision_maker=True, consent=True, ended_on=ended, today=D(2017, 2, 28))
        == Publication.PUBLISHED
    )
    assert (
        publication(decision_maker=True, consent=True, ended_on=ended, today=D(2017, 3, 1))
        == Publication.NOT_LISTED
    )


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 1, 1)), st.integers(min_value=0, max_value=36))
def test_adding_months_lands_in_the_right_month_and_never_overshoots(day: dt.date, months: int) -> None:
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day <= day.day


# Detection --------------------------------------------------------------------------------------------

PARTNER = InterestFact(
    person_id=1,
    person="Dr Amir Khan",
    kind_label="financial",
    description="GP partner",
    practice_id=10,
    practice="Castle Hill Surgery",
    in_practice_of_ccg_id=100,
)
FEDERATION_DIRECTOR = InterestFact(
    person_id=2,
    person="Dr Jane Cole",
    kind_label="financial",
    description="Director",
    organisation_id=20,
    organisation="Lancaster GP Federation",
)
LIST_CLOSURE = ItemFact(7, "List closure", 100, 3, frozenset({10}), frozenset())
PMS_REVIEW = ItemFact(8, "PMS review", 100, 8, frozenset(), frozenset())
OUT_OF_HOURS = ItemFact(9, "Out-of-hours procurement", 100, 4, frozenset(), frozenset({20}))


def test_a_partner_at_the_applying_practice_is_flagged_with_the_reason() -> None:
    flags = detect([LIST_CLOSURE], [PARTNER, FEDERATION_DIRECTOR])
    assert [(f.item_id, f.person_id, f.direct) for f in flags] == [(7, 1, True)]
    assert flags[0].reason == (
        "Dr Amir Khan has declared a financial interest in Castle Hill Surgery, "
        "which this item concerns: GP partner"
    )


def test_an_interest_in_an_organisation_the_item_concerns_is_flagged() -> None:
    flags = detect([OUT_OF_HOURS], [FEDERATION_DIRECTOR])
    assert [(f.person_id, f.direct) for f in flags] == [(2, True)]


def test_a_gp_is_flagged_on_ccg_wide_contract_items() -> None:
    flags = detect([PMS_REVIEW], [PARTNER])
    assert [(f.person_id, f.direct) for f in flags] == [(1, False)]
    assert "GP contracts across the CCG" in flags[0].reason


def test_an_item_of_another_ccg_or_function_raises_nothing() -> None:
    elsewhere = ItemFact(10, "PMS review", 200, 8, frozenset(), frozenset())
    safeguarding = ItemFact(11, "Safeguarding report", 100, 6, frozenset(), frozenset())
    assert detect([elsewhere, safeguarding], [PARTNER]) == []
