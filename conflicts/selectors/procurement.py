"""The register of procurement decisions, with each award checked against the interests of everyone
who took part in the decision."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from cocomm.models import CCG, Organisation, Person, Practice
from cocomm.permissions import AnyUser
from committees.choices import AttendanceStatus, Office
from committees.models import (
    Attendance,
    Decision,
    Membership,
    Vote,
)
from conflicts import permissions, rules
from conflicts.models import (
    Award,
    Declaration,
    ItemDeclaration,
    ProcurementRecord,
    Ruling,
)


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


def procurement_entries(
    records: Sequence[ProcurementRecord], *, declared_by: dt.date | None = None
) -> list[ProcurementEntry]:
    """Entries for the register, each award checked against the register of interests: a fixed
    number of queries however many entries (records come with `procurement_records`' joins).

    With `declared_by`, only the declarations made by that date count (the register as it stood)."""
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
        registered = Declaration.objects.filter(person_id__in=involved, nil_return=False)
        if declared_by is not None:
            registered = registered.filter(declared_on__lte=declared_by)
        interests = list(registered.order_by("declared_on", "pk"))
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


def procurement_entries_in_batches(ccg: CCG, size: int = 200) -> Iterator[list[ProcurementEntry]]:
    """The whole register a batch at a time, in its order, for exports: memory and the queries per
    batch stay the same however long the register grows."""
    records = procurement_records(ccg).iterator(chunk_size=size)
    while batch := list(itertools.islice(records, size)):
        yield procurement_entries(batch)


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
