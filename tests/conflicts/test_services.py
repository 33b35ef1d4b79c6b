"""Conflicts services: declarations, detection on the agenda, rulings and quorum, referral,
registers and their publication, gifts and hospitality."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cocomm.audit import system_user
from cocomm.models import CCG, RoleKind
from committees import services as committee_services
from committees.choices import CommitteeKind, MatterKind, MemberCategory, Office, VoteChoice
from committees.models import Meeting
from committees.selectors import item_quorum
from conflicts import selectors, services
from conflicts.models import Declaration, InterestType, ProcurementRecord, ReferralRoute, Ruling
from functions.models import Function
from tests.factories.cocomm import PracticeFactory
from tests.factories.committees import Board, meeting_of, pccc, seat
from tests.factories.delegation import give_level

pytestmark = pytest.mark.django_db
JUNE_2016 = dt.date(2016, 6, 1)


@pytest.fixture
def level3_ccg(level2_ccg: CCG) -> CCG:
    give_level(level2_ccg, 3, dt.date(2016, 4, 1))
    return level2_ccg


@pytest.fixture
def board(level3_ccg: CCG) -> Board:
    return pccc(level3_ccg)


def partner_interest(
    board: Board, ccg: CCG, practice, key: str = "gp_one", declared_on: dt.date | None = None
) -> Declaration:  # type: ignore[no-untyped-def]
    return services.declaration_make(
        ccg=ccg,
        person=board.person(key),
        position="GP member",
        interest_type=InterestType.FINANCIAL,
        description="Partner at the practice",
        practice=practice,
        interest_from=dt.date(2010, 1, 1),
        declared_on=declared_on,
        by=board.user(key),
    )


def list_closure_item(board: Board, ccg: CCG, practice, on: dt.date = JUNE_2016):  # type: ignore[no-untyped-def]
    matter = committee_services.matter_raise(
        ccg=ccg,
        function=Function.objects.get(number=3),
        kind=MatterKind.LIST_CLOSURE,
        title=f"{practice.name} applies to close its list",
        practices=[practice],
        by=system_user(),
        reason="Received",
    )
    meeting = meeting_of(board, on=on, present=["lay_chair", "lay_member", "chief_officer", "gp_one"])
    return committee_services.matter_schedule(
        matter=matter, meeting=meeting, by=system_user(), reason="Agenda"
    )


# Declarations -------------------------------------------------------------------------------------------


def test_a_declarant_declares_and_the_history_says_so(board: Board, level3_ccg: CCG) -> None:
    practice = PracticeFactory(ccg=level3_ccg)
    declaration = partner_interest(board, level3_ccg, practice)
    assert not declaration.on_behalf
    row = declaration.history.get()
    assert (row.history_user, row.history_change_reason) == (
        board.user("gp_one"),
        "Declared by the declarant",
    )


def test_a_governance_officer_may_declare_on_someones_behalf_and_it_is_recorded(
    board: Board, level3_ccg: CCG, make_user
) -> None:  # type: ignore[no-untyped-def]
    officer = make_user(RoleKind.GOVERNANCE_OFFICER, ccg=level3_ccg)
    declaration = services.declaration_make(
        ccg=level3_ccg, person=board.person("gp_two"), position="GP member", nil_return=True, by=officer
    )
    assert declaration.on_behalf
    assert declaration.history.get().history_change_reason == "Nil return: Declared on the declarant's behalf"


def test_nobody_else_may_declare_for_a_person(board: Board, level3_ccg: CCG) -> None:
    with pytest.raises(PermissionDenied):
        services.declaration_make(
            ccg=level3_ccg,
            person=board.person("gp_two"),
            position="GP",
            nil_return=True,
            by=board.user("gp_one"),
        )


def test_an_indirect_interest_needs_the_relationship(board: Board, level3_ccg: CCG) -> None:
    with pytest.raises(ValidationError) as error:
        services.declaration_make(
            ccg=level3_ccg,
            person=board.person("gp_one"),
            position="GP",
            interest_type=InterestType.INDIRECT,
            description="Spouse is a director",
            by=board.user("gp_one"),
        )
    assert "relationship" in error.value.message_dict
    assert not Declaration.objects.exists()


# Detection and the chair's checklist -----------------------------------------------------------------------


def test_the_checklist_flags_a_partner_at_the_applying_practice_and_the_quorum_at_risk(
    board: Board, level3_ccg: CCG
) -> None:
    practice = PracticeFactory(ccg=level3_ccg, name="Castle Hill Surgery")
    partner_interest(board, level3_ccg, practice)
    item = list_closure_item(board, level3_ccg, practice)
    checks = {c.item.pk: c for c in selectors.meeting_checklist(item.meeting)}
    check = checks[item.pk]
    assert [f.person_id for f in check.flags] == [board.person("gp_one").pk]
    assert "Castle Hill Surgery, which this item concerns" in check.flags[0].reason
    # With the other GP's apologies, the flagged GP is the only one expected: the item is at risk.
    committee_services.attendance_record(
        meeting=item.meeting,
        person=board.person("gp_two"),
        status="apologies",
        by=system_user(),
        reason="Apologies",
    )
    check = {c.item.pk: c for c in selectors.meeting_checklist(item.meeting)}[item.pk]
    assert check.at_risk
    assert "GP or clinical member" in check.explanation_if_flagged_leave


def test_an_ended_interest_is_not_flagged(board: Board, level3_ccg: CCG) -> None:
    practice = PracticeFactory(ccg=level3_ccg)
    declaration = partner_interest(board, level3_ccg, practice)
    services.declaration_end(
        declaration=declaration, interest_to=dt.date(2016, 1, 31), by=board.user("gp_one"), reason="Retired"
    )
    item = list_closure_item(board, level3_ccg, practice)
    assert all(not c.flags for c in selectors.meeting_checklist(item.meeting))


def checklist_queries(meeting: Meeting) -> tuple[int, list[selectors.ItemCheck]]:
    with CaptureQueriesContext(connection) as queries:
        checks = selectors.meeting_checklist(meeting)
    return len(queries), checks


def test_the_checklist_takes_as_many_queries_for_five_flagged_items_as_for_one(
    board: Board, level3_ccg: CCG
) -> None:
    practice = PracticeFactory(ccg=level3_ccg)
    partner_interest(board, level3_ccg, practice)
    one = list_closure_item(board, level3_ccg, practice).meeting
    one_count, one_checks = checklist_queries(one)
    # More members with interests, and five items for decision, each touching a flagged member.
    seat(board, "gp_three", MemberCategory.CLINICAL)
    seat(board, "gp_four", MemberCategory.CLINICAL)
    five = meeting_of(board, on=dt.date(2016, 7, 1))
    for n, key in enumerate(["gp_one", "gp_two", "gp_three", "gp_four", "gp_one"]):
        other = PracticeFactory(ccg=level3_ccg, name=f"Practice {n}")
        partner_interest(board, level3_ccg, other, key=key)
        matter = committee_services.matter_raise(
            ccg=level3_ccg,
            function=Function.objects.get(number=3),
            kind=MatterKind.LIST_CLOSURE,
            title=f"{other.name} applies to close its list",
            practices=[other],
            by=system_user(),
            reason="Received",
        )
        committee_services.matter_schedule(matter=matter, meeting=five, by=system_user(), reason="Agenda")

    five_count, five_checks = checklist_queries(five)

    assert [len(c.flags) for c in one_checks] == [1]
    assert len(five_checks) == 5
    assert all(c.flags and c.quorate_now is not None for c in five_checks)
    assert five_count == one_count


# Rulings, quorum and referral ------------------------------------------------------------------------------


def test_ruling_that_a_member_leaves_takes_them_out_of_the_vote_and_quorum_and_the_minutes_say_so(
    board: Board, level3_ccg: CCG
) -> None:
    practice = PracticeFactory(ccg=level3_ccg)
    # On the register before the meeting, so the ruling may name it.
    interest = partner_interest(board, level3_ccg, practice, declared_on=dt.date(2016, 1, 4))
    item = list_closure_item(board, level3_ccg, practice)
    chair = board.user("lay_chair")
    assert item_quorum(item).quorate
    services.item_declaration_rule(
        item=item,
        person=board.person("gp_one"),
        statement="Partner at the applying practice",
        ruling=Ruling.LEAVES,
        interest=interest,
        papers_withheld=True,
        by=chair,
    )
    quorum = item_quorum(item)
    assert not quorum.quorate
    assert [m.person for m, _ in quorum.excluded] == [board.person("gp_one")]
    from committees.minutes import compose_minutes

    assert (
        "Declaration: Gp One: Partner at the applying practice. Ruling: Leaves the meeting for the item."
        in (compose_minutes(item.meeting))
    )
    services.item_declaration_rule(
        item=item,
        person=board.person("gp_one"),
        statement="Partner; reconsidered",
        ruling=Ruling.NOTED,
        ruling_reason="The closure does not change the partners' income",
        by=chair,
    )
    assert item_quorum(item).quorate


def test_an_inquorate_item_is_referred_to_the_governing_bodys_next_meeting(
    board: Board, level3_ccg: CCG
) -> None:
    practice = PracticeFactory(ccg=level3_ccg)
    partner_interest(board, level3_ccg, practice)
    item = list_closure_item(board, level3_ccg, practice)
    chair = board.user("lay_chair")
    with pytest.raises(ValidationError, match="quorate"):
        services.referral_record(
            item=item, route=ReferralRoute.GOVERNING_BODY, guardian_consulted=True, by=chair
        )
    services.item_declaration_rule(
        item=item, person=board.person("gp_one"), statement="Partner", ruling=Ruling.LEAVES, by=chair
    )
    governing_body = committee_services.committee_create(
        name="Governing Body",
        kind=CommitteeKind.GOVERNING_BODY,
        ccgs=[level3_ccg],
        functions=Function.objects.all(),
        by=system_user(),
        reason="Test",
    )
    with pytest.raises(ValidationError) as error:
        services.referral_record(
            item=item,
            route=ReferralRoute.GOVERNING_BODY,
            guardian_consulted=False,
            to_committee=governing_body,
            by=chair,
        )
    assert "guardian_consulted" in error.value.message_dict
    with pytest.raises(ValidationError, match="no meeting scheduled"):
        services.referral_record(
            item=item,
            route=ReferralRoute.GOVERNING_BODY,
            guardian_consulted=True,
            to_committee=governing_body,
            by=chair,
        )
    meeting = committee_services.meeting_schedule(
        committees=[governing_body],
        title="Governing body",
        by=system_user(),
        reason="Test",
        starts_at=dt.datetime(2016, 7, 5, 9, tzinfo=dt.UTC),
    )
    referral = services.referral_record(
        item=item,
        route=ReferralRoute.GOVERNING_BODY,
        guardian_consulted=True,
        to_committee=governing_body,
        note="Guardian advised referral",
        by=chair,
    )
    assert referral.new_item is not None and referral.new_item.meeting == meeting
    assert referral.new_item.title.startswith("Referred from")


# Registers and publication -------------------------------------------------------------------------------


def test_the_public_register_shows_decision_makers_with_consent_and_counts_the_withheld(
    board: Board, level3_ccg: CCG
) -> None:
    practice = PracticeFactory(ccg=level3_ccg)
    shown = partner_interest(board, level3_ccg, practice)
    services.declaration_make(
        ccg=level3_ccg,
        person=board.person("gp_two"),
        position="GP",
        interest_type=InterestType.PERSONAL,
        description="Trustee of a local charity",
        consent_to_publish=False,
        withheld_reason="Personal safety",
        by=board.user("gp_two"),
    )
    # A non-voting Healthwatch member is not a decision-maker.
    services.declaration_make(
        ccg=level3_ccg,
        person=board.person("healthwatch"),
        position="Healthwatch",
        interest_type=InterestType.PROFESSIONAL,
        description="Healthwatch chair",
        by=board.user("healthwatch"),
    )
    register = selectors.public_register_of_interests(level3_ccg)
    assert register.entries == [shown]
    assert register.withheld == 1


def test_an_ended_interest_leaves_the_public_register_after_six_months(board: Board, level3_ccg: CCG) -> None:
    practice = PracticeFactory(ccg=level3_ccg)
    declaration = partner_interest(board, level3_ccg, practice)
    services.declaration_end(
        declaration=declaration, interest_to=dt.date(2020, 8, 31), by=board.user("gp_one"), reason="Left"
    )
    assert selectors.public_register_of_interests(level3_ccg, today=dt.date(2021, 2, 28)).entries == [
        declaration
    ]
    assert selectors.public_register_of_interests(level3_ccg, today=dt.date(2021, 3, 1)).entries == []


def test_gifts_over_the_limits_are_refused_or_need_a_senior_approver(board: Board, level3_ccg: CCG) -> None:
    person, user = board.person("gp_one"), board.user("gp_one")
    common = {"ccg": level3_ccg, "person": person, "offered_on": dt.date(2016, 6, 1), "by": user}
    with pytest.raises(ValidationError, match="must be declined"):
        services.offer_record(
            kind="gift",
            description="Bottle of wine",
            value=Decimal("20"),
            offeror="Drug rep",
            from_supplier=True,
            accepted=True,
            **common,
        )
    declined = services.offer_record(
        kind="gift",
        description="Bottle of wine",
        value=Decimal("20"),
        offeror="Drug rep",
        from_supplier=True,
        accepted=False,
        **common,
    )
    assert not declined.accepted and "declined" in declined.reason
    with pytest.raises(ValidationError) as error:
        services.offer_record(
            kind="hospitality",
            description="Dinner",
            value=Decimal("90"),
            offeror="Federation",
            from_supplier=False,
            accepted=True,
            **common,
        )
    assert "senior_approver" in error.value.message_dict
    approved = services.offer_record(
        kind="hospitality",
        description="Dinner",
        value=Decimal("90"),
        offeror="Federation",
        from_supplier=False,
        accepted=True,
        senior_approver=board.person("chief_officer"),
        **common,
    )
    assert approved.senior_approver == board.person("chief_officer")


def test_an_approved_procurement_decision_joins_the_procurement_register(
    board: Board, level3_ccg: CCG, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    chair = board.user("lay_chair")
    matter = committee_services.matter_raise(
        ccg=level3_ccg,
        function=Function.objects.get(number=4),
        kind=MatterKind.PROCUREMENT,
        title="Extended hours service procurement",
        by=system_user(),
        reason="Received",
    )
    meeting = meeting_of(board, on=JUNE_2016)
    item = committee_services.matter_schedule(
        matter=matter, meeting=meeting, by=system_user(), reason="Agenda"
    )
    services.item_declaration_rule(
        item=item,
        person=board.person("gp_two"),
        statement="Federation member",
        ruling=Ruling.NO_VOTE,
        by=chair,
    )
    decision = committee_services.decision_propose(
        item=item, resolution="Award to the federation", by=chair, reason="Moved"
    )
    committee_services.vote_open(decision=decision, by=chair)
    for key in ("lay_chair", "lay_member", "gp_one"):
        committee_services.vote_cast(
            decision=decision, person=board.person(key), choice=VoteChoice.FOR, by=chair
        )
    decision = committee_services.vote_close(decision=decision, by=chair)
    with django_capture_on_commit_callbacks(execute=True):
        committee_services.decision_approve(decision=decision, by=chair)
    record = ProcurementRecord.objects.get(decision=decision)
    assert record.service == "Extended hours service procurement"
    assert "Gp Two: Federation member (Stays for the discussion; does not vote)" in record.conflicts_summary


def test_people_who_have_not_declared_within_28_days_of_appointment_are_overdue(level3_ccg: CCG) -> None:
    board = pccc(level3_ccg)  # seats start on 1 January 2015
    newcomer = seat(board, "new_gp", MemberCategory.CLINICAL, office=Office.MEMBER)
    partner_interest(board, level3_ccg, PracticeFactory(ccg=level3_ccg))
    statuses = {s.person.full_name: s for s in selectors.declaration_status(level3_ccg)}
    assert statuses["Gp One"].overdue == []
    assert statuses["New Gp"].reasons == ["No declaration within 28 days of appointment"]
    assert statuses[str(newcomer.person)].appointed_on == newcomer.starts_on


def test_the_minutes_list_every_declaration_ruling_and_referral(board: Board, level3_ccg: CCG) -> None:
    from committees.minutes import compose_minutes

    practice = PracticeFactory(ccg=level3_ccg)
    partner_interest(board, level3_ccg, practice)
    item = list_closure_item(board, level3_ccg, practice)
    chair = board.user("lay_chair")
    services.item_declaration_rule(
        item=item,
        person=board.person("lay_member"),
        statement="Patient at the practice",
        ruling=Ruling.NOTED,
        ruling_reason="Being a patient gives no stake in the decision",
        by=chair,
    )
    services.item_declaration_rule(
        item=item,
        person=board.person("gp_one"),
        statement="Partner at the practice",
        ruling=Ruling.LEAVES,
        papers_withheld=True,
        by=chair,
    )
    governing_body = committee_services.committee_create(
        name="Governing Body",
        kind=CommitteeKind.GOVERNING_BODY,
        ccgs=[level3_ccg],
        functions=Function.objects.all(),
        by=system_user(),
        reason="Test",
    )
    committee_services.meeting_schedule(
        committees=[governing_body],
        title="Governing body",
        by=system_user(),
        reason="Test",
        starts_at=dt.datetime(2016, 7, 5, 9, tzinfo=dt.UTC),
    )
    services.referral_record(
        item=item,
        route=ReferralRoute.GOVERNING_BODY,
        guardian_consulted=True,
        to_committee=governing_body,
        by=chair,
    )
    text = compose_minutes(item.meeting)
    assert "Declaration: Lay Member: Patient at the practice. Ruling: Noted; may take part." in text
    assert (
        "Declaration: Gp One: Partner at the practice. Ruling: Leaves the meeting for the item. "
        "Papers were withheld." in text
    )
    assert text.count("Gp One: Partner at the practice") == 1
    assert "Referred to Governing Body after consulting the Conflicts of Interest Guardian" in text
