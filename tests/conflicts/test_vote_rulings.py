"""No vote while a flagged conflict is unmanaged: the rulings that must come first, who may record
them (never the conflicted chair on themself), who chairs an item when the chair is conflicted, and
the chair's own declaration on chair's action. Every meeting here is in the past."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cocomm.audit import system_user
from cocomm.models import CCG, Person, Practice
from committees import services as committee_services
from committees.choices import (
    AttendanceStatus,
    DecisionStatus,
    MatterKind,
    MemberCategory,
    Office,
    VoteChoice,
)
from committees.minutes import compose_minutes
from committees.models import AgendaItem, Decision
from committees.selectors import item_quorum
from conflicts import services
from conflicts.models import Declaration, InterestType, ItemChair, ItemDeclaration, Ruling
from functions.models import Function
from tests.factories.cocomm import PersonFactory, PracticeFactory
from tests.factories.committees import Board, meeting_of, pccc, seat
from tests.factories.delegation import give_level

pytestmark = pytest.mark.django_db
JUNE_2016 = dt.date(2016, 6, 1)
EVERYONE = ["lay_chair", "lay_member", "chief_officer", "finance_director", "gp_one", "gp_two"]


@pytest.fixture
def ccg(level2_ccg: CCG) -> CCG:
    give_level(level2_ccg, 3, dt.date(2016, 4, 1))
    return level2_ccg


@pytest.fixture
def board(ccg: CCG) -> Board:
    return pccc(ccg, virtual=True)


@pytest.fixture
def practice(ccg: CCG) -> Practice:
    return PracticeFactory(ccg=ccg, name="Castle Hill Surgery")


def interest(
    board: Board, ccg: CCG, practice: Practice, key: str, *, declared_on: dt.date | None = None
) -> Declaration:
    return services.declaration_make(
        ccg=ccg,
        person=board.person(key),
        position="Member",
        interest_type=InterestType.FINANCIAL,
        description=f"{key} is a partner at the practice",
        practice=practice,
        interest_from=dt.date(2010, 1, 1),
        declared_on=declared_on or dt.date(2016, 1, 4),
        by=board.user(key),
    )


def list_closure(board: Board, ccg: CCG, practice: Practice, present: list[str] | None = None) -> AgendaItem:
    matter = committee_services.matter_raise(
        ccg=ccg,
        function=Function.objects.get(number=3),
        kind=MatterKind.LIST_CLOSURE,
        title=f"{practice.name} applies to close its list",
        practices=[practice],
        by=system_user(),
        reason="Received",
    )
    meeting = meeting_of(board, on=JUNE_2016, present=present or EVERYONE)
    return committee_services.matter_schedule(
        matter=matter, meeting=meeting, by=system_user(), reason="Agenda"
    )


def propose(item: AgendaItem, board: Board) -> Decision:
    return committee_services.decision_propose(
        item=item, resolution="Approve the list closure", by=board.user("lay_chair"), reason="Motion"
    )


def rule(item: AgendaItem, person: Person, ruling: str, by_user, **extra) -> ItemDeclaration:  # type: ignore[no-untyped-def]
    return services.item_declaration_rule(
        item=item,
        person=person,
        statement="Partner at the practice",
        ruling=ruling,
        ruling_reason=extra.pop("ruling_reason", "The interest is remote from this decision"),
        by=by_user,
        **extra,
    )


# Unruled conflicts block the vote --------------------------------------------------------------------


def test_a_flagged_member_with_no_ruling_blocks_the_resolution_and_the_refusal_names_them(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    interest(board, ccg, practice, "gp_one")
    item = list_closure(board, ccg, practice)

    with pytest.raises(ValidationError) as refused:
        propose(item, board)

    message = " ".join(refused.value.messages)
    assert "Gp One" in message and "the chair, Lay Chair," in message
    assert not Decision.objects.filter(item=item).exists()


def test_several_unruled_people_are_all_named(board: Board, ccg: CCG, practice: Practice) -> None:
    interest(board, ccg, practice, "gp_one")
    interest(board, ccg, practice, "gp_two")
    item = list_closure(board, ccg, practice)

    with pytest.raises(ValidationError, match="flags Gp One and Gp Two, who need a recorded declaration"):
        propose(item, board)


def test_opening_the_vote_is_refused_when_someone_was_flagged_after_the_resolution(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    item = list_closure(board, ccg, practice)
    decision = propose(item, board)
    interest(board, ccg, practice, "gp_one")

    with pytest.raises(ValidationError, match="Gp One"):
        committee_services.vote_open(decision=decision, by=board.user("lay_chair"))

    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT


def test_an_item_with_nobody_flagged_goes_to_the_vote_as_before(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    item = list_closure(board, ccg, practice)
    decision = committee_services.vote_open(decision=propose(item, board), by=board.user("lay_chair"))
    assert decision.status == DecisionStatus.VOTING


def test_a_flagged_member_who_sent_apologies_needs_no_ruling(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    interest(board, ccg, practice, "gp_two")
    item = list_closure(board, ccg, practice, present=[k for k in EVERYONE if k != "gp_two"])
    committee_services.attendance_record(
        meeting=item.meeting,
        person=board.person("gp_two"),
        status=AttendanceStatus.APOLOGIES,
        by=system_user(),
        reason="Apologies",
    )
    decision = committee_services.vote_open(decision=propose(item, board), by=board.user("lay_chair"))
    assert decision.status == DecisionStatus.VOTING


def test_an_attendee_flagged_after_the_vote_opened_stops_it_closing_until_ruled_on(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    item = list_closure(board, ccg, practice)
    chair = board.user("lay_chair")
    decision = committee_services.vote_open(decision=propose(item, board), by=chair)
    adviser = PersonFactory(full_name="Prof Adviser")
    services.declaration_make(
        ccg=ccg,
        person=adviser,
        position="Adviser",
        interest_type=InterestType.FINANCIAL,
        description="Shareholder in the practice's premises",
        practice=practice,
        declared_on=dt.date(2016, 1, 4),
        by=system_user(),
    )
    committee_services.attendance_record(
        meeting=item.meeting,
        person=adviser,
        status=AttendanceStatus.IN_ATTENDANCE,
        by=system_user(),
        reason="Arrived",
    )

    with pytest.raises(ValidationError, match="Prof Adviser"):
        committee_services.vote_close(decision=decision, by=chair)

    rule(item, adviser, Ruling.LEAVES, chair)
    assert committee_services.vote_close(decision=decision, by=chair).status == DecisionStatus.RECORDED


# Each ruling unblocks the vote, with its own effect on vote and quorum -----------------------------------


def test_noted_may_vote_and_counts_towards_the_quorum(board: Board, ccg: CCG, practice: Practice) -> None:
    declared = interest(board, ccg, practice, "gp_one")
    item = list_closure(board, ccg, practice)
    chair = board.user("lay_chair")

    ruling = rule(item, board.person("gp_one"), Ruling.NOTED, chair, interest=declared)

    decision = committee_services.vote_open(decision=propose(item, board), by=chair)
    assert board.person("gp_one") in [m.person for m in item_quorum(item).counted]
    committee_services.vote_cast(
        decision=decision, person=board.person("gp_one"), choice=VoteChoice.FOR, by=chair
    )
    entry = ruling.history.latest()
    assert entry.history_user == chair
    assert entry.history_change_reason == "Chair's ruling: Noted; may take part"
    assert entry.ruling_reason == "The interest is remote from this decision"


def test_noted_needs_a_reason(board: Board, ccg: CCG, practice: Practice) -> None:
    interest(board, ccg, practice, "gp_one")
    item = list_closure(board, ccg, practice)

    with pytest.raises(ValidationError) as refused:
        rule(item, board.person("gp_one"), Ruling.NOTED, board.user("lay_chair"), ruling_reason="  ")

    assert "ruling_reason" in refused.value.message_dict
    assert not ItemDeclaration.objects.exists()


@pytest.mark.parametrize("ruling", [Ruling.NO_VOTE, Ruling.LEAVES])
def test_no_vote_and_leaves_unblock_the_vote_but_do_not_count_or_vote(
    board: Board, ccg: CCG, practice: Practice, ruling: str
) -> None:
    interest(board, ccg, practice, "gp_one")
    item = list_closure(board, ccg, practice)
    chair = board.user("lay_chair")

    rule(item, board.person("gp_one"), ruling, chair, ruling_reason="")

    decision = committee_services.vote_open(decision=propose(item, board), by=chair)
    quorum = item_quorum(item)
    assert board.person("gp_one") not in [m.person for m in quorum.counted]
    assert [(m.person, e.scope) for m, e in quorum.excluded] == [(board.person("gp_one"), ruling)]
    with pytest.raises(ValidationError, match="excluded"):
        committee_services.vote_cast(
            decision=decision, person=board.person("gp_one"), choice=VoteChoice.FOR, by=chair
        )


def test_an_exclusion_recorded_on_the_item_page_is_a_ruling_too(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    interest(board, ccg, practice, "gp_one")
    item = list_closure(board, ccg, practice)
    chair = board.user("lay_chair")
    committee_services.exclusion_record(
        item=item, person=board.person("gp_one"), scope="leaves", reason="Partner", by=chair
    )
    assert (
        committee_services.vote_open(decision=propose(item, board), by=chair).status == DecisionStatus.VOTING
    )


# What a ruling may name -----------------------------------------------------------------------------------


def test_a_ruling_naming_someone_elses_interest_is_refused(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    others = interest(board, ccg, practice, "gp_two")
    interest(board, ccg, practice, "gp_one")
    item = list_closure(board, ccg, practice)

    with pytest.raises(ValidationError, match="Gp Two's, not Gp One's"):
        rule(item, board.person("gp_one"), Ruling.LEAVES, board.user("lay_chair"), interest=others)
    assert not ItemDeclaration.objects.exists()


def test_a_ruling_naming_an_interest_declared_after_the_meeting_is_refused(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    later = interest(board, ccg, practice, "gp_one", declared_on=dt.date(2016, 6, 2))
    item = list_closure(board, ccg, practice)

    with pytest.raises(ValidationError, match="declared on 2 June 2016, after the meeting of 1 June 2016"):
        rule(item, board.person("gp_one"), Ruling.LEAVES, board.user("lay_chair"), interest=later)

    same_day = interest(board, ccg, practice, "gp_two", declared_on=JUNE_2016)
    rule(item, board.person("gp_two"), Ruling.LEAVES, board.user("lay_chair"), interest=same_day)


# A conflicted chair ---------------------------------------------------------------------------------------


def test_a_flagged_chair_cannot_rule_on_themself_and_the_refusal_names_the_vice_chair(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    seat(board, "vice", MemberCategory.LAY, office=Office.VICE_CHAIR)
    interest(board, ccg, practice, "lay_chair")
    item = list_closure(board, ccg, practice, present=[*EVERYONE, "vice"])
    chair = board.user("lay_chair")

    with pytest.raises(ValidationError, match="Vice chairs the item in the chair's place and rules"):
        propose(item, board)
    with pytest.raises(ValidationError, match="cannot rule on your own declaration"):
        rule(item, board.person("lay_chair"), Ruling.LEAVES, chair)
    assert not ItemDeclaration.objects.exists()


def test_the_vice_chair_rules_on_the_chairs_conflict_chairs_the_item_and_the_minutes_say_so(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    seat(board, "vice", MemberCategory.LAY, office=Office.VICE_CHAIR)
    interest(board, ccg, practice, "lay_chair")
    item = list_closure(board, ccg, practice, present=[*EVERYONE, "vice"])
    vice = board.user("vice")

    rule(item, board.person("lay_chair"), Ruling.LEAVES, vice)

    chaired = ItemChair.objects.get(item=item)
    assert chaired.person == board.person("vice")
    assert chaired.history.latest().history_user == vice
    propose(item, board)
    minutes = compose_minutes(item.meeting)
    assert (
        "Chaired for this item by Vice. The chair has a conflict on the item; the vice-chair chairs it."
        in minutes
    )


def test_the_conflicted_chair_may_not_rule_on_others_on_that_item(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    seat(board, "vice", MemberCategory.LAY, office=Office.VICE_CHAIR)
    interest(board, ccg, practice, "lay_chair")
    interest(board, ccg, practice, "gp_one")
    item = list_closure(board, ccg, practice, present=[*EVERYONE, "vice"])

    with pytest.raises(ValidationError, match="so Vice chairs it"):
        rule(item, board.person("gp_one"), Ruling.LEAVES, board.user("lay_chair"))


def test_with_no_vice_chair_a_non_conflicted_voting_member_is_named_and_rules(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    interest(board, ccg, practice, "lay_chair")
    interest(board, ccg, practice, "gp_one")
    item = list_closure(board, ccg, practice)
    chair = board.user("lay_chair")
    with pytest.raises(ValidationError, match="name a voting member without a conflict"):
        propose(item, board)
    with pytest.raises(ValidationError, match="flagged on this item too"):
        services.item_chair_name(item=item, person=board.person("gp_one"), by=chair)
    with pytest.raises(ValidationError, match="not a voting member"):
        services.item_chair_name(item=item, person=board.person("healthwatch"), by=chair)
    with pytest.raises(PermissionDenied):
        services.item_chair_name(item=item, person=board.person("lay_member"), by=board.user("gp_two"))

    named = services.item_chair_name(item=item, person=board.person("lay_member"), by=chair, reason="Agreed")

    assert named.history.latest().history_change_reason == "Lay Member named to chair the item"
    lay_member = board.user("lay_member")
    rule(item, board.person("lay_chair"), Ruling.LEAVES, lay_member)
    rule(item, board.person("gp_one"), Ruling.NO_VOTE, lay_member)
    decision = committee_services.vote_open(decision=propose(item, board), by=chair)
    assert decision.status == DecisionStatus.VOTING
    assert "Chaired for this item by Lay Member." in compose_minutes(item.meeting)


def test_a_vice_chair_free_to_chair_means_no_one_else_is_named(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    seat(board, "vice", MemberCategory.LAY, office=Office.VICE_CHAIR)
    interest(board, ccg, practice, "lay_chair")
    item = list_closure(board, ccg, practice, present=[*EVERYONE, "vice"])
    with pytest.raises(ValidationError, match="The vice-chair, Vice, chairs this item"):
        services.item_chair_name(item=item, person=board.person("lay_member"), by=board.user("lay_chair"))


# Chair's action ---------------------------------------------------------------------------------------------


def chairs_action(
    board: Board, ccg: CCG, practice: Practice, declaration: str = "No interest declared."
) -> Decision:
    matter = committee_services.matter_raise(
        ccg=ccg,
        function=Function.objects.get(number=3),
        kind=MatterKind.LIST_CLOSURE,
        title="Urgent list closure",
        practices=[practice],
        by=system_user(),
        reason="Received",
    )
    return committee_services.virtual_decision_take(
        committee=board.committee,
        ccg=ccg,
        function=Function.objects.get(number=3),
        matter=matter,
        resolution="Close the list for 3 months",
        urgency_reason="The practice has lost two GPs this week",
        chair_declaration=declaration,
        by=board.user("lay_chair"),
    )


def test_chairs_action_is_refused_while_the_chair_has_an_unmanaged_conflict(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    seat(board, "vice", MemberCategory.LAY, office=Office.VICE_CHAIR)
    interest(board, ccg, practice, "lay_chair")

    with pytest.raises(ValidationError) as refused:
        chairs_action(board, ccg, practice, "Interest declared: partner at the practice")

    message = " ".join(refused.value.messages)
    assert "You may not take this decision by chair's action" in message
    assert "The vice-chair, Vice, may take it instead" in message
    assert not Decision.objects.filter(virtual=True).exists()


def test_chairs_action_is_taken_once_the_mitigation_is_agreed_and_keeps_the_chairs_declaration(
    board: Board,
    ccg: CCG,
    practice: Practice,
    make_user,  # type: ignore[no-untyped-def]
) -> None:
    declared = interest(board, ccg, practice, "lay_chair")
    declared.mitigation = "Takes no part in the practice's contract decisions"
    declared.save()
    services.mitigation_approve(
        declaration=declared, approver=board.person("chief_officer"), by=system_user()
    )

    decision = chairs_action(board, ccg, practice, "Interest declared: partner at the practice")

    assert decision.chair_declaration == "Interest declared: partner at the practice"
    assert decision.history.earliest().chair_declaration == "Interest declared: partner at the practice"


def test_chairs_action_needs_the_chairs_declaration(board: Board, ccg: CCG, practice: Practice) -> None:
    with pytest.raises(ValidationError) as refused:
        chairs_action(board, ccg, practice, " ")
    assert "chair_declaration" in refused.value.message_dict


def test_an_unconflicted_chairs_action_is_taken_as_before(board: Board, ccg: CCG, practice: Practice) -> None:
    decision = chairs_action(board, ccg, practice)
    assert decision.status == DecisionStatus.APPROVED
    assert decision.chair_declaration == "No interest declared."


def test_the_minutes_of_ratification_give_the_chairs_declaration(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    # Only scheduled (nothing is recorded at it), so the meeting may lie ahead.
    upcoming = meeting_of(board, on=timezone.localdate() + dt.timedelta(days=30), present=[])

    chairs_action(board, ccg, practice, "Interest declared: my sister is a patient there")

    assert upcoming.items.filter(ratifies__isnull=False).exists()
    assert (
        "The chair's declaration on taking this action: Interest declared: my sister is a patient there"
        in compose_minutes(upcoming)
    )
