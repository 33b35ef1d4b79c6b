"""Committee services: routing to the right body, composition, quorum, the vote, approval, history."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cocomm.audit import system_user
from cocomm.models import CCG
from committees import permissions, services
from committees.choices import (
    DecisionStatus,
    ExclusionScope,
    MatterKind,
    MemberCategory,
    MinutesStatus,
    Office,
    Outcome,
    Purpose,
    ToRStatus,
    VoteChoice,
)
from committees.minutes import compose_minutes
from committees.models import Decision, Matter, Membership, TermsOfReference, Vote
from committees.selectors import composition_of, item_quorum
from functions.models import Function
from tests.factories.committees import Board, decision_item, joint_committee, meeting_of, pccc, seat
from tests.factories.delegation import give_level

pytestmark = pytest.mark.django_db
JUNE_2016 = dt.date(2016, 6, 1)
REASON = "Test"


@pytest.fixture
def level3_ccg(level2_ccg: CCG) -> CCG:
    give_level(level2_ccg, 3, dt.date(2016, 4, 1))
    return level2_ccg


def list_closure(ccg: CCG) -> Matter:
    return services.matter_raise(
        ccg=ccg,
        function=Function.objects.get(number=3),
        kind=MatterKind.LIST_CLOSURE,
        title="Castle Hill Surgery applies to close its list",
        by=system_user(),
        reason="Application received",
    )


def vote(board: Board, decision: Decision, choices: dict[str, str]) -> Decision:
    chair = board.user("lay_chair")
    services.vote_open(decision=decision, by=chair)
    for key, choice in choices.items():
        services.vote_cast(decision=decision, person=board.person(key), choice=choice, by=chair)
    return services.vote_close(decision=decision, by=chair)


# The body that decides -------------------------------------------------------------------------


def test_a_list_closure_for_a_level_2_ccg_lands_on_its_joint_committees_agenda(level2_ccg: CCG) -> None:
    joint = joint_committee(level2_ccg)
    meeting = meeting_of(joint, on=JUNE_2016)
    item = services.matter_schedule(
        matter=list_closure(level2_ccg), meeting=meeting, by=system_user(), reason=REASON
    )
    assert (item.committee, item.purpose) == (joint.committee, Purpose.DECISION)


def test_the_same_list_closure_after_level_3_goes_to_the_pccc_and_the_joint_committee_is_refused(
    level3_ccg: CCG,
) -> None:
    joint = joint_committee(level3_ccg)
    board = pccc(level3_ccg)
    matter = list_closure(level3_ccg)
    joint_meeting = meeting_of(joint, on=JUNE_2016)
    with pytest.raises(ValidationError) as refusal:
        services.matter_schedule(matter=matter, meeting=joint_meeting, by=system_user(), reason=REASON)
    assert "the CCG's own committee decides function 3" in refusal.value.messages[0]
    assert not joint_meeting.items.filter(matter=matter).exists()

    item = services.matter_schedule(
        matter=matter, meeting=meeting_of(board, on=JUNE_2016), by=system_user(), reason=REASON
    )
    assert item.committee == board.committee


def test_a_body_without_the_right_cannot_take_an_item_for_decision(level3_ccg: CCG) -> None:
    joint = joint_committee(level3_ccg)
    meeting = meeting_of(joint, on=JUNE_2016)
    with pytest.raises(ValidationError) as refusal:
        decision_item(joint, meeting, level3_ccg)
    message = refusal.value.messages[0]
    assert "may not decide function 3" in message
    assert "held level 3 (delegated to the CCG)" in message


def test_on_the_day_before_delegation_the_joint_committee_still_decides(level3_ccg: CCG) -> None:
    joint = joint_committee(level3_ccg)
    item = decision_item(joint, meeting_of(joint, on=dt.date(2016, 3, 31)), level3_ccg)
    assert item.purpose == Purpose.DECISION


def test_complaints_are_never_decided_by_a_ccg_body(level3_ccg: CCG) -> None:
    board = pccc(level3_ccg)
    with pytest.raises(ValidationError, match="NHS England decides"):
        decision_item(board, meeting_of(board, on=JUNE_2016), level3_ccg, function=7)


# Composition and quorum ------------------------------------------------------------------------------


def test_a_committee_that_breaks_its_composition_rule_cannot_open_a_vote(level3_ccg: CCG) -> None:
    board = pccc(level3_ccg)
    meeting = meeting_of(board, on=JUNE_2016)
    item = decision_item(board, meeting, level3_ccg)
    decision = services.decision_propose(
        item=item, resolution="Approve", by=board.user("lay_chair"), reason=REASON
    )
    seat(board, "gp_three", MemberCategory.CLINICAL)
    seat(board, "gp_four", MemberCategory.CLINICAL)  # lay and executive now 4 of 8 voting members
    assert not composition_of(board.committee, JUNE_2016).ok
    with pytest.raises(ValidationError, match="cannot take decisions until its membership meets"):
        services.vote_open(decision=decision, by=board.user("lay_chair"))
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.DRAFT


def test_an_item_left_inquorate_by_an_exclusion_cannot_carry_a_decision(level3_ccg: CCG) -> None:
    board = pccc(level3_ccg)
    meeting = meeting_of(board, on=JUNE_2016, present=["lay_chair", "chief_officer", "gp_one", "lay_member"])
    item = decision_item(board, meeting, level3_ccg)
    chair = board.user("lay_chair")
    decision = services.decision_propose(item=item, resolution="Approve the closure", by=chair, reason=REASON)
    services.exclusion_record(
        item=item,
        person=board.person("gp_one"),
        scope=ExclusionScope.LEAVES,
        reason="Partner at the practice applying",
        by=chair,
    )
    quorum = item_quorum(item)
    assert not quorum.quorate
    with pytest.raises(ValidationError) as refusal:
        services.vote_open(decision=decision, by=chair)
    assert "0 of the 1 GP or clinical member needed count" in refusal.value.messages[0]
    assert Decision.objects.get(pk=decision.pk).outcome == ""


def test_an_exclusion_during_the_vote_keeps_the_vote_from_closing(level3_ccg: CCG) -> None:
    board = pccc(level3_ccg)
    meeting = meeting_of(board, on=JUNE_2016, present=["lay_chair", "chief_officer", "gp_one", "lay_member"])
    item = decision_item(board, meeting, level3_ccg)
    chair = board.user("lay_chair")
    decision = services.decision_propose(item=item, resolution="Approve", by=chair, reason=REASON)
    services.vote_open(decision=decision, by=chair)
    services.exclusion_record(
        item=item,
        person=board.person("chief_officer"),
        scope=ExclusionScope.NO_VOTE,
        reason="Spouse's firm",
        by=chair,
    )
    with pytest.raises(ValidationError, match="cannot carry a decision"):
        services.vote_close(decision=decision, by=chair)
    with pytest.raises(ValidationError, match="excluded from this item: Spouse's firm"):
        services.vote_cast(
            decision=decision, person=board.person("chief_officer"), choice=VoteChoice.FOR, by=chair
        )
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.VOTING


# The vote ---------------------------------------------------------------------------------------


def test_a_tied_joint_committee_vote_goes_to_nhs_englands_casting_vote_and_the_minutes_say_so(
    level2_ccg: CCG,
) -> None:
    joint = joint_committee(level2_ccg)
    meeting = meeting_of(joint, on=JUNE_2016)
    item = decision_item(joint, meeting, level2_ccg)
    decision = services.decision_propose(
        item=item, resolution="Approve the merger", by=joint.user("lay_chair"), reason=REASON
    )
    decision = vote(
        joint,
        decision,
        {
            "lay_chair": VoteChoice.AGAINST,
            "gp_lead": VoteChoice.AGAINST,
            "lay_member": VoteChoice.AGAINST,
            "chief_officer": VoteChoice.FOR,
            "nhse_director": VoteChoice.FOR,
            "nhse_manager": VoteChoice.FOR,
        },
    )
    assert (decision.outcome, decision.casting_vote_used) == (Outcome.CARRIED, True)
    assert "tied; NHS England's casting vote decided it" in decision.vote_summary
    assert "NHS England's casting vote decided it, so the motion was carried." in compose_minutes(meeting)


def test_eligible_voters_are_frozen_when_the_vote_closes(level3_ccg: CCG) -> None:
    board = pccc(level3_ccg)
    meeting = meeting_of(
        board, on=JUNE_2016, present=["lay_chair", "lay_member", "chief_officer", "gp_one", "gp_two"]
    )
    item = decision_item(board, meeting, level3_ccg)
    chair = board.user("lay_chair")
    decision = services.decision_propose(item=item, resolution="Approve", by=chair, reason=REASON)
    services.exclusion_record(
        item=item, person=board.person("gp_two"), scope=ExclusionScope.NO_VOTE, reason="Partner", by=chair
    )
    decision = vote(board, decision, {"lay_chair": VoteChoice.FOR, "gp_one": VoteChoice.FOR})
    frozen = {v.person.full_name: (v.eligible, v.reason) for v in decision.voters.select_related("person")}
    assert frozen["Gp One"] == (True, "")
    assert frozen["Gp Two"] == (False, "Excluded: Partner")
    assert frozen["Finance Director"] == (False, "Not present")
    assert frozen["Healthwatch"] == (False, "Not present")
    assert decision.vote_summary.startswith("2 for, 0 against")


def test_a_member_of_one_committee_cannot_vote_in_another(level3_ccg: CCG, other_ccg: CCG) -> None:
    board = pccc(level3_ccg)
    elsewhere = joint_committee(other_ccg)
    meeting = meeting_of(board, on=JUNE_2016)
    decision = services.decision_propose(
        item=decision_item(board, meeting, level3_ccg),
        resolution="Approve",
        by=board.user("lay_chair"),
        reason=REASON,
    )
    services.vote_open(decision=decision, by=board.user("lay_chair"))
    outsider = elsewhere.members["gp_lead"]
    assert not permissions.is_member(elsewhere.user("gp_lead"), board.committee)
    with pytest.raises(PermissionDenied):
        services.vote_cast(
            decision=decision, person=outsider.person, choice=VoteChoice.FOR, by=elsewhere.user("gp_lead")
        )
    with pytest.raises(ValidationError, match="not a voting member present"):
        services.vote_cast(
            decision=decision, person=outsider.person, choice=VoteChoice.FOR, by=board.user("lay_chair")
        )
    assert not decision.votes.exists()


def test_a_member_casts_their_own_vote(level3_ccg: CCG) -> None:
    board = pccc(level3_ccg)
    decision = services.decision_propose(
        item=decision_item(board, meeting_of(board, on=JUNE_2016), level3_ccg),
        resolution="Approve",
        by=board.user("lay_chair"),
        reason=REASON,
    )
    services.vote_open(decision=decision, by=board.user("lay_chair"))
    own = services.vote_cast(
        decision=decision, person=board.person("gp_one"), choice=VoteChoice.AGAINST, by=board.user("gp_one")
    )
    assert own.history.get().history_change_reason == "Vote cast"
    with pytest.raises(PermissionDenied):
        services.vote_cast(
            decision=decision, person=board.person("gp_two"), choice=VoteChoice.FOR, by=board.user("gp_one")
        )


# Approval ---------------------------------------------------------------------------------------


@pytest.fixture
def recorded(level3_ccg: CCG) -> tuple[Board, Decision]:
    board = pccc(level3_ccg)
    meeting = meeting_of(board, on=JUNE_2016)
    decision = services.decision_propose(
        item=decision_item(board, meeting, level3_ccg),
        resolution="Approve the closure for six months",
        by=board.user("lay_chair"),
        reason="Proposed by the chair",
    )
    return board, vote(board, decision, dict.fromkeys(("lay_chair", "lay_member", "gp_one"), VoteChoice.FOR))


def test_only_the_chair_approves(recorded: tuple[Board, Decision]) -> None:
    board, decision = recorded
    for key in ("lay_member", "gp_one"):
        with pytest.raises(PermissionDenied):
            services.decision_approve(decision=decision, by=board.user(key))
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.RECORDED
    approved = services.decision_approve(decision=decision, by=board.user("lay_chair"))
    assert approved.status == DecisionStatus.APPROVED


def test_an_approved_decision_cannot_be_edited_and_its_history_shows_who_did_what(
    recorded: tuple[Board, Decision],
) -> None:
    board, decision = recorded
    decision = services.decision_approve(decision=decision, by=board.user("lay_chair"))
    decision.resolution = "Approve the closure for twelve months"
    with pytest.raises(ValidationError, match="cannot be changed"):
        decision.save()
    assert Decision.objects.get(pk=decision.pk).resolution == "Approve the closure for six months"
    with pytest.raises(ValidationError):
        services.decision_approve(decision=decision, by=board.user("lay_chair"))

    history = {(h.history_change_reason, h.history_user.username) for h in decision.history.all()}
    chair = board.user("lay_chair").username
    assert {("Proposed by the chair", chair), ("Vote opened", chair), ("Vote closed", chair)} <= history
    assert ("Approved by the chair", chair) in history
    vote_rows = {
        h.person.full_name: h.history_user.username for h in Vote.history.filter(decision_id=decision.pk)
    }
    assert vote_rows["Lay Member"] == chair


def test_a_later_decision_supersedes_an_approved_one(
    recorded: tuple[Board, Decision], level3_ccg: CCG
) -> None:
    board, decision = recorded
    chair = board.user("lay_chair")
    services.decision_approve(decision=decision, by=chair)
    later = meeting_of(board, on=dt.date(2016, 9, 1))
    new = services.decision_supersede(
        decision=decision,
        item=decision_item(board, later, level3_ccg),
        resolution="Extend the closure",
        by=chair,
        reason="Practice asked for more time",
    )
    vote(board, new, dict.fromkeys(("lay_chair", "lay_member", "gp_one"), VoteChoice.FOR))
    services.decision_approve(decision=new, by=chair)
    old = Decision.objects.get(pk=decision.pk)
    assert old.status == DecisionStatus.SUPERSEDED
    assert old.resolution == "Approve the closure for six months"
    assert old.superseded_by.pk == new.pk


# Chair's action --------------------------------------------------------------------------------


def test_a_chairs_action_needs_terms_that_allow_it(level3_ccg: CCG) -> None:
    board = pccc(level3_ccg)
    with pytest.raises(ValidationError, match="do not allow decisions between meetings"):
        services.virtual_decision_take(
            committee=board.committee,
            ccg=level3_ccg,
            function=Function.objects.get(number=11),
            resolution="Pay the locum",
            urgency_reason="Practice closes on Friday",
            chair_declaration="No interest declared.",
            by=board.user("lay_chair"),
        )


def test_a_chairs_action_is_recorded_with_its_urgency_and_listed_for_ratification(level3_ccg: CCG) -> None:
    board = pccc(level3_ccg, virtual=True)
    chair = board.user("lay_chair")
    with pytest.raises(ValidationError):
        services.virtual_decision_take(
            committee=board.committee,
            ccg=level3_ccg,
            function=Function.objects.get(number=11),
            resolution="Pay the locum",
            urgency_reason=" ",
            chair_declaration="No interest declared.",
            by=chair,
        )
    with pytest.raises(PermissionDenied):
        services.virtual_decision_take(
            committee=board.committee,
            ccg=level3_ccg,
            function=Function.objects.get(number=11),
            resolution="Pay the locum",
            urgency_reason="Urgent",
            chair_declaration="No interest declared.",
            by=board.user("gp_one"),
        )
    decision = services.virtual_decision_take(
        committee=board.committee,
        ccg=level3_ccg,
        function=Function.objects.get(number=11),
        resolution="Reimburse locum cover",
        urgency_reason="The practice would close before the next meeting",
        chair_declaration="No interest declared.",
        by=chair,
    )
    assert (decision.virtual, decision.status, decision.ratified_at) == (True, DecisionStatus.APPROVED, None)
    next_meeting = meeting_of(board, on=timezone.localdate() + dt.timedelta(days=30), present=[])
    item = next_meeting.items.get(ratifies=decision)
    assert item.title.startswith("Ratification of chair's action")
    # The ratification is recorded at the next meeting, so from its start.
    with (
        time_machine.travel(next_meeting.starts_at - dt.timedelta(seconds=1), tick=False),
        pytest.raises(ValidationError, match="ratification of the chair's action can be recorded"),
    ):
        services.virtual_decision_ratify(decision=decision, meeting=next_meeting, by=chair)
    with time_machine.travel(next_meeting.starts_at, tick=False):
        services.virtual_decision_ratify(decision=decision, meeting=next_meeting, by=chair)
        assert Decision.objects.get(pk=decision.pk).ratified_at == next_meeting
        with pytest.raises(ValidationError, match="ratified already"):
            services.virtual_decision_ratify(decision=decision, meeting=next_meeting, by=chair)


# Terms of reference, membership, minutes -------------------------------------------------------------


def test_approving_new_terms_supersedes_the_old(level3_ccg: CCG) -> None:
    board = pccc(level3_ccg)
    draft = services.terms_draft(
        committee=board.committee,
        version="v2",
        composition_rule="pccc",
        quorum_minimum=4,
        quorum_categories={"lay": 2},
        by=system_user(),
        reason="Annual review",
    )
    services.terms_approve(
        terms=draft,
        approved_by="Governing body",
        approved_on=dt.date(2017, 3, 1),
        by=system_user(),
        reason="Approved",
    )
    statuses = dict(
        TermsOfReference.objects.filter(committee=board.committee).values_list("version", "status")
    )
    assert statuses == {"v1": ToRStatus.SUPERSEDED, "v2": ToRStatus.APPROVED}


def test_terms_with_a_quorum_smaller_than_its_categories_are_refused(level3_ccg: CCG) -> None:
    board = pccc(level3_ccg)
    with pytest.raises(ValidationError, match="at least the members its categories require"):
        services.terms_draft(
            committee=board.committee,
            version="v9",
            composition_rule="pccc",
            quorum_minimum=2,
            quorum_categories={"lay": 1, "clinical": 1, "executive": 1},
            by=system_user(),
            reason="Typo",
        )


def test_ending_the_chairs_seat_takes_away_the_right_to_approve(recorded: tuple[Board, Decision]) -> None:
    board, decision = recorded
    chair_seat = board.members["lay_chair"]
    services.membership_end(membership=chair_seat, by=system_user(), reason="Term of office ended")
    with pytest.raises(PermissionDenied):
        services.decision_approve(decision=decision, by=board.user("lay_chair"))
    assert (
        Membership.objects.get(pk=chair_seat.pk).history.latest().history_change_reason
        == "Term of office ended"
    )


def test_a_seat_starting_later_grants_nothing_until_the_nightly_refresh(level3_ccg: CCG) -> None:
    board = pccc(level3_ccg)
    from tests.factories.committees import person_with_login

    newcomer = person_with_login("New Vice Chair")
    today = timezone.localdate()
    membership = services.membership_add(
        committee=board.committee,
        person=newcomer,
        category=MemberCategory.LAY,
        office=Office.VICE_CHAIR,
        starts_on=today + dt.timedelta(days=1),
        by=system_user(),
        reason="Appointed",
    )
    assert not permissions.is_member(newcomer.user, board.committee)
    assert services.memberships_refresh(today=today) == []
    assert [m.pk for m in services.memberships_refresh(today=today + dt.timedelta(days=1))] == [membership.pk]
    from cocomm.models import User

    assert permissions.is_member(User.objects.get(pk=newcomer.user_id), board.committee)


def test_minutes_are_approved_at_a_later_meeting_and_then_frozen(recorded: tuple[Board, Decision]) -> None:
    board, decision = recorded
    chair = board.user("lay_chair")
    meeting = decision.item.meeting
    # The decision is approved first: once the minutes are approved, nothing at the meeting changes.
    services.decision_approve(decision=decision, by=chair)
    minutes = services.minutes_draft(meeting=meeting, text=compose_minutes(meeting), by=system_user())
    with pytest.raises(ValidationError, match="later meeting"):
        services.minutes_approve(minutes=minutes, at_meeting=meeting, by=chair)
    later = meeting_of(board, on=dt.date(2016, 7, 1))
    with pytest.raises(PermissionDenied):
        services.minutes_approve(minutes=minutes, at_meeting=later, by=board.user("gp_one"))
    services.minutes_approve(minutes=minutes, at_meeting=later, by=chair)
    assert minutes.__class__.objects.get(pk=minutes.pk).status == MinutesStatus.APPROVED
    frozen = "The minutes of 1 June 2016 were approved on 1 July 2016"
    with pytest.raises(ValidationError, match=frozen):
        services.minutes_draft(meeting=meeting, text="Rewritten", by=system_user())
    with pytest.raises(ValidationError, match=frozen):
        services.agenda_item_note(
            item=decision.item, discussion_note="Afterthought", by=system_user(), reason="Late"
        )


def test_a_committee_with_a_gp_chair_cannot_even_propose_a_decision(level3_ccg: CCG) -> None:
    board = pccc(level3_ccg)
    services.membership_end(membership=board.members["lay_chair"], by=system_user(), reason="Stood down")
    seat(board, "gp_chair", MemberCategory.CLINICAL, office=Office.CHAIR)
    seat(board, "exec_three", MemberCategory.EXECUTIVE)
    meeting = meeting_of(board, on=timezone.localdate() + dt.timedelta(days=7), present=[])
    item = decision_item(board, meeting, level3_ccg)
    with (
        time_machine.travel(meeting.starts_at, tick=False),
        pytest.raises(ValidationError, match="must be a lay member; Gp Chair is a GP or clinical member"),
    ):
        services.decision_propose(item=item, resolution="Approve", by=board.user("gp_chair"), reason=REASON)
    assert not Decision.objects.filter(item=item).exists()


def test_papers_withheld_by_a_ruling_are_hidden_from_that_member_only(level3_ccg: CCG) -> None:
    from django.core.files.base import ContentFile

    from committees.permissions import can_read_papers

    board = pccc(level3_ccg)
    item = decision_item(board, meeting_of(board, on=JUNE_2016), level3_ccg)
    services.paper_add(
        item=item,
        title="Application",
        file=ContentFile(b"%PDF-1.4 application", name="application.pdf"),
        by=system_user(),
        reason=REASON,
    )
    assert can_read_papers(board.user("gp_one"), item)
    services.exclusion_record(
        item=item,
        person=board.person("gp_one"),
        scope=ExclusionScope.LEAVES,
        reason="Partner",
        papers_withheld=True,
        by=board.user("lay_chair"),
    )
    assert not can_read_papers(board.user("gp_one"), item)
    assert can_read_papers(board.user("gp_two"), item)
