"""Decisions: the vote, the chair's approval, superseding, and chair's action with its ratification."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cocomm.audit import save_audited
from cocomm.models import CCG, Person, User
from committees import hooks, permissions, rules, selectors
from committees.choices import CastingVote, DecisionStatus, Outcome, Purpose, VoteChoice
from committees.models import (
    CLOSED_VOTE,
    AgendaItem,
    Committee,
    Decision,
    DecisionVoter,
    Matter,
    Meeting,
    Membership,
    Vote,
    closed_vote_on_item,
)
from committees.services._common import (
    _check_may_decide,
    _meeting_date,
    _move,
    _ratification_item_add,
    _require,
    require_meeting_started,
    require_record_open,
)
from functions.models import Function


def _require_composition(committee: Committee, on: dt.date) -> None:
    composition = selectors.composition_of(committee, on)
    if composition.terms is None:
        raise ValidationError(
            f"{committee} cannot take decisions on {on:%-d %B %Y}. {selectors.no_terms_in_force(on)}"
        )
    if not composition.ok:
        raise ValidationError(
            f"{committee} cannot take decisions until its membership meets its terms of reference: "
            + " ".join(composition.problems)
        )


def _require_no_vote_blockers(item: AgendaItem) -> None:
    """Refuse while an app above says the item may not go to the vote (a flagged conflict unruled)."""
    reasons = hooks.reasons_not_to_vote(item)
    if reasons:
        raise ValidationError(reasons)


@transaction.atomic
def decision_propose(*, item: AgendaItem, resolution: str, by: User, reason: str) -> Decision:
    """Put a resolution to the committee on an item for decision."""
    committee = item.committee
    _require(committee is not None and permissions.can_run_vote(by, committee), "You may not run this item.")
    require_meeting_started(item.meeting, "a resolution can be put to the committee")
    require_record_open(item.meeting)
    assert committee is not None
    if item.purpose != Purpose.DECISION or item.ccg is None or item.function is None:
        raise ValidationError("Only an item for decision, naming its CCG and function, can carry a decision.")
    if Decision.objects.filter(item=item).exists():
        raise ValidationError("This item already has a decision.")
    on = _meeting_date(item.meeting)
    _check_may_decide(committee, item.ccg, item.function, on)
    _require_composition(committee, on)
    _require_no_vote_blockers(item)
    decision = Decision(
        committee=committee,
        item=item,
        ccg=item.ccg,
        function=item.function,
        matter=item.matter,
        resolution=resolution,
        decided_on=on,
    )
    save_audited(decision, by=by, reason=reason)
    return decision


def _not_open(decision: Decision) -> str:
    """Why a vote cannot be cast or closed: not yet opened, or closed already (then frozen)."""
    if decision.status in CLOSED_VOTE:
        return closed_vote_on_item(decision.item_id) or "The vote has closed."
    return "The vote is not open."


def _locked(decision: Decision) -> Decision:
    # Lock the decision row alone (PostgreSQL will not lock across the outer join to its item).
    Decision.objects.select_for_update().filter(pk=decision.pk).values_list("pk").get()
    return Decision.objects.select_related("committee", "item__meeting").get(pk=decision.pk)


@transaction.atomic
def vote_open(*, decision: Decision, by: User) -> Decision:
    """Open the vote: the committee must be properly made up and the item quorate."""
    decision = _locked(decision)
    _require(permissions.can_run_vote(by, decision.committee), "Only the chair or the clerk opens the vote.")
    assert decision.item is not None
    require_meeting_started(decision.item.meeting, "the vote can be opened")
    require_record_open(decision.item.meeting)
    _require_composition(decision.committee, decision.decided_on)
    quorum = selectors.item_quorum(decision.item, committee=decision.committee)
    if not quorum.quorate:
        raise ValidationError(f"The item cannot carry a decision. {quorum.explanation}")
    _require_no_vote_blockers(decision.item)
    _move(decision, DecisionStatus.VOTING, by=by, reason="Vote opened")
    return decision


@transaction.atomic
def vote_cast(*, decision: Decision, person: Person, choice: str, by: User) -> Vote:
    """Record a member's vote: by the member themselves, or by the chair or clerk on their word."""
    decision = _locked(decision)
    assert decision.item is not None
    require_record_open(decision.item.meeting)
    if decision.status != DecisionStatus.VOTING:
        raise ValidationError(_not_open(decision))
    own_vote = person.user_id is not None and person.user_id == by.pk
    _require(
        (own_vote and permissions.is_member(by, decision.committee))
        or permissions.can_run_vote(by, decision.committee),
        "Only members of this committee vote on its decisions.",
    )
    assert decision.item is not None
    require_meeting_started(decision.item.meeting, "votes can be recorded")
    quorum = selectors.item_quorum(decision.item, committee=decision.committee)
    eligible = {m.person_id for m in quorum.counted if m.voting}
    if person.pk not in eligible:
        excluded = {m.person_id: e for m, e in quorum.excluded}
        if person.pk in excluded:
            raise ValidationError(f"{person} is excluded from this item: {excluded[person.pk].reason}")
        raise ValidationError(f"{person} is not a voting member present for this item.")
    if choice not in VoteChoice.values:
        raise ValidationError({"choice": "Vote for, against or abstain."})
    vote = Vote.objects.filter(decision=decision, person=person).first() or Vote(
        decision=decision, person=person
    )
    vote.choice, vote.recorded_by = choice, by
    save_audited(vote, by=by, reason="Vote cast" if own_vote else f"Vote recorded for {person}")
    return vote


@transaction.atomic
def vote_close(*, decision: Decision, by: User) -> Decision:
    """Close the vote: freeze who could vote, count the votes, apply the casting vote on a tie.

    An item that is inquorate at the close cannot carry a decision: the vote stays open so the
    chair can restore the quorum or refer the item.
    """
    decision = _locked(decision)
    _require(permissions.can_run_vote(by, decision.committee), "Only the chair or the clerk closes the vote.")
    assert decision.item is not None
    require_meeting_started(decision.item.meeting, "the vote can be closed")
    require_record_open(decision.item.meeting)
    if decision.status != DecisionStatus.VOTING:
        raise ValidationError(_not_open(decision))
    # Someone flagged may have joined after the vote opened (an attendee arriving): rule on them first.
    _require_no_vote_blockers(decision.item)
    quorum = selectors.item_quorum(decision.item, committee=decision.committee)
    if not quorum.quorate:
        raise ValidationError(f"The item cannot carry a decision. {quorum.explanation}")
    eligible = {m.person_id: m for m in quorum.counted if m.voting}
    votes = [v for v in decision.votes.select_related("person") if v.person_id in eligible]
    by_seat = {selectors.as_seat(eligible[v.person_id]): VoteChoice(v.choice) for v in votes}
    # The casting vote is held under the terms in force on the meeting's date, as the quorum was counted.
    terms = quorum.terms
    if terms is None:
        raise ValidationError(selectors.no_terms_in_force(quorum.on))
    casting, holder = rules.casting_holder_choice(CastingVote(terms.casting_vote), by_seat)
    result = rules.vote_outcome(by_seat.values(), casting)

    for membership in quorum.counted:
        if membership.voting:
            _freeze_voter(decision, membership, eligible=True, reason="", by=by)
    for membership, exclusion in quorum.excluded:
        _freeze_voter(decision, membership, eligible=False, reason=f"Excluded: {exclusion.reason}", by=by)
    for membership in quorum.absent:
        _freeze_voter(decision, membership, eligible=False, reason="Not present", by=by)
    for membership in quorum.counted:
        if not membership.voting:
            _freeze_voter(decision, membership, eligible=False, reason="Non-voting member", by=by)

    decision.outcome = result.outcome
    decision.casting_vote_used = result.casting_vote_used
    decision.vote_summary = result.explain(holder)
    decision.quorum_note = quorum.explanation
    _move(decision, DecisionStatus.RECORDED, by=by, reason="Vote closed")
    return decision


def _freeze_voter(
    decision: Decision, membership: Membership, *, eligible: bool, reason: str, by: User
) -> None:
    voter = DecisionVoter(
        decision=decision,
        person=membership.person,
        category=membership.category,
        eligible=eligible,
        reason=reason,
    )
    save_audited(voter, by=by, reason="Voters frozen at the close of the vote")


@transaction.atomic
def decision_approve(*, decision: Decision, by: User) -> Decision:
    """The chair approves the decision as recorded; from now on it never changes."""
    decision = _locked(decision)
    _require(
        permissions.can_approve(by, decision.committee), "Only the committee's chair approves its decisions."
    )
    if decision.item is not None:  # a chair's action has no meeting; it is approved when it is taken
        require_meeting_started(decision.item.meeting, "its decisions can be approved")
        require_record_open(decision.item.meeting)
    if decision.status != DecisionStatus.RECORDED:
        raise ValidationError("Only a recorded decision awaiting approval can be approved.")
    if decision.supersedes_id is not None and decision.outcome != Outcome.CARRIED:
        # A resolution to replace a decision that the committee did not carry replaces nothing: the
        # earlier decision stands, and may be superseded later (the history keeps this attempt).
        earlier_id, decision.supersedes = decision.supersedes_id, None
        save_audited(decision, by=by, reason=f"Not carried: decision {earlier_id} stands")
    decision.approved_by, decision.approved_at = by, timezone.now()
    _move(decision, DecisionStatus.APPROVED, by=by, reason="Approved by the chair")
    if decision.supersedes_id is not None:
        earlier = Decision.objects.select_for_update().get(pk=decision.supersedes_id)
        _move(earlier, DecisionStatus.SUPERSEDED, by=by, reason=f"Superseded by decision {decision.pk}")
    # What follows from the approval (the register of procurement decisions) is written in this same
    # transaction: if a hook fails, the approval is undone with it, and nothing is left half-recorded.
    for hook in hooks.decision_approved:
        hook(decision)
    return decision


@transaction.atomic
def decision_supersede(
    *, decision: Decision, item: AgendaItem, resolution: str, by: User, reason: str
) -> Decision:
    """Propose a new decision that, once approved, supersedes an approved one (the chair alone)."""
    decision = Decision.objects.select_related("committee").get(pk=decision.pk)
    _require(
        permissions.can_supersede(by, decision.committee),
        "Only the committee's chair may supersede its decisions.",
    )
    if not reason.strip():
        raise ValidationError({"reason": "Say why the decision is being superseded."})
    require_meeting_started(item.meeting, "a superseding resolution can be put to the committee")
    if decision.status != DecisionStatus.APPROVED:
        raise ValidationError("Only an approved decision can be superseded.")
    if Decision.objects.filter(supersedes=decision).exists():
        raise ValidationError("A decision superseding this one is already recorded.")
    if item.committee_id != decision.committee_id:
        raise ValidationError(
            {"item": f"A decision of {decision.committee} is superseded at a meeting of the same committee."}
        )
    new = decision_propose(item=item, resolution=resolution, by=by, reason=reason)
    if (new.ccg_id, new.function_id) != (decision.ccg_id, decision.function_id):
        raise ValidationError({"item": "A superseding decision is for the same CCG and function."})
    new.supersedes = decision
    save_audited(new, by=by, reason=reason)
    return new


@transaction.atomic
def virtual_decision_take(
    *,
    committee: Committee,
    ccg: CCG,
    function: Function,
    resolution: str,
    urgency_reason: str,
    chair_declaration: str,
    matter: Matter | None = None,
    by: User,
) -> Decision:
    """The chair's action between meetings, where the terms in force on the day allow it; the next
    meeting ratifies it.

    The chair declares their interest in the matter (or that they have none), and may not act alone
    where an interest of theirs on the register touches it and has not been managed.
    """
    _require(permissions.can_approve(by, committee), "Only the chair takes decisions by chair's action.")
    today = timezone.localdate()
    terms = selectors.terms_in_force(committee, today)
    if terms is None:
        raise ValidationError(
            f"{committee} cannot take decisions by chair's action: {selectors.no_terms_in_force(today)}"
        )
    if not terms.allows_virtual_decisions:
        raise ValidationError(
            f"{committee}'s terms of reference in force today ({terms.version}) do not allow decisions "
            "between meetings."
        )
    if not urgency_reason.strip():
        raise ValidationError({"urgency_reason": "Say why the decision could not wait for the next meeting."})
    if not chair_declaration.strip():
        raise ValidationError(
            {"chair_declaration": "Declare your interest in the matter, or that you have none."}
        )
    _check_may_decide(committee, ccg, function, today)
    _require_composition(committee, today)
    blockers = hooks.reasons_not_to_take_chairs_action(committee, ccg, function, matter, by.pk)
    if blockers:
        raise ValidationError(blockers)
    decision = Decision(
        committee=committee,
        ccg=ccg,
        function=function,
        matter=matter,
        resolution=resolution,
        decided_on=today,
        virtual=True,
        urgency_reason=urgency_reason,
        chair_declaration=chair_declaration.strip(),
        outcome="carried",
        vote_summary="Taken by chair's action between meetings, for ratification at the next meeting.",
    )
    save_audited(decision, by=by, reason="Chair's action")
    _move(decision, DecisionStatus.RECORDED, by=by, reason="Chair's action recorded")
    decision = decision_approve(decision=decision, by=by)
    upcoming = selectors.next_meeting_of(committee, timezone.now())
    if upcoming is not None:
        _ratification_item_add(upcoming, decision, by=by)
    return decision


@transaction.atomic
def virtual_decision_ratify(*, decision: Decision, meeting: Meeting, by: User) -> Decision:
    """Record that a meeting of the committee ratified a chair's action."""
    _require(permissions.can_run_vote(by, decision.committee), "You may not record this ratification.")
    require_meeting_started(meeting, "its ratification of the chair's action can be recorded")
    require_record_open(meeting)
    if not decision.virtual or decision.status != DecisionStatus.APPROVED:
        raise ValidationError("Only an approved chair's action is ratified.")
    if decision.ratified_at_id is not None:
        raise ValidationError("This chair's action has been ratified already.")
    if not meeting.committees.filter(pk=decision.committee_id).exists():
        raise ValidationError("The chair's action is ratified by a meeting of the same committee.")
    decision.ratified_at = meeting
    save_audited(decision, by=by, reason=f"Ratified at {meeting}")
    return decision
