"""Every change to committees, meetings and decisions: atomic, permission-checked, audited.

The rules that make a decision valid are checked here, each with a refusal that says why: the
committee must be the body the routing rule names for the CCG, function and date; its
membership must meet its composition rule; the item must be quorate when the vote closes; only
a chair approves; an approved decision never changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from cocomm.audit import Reason, save_audited, system_user
from cocomm.models import CCG, AreaTeam, Organisation, Person, Practice, User
from cocomm.text import in_sentence
from committees import permissions, roles, rules, selectors
from committees.choices import (
    AttendanceStatus,
    CastingVote,
    CommitteeKind,
    DecisionStatus,
    ExclusionScope,
    MinutesStatus,
    Purpose,
    Session,
    StandardItem,
    ToRStatus,
    VoteChoice,
)
from committees.models import (
    Action,
    AgendaItem,
    Attendance,
    Committee,
    Decision,
    DecisionVoter,
    Exclusion,
    Matter,
    Meeting,
    Membership,
    MembershipStatus,
    Minutes,
    Paper,
    TermsOfReference,
    Vote,
)
from delegation.rules import DecidedBy
from delegation.selectors import routing_for, with_levels
from functions.models import Function


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _move(obj: Any, status: str, *, by: User, reason: str) -> None:
    """Move a record along its TRANSITIONS table, refusing any other step."""
    if status not in obj.TRANSITIONS[obj.status]:
        raise ValidationError(
            f"A {obj._meta.verbose_name} that is {obj.get_status_display().lower()} cannot become {status}."
        )
    obj.status = status
    save_audited(obj, by=by, reason=reason)


# Committees and terms of reference ----------------------------------------------------------------


@transaction.atomic
def committee_create(
    *,
    name: str,
    kind: str,
    ccgs: Iterable[CCG],
    short_name: str = "",
    area_team: AreaTeam | None = None,
    reports_to: Committee | None = None,
    functions: Iterable[Function] = (),
    by: User,
    reason: str,
) -> Committee:
    """Set up a committee serving one or more CCGs."""
    ccgs = list(ccgs)
    _require(
        permissions.can_create_committee_for(by, ccgs),
        "Only a governance officer of every CCG it serves may set up this committee.",
    )
    if not ccgs:
        raise ValidationError({"ccgs": "A committee serves at least one CCG."})
    committee = Committee(
        name=name, short_name=short_name, kind=kind, area_team=area_team, reports_to=reports_to
    )
    save_audited(committee, by=by, reason=reason)
    committee.ccgs.set(ccgs)
    committee.functions.set(list(functions))
    roles.chairs_group(committee)
    roles.members_group(committee)
    return committee


@transaction.atomic
def committee_update(
    *,
    committee: Committee,
    by: User,
    reason: str,
    name: str,
    short_name: str,
    reports_to: Committee | None,
    functions: Iterable[Function],
) -> Committee:
    """Change a committee's name, reporting line and the functions it may decide."""
    _require(permissions.can_manage_committee(by, committee), "You may not change this committee.")
    if reports_to is not None and (reports_to.pk == committee.pk or _reports_up_to(reports_to, committee)):
        raise ValidationError(
            {"reports_to": "A committee cannot report to itself or to a group reporting to it."}
        )
    committee.name, committee.short_name, committee.reports_to = name, short_name, reports_to
    save_audited(committee, by=by, reason=reason)
    committee.functions.set(list(functions))
    return committee


def _reports_up_to(start: Committee, target: Committee) -> bool:
    seen: set[int] = set()
    current: Committee | None = start
    while current is not None and current.pk not in seen:
        if current.pk == target.pk:
            return True
        seen.add(current.pk)
        current = current.reports_to
    return False


@transaction.atomic
def terms_draft(
    *,
    committee: Committee,
    version: str,
    composition_rule: str,
    quorum_minimum: int,
    quorum_categories: Mapping[str, int] | None = None,
    casting_vote: str | None = None,
    meets_in_public: bool = False,
    allows_virtual_decisions: bool = False,
    review_on: dt.date | None = None,
    by: User,
    reason: str,
) -> TermsOfReference:
    """Draft a new version of a committee's terms of reference."""
    _require(permissions.can_manage_committee(by, committee), "You may not change this committee.")
    if casting_vote is None:
        # NHS England holds the casting vote in a joint committee unless the terms say otherwise.
        casting_vote = (
            CastingVote.NHS_ENGLAND if committee.kind == CommitteeKind.JOINT_COMMITTEE else CastingVote.CHAIR
        )
    terms = TermsOfReference(
        committee=committee,
        version=version,
        composition_rule=composition_rule,
        quorum_minimum=quorum_minimum,
        quorum_categories=dict(quorum_categories or {}),
        casting_vote=casting_vote,
        meets_in_public=meets_in_public,
        allows_virtual_decisions=allows_virtual_decisions,
        review_on=review_on,
    )
    save_audited(terms, by=by, reason=reason)
    return terms


@transaction.atomic
def terms_approve(
    *, terms: TermsOfReference, approved_by: str, approved_on: dt.date, by: User, reason: str
) -> TermsOfReference:
    """Approve a draft; the version it replaces becomes superseded."""
    _require(permissions.can_manage_committee(by, terms.committee), "You may not change this committee.")
    terms = TermsOfReference.objects.select_for_update().get(pk=terms.pk)
    if not approved_by.strip():
        raise ValidationError({"approved_by": "Name the body that approved the terms of reference."})
    for current in TermsOfReference.objects.select_for_update().filter(
        committee=terms.committee, status=ToRStatus.APPROVED
    ):
        _move(current, ToRStatus.SUPERSEDED, by=by, reason=f"Superseded by version {terms.version}")
    terms.approved_by, terms.approved_on = approved_by, approved_on
    _move(terms, ToRStatus.APPROVED, by=by, reason=reason)
    return terms


# Membership ---------------------------------------------------------------------------------------


def _membership_status(membership: Membership, today: dt.date) -> str:
    if membership.ends_on is not None and membership.ends_on <= today:
        return MembershipStatus.ENDED
    return MembershipStatus.ACTIVE if membership.starts_on <= today else MembershipStatus.SCHEDULED


def _locked_membership(pk: int) -> Membership:
    # Lock the seat's row alone: PostgreSQL will not lock across the outer join to a person's login.
    Membership.objects.select_for_update().filter(pk=pk).values_list("pk").get()
    return Membership.objects.select_related("committee", "person__user").get(pk=pk)


def _sync(person: Person) -> None:
    if person.user is not None:
        roles.sync_committee_groups(person.user)


@transaction.atomic
def membership_add(
    *,
    committee: Committee,
    person: Person,
    category: str,
    voting: bool = True,
    office: str = "member",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    by: User,
    reason: str,
) -> Membership:
    """Seat a person on a committee; a chair's seat grants the chair's permissions from its start."""
    _require(permissions.can_manage_committee(by, committee), "You may not change this committee's members.")
    membership = Membership(
        committee=committee,
        person=person,
        category=category,
        voting=voting,
        office=office,
        starts_on=starts_on or timezone.localdate(),
        ends_on=ends_on,
    )
    membership.status = _membership_status(membership, timezone.localdate())
    if (
        Membership.objects.filter(committee=committee, person=person)
        .exclude(status=MembershipStatus.ENDED)
        .exists()
    ):
        raise ValidationError({"person": f"{person} already has a seat on {committee}."})
    save_audited(membership, by=by, reason=reason)
    _sync(person)
    return membership


@transaction.atomic
def membership_end(
    *, membership: Membership, by: User, reason: str, ends_on: dt.date | None = None
) -> Membership:
    """End a seat (today unless another day is given); its permissions go when it ends."""
    _require(
        permissions.can_manage_committee(by, membership.committee),
        "You may not change this committee's members.",
    )
    membership = _locked_membership(membership.pk)
    if membership.status == MembershipStatus.ENDED:
        raise ValidationError("This seat has already ended.")
    membership.ends_on = max(ends_on or timezone.localdate(), membership.starts_on)
    membership.status = _membership_status(membership, timezone.localdate())
    save_audited(membership, by=by, reason=reason)
    _sync(membership.person)
    return membership


def memberships_refresh(*, today: dt.date | None = None) -> list[Membership]:
    """Start and end seats whose dates have come (nightly, from Celery beat). Safe to repeat."""
    today = today or timezone.localdate()
    actor = system_user()
    due = (
        Membership.objects.exclude(status=MembershipStatus.ENDED)
        .filter(Q(status=MembershipStatus.SCHEDULED, starts_on__lte=today) | Q(ends_on__lte=today))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    changed = []
    for pk in list(due):
        with transaction.atomic():
            membership = _locked_membership(pk)
            status = _membership_status(membership, today)
            if status == membership.status:
                continue
            why = (
                Reason.ROLE_ENDED_ON_DATE if status == MembershipStatus.ENDED else Reason.ROLE_STARTED_ON_DATE
            )
            _move(membership, status, by=actor, reason=why)
            _sync(membership.person)
            changed.append(membership)
    return changed


# Meetings and agendas -------------------------------------------------------------------------------


@transaction.atomic
def meeting_schedule(
    *,
    committees: Iterable[Committee],
    title: str,
    starts_at: dt.datetime,
    place: str = "",
    has_public_session: bool = True,
    has_private_session: bool = False,
    by: User,
    reason: str,
) -> Meeting:
    """Schedule a meeting (of several committees in common, if more than one) with its opening items."""
    committees = list(committees)
    if not committees:
        raise ValidationError({"committees": "A meeting is of at least one committee."})
    for committee in committees:
        _require(
            permissions.can_manage_committee(by, committee), f"You may not arrange meetings of {committee}."
        )
    meeting = Meeting(
        title=title,
        starts_at=starts_at,
        place=place,
        has_public_session=has_public_session,
        has_private_session=has_private_session,
    )
    save_audited(meeting, by=by, reason=reason)
    meeting.committees.set(committees)
    for number, standard in enumerate(StandardItem, start=1):
        item = AgendaItem(meeting=meeting, number=number, standard=standard, title=standard.label)
        save_audited(item, by=by, reason="Standard opening item")
    # Chair's actions not yet on any agenda come to this meeting for ratification.
    for committee in committees:
        waiting = Decision.objects.filter(
            committee=committee,
            virtual=True,
            status=DecisionStatus.APPROVED,
            ratified_at__isnull=True,
            ratification_items__isnull=True,
        )
        for decision in waiting:
            _ratification_item_add(meeting, decision, by=by)
    return meeting


def _ratification_item_add(meeting: Meeting, decision: Decision, *, by: User) -> AgendaItem:
    return _item_add(
        meeting,
        committee=decision.committee,
        title=f"Ratification of chair's action: {decision.resolution[:200]}",
        purpose=Purpose.NOTING,
        ccg=decision.ccg,
        function=decision.function,
        ratifies=decision,
        by=by,
        reason="Chair's action listed for ratification",
    )


def _item_add(meeting: Meeting, *, by: User, reason: str, **fields: Any) -> AgendaItem:
    number = (meeting.items.aggregate(top=Max("number"))["top"] or 0) + 1
    practices = fields.pop("practices", ())
    organisations = fields.pop("organisations", ())
    item = AgendaItem(meeting=meeting, number=number, **fields)
    save_audited(item, by=by, reason=reason)
    if practices:
        item.practices.set(practices)
    if organisations:
        item.organisations.set(organisations)
    return item


def _meeting_date(meeting: Meeting) -> dt.date:
    return timezone.localtime(meeting.starts_at).date()


def _check_may_decide(committee: Committee, ccg: CCG, function: Function, on: dt.date) -> None:
    """Refuse, with the reason, unless the routing rule names this committee for the CCG on the date."""
    routed = routing_for(with_levels(CCG.objects.filter(pk=ccg.pk)).get(), function, on)
    allowed, why = rules.may_decide(
        kind=rules.CommitteeKind(committee.kind),
        serves_ccg=committee.ccgs.filter(pk=ccg.pk).exists(),
        covers_function=committee.functions.filter(pk=function.pk).exists(),
        decided_by=routed.decided_by,
    )
    if not allowed:
        level = f"level {routed.level}" if routed.level is not None else "no level"
        raise ValidationError(
            f"{committee} may not decide function {function.number} for {ccg.name} on {on:%-d %B %Y}: "
            f"{ccg.name} held {level} ({in_sentence(routed.right.label)}), "
            f"so {in_sentence(routed.decided_by.label)} decides. {why}"
        )


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    committee: Committee,
    title: str,
    purpose: str = Purpose.NOTING,
    session: str = Session.PUBLIC,
    ccg: CCG | None = None,
    function: Function | None = None,
    practices: Iterable[Practice] = (),
    organisations: Iterable[Organisation] = (),
    matter: Matter | None = None,
    by: User,
    reason: str,
    **sheet: str,
) -> AgendaItem:
    """Add a business item with its paper summary sheet; an item for decision must be decidable here."""
    _require(permissions.can_manage_committee(by, committee), "You may not change this meeting's agenda.")
    if not meeting.committees.filter(pk=committee.pk).exists():
        raise ValidationError({"committee": f"{committee} does not sit at this meeting."})
    if session == Session.PRIVATE and not meeting.has_private_session:
        raise ValidationError({"session": "This meeting has no private session."})
    if purpose == Purpose.DECISION:
        if ccg is None or function is None:
            raise ValidationError("An item for decision names the CCG and the function it falls under.")
        _check_may_decide(committee, ccg, function, _meeting_date(meeting))
    return _item_add(
        meeting,
        committee=committee,
        title=title,
        purpose=purpose,
        session=session,
        ccg=ccg,
        function=function,
        matter=matter,
        practices=list(practices),
        organisations=list(organisations),
        by=by,
        reason=reason,
        **sheet,
    )


@transaction.atomic
def agenda_item_note(*, item: AgendaItem, discussion_note: str, by: User, reason: str) -> AgendaItem:
    """Record what was said on an item, for the minutes."""
    _require(_can_manage_meeting(by, item.meeting), "You may not change this meeting's record.")
    _require_minutes_open(item.meeting)
    item.discussion_note = discussion_note
    save_audited(item, by=by, reason=reason)
    return item


def _can_manage_meeting(user: User, meeting: Meeting) -> bool:
    return any(permissions.can_manage_committee(user, c) for c in meeting.committees.all())


def _require_minutes_open(meeting: Meeting) -> None:
    if Minutes.objects.filter(meeting=meeting, status=MinutesStatus.APPROVED).exists():
        raise ValidationError("The minutes of this meeting are approved; its record is frozen.")


@transaction.atomic
def attendance_record(
    *, meeting: Meeting, person: Person, status: str, note: str = "", by: User, reason: str
) -> Attendance:
    """Record whether someone was present, sent apologies, was absent, or attended as a guest."""
    _require(_can_manage_meeting(by, meeting), "You may not record attendance at this meeting.")
    _require_minutes_open(meeting)
    is_member = any(
        m.person_id == person.pk
        for c in meeting.committees.all()
        for m in selectors.seats_on(c, _meeting_date(meeting))
    )
    if status == AttendanceStatus.IN_ATTENDANCE and is_member:
        raise ValidationError({"status": f"{person} is a member: record them as present, not in attendance."})
    if status != AttendanceStatus.IN_ATTENDANCE and not is_member:
        raise ValidationError({"status": f"{person} is not a member: record them as in attendance."})
    attendance = Attendance.objects.filter(meeting=meeting, person=person).first() or Attendance(
        meeting=meeting, person=person
    )
    attendance.status, attendance.note = status, note
    save_audited(attendance, by=by, reason=reason)
    return attendance


@transaction.atomic
def exclusion_record(
    *, item: AgendaItem, person: Person, scope: str, reason: str, by: User, papers_withheld: bool = False
) -> Exclusion:
    """Take a member out of an item's vote and quorum (the chair's ruling on a declared interest)."""
    _require(
        item.committee is not None and permissions.can_run_vote(by, item.committee),
        "Only the chair or the meeting's governance officer may rule on exclusions.",
    )
    _require_minutes_open(item.meeting)
    if hasattr(item, "decision") and item.decision.status not in (
        DecisionStatus.DRAFT,
        DecisionStatus.VOTING,
    ):
        raise ValidationError("The vote on this item has closed; its voters are frozen.")
    if scope not in ExclusionScope.values:
        raise ValidationError({"scope": "Choose whether they leave the item or stay without voting."})
    exclusion = Exclusion.objects.filter(item=item, person=person).first() or Exclusion(
        item=item, person=person
    )
    exclusion.scope, exclusion.reason, exclusion.papers_withheld = scope, reason, papers_withheld
    save_audited(exclusion, by=by, reason=reason)
    return exclusion


# Matters ------------------------------------------------------------------------------------------


def deciding_committees(matter: Matter, on: dt.date) -> tuple[DecidedBy, list[Committee]]:
    """Who decides a matter on a date, and which of cocomm's committees that is."""
    routed = routing_for(with_levels(CCG.objects.filter(pk=matter.ccg_id)).get(), matter.function, on)
    candidates = Committee.objects.filter(ccgs=matter.ccg, functions=matter.function).distinct()
    bodies = [
        c
        for c in candidates
        if rules.may_decide(
            kind=rules.CommitteeKind(c.kind),
            serves_ccg=True,
            covers_function=True,
            decided_by=routed.decided_by,
        )[0]
    ]
    # A CCG's primary care commissioning committee comes before its governing body.
    bodies.sort(key=lambda c: (c.kind != CommitteeKind.PCCC, c.name))
    return routed.decided_by, bodies


@transaction.atomic
def matter_raise(
    *,
    ccg: CCG,
    function: Function,
    kind: str,
    title: str,
    description: str = "",
    raised_on: dt.date | None = None,
    practices: Iterable[Practice] = (),
    organisations: Iterable[Organisation] = (),
    by: User,
    reason: str,
) -> Matter:
    """Record a matter for a CCG under a function, such as a practice applying to close its list."""
    from cocomm.permissions import can_change_ccg

    _require(can_change_ccg(by, ccg), "Only the CCG's governance officers may raise its matters.")
    practices = list(practices)
    strangers = [p for p in practices if p.ccg_id != ccg.pk]
    if strangers:
        raise ValidationError({"practices": f"{strangers[0]} is not a practice of {ccg.name}."})
    matter = Matter(
        ccg=ccg,
        function=function,
        kind=kind,
        title=title,
        description=description,
        raised_on=raised_on or timezone.localdate(),
    )
    save_audited(matter, by=by, reason=reason)
    matter.practices.set(practices)
    matter.organisations.set(list(organisations))
    return matter


@transaction.atomic
def matter_schedule(*, matter: Matter, meeting: Meeting, by: User, reason: str, **sheet: str) -> AgendaItem:
    """Put a matter on the agenda of the body that decides it on the meeting's date."""
    on = _meeting_date(meeting)
    decided_by, bodies = deciding_committees(matter, on)
    here = [c for c in bodies if meeting.committees.filter(pk=c.pk).exists()]
    if not here:
        names = ", ".join(str(c) for c in bodies) or "no committee in cocomm"
        raise ValidationError(
            f"This meeting cannot decide '{matter.title}': on {on:%-d %B %Y} "
            f"{in_sentence(decided_by.label)} decides function {matter.function.number} "
            f"for {matter.ccg.name} ({names})."
        )
    return agenda_item_add(
        meeting=meeting,
        committee=here[0],
        title=matter.title,
        purpose=Purpose.DECISION,
        session=sheet.pop("session", Session.PUBLIC),
        ccg=matter.ccg,
        function=matter.function,
        practices=matter.practices.all(),
        organisations=matter.organisations.all(),
        matter=matter,
        summary=sheet.pop("summary", matter.description),
        by=by,
        reason=reason,
        **sheet,
    )


# Decisions and votes ----------------------------------------------------------------------------


def _require_composition(committee: Committee, on: dt.date) -> None:
    composition = selectors.composition_of(committee, on)
    if not composition.ok:
        raise ValidationError(
            f"{committee} cannot take decisions until its membership meets its terms of reference: "
            + " ".join(composition.problems)
        )


@transaction.atomic
def decision_propose(*, item: AgendaItem, resolution: str, by: User, reason: str) -> Decision:
    """Put a resolution to the committee on an item for decision."""
    committee = item.committee
    _require(committee is not None and permissions.can_run_vote(by, committee), "You may not run this item.")
    assert committee is not None
    if item.purpose != Purpose.DECISION or item.ccg is None or item.function is None:
        raise ValidationError("Only an item for decision, naming its CCG and function, can carry a decision.")
    if Decision.objects.filter(item=item).exists():
        raise ValidationError("This item already has a decision.")
    on = _meeting_date(item.meeting)
    _check_may_decide(committee, item.ccg, item.function, on)
    _require_composition(committee, on)
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
    _require_minutes_open(decision.item.meeting)
    _require_composition(decision.committee, decision.decided_on)
    quorum = selectors.item_quorum(decision.item, committee=decision.committee)
    if not quorum.quorate:
        raise ValidationError(f"The item cannot carry a decision. {quorum.explanation}")
    _move(decision, DecisionStatus.VOTING, by=by, reason="Vote opened")
    return decision


@transaction.atomic
def vote_cast(*, decision: Decision, person: Person, choice: str, by: User) -> Vote:
    """Record a member's vote: by the member themselves, or by the chair or clerk on their word."""
    decision = _locked(decision)
    if decision.status != DecisionStatus.VOTING:
        raise ValidationError("The vote is not open.")
    own_vote = person.user_id is not None and person.user_id == by.pk
    _require(
        (own_vote and permissions.is_member(by, decision.committee))
        or permissions.can_run_vote(by, decision.committee),
        "Only members of this committee vote on its decisions.",
    )
    assert decision.item is not None
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
    if decision.status != DecisionStatus.VOTING:
        raise ValidationError("The vote is not open.")
    assert decision.item is not None
    quorum = selectors.item_quorum(decision.item, committee=decision.committee)
    if not quorum.quorate:
        raise ValidationError(f"The item cannot carry a decision. {quorum.explanation}")
    eligible = {m.person_id: m for m in quorum.counted if m.voting}
    votes = [v for v in decision.votes.select_related("person") if v.person_id in eligible]
    by_seat = {selectors.as_seat(eligible[v.person_id]): VoteChoice(v.choice) for v in votes}
    terms = selectors.approved_terms(decision.committee)
    assert terms is not None  # the composition check at opening requires approved terms
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
    if decision.status != DecisionStatus.RECORDED:
        raise ValidationError("Only a recorded decision awaiting approval can be approved.")
    decision.approved_by, decision.approved_at = by, timezone.now()
    _move(decision, DecisionStatus.APPROVED, by=by, reason="Approved by the chair")
    if decision.supersedes_id is not None:
        earlier = Decision.objects.select_for_update().get(pk=decision.supersedes_id)
        _move(earlier, DecisionStatus.SUPERSEDED, by=by, reason=f"Superseded by decision {decision.pk}")
    return decision


@transaction.atomic
def decision_supersede(
    *, decision: Decision, item: AgendaItem, resolution: str, by: User, reason: str
) -> Decision:
    """Propose a new decision that, once approved, supersedes an approved one."""
    decision = Decision.objects.get(pk=decision.pk)
    if decision.status != DecisionStatus.APPROVED:
        raise ValidationError("Only an approved decision can be superseded.")
    if Decision.objects.filter(supersedes=decision).exists():
        raise ValidationError("A decision superseding this one is already recorded.")
    new = decision_propose(item=item, resolution=resolution, by=by, reason=reason)
    if (new.ccg_id, new.function_id) != (decision.ccg_id, decision.function_id):
        raise ValidationError("A superseding decision is for the same CCG and function.")
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
    matter: Matter | None = None,
    by: User,
) -> Decision:
    """The chair's action between meetings, where the terms allow it; the next meeting ratifies it."""
    _require(permissions.can_approve(by, committee), "Only the chair takes decisions by chair's action.")
    terms = selectors.approved_terms(committee)
    if terms is None or not terms.allows_virtual_decisions:
        raise ValidationError(f"{committee}'s terms of reference do not allow decisions between meetings.")
    if not urgency_reason.strip():
        raise ValidationError({"urgency_reason": "Say why the decision could not wait for the next meeting."})
    today = timezone.localdate()
    _check_may_decide(committee, ccg, function, today)
    _require_composition(committee, today)
    decision = Decision(
        committee=committee,
        ccg=ccg,
        function=function,
        matter=matter,
        resolution=resolution,
        decided_on=today,
        virtual=True,
        urgency_reason=urgency_reason,
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
    if not decision.virtual or decision.status != DecisionStatus.APPROVED:
        raise ValidationError("Only an approved chair's action is ratified.")
    if decision.ratified_at_id is not None:
        raise ValidationError("This chair's action has been ratified already.")
    if not meeting.committees.filter(pk=decision.committee_id).exists():
        raise ValidationError("The chair's action is ratified by a meeting of the same committee.")
    decision.ratified_at = meeting
    save_audited(decision, by=by, reason=f"Ratified at {meeting}")
    return decision


# Minutes and actions -------------------------------------------------------------------------------


@transaction.atomic
def action_add(
    *,
    meeting: Meeting,
    description: str,
    owner: Person,
    due_on: dt.date,
    item: AgendaItem | None = None,
    by: User,
) -> Action:
    """Add an action to the log, with its owner and due date."""
    _require(_can_manage_meeting(by, meeting), "You may not change this meeting's action log.")
    action = Action(meeting=meeting, item=item, description=description, owner=owner, due_on=due_on)
    save_audited(action, by=by, reason="Action agreed")
    return action


@transaction.atomic
def minutes_draft(*, meeting: Meeting, text: str, by: User) -> Minutes:
    """Save the draft minutes (generated from the record, then edited by the clerk)."""
    _require(_can_manage_meeting(by, meeting), "You may not draft these minutes.")
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first() or Minutes(meeting=meeting)
    if minutes.status == MinutesStatus.APPROVED:
        raise ValidationError("These minutes are approved and frozen.")
    minutes.text = text
    save_audited(minutes, by=by, reason="Minutes drafted")
    return minutes


@transaction.atomic
def minutes_approve(*, minutes: Minutes, at_meeting: Meeting, by: User) -> Minutes:
    """The chair approves the minutes at a later meeting of the same committee; then they are frozen."""
    minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
    committees = list(minutes.meeting.committees.all())
    _require(any(permissions.can_approve(by, c) for c in committees), "Only the chair approves the minutes.")
    if minutes.status == MinutesStatus.APPROVED:
        raise ValidationError("These minutes are approved already.")
    if (
        at_meeting.starts_at <= minutes.meeting.starts_at
        or not at_meeting.committees.filter(pk__in=[c.pk for c in committees]).exists()
    ):
        raise ValidationError("Minutes are approved at a later meeting of the same committee.")
    minutes.status, minutes.approved_at_meeting, minutes.approved_by = MinutesStatus.APPROVED, at_meeting, by
    save_audited(minutes, by=by, reason=f"Approved at {at_meeting}")
    return minutes


# Papers (appended with the pages) -------------------------------------------------------------------


@transaction.atomic
def paper_add(*, item: AgendaItem, title: str, file: File[Any], by: User, reason: str) -> Paper:
    """Attach a paper to an agenda item; who may read it follows the item's session."""
    _require(_can_manage_meeting(by, item.meeting), "You may not add papers to this meeting.")
    _require_minutes_open(item.meeting)
    if not title.strip():
        raise ValidationError({"title": "Give the paper a title."})
    paper = Paper(item=item, title=title, file=file)
    save_audited(paper, by=by, reason=reason)
    return paper


@transaction.atomic
def exclusion_lift(*, item: AgendaItem, person: Person, by: User, reason: str) -> None:
    """Return a member to an item's vote and quorum (a ruling that they may take part after all)."""
    exclusion = Exclusion.objects.filter(item=item, person=person).first()
    if exclusion is None:
        return
    _require(
        item.committee is not None and permissions.can_run_vote(by, item.committee),
        "Only the chair or the meeting's governance officer may rule on exclusions.",
    )
    _require_minutes_open(item.meeting)
    if hasattr(item, "decision") and item.decision.status not in (
        DecisionStatus.DRAFT,
        DecisionStatus.VOTING,
    ):
        raise ValidationError("The vote on this item has closed; its voters are frozen.")
    exclusion._history_user = by  # type: ignore[attr-defined]
    exclusion._change_reason = reason  # type: ignore[attr-defined]
    exclusion.delete()
