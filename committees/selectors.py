"""Reads about committees, meetings and decisions, scoped to the user, in fixed numbers of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from cocomm import permissions as core
from cocomm.models import CCG
from cocomm.permissions import AnyUser
from cocomm.selectors import ccgs_visible_to
from committees import permissions, rules
from committees.choices import AttendanceStatus, DecisionStatus, MinutesStatus, Purpose, ToRStatus
from committees.models import (
    Action,
    AgendaItem,
    Attendance,
    Committee,
    Decision,
    DecisionVoter,
    Erratum,
    Exclusion,
    Matter,
    Meeting,
    Membership,
    MembershipStatus,
    Minutes,
    Paper,
    TermsOfReference,
    Vote,
    closed_vote_at_meeting,
    closed_vote_on_item,
    minutes_freeze,
)
from functions.models import Function


def committees_visible_to(user: AnyUser) -> QuerySet[Committee]:
    """Committees serving a CCG the user may see, and those the user sits on."""
    if not user.is_authenticated:
        return Committee.objects.none()
    if core.is_administrator(user):
        return Committee.objects.all()
    seated = get_objects_for_user(
        user, "committees.sit_on_committee", klass=Committee.objects.all(), accept_global_perms=False
    )
    return Committee.objects.filter(
        Q(ccgs__in=ccgs_visible_to(user)) | Q(pk__in=seated.values("pk"))
    ).distinct()


def committee_get(user: AnyUser, pk: int) -> Committee:
    committee = committees_visible_to(user).filter(pk=pk).first()
    if committee is None:
        raise Http404("No such committee.")
    return committee


def approved_terms(committee: Committee) -> TermsOfReference | None:
    """The terms of reference approved now: the version in force today (approval dates are never in the
    future). What happened on a past date is judged by `terms_in_force` for that date."""
    return committee.terms_of_reference.filter(status=ToRStatus.APPROVED).first()


# Versions that are or were in force; a draft never was.
HAVE_BEEN_IN_FORCE = (ToRStatus.APPROVED, ToRStatus.SUPERSEDED)


def in_force_on(on: dt.date | F) -> Q:
    """Terms of reference in force on a date (or on a date column, through `OuterRef`): approved on or
    before it and not superseded by then."""
    return Q(status__in=HAVE_BEEN_IN_FORCE, approved_on__lte=on) & (
        Q(superseded_on__isnull=True) | Q(superseded_on__gt=on)
    )


def terms_in_force(committee: Committee, on: dt.date) -> TermsOfReference | None:
    """The terms of reference in force on a date, whose quorum, composition, casting vote and chair's
    action rules govern that day (one query); None before the first version was approved."""
    return (
        TermsOfReference.objects.filter(in_force_on(on), committee=committee)
        .order_by("-approved_on", "-pk")
        .first()
    )


def terms_in_force_of(committee_ids: Iterable[int], on: dt.date) -> dict[int, TermsOfReference]:
    """`terms_in_force` for many committees on one date, by committee id (one query)."""
    found: dict[int, TermsOfReference] = {}
    in_force = TermsOfReference.objects.filter(in_force_on(on), committee_id__in=list(committee_ids))
    for terms in in_force.order_by("approved_on", "pk"):
        found[terms.committee_id] = terms  # the latest approved wins, as in `terms_in_force`
    return found


@dataclass(frozen=True)
class TermsTimeline:
    """Every version of some committees' terms that has been in force, to answer "in force on" for
    many dates without a query each (a year's meetings for a pack)."""

    versions: dict[int, list[TermsOfReference]]

    def on(self, committee_id: int, on: dt.date) -> TermsOfReference | None:
        """The version in force on a date, by the same rule as `in_force_on`."""
        in_force = [
            t
            for t in self.versions.get(committee_id, [])
            if t.approved_on is not None
            and t.approved_on <= on
            and (t.superseded_on is None or t.superseded_on > on)
        ]
        return max(in_force, key=lambda t: (t.approved_on, t.pk)) if in_force else None


def terms_timeline(committee_ids: Iterable[int]) -> TermsTimeline:
    """The versions of the committees' terms that have been in force (one query)."""
    versions: dict[int, list[TermsOfReference]] = {}
    for terms in TermsOfReference.objects.filter(
        committee_id__in=list(committee_ids), status__in=HAVE_BEEN_IN_FORCE
    ).order_by("approved_on", "pk"):
        versions.setdefault(terms.committee_id, []).append(terms)
    return TermsTimeline(versions)


def no_terms_in_force(on: dt.date | None = None) -> str:
    """Why no rule can be applied: no terms of reference were in force on the date (today if none)."""
    if on is None or on == timezone.localdate():
        return "The committee has no approved terms of reference."
    return f"No terms of reference were in force on {on:%-d %B %Y}: none had been approved by then."


def seats_on(committee: Committee, on: dt.date) -> list[Membership]:
    """The members sitting on a date."""
    return list(
        committee.memberships.filter(starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        .select_related("person")
        .order_by("office", "person__full_name")
    )


def as_seat(membership: Membership) -> rules.Seat:
    return rules.Seat(
        name=str(membership.person),
        category=rules.MemberCategory(membership.category),
        voting=membership.voting,
        office=rules.Office(membership.office),
        person_id=membership.person_id,
    )


def quorum_rule(terms: TermsOfReference) -> rules.QuorumRule:
    return rules.QuorumRule(minimum=terms.quorum_minimum, categories=dict(terms.quorum_categories or {}))


@dataclass(frozen=True)
class Composition:
    terms: TermsOfReference | None
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def composition_of(committee: Committee, on: dt.date | None = None) -> Composition:
    """Whether the committee's members on a date (today if none) meet the composition rule of the terms
    of reference in force that day."""
    on = on or timezone.localdate()
    terms = terms_in_force(committee, on)
    if terms is None:
        return Composition(None, [no_terms_in_force(on)])
    seats = [as_seat(m) for m in seats_on(committee, on)]
    problems = rules.composition_problems(
        rules.CompositionRule(terms.composition_rule), seats, rules.CastingVote(terms.casting_vote)
    )
    return Composition(terms, problems)


class QuorumState:
    """What an item's quorum can be said to be: pages show each differently, never by colour alone."""

    NOT_RECORDED = "not_recorded"
    QUORATE = "quorate"
    INQUORATE = "inquorate"


@dataclass(frozen=True)
class ItemQuorum:
    """The quorum of one item: who counts, who is excluded and why, and the verdict.

    Until anyone's attendance is recorded for the meeting (which can only be done once it has
    started) nobody counts, but that says nothing about the quorum: the item is then neither quorate
    nor inquorate, and says so. Services still treat it as not quorate, so no vote opens on it.
    """

    item: AgendaItem
    rule: rules.QuorumRule | None
    counted: list[Membership]
    excluded: list[tuple[Membership, Exclusion]]
    absent: list[Membership]
    result: rules.QuorumResult | None
    attendance_recorded: bool = True
    on: dt.date | None = None  # the meeting's date, whose terms of reference count the quorum
    terms: TermsOfReference | None = None  # the terms in force on that date

    @property
    def quorate(self) -> bool:
        return self.attendance_recorded and self.result is not None and self.result.quorate

    @property
    def state(self) -> str:
        if not self.attendance_recorded:
            return QuorumState.NOT_RECORDED
        return QuorumState.QUORATE if self.quorate else QuorumState.INQUORATE

    @property
    def label(self) -> str:
        """The verdict in a few words, as the quorum tags show it."""
        return {
            QuorumState.NOT_RECORDED: "Attendance not recorded yet",
            QuorumState.QUORATE: "Quorate",
            QuorumState.INQUORATE: "Inquorate",
        }[self.state]

    @property
    def explanation(self) -> str:
        if self.rule is None or self.result is None:
            return f"No quorum can be counted. {no_terms_in_force(self.on)}"
        if not self.attendance_recorded:
            return (
                "Attendance has not been recorded yet, so the quorum cannot be counted. "
                f"The quorum is {self.rule.describe()}."
            )
        return self.result.explain(self.rule)


def item_quorum(item: AgendaItem, *, committee: Committee | None = None) -> ItemQuorum:
    """Count the quorum for an item: voting members present and not excluded from it, under the terms
    of reference in force on the meeting's date."""
    committee = committee or item.committee
    if committee is None:
        raise ValueError("Quorum is counted for an item a committee takes.")
    on = timezone.localtime(item.meeting.starts_at).date()
    seats = seats_on(committee, on)
    attendance = dict(
        Attendance.objects.filter(meeting_id=item.meeting_id).values_list("person_id", "status")
    )
    present = {pid for pid, status in attendance.items() if status == AttendanceStatus.PRESENT}
    exclusions = {e.person_id: e for e in Exclusion.objects.filter(item=item)}
    return _count_quorum(
        item,
        seats,
        present,
        exclusions,
        terms_in_force(committee, on),
        attendance_recorded=bool(attendance),
        on=on,
    )


def meetings_visible_to(user: AnyUser) -> QuerySet[Meeting]:
    return Meeting.objects.filter(committees__in=committees_visible_to(user)).distinct()


def meeting_get(user: AnyUser, pk: int) -> Meeting:
    meeting = (
        meetings_visible_to(user)
        .filter(pk=pk)
        .prefetch_related(
            "committees",
            Prefetch(
                "items",
                queryset=AgendaItem.objects.select_related(
                    "committee", "function", "ccg", "decision"
                ).order_by("number"),
            ),
        )
        .first()
    )
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


def decisions_visible_to(user: AnyUser) -> QuerySet[Decision]:
    return Decision.objects.filter(committee__in=committees_visible_to(user)).select_related(
        "committee", "ccg", "function", "item__meeting", "supersedes", "superseded_by"
    )


def decision_get(user: AnyUser, pk: int) -> Decision:
    decision = decisions_visible_to(user).filter(pk=pk).first()
    if decision is None:
        raise Http404("No such decision.")
    return decision


def decisions_awaiting_approval(user: AnyUser) -> QuerySet[Decision]:
    """Recorded decisions of the committees the user chairs: the chair's approval list."""
    if not user.is_authenticated:
        return Decision.objects.none()
    chaired = get_objects_for_user(
        user, "committees.chair_committee", klass=Committee.objects.all(), accept_global_perms=False
    )
    return (
        Decision.objects.filter(committee__in=chaired, status=DecisionStatus.RECORDED)
        .select_related("committee", "ccg", "function", "item__meeting", "supersedes")
        .order_by("decided_on", "pk")
    )


def items_to_supersede_on(decision: Decision, *, limit: int = 30) -> QuerySet[AgendaItem]:
    """Agenda items that could carry a decision superseding this one: for decision, for the same CCG
    and function, at a started meeting of the same committee whose record is still open, with no decision yet;
    the latest meetings first, and only the nearest few (a committee's whole past is not a choice)."""
    ids = list(
        AgendaItem.objects.filter(
            committee_id=decision.committee_id,
            purpose=Purpose.DECISION,
            ccg_id=decision.ccg_id,
            function_id=decision.function_id,
            decision__isnull=True,
            # A resolution is put at the meeting, so only meetings that have started can carry it.
            meeting__starts_at__lte=timezone.now(),
        )
        .exclude(meeting__minutes__status=MinutesStatus.APPROVED)
        .order_by("-meeting__starts_at", "number")
        .values_list("pk", flat=True)[:limit]
    )
    return (
        AgendaItem.objects.filter(pk__in=ids)
        .select_related("meeting")
        .order_by("-meeting__starts_at", "number")
    )


def superseded_decisions_at(meeting: Meeting) -> list[Decision]:
    """Decisions taken at a meeting that a later decision has since superseded, with their successors."""
    return list(
        Decision.objects.filter(item__meeting=meeting, status=DecisionStatus.SUPERSEDED)
        .select_related("item", "superseded_by")
        .order_by("item__number")
    )


def meeting_started(meeting: Meeting) -> bool:
    """Whether the meeting has started, so that what happens at it may be recorded (pages offer the
    forms for attendance, rulings, votes and approvals from then; the services refuse them before)."""
    return rules.has_started(starts_at=meeting.starts_at, now=timezone.now())


def next_meeting_of(committee: Committee, after: dt.datetime) -> Meeting | None:
    return committee.meetings.filter(starts_at__gt=after).order_by("starts_at").first()


# Reads for the committee pages (appended with the pages) ---------------------------------------------


def committees_for_list(user: AnyUser) -> QuerySet[Committee]:
    """The committees a user may see, with what their list shows, in a fixed number of queries."""
    return (
        committees_visible_to(user)
        .select_related("reports_to", "area_team")
        .prefetch_related("ccgs")
        .order_by("kind", "name")
    )


def compositions_of(committees: list[Committee], on: dt.date | None = None) -> dict[int, Composition]:
    """`composition_of` for many committees at once (two queries, however many there are)."""
    on = on or timezone.localdate()
    ids = [c.pk for c in committees]
    terms = terms_in_force_of(ids, on)
    seats: dict[int, list[Membership]] = {pk: [] for pk in ids}
    for membership in _sitting(Membership.objects.filter(committee_id__in=ids), on):
        seats[membership.committee_id].append(membership)
    result = {}
    for committee in committees:
        approved = terms.get(committee.pk)
        if approved is None:
            result[committee.pk] = Composition(None, [no_terms_in_force(on)])
            continue
        problems = rules.composition_problems(
            rules.CompositionRule(approved.composition_rule),
            [as_seat(m) for m in seats[committee.pk]],
            rules.CastingVote(approved.casting_vote),
        )
        result[committee.pk] = Composition(approved, problems)
    return result


def _sitting(memberships: QuerySet[Membership], on: dt.date) -> QuerySet[Membership]:
    return (
        memberships.filter(starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        .select_related("person")
        .order_by("office", "person__full_name")
    )


@dataclass(frozen=True)
class CommitteeOverview:
    """What a committee's page shows besides the committee itself, in a fixed number of queries."""

    ccgs: list[CCG]
    functions: list[Function]
    reporting: list[Committee]
    terms_versions: list[TermsOfReference]
    members: list[Membership]
    upcoming: list[Meeting]
    past: list[Meeting]
    decisions: list[Decision]

    @property
    def approved(self) -> TermsOfReference | None:
        return next((t for t in self.terms_versions if t.status == ToRStatus.APPROVED), None)


def committee_overview(
    committee: Committee, *, now: dt.datetime | None = None, limit: int = 10
) -> CommitteeOverview:
    """A committee's CCGs, functions, reporting groups, terms, current members, meetings, decisions."""
    now = now or timezone.now()
    meetings = committee.meetings.prefetch_related("committees")
    return CommitteeOverview(
        ccgs=list(committee.ccgs.order_by("name")),
        functions=list(committee.functions.order_by("number")),
        reporting=list(committee.reporting_committees.order_by("name")),
        terms_versions=list(committee.terms_of_reference.order_by("-id")),
        members=list(
            committee.memberships.exclude(status=MembershipStatus.ENDED)
            .select_related("person")
            .order_by("office", "person__full_name")
        ),
        upcoming=list(meetings.filter(starts_at__gte=now).order_by("starts_at")[:limit]),
        past=list(meetings.filter(starts_at__lt=now).order_by("-starts_at")[:limit]),
        decisions=list(
            committee.decisions.select_related(
                "ccg", "function", "item__meeting", "supersedes", "superseded_by"
            ).order_by("-decided_on", "-id")[:limit]
        ),
    )


def terms_get(user: AnyUser, pk: int) -> TermsOfReference:
    terms = (
        TermsOfReference.objects.filter(committee__in=committees_visible_to(user), pk=pk)
        .select_related("committee")
        .first()
    )
    if terms is None:
        raise Http404("No such terms of reference.")
    return terms


def membership_get(user: AnyUser, pk: int) -> Membership:
    membership = (
        Membership.objects.filter(committee__in=committees_visible_to(user), pk=pk)
        .select_related("committee", "person")
        .first()
    )
    if membership is None:
        raise Http404("No such seat.")
    return membership


def agenda_item_get(user: AnyUser, pk: int) -> AgendaItem:
    item = (
        AgendaItem.objects.filter(meeting__in=meetings_visible_to(user), pk=pk)
        .select_related("meeting", "committee", "ccg", "function", "matter", "ratifies__committee")
        .prefetch_related("practices")
        .first()
    )
    if item is None:
        raise Http404("No such agenda item.")
    return item


def later_meetings_of(meeting: Meeting, *, started_by: dt.datetime | None = None) -> QuerySet[Meeting]:
    """Later meetings of any of the meeting's committees: where its minutes may be approved (only
    those started by `started_by`, when given, since minutes are approved at a meeting being held)."""
    later = Meeting.objects.filter(committees__in=meeting.committees.all(), starts_at__gt=meeting.starts_at)
    if started_by is not None:
        later = later.filter(starts_at__lte=started_by)
    return later.distinct().order_by("starts_at")


def papers_visible_to(user: AnyUser, item: AgendaItem) -> list[Paper]:
    """An item's papers; a private-session item's papers only for its committee's members and managers."""
    if not permissions.can_read_papers(user, item):
        return []
    return list(item.papers.order_by("id"))


def paper_get(user: AnyUser, pk: int) -> Paper:
    paper = Paper.objects.filter(pk=pk).select_related("item__meeting", "item__committee").first()
    if paper is None or not meetings_visible_to(user).filter(pk=paper.item.meeting_id).exists():
        raise Http404("No such paper.")
    if not permissions.can_read_papers(user, paper.item):
        raise Http404("No such paper.")
    return paper


def matters_visible_to(user: AnyUser) -> QuerySet[Matter]:
    return Matter.objects.filter(ccg__in=ccgs_visible_to(user)).select_related("ccg", "function")


def matter_get(user: AnyUser, pk: int) -> Matter:
    matter = matters_visible_to(user).filter(pk=pk).prefetch_related("practices").first()
    if matter is None:
        raise Http404("No such matter.")
    return matter


def matters_waiting_for(user: AnyUser) -> QuerySet[Matter]:
    """Matters the user may see that are on no agenda yet."""
    return matters_visible_to(user).filter(agenda_items__isnull=True).order_by("raised_on", "title")


# The meeting page: everything it shows, in a fixed number of queries -------------------------------


@dataclass(frozen=True)
class MeetingRecord:
    meeting: Meeting
    committees: list[Committee]
    items: list[AgendaItem]
    decisions: dict[int, Decision]
    members: dict[int, list[Membership]]
    attendance: dict[int, Attendance]
    guests: list[Attendance]
    quorums: dict[int, ItemQuorum]
    actions: list[Action]
    minutes: Minutes | None

    def members_of(self, committee: Committee) -> list[Membership]:
        return self.members.get(committee.pk, [])


def _count_quorum(
    item: AgendaItem,
    seats: list[Membership],
    present: set[int],
    exclusions: dict[int, Exclusion],
    terms: TermsOfReference | None,
    *,
    attendance_recorded: bool,
    on: dt.date,
) -> ItemQuorum:
    # The count behind `item_quorum` and the meeting's record, from rows already loaded.
    counted, excluded, absent = [], [], []
    for seat in seats:
        if seat.person_id not in present:
            absent.append(seat)
        elif seat.person_id in exclusions:
            excluded.append((seat, exclusions[seat.person_id]))
        else:
            counted.append(seat)
    if terms is None:
        return ItemQuorum(item, None, counted, excluded, absent, None, attendance_recorded, on)
    rule = quorum_rule(terms)
    return ItemQuorum(
        item,
        rule,
        counted,
        excluded,
        absent,
        rules.quorum(rule, [as_seat(m) for m in counted]),
        attendance_recorded,
        on,
        terms,
    )


def meeting_record(meeting: Meeting) -> MeetingRecord:
    """A meeting's agenda, attendance, live quorum of each item for decision, actions and minutes."""
    return meeting_records([meeting])[0]


def meeting_records(meetings: list[Meeting]) -> list[MeetingRecord]:
    """The records of several meetings in a fixed number of queries (a year's meetings for a pack)."""
    if not meetings:
        return []
    ids = [m.pk for m in meetings]
    prefetch_related_objects(meetings, Prefetch("committees", queryset=Committee.objects.order_by("name")))
    committee_ids = {c.pk for m in meetings for c in m.committees.all()}
    items: dict[int, list[AgendaItem]] = {pk: [] for pk in ids}
    for item in (
        AgendaItem.objects.filter(meeting_id__in=ids)
        .select_related("committee", "ccg", "function", "matter", "ratifies")
        .order_by("meeting_id", "number")
    ):
        items[item.meeting_id].append(item)
    linked = Decision.objects.select_related("supersedes", "superseded_by")
    decisions = {d.item_id: d for d in linked.filter(item__meeting_id__in=ids) if d.item_id}
    # Every seat of the meetings' committees, in the order pages show them; who sat is decided per date.
    seats = list(
        Membership.objects.filter(committee_id__in=committee_ids)
        .select_related("person")
        .order_by("office", "person__full_name")
    )
    attendance: dict[int, dict[int, Attendance]] = {pk: {} for pk in ids}
    for row in Attendance.objects.filter(meeting_id__in=ids).select_related("person"):
        attendance[row.meeting_id][row.person_id] = row
    # Each meeting is judged by the terms in force on its own date.
    terms = terms_timeline(committee_ids)
    exclusions: dict[int, dict[int, Exclusion]] = {}
    for exclusion in Exclusion.objects.filter(item__meeting_id__in=ids).select_related("person"):
        exclusions.setdefault(exclusion.item_id, {})[exclusion.person_id] = exclusion
    actions: dict[int, list[Action]] = {pk: [] for pk in ids}
    for action in (
        Action.objects.filter(meeting_id__in=ids).select_related("owner", "item").order_by("due_on", "id")
    ):
        actions[action.meeting_id].append(action)
    minutes = {
        m.meeting_id: m
        for m in Minutes.objects.filter(meeting_id__in=ids).select_related(
            "approved_at_meeting", "approved_by"
        )
    }
    return [
        _meeting_record(
            meeting,
            items[meeting.pk],
            decisions,
            seats,
            attendance[meeting.pk],
            terms,
            exclusions,
            actions[meeting.pk],
            minutes.get(meeting.pk),
        )
        for meeting in meetings
    ]


def _meeting_record(
    meeting: Meeting,
    items: list[AgendaItem],
    decisions: dict[int, Decision],
    seats: list[Membership],
    attendance: dict[int, Attendance],
    terms: TermsTimeline,
    exclusions: dict[int, dict[int, Exclusion]],
    actions: list[Action],
    minutes: Minutes | None,
) -> MeetingRecord:
    on = timezone.localtime(meeting.starts_at).date()
    committees = list(meeting.committees.all())
    members: dict[int, list[Membership]] = {c.pk: [] for c in committees}
    for membership in seats:
        sitting = membership.starts_on <= on and (membership.ends_on is None or membership.ends_on > on)
        if sitting and membership.committee_id in members:
            members[membership.committee_id].append(membership)
    member_ids = {m.person_id for sitting in members.values() for m in sitting}
    guests = sorted(
        (a for a in attendance.values() if a.person_id not in member_ids), key=lambda a: a.person.full_name
    )
    present = {pid for pid, a in attendance.items() if a.status == AttendanceStatus.PRESENT}
    quorums = {
        item.pk: _count_quorum(
            item,
            members.get(item.committee_id, []),
            present,
            exclusions.get(item.pk, {}),
            terms.on(item.committee_id, on),
            attendance_recorded=bool(attendance),
            on=on,
        )
        for item in items
        if item.purpose == Purpose.DECISION and item.committee_id is not None
    }
    return MeetingRecord(
        meeting=meeting,
        committees=committees,
        items=items,
        decisions={item.pk: decisions[item.pk] for item in items if item.pk in decisions},
        members=members,
        attendance=attendance,
        guests=guests,
        quorums=quorums,
        actions=actions,
        minutes=minutes,
    )


def decision_detail_of(decision: Decision) -> tuple[list[DecisionVoter], list[Vote]]:
    """Who could vote (frozen at the close) and the votes cast, each with their person."""
    voters = list(decision.voters.select_related("person").order_by("-eligible", "person__full_name"))
    votes = list(decision.votes.select_related("person", "recorded_by").order_by("person__full_name"))
    return voters, votes


def ccgs_governed_by(user: AnyUser) -> QuerySet[CCG]:
    """The CCGs a user may change (governance officers' own; all for administrators)."""
    if not user.is_authenticated:
        return CCG.objects.none()
    if core.is_administrator(user):
        return CCG.objects.all()
    return get_objects_for_user(user, "cocomm.change_ccg", klass=CCG.objects.all(), accept_global_perms=True)


def upcoming_meetings_of(committee_ids: list[int], *, now: dt.datetime | None = None) -> QuerySet[Meeting]:
    """Meetings from now on of any of the committees, soonest first."""
    return (
        Meeting.objects.filter(committees__in=committee_ids, starts_at__gte=now or timezone.now())
        .distinct()
        .order_by("starts_at")
    )


def minutes_of(meeting: Meeting) -> Minutes | None:
    return (
        Minutes.objects.filter(meeting=meeting).select_related("approved_at_meeting", "approved_by").first()
    )


# Frozen records and errata ---------------------------------------------------------------------------


def record_frozen_because(meeting: Meeting) -> str:
    """Why nothing recorded at a meeting may change (its minutes are approved), or ""; pages show it
    in place of the forms that could no longer be used."""
    return minutes_freeze(meeting.pk)


def item_frozen_because(item: AgendaItem) -> str:
    """Why the declarations, rulings, exclusions and votes on an item may not change, or ""."""
    return minutes_freeze(item.meeting_id) or closed_vote_on_item(item.pk)


def attendance_frozen_because(meeting: Meeting) -> str:
    """Why a meeting's attendance may not change (minutes approved, or a vote there closed), or ""."""
    return minutes_freeze(meeting.pk) or closed_vote_at_meeting(meeting.pk)


def errata_of(minutes: Minutes | None) -> list[Erratum]:
    """The corrections recorded to approved minutes, oldest first, each with where it was raised."""
    if minutes is None:
        return []
    return list(
        Erratum.objects.filter(minutes=minutes)
        .select_related("item__meeting", "recorded_by")
        .order_by("recorded_at", "pk")
    )


def items_to_raise_errata_at(
    minutes: Minutes, *, now: dt.datetime | None = None, limit: int = 5
) -> list[AgendaItem]:
    """Where an erratum to approved minutes may be raised: the items of the committee's later meetings
    that have started and whose own record is still open, the nearest meetings first (a few of them)."""
    meeting = minutes.meeting
    meetings = list(
        Meeting.objects.filter(
            committees__in=meeting.committees.all(),
            starts_at__gt=meeting.starts_at,
            starts_at__lte=now or timezone.now(),
        )
        .exclude(minutes__status=MinutesStatus.APPROVED)
        .distinct()
        .order_by("-starts_at")[:limit]
    )
    order = {m.pk: n for n, m in enumerate(meetings)}
    items = AgendaItem.objects.filter(meeting__in=meetings).select_related("meeting")
    return sorted(items, key=lambda i: (order[i.meeting_id], i.number))
