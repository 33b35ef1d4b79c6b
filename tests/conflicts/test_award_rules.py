"""The awards cross-check as a pure rule: an interest current on the decision date, in the body the
contract went to, held by someone who took part, is flagged; managed when the chair ruled on it."""

from __future__ import annotations

import datetime as dt

from conflicts.rules import AwardFacts, AwardFlagKind, RegisteredInterest, award_flags, current_on

DECIDED = dt.date(2016, 11, 24)
SUPPLIER = 7
VOTER, CHAIR, ATTENDEE, ABSENT = 1, 2, 3, 4


def award(*, rulings: dict[int, str] | None = None, participants: set[int] | None = None) -> AwardFacts:
    return AwardFacts(
        award_id=1,
        decided_on=DECIDED,
        supplier_practice_id=None,
        supplier_organisation_id=SUPPLIER,
        supplier_name="Ribble Extended Care Ltd",
        participants=frozenset(participants if participants is not None else {VOTER, CHAIR, ATTENDEE}),
        rulings=rulings or {},
    )


def interest(
    person: int = VOTER,
    *,
    start: dt.date | None = dt.date(2015, 1, 1),
    end: dt.date | None = None,
    organisation: int | None = SUPPLIER,
    practice: int | None = None,
    body_name: str = "",
) -> RegisteredInterest:
    return RegisteredInterest(
        declaration_id=person * 100,
        person_id=person,
        kind_label="financial",
        description="Shares",
        interest_from=start,
        interest_to=end,
        practice_id=practice,
        organisation_id=organisation,
        body_name=body_name,
    )


def test_an_interest_that_ended_the_day_before_the_decision_is_not_flagged() -> None:
    assert award_flags(award(), [interest(end=DECIDED - dt.timedelta(days=1))]) == []


def test_an_interest_that_ends_on_the_decision_date_is_flagged() -> None:
    (flag,) = award_flags(award(), [interest(end=DECIDED)])
    assert flag.kind == AwardFlagKind.NOT_DECLARED


def test_an_interest_from_the_decision_date_is_flagged() -> None:
    (flag,) = award_flags(award(), [interest(start=DECIDED)])

    assert (flag.person_id, flag.kind, flag.label) == (
        VOTER,
        AwardFlagKind.NOT_DECLARED,
        "Not declared at the item",
    )


def test_an_interest_that_starts_the_day_after_the_decision_is_not_flagged() -> None:
    assert award_flags(award(), [interest(start=DECIDED + dt.timedelta(days=1))]) == []


def test_an_attendee_at_the_item_who_did_not_vote_is_flagged() -> None:
    (flag,) = award_flags(award(participants={ATTENDEE}), [interest(ATTENDEE)])

    assert flag.person_id == ATTENDEE


def test_the_chair_is_flagged() -> None:
    (flag,) = award_flags(award(), [interest(CHAIR)])

    assert flag.person_id == CHAIR


def test_someone_not_present_is_not_flagged() -> None:
    assert award_flags(award(), [interest(ABSENT)]) == []


def test_a_ruling_at_the_item_makes_it_declared_and_managed() -> None:
    (flag,) = award_flags(award(rulings={VOTER: "Leaves the meeting for the item"}), [interest()])

    assert flag.kind == AwardFlagKind.MANAGED and flag.managed
    assert (flag.label, flag.ruling) == ("Declared and managed", "Leaves the meeting for the item")


def test_an_interest_in_another_body_is_not_flagged() -> None:
    assert award_flags(award(), [interest(organisation=SUPPLIER + 1)]) == []


def test_an_interest_naming_the_supplier_only_in_words_is_flagged_by_its_name() -> None:
    found = award_flags(award(), [interest(organisation=None, body_name="  ribble extended  care LTD ")])
    other = award_flags(award(), [interest(organisation=None, body_name="Ribble Care")])
    empty = award_flags(award(), [interest(organisation=None, body_name="")])

    assert [f.person_id for f in found] == [VOTER]
    assert other == [] and empty == []


def test_a_practice_supplier_matches_interests_in_that_practice() -> None:
    facts = AwardFacts(
        award_id=1,
        decided_on=DECIDED,
        supplier_practice_id=5,
        supplier_organisation_id=None,
        supplier_name="Castle Hill Surgery",
        participants=frozenset({VOTER}),
        rulings={},
    )

    assert len(award_flags(facts, [interest(organisation=None, practice=5)])) == 1
    assert award_flags(facts, [interest(organisation=None, practice=6)]) == []


def test_several_interests_of_one_person_make_one_flag() -> None:
    (flag,) = award_flags(award(), [interest(), interest(body_name="x")])

    assert len(flag.interests) == 2


def test_open_ended_interests_are_current() -> None:
    assert current_on(interest(start=None, end=None), DECIDED)
