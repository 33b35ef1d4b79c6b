"""Detection on an agenda: members' and attendees' current interests against each item, the chair's
pre-meeting checklist, and where each flagged person's ruling stands."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from committees import rules as committee_rules
from committees.choices import AttendanceStatus, Office, Purpose
from committees.models import (
    AgendaItem,
    Exclusion,
    Meeting,
    Membership,
)
from committees.roles import CHAIR_OFFICES
from committees.selectors import as_seat, meeting_record
from conflicts import rules
from conflicts.models import (
    Declaration,
    ItemChair,
    ItemDeclaration,
)


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
            rule = quorum.rule  # None when no terms of reference were in force on the meeting's date
            if rule is None:
                check.explanation_if_flagged_leave = quorum.explanation
            else:
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
