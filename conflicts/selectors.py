"""Reads about interests and conflicts: current interests, detection on an agenda, the chair's
pre-meeting checklist, who is overdue, campaign progress and the public registers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Count, Max, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils import timezone

from cocomm.models import CCG, Organisation, Person, Practice
from cocomm.permissions import AnyUser
from committees import rules as committee_rules
from committees.choices import AttendanceStatus, CommitteeKind, Office, Purpose
from committees.models import (
    AgendaItem,
    Attendance,
    Committee,
    Decision,
    Exclusion,
    Meeting,
    Membership,
    MembershipStatus,
    Vote,
)
from committees.roles import CHAIR_OFFICES
from committees.selectors import as_seat, meeting_record, meetings_visible_to, seats_on
from conflicts import permissions, rules
from conflicts.models import (
    Award,
    Breach,
    BreachStatus,
    Campaign,
    CampaignRecipient,
    Declaration,
    GiftOrHospitality,
    ItemChair,
    ItemDeclaration,
    NHSEReport,
    ProcurementRecord,
    Referral,
    Ruling,
)

# The bodies whose voting members are "decision-makers" for the published register.
DECIDING_KINDS = (CommitteeKind.GOVERNING_BODY, CommitteeKind.PCCC, CommitteeKind.JOINT_COMMITTEE)


def current_interests(persons: list[int], on: dt.date) -> QuerySet[Declaration]:
    """Declared interests (not nil returns) of these people that are current on a date."""
    return (
        Declaration.objects.filter(person_id__in=persons, nil_return=False)
        .filter(Q(interest_from__isnull=True) | Q(interest_from__lte=on))
        .filter(Q(interest_to__isnull=True) | Q(interest_to__gte=on))
        .select_related("person", "practice", "organisation")
    )


def interest_fact(declaration: Declaration) -> rules.InterestFact:
    return rules.InterestFact(
        person_id=declaration.person_id,
        person=str(declaration.person),
        kind_label=declaration.get_interest_type_display().lower(),
        description=declaration.description,
        practice_id=declaration.practice_id,
        practice=str(declaration.practice.name) if declaration.practice else "",
        organisation_id=declaration.organisation_id,
        organisation=str(declaration.organisation) if declaration.organisation else "",
        in_practice_of_ccg_id=declaration.practice.ccg_id if declaration.practice else None,
        declaration_id=declaration.pk,
    )


@dataclass(frozen=True)
class FlagStatus:
    """One person flagged on an item, whether they must be ruled on before the vote, and the ruling."""

    flag: rules.Flag
    name: str
    person_id: int
    takes_part: bool  # a member of the committee not recorded as away, or an attendee in attendance
    is_chair: bool
    ruling: ItemDeclaration | None
    exclusion: Exclusion | None  # a ruling recorded through the committee's own exclusion form

    @property
    def ruled(self) -> bool:
        return self.ruling is not None or self.exclusion is not None


@dataclass
class ItemCheck:
    """One item of the chair's pre-meeting checklist."""

    item: AgendaItem
    flags: list[rules.Flag] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)
    quorate_now: bool | None = None
    # False until anyone's attendance at the meeting is recorded: "quorate now" is not known before.
    attendance_recorded: bool = True
    quorate_if_flagged_leave: bool | None = None
    explanation_if_flagged_leave: str = ""
    statuses: list[FlagStatus] = field(default_factory=list)
    seats: list[Membership] = field(default_factory=list)  # the committee taking the item, on the day
    present: set[int] = field(default_factory=set)  # recorded present
    attendance_taken: bool = False  # any attendance recorded for the meeting yet
    item_chair: ItemChair | None = None

    def member_takes_part(self, person_id: int) -> bool:
        """Before attendance is taken every member is expected; after, those recorded present (as the
        quorum counts them). A member recorded present after the vote opened is caught at its close."""
        return person_id in self.present if self.attendance_taken else True

    @property
    def at_risk(self) -> bool:
        return self.quorate_if_flagged_leave is False

    @property
    def unruled(self) -> list[FlagStatus]:
        """Who must still be ruled on before the item goes to the vote."""
        return [s for s in self.statuses if s.takes_part and not s.ruled]

    @property
    def chair_flagged(self) -> bool:
        return any(s.is_chair and s.takes_part for s in self.statuses)

    @property
    def flagged_ids(self) -> set[int]:
        return {f.person_id for f in self.flags}

    def may_chair_item(self, seat: Membership) -> bool:
        """A voting member, not away, not a chair and not flagged on the item may chair it instead."""
        return (
            seat.voting
            and seat.office not in CHAIR_OFFICES
            and self.member_takes_part(seat.person_id)
            and seat.person_id not in self.flagged_ids
        )

    @property
    def vice_chair(self) -> Membership | None:
        """The vice-chair who takes the item when the chair is conflicted, if one is free to."""
        return next((s for s in self.seats if s.office == Office.VICE_CHAIR and self.may_chair_item(s)), None)

    @property
    def acting_chair(self) -> tuple[int, str, str] | None:
        """Who chairs the item in the chair's place: (person id, name, why), or None when nobody does."""
        if self.item_chair is not None:
            return self.item_chair.person_id, str(self.item_chair.person), self.item_chair.reason
        vice = self.vice_chair if self.chair_flagged else None
        if vice is None:
            return None
        return (
            vice.person_id,
            str(vice.person),
            "The chair has a conflict on the item; the vice-chair chairs it.",
        )


def _statuses(
    check: ItemCheck,
    guests: set[int],
    rulings: dict[int, ItemDeclaration],
    exclusions: dict[int, Exclusion],
) -> list[FlagStatus]:
    seats = {m.person_id: m for m in check.seats}
    statuses = []
    for flag in check.flags:
        seat = seats.get(flag.person_id)
        takes_part = (
            seat is not None and check.member_takes_part(flag.person_id)
        ) or flag.person_id in guests
        statuses.append(
            FlagStatus(
                flag=flag,
                name=check.names.get(flag.person_id, "A member"),
                person_id=flag.person_id,
                takes_part=takes_part,
                is_chair=seat is not None and seat.office in CHAIR_OFFICES,
                ruling=rulings.get(flag.person_id),
                exclusion=exclusions.get(flag.person_id),
            )
        )
    return statuses


def meeting_checklist(meeting: Meeting) -> list[ItemCheck]:
    """Likely conflicts on each business item, and which items would become inquorate if every
    flagged member stepped out (members expected: all but those who sent apologies or were absent).

    Each flag carries where its ruling stands. Before attendance is recorded every member of the
    committee is expected, so every flagged member must be ruled on; once it is recorded, the members
    recorded present and the attendees recorded in attendance.
    """
    # The meeting's record (seats, attendance, each item's live quorum) comes in a fixed number of
    # queries, so the checklist costs the same however many items and members there are.
    record = meeting_record(meeting)
    on = timezone.localtime(meeting.starts_at).date()
    items = [i for i in record.items if i.committee_id is not None and not i.standard]
    prefetch_related_objects(items, "practices", "organisations")
    attendance = {pid: a.status for pid, a in record.attendance.items()}
    present = {pid for pid, st in attendance.items() if st == AttendanceStatus.PRESENT}
    guests = {pid for pid, st in attendance.items() if st == AttendanceStatus.IN_ATTENDANCE}
    persons = {m.person_id: m.person for seats in record.members.values() for m in seats} | {
        pid: a.person for pid, a in record.attendance.items() if a.status == AttendanceStatus.IN_ATTENDANCE
    }
    interests = [interest_fact(d) for d in current_interests(sorted(persons), on)]
    facts = [
        rules.ItemFact(
            item_id=i.pk,
            title=i.title,
            ccg_id=i.ccg_id,
            function_number=i.function.number if i.function is not None else None,
            practice_ids=frozenset(p.pk for p in i.practices.all()),
            organisation_ids=frozenset(o.pk for o in i.organisations.all()),
        )
        for i in items
    ]
    flags = rules.detect(facts, interests)
    names = {pk: str(person) for pk, person in persons.items()}
    item_ids = [i.pk for i in items]
    rulings: dict[int, dict[int, ItemDeclaration]] = {}
    for declaration in ItemDeclaration.objects.filter(item_id__in=item_ids).select_related("ruled_by"):
        rulings.setdefault(declaration.item_id, {})[declaration.person_id] = declaration
    exclusions: dict[int, dict[int, Exclusion]] = {}
    for exclusion in Exclusion.objects.filter(item_id__in=item_ids):
        exclusions.setdefault(exclusion.item_id, {})[exclusion.person_id] = exclusion
    item_chairs = {
        c.item_id: c for c in ItemChair.objects.filter(item_id__in=item_ids).select_related("person")
    }
    checks = []
    for item in items:
        check = ItemCheck(
            item=item,
            flags=[f for f in flags if f.item_id == item.pk],
            names=names,
            seats=record.members.get(item.committee_id or 0, []),
            present=present,
            attendance_taken=bool(attendance),
            item_chair=item_chairs.get(item.pk),
        )
        check.statuses = _statuses(check, guests, rulings.get(item.pk, {}), exclusions.get(item.pk, {}))
        quorum = record.quorums.get(item.pk)
        if item.purpose == Purpose.DECISION and item.committee is not None and quorum is not None:
            check.quorate_now = quorum.quorate
            check.attendance_recorded = quorum.attendance_recorded
            rule = quorum.rule  # None when the committee has no approved terms of reference
            if rule is not None:
                flagged = {f.person_id for f in check.flags}
                expected = [
                    as_seat(m)
                    for m in record.members.get(item.committee.pk, [])
                    if attendance.get(m.person_id)
                    not in (AttendanceStatus.APOLOGIES, AttendanceStatus.ABSENT)
                    and m.person_id not in flagged
                ]
                result = committee_rules.quorum(rule, expected)
                check.quorate_if_flagged_leave = result.quorate
                check.explanation_if_flagged_leave = result.explain(rule)
        checks.append(check)
    return checks


def item_check(item: AgendaItem) -> ItemCheck | None:
    """The checklist's row for one business item: who is flagged on it and where each ruling stands."""
    if item.committee_id is None or item.standard:
        return None
    return next((c for c in meeting_checklist(item.meeting) if c.item.pk == item.pk), None)


# Who is overdue ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonStatus:
    person: Person
    last_declared_on: dt.date | None
    appointed_on: dt.date | None
    overdue: list[rules.Overdue]
    answered_campaign: bool = False
    nil_return: bool = False

    @property
    def reasons(self) -> list[str]:
        return [rules.OVERDUE_LABELS[r] for r in self.overdue]


def people_in_scope(ccg: CCG, on: dt.date) -> list[Membership]:
    """Current seats on the committees that serve the CCG (the people who must declare)."""
    return list(
        Membership.objects.filter(committee__ccgs=ccg, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        .exclude(status=MembershipStatus.ENDED)
        .select_related("person", "committee")
        .order_by("person__full_name")
    )


def declaration_status(
    ccg: CCG, today: dt.date | None = None, campaign: Campaign | None = None
) -> list[PersonStatus]:
    """Everyone who must declare to the CCG, with their last declaration and whether they are overdue."""
    today = today or timezone.localdate()
    seats = people_in_scope(ccg, today)
    appointed: dict[int, dt.date] = {}
    persons: dict[int, Person] = {}
    for seat in seats:
        persons[seat.person_id] = seat.person
        appointed[seat.person_id] = max(appointed.get(seat.person_id, seat.starts_on), seat.starts_on)
    last = dict(
        Declaration.objects.filter(ccg=ccg, person_id__in=persons)
        .values("person_id")
        .annotate(latest=Max("declared_on"))
        .values_list("person_id", "latest")
    )
    answered: set[int] = set()
    nil: set[int] = set()
    if campaign is not None:
        for person_id, is_nil in Declaration.objects.filter(campaign=campaign).values_list(
            "person_id", "nil_return"
        ):
            answered.add(person_id)
            if is_nil:
                nil.add(person_id)
    statuses = []
    for person_id, person in persons.items():
        overdue = rules.overdue_reasons(
            today=today,
            appointed_on=appointed.get(person_id),
            last_declared_on=last.get(person_id),
            campaign_deadline=campaign.deadline if campaign is not None and not campaign.closed else None,
            answered_campaign=person_id in answered,
        )
        statuses.append(
            PersonStatus(
                person=person,
                last_declared_on=last.get(person_id),
                appointed_on=appointed.get(person_id),
                overdue=overdue,
                answered_campaign=person_id in answered,
                nil_return=person_id in nil,
            )
        )
    return statuses


def open_campaign(ccg: CCG) -> Campaign | None:
    return Campaign.objects.filter(ccg=ccg, closed=False).order_by("-opened_on").first()


# Public registers --------------------------------------------------------------------------------------


def decision_makers(ccg: CCG, on: dt.date) -> set[int]:
    """People with a voting seat, now or within the last 6 months, on a body that decides for the CCG."""
    since = rules.add_months(on, -rules.PUBLISH_AFTER_END_MONTHS)
    return set(
        Membership.objects.filter(committee__ccgs=ccg, committee__kind__in=DECIDING_KINDS, voting=True)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=since))
        .values_list("person_id", flat=True)
    )


@dataclass(frozen=True)
class PublicRegister:
    entries: list[Declaration]
    withheld: int


def public_register_of_interests(ccg: CCG, today: dt.date | None = None) -> PublicRegister:
    """The published register: decision-makers' interests, with consent, current or ended within 6 months."""
    today = today or timezone.localdate()
    makers = decision_makers(ccg, today)
    entries, withheld = [], 0
    for declaration in (
        Declaration.objects.filter(ccg=ccg, nil_return=False)
        .select_related("person", "practice", "organisation")
        .order_by("person__full_name", "-declared_on", "-pk")
    ):
        verdict = rules.publication(
            decision_maker=declaration.person_id in makers,
            consent=declaration.consent_to_publish,
            ended_on=declaration.interest_to,
            today=today,
        )
        if verdict == rules.Publication.PUBLISHED:
            entries.append(declaration)
        elif verdict == rules.Publication.WITHHELD:
            withheld += 1
    return PublicRegister(entries, withheld)


def public_gifts(ccg: CCG) -> QuerySet[GiftOrHospitality]:
    return (
        GiftOrHospitality.objects.filter(ccg=ccg)
        .select_related("person", "senior_approver")
        .order_by("-offered_on")
    )


def public_procurement(ccg: CCG) -> QuerySet[ProcurementRecord]:
    return ProcurementRecord.objects.filter(decision__ccg=ccg).select_related(
        "decision__committee", "decision__function"
    )


def committees_of(ccg: CCG) -> QuerySet[Committee]:
    return Committee.objects.filter(ccgs=ccg)


# Reads for the conflicts pages ---------------------------------------------------------------------


def person_of(user: AnyUser) -> Person | None:
    """The person record behind a login, if there is one."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user_id=user.pk).first()


def ccgs_sat_on(person: Person, on: dt.date) -> QuerySet[CCG]:
    """The CCGs served by the committees a person sits on today: the registers they declare to."""
    seats = (
        Membership.objects.filter(person=person, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        .exclude(status=MembershipStatus.ENDED)
    )
    return CCG.objects.filter(committees__memberships__in=seats).distinct().order_by("name")


def declarations_of(person: Person) -> QuerySet[Declaration]:
    """A person's own entries on every CCG's register, newest first."""
    return (
        Declaration.objects.filter(person=person)
        .select_related("ccg", "practice", "organisation", "mitigation_approved_by", "declared_by")
        .order_by("ccg__name", "-declared_on", "-pk")
    )


@dataclass(frozen=True)
class RegisterEntry:
    declaration: Declaration
    publication: rules.Publication | None  # None for a nil return, which is never published


def register_of_interests(ccg: CCG, today: dt.date | None = None) -> list[RegisterEntry]:
    """Every entry on a CCG's register (nil returns and withheld entries included, for its keepers),
    each with whether the published register shows it today."""
    today = today or timezone.localdate()
    makers = decision_makers(ccg, today)
    entries = []
    for declaration in (
        Declaration.objects.filter(ccg=ccg)
        .select_related("person", "practice", "organisation", "mitigation_approved_by", "declared_by")
        .order_by("person__full_name", "-declared_on", "-pk")
    ):
        verdict = None
        if not declaration.nil_return:
            verdict = rules.publication(
                decision_maker=declaration.person_id in makers,
                consent=declaration.consent_to_publish,
                ended_on=declaration.interest_to,
                today=today,
            )
        entries.append(RegisterEntry(declaration, verdict))
    return entries


def persons_in_scope(ccg: CCG, on: dt.date) -> QuerySet[Person]:
    """The people who sit on the CCG's committees on a date, each once, by name."""
    return Person.objects.filter(pk__in=[seat.person_id for seat in people_in_scope(ccg, on)]).order_by(
        "full_name"
    )


def declaration_get(user: AnyUser, pk: int) -> Declaration:
    """One entry, for its declarant and those who may see the CCG's registers; else a 404."""
    declaration = (
        Declaration.objects.filter(pk=pk)
        .select_related("ccg", "person", "practice", "organisation", "mitigation_approved_by", "declared_by")
        .first()
    )
    if declaration is None or not (
        permissions.is_declarant(user, declaration.person)
        or permissions.can_view_registers(user, declaration.ccg)
    ):
        raise Http404("No such declaration.")
    return declaration


def breaches_of(ccg: CCG) -> QuerySet[Breach]:
    return Breach.objects.filter(ccg=ccg).order_by("-occurred_on", "-pk")


def breach_get(user: AnyUser, pk: int) -> Breach:
    """One breach, for those who may see its CCG's breaches; for anyone else, a 404."""
    breach = Breach.objects.filter(pk=pk).select_related("ccg").first()
    if breach is None or not permissions.can_view_breaches(user, breach.ccg):
        raise Http404("No such breach.")
    return breach


def breach_counts(ccg: CCG) -> dict[str, int]:
    """How many of a CCG's breaches are at each step, and how many await a report to NHS England."""
    counts = {
        row["status"]: row["n"]
        for row in Breach.objects.filter(ccg=ccg).values("status").annotate(n=Count("pk")).order_by()
    }
    counts["awaiting_nhse_report"] = (
        Breach.objects.filter(ccg=ccg, nhse_report=NHSEReport.REQUIRED, reported_to_nhse_on__isnull=True)
        .exclude(status=BreachStatus.CLOSED)
        .count()
    )
    return counts


def referrals_of(ccg: CCG) -> QuerySet[Referral]:
    """Items of the CCG's committees referred elsewhere because conflicts left them inquorate, latest
    first, with where each went (a fixed number of queries, however many there are)."""
    return (
        Referral.objects.filter(item__committee__ccgs=ccg)
        .distinct()
        .select_related("item__meeting", "item__committee", "to_committee", "new_item__meeting")
        .order_by("-item__meeting__starts_at", "-pk")
    )


def campaigns_of(ccg: CCG) -> QuerySet[Campaign]:
    return Campaign.objects.filter(ccg=ccg).order_by("-opened_on", "-pk")


def campaign_get(user: AnyUser, pk: int) -> Campaign:
    """One campaign, for those who may see its CCG's registers; else a 404."""
    campaign = Campaign.objects.filter(pk=pk).select_related("ccg").first()
    if campaign is None or not permissions.can_view_registers(user, campaign.ccg):
        raise Http404("No such campaign.")
    return campaign


class Answer(StrEnum):
    DECLARED = "declared"
    NIL_RETURN = "nil_return"
    OVERDUE = "overdue"
    AWAITING = "awaiting"


@dataclass(frozen=True)
class RecipientProgress:
    recipient: CampaignRecipient
    answer: Answer


def campaign_progress(campaign: Campaign, today: dt.date | None = None) -> list[RecipientProgress]:
    """Each recipient of a campaign with their answer: declared, nil return, overdue or awaiting."""
    today = today or timezone.localdate()
    nil_by_person: dict[int, bool] = {}
    for person_id, nil in Declaration.objects.filter(campaign=campaign).values_list(
        "person_id", "nil_return"
    ):
        # Someone who declared an interest has answered with interests, whatever else they sent.
        nil_by_person[person_id] = nil_by_person.get(person_id, True) and nil
    progress = []
    for recipient in campaign.recipients.select_related("person").order_by("person__full_name"):
        if recipient.person_id in nil_by_person:
            answer = Answer.NIL_RETURN if nil_by_person[recipient.person_id] else Answer.DECLARED
        else:
            answer = Answer.OVERDUE if today > campaign.deadline else Answer.AWAITING
        progress.append(RecipientProgress(recipient, answer))
    return progress


def agenda_item_for_rulings(user: AnyUser, pk: int) -> AgendaItem:
    """A business item a committee takes, at a meeting the user may see; else a 404."""
    item = (
        AgendaItem.objects.filter(
            pk=pk, meeting__in=meetings_visible_to(user), committee__isnull=False, standard=""
        )
        .select_related("meeting", "committee", "ccg", "function")
        .first()
    )
    if item is None:
        raise Http404("No such agenda item.")
    return item


def people_at_item(item: AgendaItem) -> QuerySet[Person]:
    """Who may declare on an item: the members of the committee taking it, and those in attendance."""
    assert item.committee is not None
    on = timezone.localtime(item.meeting.starts_at).date()
    members = [m.person_id for m in seats_on(item.committee, on)]
    guests = Attendance.objects.filter(
        meeting_id=item.meeting_id, status=AttendanceStatus.IN_ATTENDANCE
    ).values_list("person_id", flat=True)
    return Person.objects.filter(Q(pk__in=members) | Q(pk__in=guests)).order_by("full_name")


def interests_for_ruling(item: AgendaItem, person: Person | None) -> QuerySet[Declaration]:
    """One person's register entries a ruling on the item may name: current on the meeting's day and
    declared by then (none when nobody is chosen, so no one sees everyone's entries)."""
    if person is None:
        return Declaration.objects.none()
    on = timezone.localtime(item.meeting.starts_at).date()
    return current_interests([person.pk], on).filter(declared_on__lte=on).order_by("-declared_on", "pk")


def people_to_chair(item: AgendaItem) -> QuerySet[Person]:
    """Who may be named to chair an item in a conflicted chair's place: voting members, present, not
    a chair and not flagged on it."""
    check = item_check(item)
    if check is None:
        return Person.objects.none()
    ids = [s.person_id for s in check.seats if check.may_chair_item(s)]
    return Person.objects.filter(pk__in=ids).order_by("full_name")


def item_declarations_of(item: AgendaItem) -> list[ItemDeclaration]:
    return list(
        ItemDeclaration.objects.filter(item=item)
        .select_related("person", "interest__practice", "interest__organisation", "ruled_by")
        .order_by("person__full_name")
    )


def referral_of(item: AgendaItem) -> Referral | None:
    return Referral.objects.filter(item=item).select_related("to_committee", "new_item__meeting").first()


def referral_targets(item: AgendaItem) -> QuerySet[Committee]:
    """The other committees serving the CCGs of the committee taking an item."""
    assert item.committee is not None
    return (
        Committee.objects.filter(ccgs__in=item.committee.ccgs.all())
        .exclude(pk=item.committee.pk)
        .distinct()
        .order_by("name")
    )


def public_ccgs() -> QuerySet[CCG]:
    """Every CCG, for the index of published registers."""
    return CCG.objects.select_related("area_team").order_by("name")


def ccg_public_get(ods_code: str) -> CCG:
    """A CCG by ODS code for the published registers (open to everyone); else a 404."""
    ccg = CCG.objects.filter(ods_code=ods_code.upper()).first()
    if ccg is None:
        raise Http404("No such CCG.")
    return ccg


# The register of procurement decisions, with its awards checked against interests -------------------


@dataclass(frozen=True)
class DecisionMaker:
    """Someone who took part in a decision, and how: the chair, a voter, present or in attendance."""

    person: Person
    roles: tuple[str, ...]

    @property
    def role_text(self) -> str:
        return ", ".join(self.roles)


@dataclass(frozen=True)
class FlagLine:
    """One flag of the awards cross-check, in words: who, which interests, and where it stands."""

    flag: rules.AwardFlag
    person: str
    interests: tuple[str, ...]
    withheld: bool  # every interest behind it is withheld from publication

    @property
    def text(self) -> str:
        held = "; ".join(self.interests)
        if self.flag.managed:
            return (
                f"{self.person} held an interest in the supplier ({held}); declared at the item, "
                f"ruling: {self.flag.ruling}."
            )
        return (
            f"{self.person} held an interest in the supplier ({held}) on the decision date and took part, "
            "but declared nothing at the item."
        )


@dataclass(frozen=True)
class ProcurementEntry:
    """An entry on the register of procurement decisions: the decision, its award (if recorded), who
    took part, the declarations and rulings at the item, and the awards cross-check."""

    record: ProcurementRecord
    award: Award | None
    decision_makers: list[DecisionMaker]
    declarations: list[ItemDeclaration]
    flags: list[FlagLine]

    @property
    def decision(self) -> Decision:
        return self.record.decision

    @property
    def not_declared(self) -> list[FlagLine]:
        return [f for f in self.flags if not f.flag.managed]

    @property
    def published_flags(self) -> list[FlagLine]:
        """The flags the published register shows: none built only on entries withheld from it."""
        return [f for f in self.flags if not f.withheld]

    @property
    def withheld_flags(self) -> int:
        return sum(1 for f in self.flags if f.withheld)

    @property
    def conflicts_text(self) -> str:
        """The declarations at the item and the cross-check, in words (for the CSV and PDF)."""
        lines = [self.record.conflicts_summary]
        lines += [f"{f.flag.label}: {f.text}" for f in self.published_flags]
        if self.withheld_flags:
            lines.append(
                f"{self.withheld_flags} further flag(s) rest on interests withheld from publication."
            )
        return " ".join(line for line in lines if line)


def procurement_records(ccg: CCG) -> QuerySet[ProcurementRecord]:
    """A CCG's register of procurement decisions, with each decision and award, latest first."""
    return (
        ProcurementRecord.objects.filter(decision__ccg=ccg)
        .select_related(
            "decision__committee",
            "decision__function",
            "decision__item__meeting",
            "award__practice",
            "award__organisation",
        )
        .order_by("-decision__decided_on", "-pk")
    )


class _TakingPart:
    """Who took part in one decision, each once, with every way they took part."""

    def __init__(self) -> None:
        self.roles: dict[int, list[str]] = {}
        self.persons: dict[int, Person] = {}
        self.chairs: set[int] = set()

    def add(self, person: Person, role: str, *, chair: bool = False) -> None:
        self.persons[person.pk] = person
        if chair:
            self.chairs.add(person.pk)
        if role not in self.roles.setdefault(person.pk, []):
            self.roles[person.pk].append(role)

    def decision_makers(self) -> list[DecisionMaker]:
        """The chair first, then everyone else by name."""
        order = sorted(self.persons.values(), key=lambda p: (p.pk not in self.chairs, p.full_name, p.pk))
        return [DecisionMaker(p, tuple(self.roles[p.pk])) for p in order]


# How a ruling at the item changed someone's part in the decision, in the register's words.
STEPPED_BACK = {
    Ruling.NO_VOTE: "Did not vote (the chair's ruling)",
    Ruling.LEAVES: "Left the meeting for the item",
}


def _holds_seat(seat: Membership, on: dt.date) -> bool:
    return seat.starts_on <= on and (seat.ends_on is None or seat.ends_on > on)


def procurement_entries(records: Sequence[ProcurementRecord]) -> list[ProcurementEntry]:
    """Entries for the register, each award checked against the register of interests: a fixed
    number of queries however many entries (records come with `procurement_records`' joins)."""
    decisions = [r.decision for r in records]
    item_ids = [d.item_id for d in decisions if d.item_id is not None]
    meeting_ids = {d.item.meeting_id for d in decisions if d.item is not None}
    votes: dict[int, list[Vote]] = {}
    for vote in Vote.objects.filter(decision__in=decisions).select_related("person"):
        votes.setdefault(vote.decision_id, []).append(vote)
    present: dict[int, list[Attendance]] = {}
    for attendance in Attendance.objects.filter(
        meeting_id__in=meeting_ids,
        status__in=[AttendanceStatus.PRESENT, AttendanceStatus.IN_ATTENDANCE],
    ).select_related("person"):
        present.setdefault(attendance.meeting_id, []).append(attendance)
    chairs: dict[int, list[Membership]] = {}
    for seat in Membership.objects.filter(
        committee_id__in={d.committee_id for d in decisions}, office__in=[Office.CHAIR, Office.CO_CHAIR]
    ).select_related("person"):
        chairs.setdefault(seat.committee_id, []).append(seat)
    approvers = {
        p.user_id: p
        for p in Person.objects.filter(user_id__in={d.approved_by_id for d in decisions if d.approved_by_id})
    }
    declared: dict[int, list[ItemDeclaration]] = {}
    for item_declaration in (
        ItemDeclaration.objects.filter(item_id__in=item_ids)
        .select_related("person")
        .order_by("person__full_name", "pk")
    ):
        declared.setdefault(item_declaration.item_id, []).append(item_declaration)

    makers: dict[int, list[DecisionMaker]] = {}
    for decision in decisions:
        taking_part = _TakingPart()
        at_meeting = present.get(decision.item.meeting_id, []) if decision.item is not None else []
        here = {a.person_id for a in at_meeting}
        for seat in chairs.get(decision.committee_id, []):
            # At a meeting the chair takes part by being there; a chair's action is theirs alone.
            if _holds_seat(seat, decision.decided_on) and (decision.item is None or seat.person_id in here):
                taking_part.add(seat.person, seat.get_office_display(), chair=True)
        approver = approvers.get(decision.approved_by_id)
        if approver is not None and approver.pk not in taking_part.roles:
            taking_part.add(approver, "Approved the decision", chair=True)
        for vote in votes.get(decision.pk, []):
            taking_part.add(vote.person, f"Voted {vote.get_choice_display().lower()}")
        for attendance in at_meeting:
            taking_part.add(attendance.person, attendance.get_status_display())
        if decision.item is not None:
            for ruled in declared.get(decision.item.pk, []):
                if ruled.ruling in STEPPED_BACK:
                    taking_part.add(ruled.person, STEPPED_BACK[Ruling(ruled.ruling)])
        makers[decision.pk] = taking_part.decision_makers()

    awards = [a for a in (getattr(r, "award", None) for r in records) if a is not None]
    interests: list[Declaration] = []
    if awards:
        involved = {m.person.pk for r in records for m in makers[r.decision_id]}
        interests = list(
            Declaration.objects.filter(person_id__in=involved, nil_return=False).order_by("declared_on", "pk")
        )
    facts = [_registered(d) for d in interests]
    by_id = {d.pk: d for d in interests}

    entries = []
    for record in records:
        decision = record.decision
        award: Award | None = getattr(record, "award", None)
        on_item = declared.get(decision.item_id or 0, [])
        flags: list[FlagLine] = []
        if award is not None:
            names = {m.person.pk: str(m.person) for m in makers[decision.pk]}
            check = rules.AwardFacts(
                award_id=award.pk,
                decided_on=decision.decided_on,
                supplier_practice_id=award.practice_id,
                supplier_organisation_id=award.organisation_id,
                supplier_name=award.practice.name if award.practice else str(award.organisation),
                participants=frozenset(names),
                rulings={d.person_id: d.get_ruling_display() for d in on_item},
            )
            for flag in rules.award_flags(check, facts):
                flags.append(
                    FlagLine(
                        flag=flag,
                        person=names[flag.person_id],
                        interests=tuple(f"{i.kind_label}: {i.description}" for i in flag.interests),
                        withheld=all(not by_id[i.declaration_id].consent_to_publish for i in flag.interests),
                    )
                )
        entries.append(ProcurementEntry(record, award, makers[decision.pk], on_item, flags))
    return entries


def _registered(declaration: Declaration) -> rules.RegisteredInterest:
    return rules.RegisteredInterest(
        declaration_id=declaration.pk,
        person_id=declaration.person_id,
        kind_label=declaration.get_interest_type_display().lower(),
        description=declaration.description,
        interest_from=declaration.interest_from,
        interest_to=declaration.interest_to,
        practice_id=declaration.practice_id,
        organisation_id=declaration.organisation_id,
        body_name=declaration.organisation_name,
    )


def procurement_entry_get(user: AnyUser, decision_pk: int) -> ProcurementEntry:
    """A register entry, by its decision, for those who may see the CCG's registers; else a 404."""
    record = ProcurementRecord.objects.filter(decision_id=decision_pk).select_related("decision__ccg").first()
    if record is None or not permissions.can_view_registers(user, record.decision.ccg):
        raise Http404("No such entry on the register of procurement decisions.")
    (entry,) = procurement_entries(list(procurement_records(record.decision.ccg).filter(pk=record.pk)))
    return entry


def supplier_choices(decision: Decision, search: str = "") -> tuple[list[Practice], list[Organisation]]:
    """Who an award may name, without listing the country: the practices of the decision's CCG, the
    organisations that work with it or that the matter and item name, and up to 20 more found by a
    search on name or ODS code."""
    practices = list(Practice.objects.filter(ccg_id=decision.ccg_id).order_by("name", "pk"))
    linked = Q(ccgs=decision.ccg_id)
    if decision.matter_id is not None:
        linked |= Q(matters=decision.matter_id)
    if decision.item_id is not None:
        linked |= Q(agenda_items=decision.item_id)
    organisations = list(Organisation.objects.filter(linked).distinct().order_by("name", "pk"))
    search = search.strip()
    if search:
        known = {o.pk for o in organisations}
        found = Organisation.objects.filter(Q(name__icontains=search) | Q(ods_code__iexact=search)).order_by(
            "name", "pk"
        )[:20]
        organisations += [o for o in found if o.pk not in known]
        practices_known = {p.pk for p in practices}
        practices += [
            p
            for p in Practice.objects.filter(Q(name__icontains=search) | Q(ods_code__iexact=search))
            .exclude(ccg_id=decision.ccg_id)
            .order_by("name", "pk")[:20]
            if p.pk not in practices_known
        ]
    return practices, organisations
