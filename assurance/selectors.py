"""Reads for assurance packs: everything a pack shows, gathered from the apps below, and the packs
a user may see. Ordering is total everywhere (ties broken by id) so the same data renders the same.

A pack shows its records as they stood at the end of its period (`assurance.as_of`), so a past
period's pack made again later shows the same unless a past record was corrected."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from assurance import as_of, permissions, rules
from assurance.models import AssurancePack, PackStatus
from cocomm.models import CCG, Role, RoleKind, RoleStatus
from cocomm.permissions import AnyUser, is_administrator
from cocomm.selectors import ccgs_visible_to
from committees.choices import AttendanceStatus, DecisionStatus, Purpose
from committees.models import AgendaItem, Attendance, Committee, Decision, Exclusion, Meeting, Membership
from committees.selectors import Composition, ItemQuorum, compositions_of, meeting_records
from conflicts.models import (
    Breach,
    Declaration,
    GiftOrHospitality,
    ItemDeclaration,
    ProcurementRecord,
    Referral,
)
from conflicts.selectors import (
    PersonStatus,
    ProcurementEntry,
    declaration_status_on,
    late_declarations,
    late_offers,
    procurement_entries,
)
from delegation.models import RAG, LevelAssignment, ReadinessAction, ReadinessAssessment
from delegation.selectors import level_history, scheme_on
from functions.models import Function, LevelScheme
from functions.selectors import Matrix, matrix_for


@dataclass(frozen=True)
class LevelSpan:
    """A level the CCG held during the period, from one date to another (inclusive)."""

    assignment: LevelAssignment
    starts_on: dt.date
    ends_on: dt.date

    @property
    def took_effect(self) -> dt.date:
        """The day the level actually took effect, which may be before the period began."""
        return self.assignment.effective_from

    @property
    def before_period(self) -> bool:
        return self.assignment.effective_from < self.starts_on


@dataclass(frozen=True)
class CommitteeRow:
    committee: Committee
    composition: Composition


@dataclass(frozen=True)
class ItemRow:
    """An item for decision at a meeting: its quorum, its decision, declarations and exclusions."""

    item: AgendaItem
    quorum: ItemQuorum | None
    decision: Decision | None
    declarations: list[ItemDeclaration]
    exclusions: list[Exclusion]
    referral: Referral | None

    @property
    def inquorate(self) -> bool:
        return self.quorum is not None and not self.quorum.quorate


@dataclass(frozen=True)
class DeclarationRow:
    """A declaration made on an item at a meeting, its ruling, and what became of the item."""

    declaration: ItemDeclaration
    outcome: str

    @property
    def item(self) -> AgendaItem:
        return self.declaration.item


@dataclass(frozen=True)
class MeetingRow:
    meeting: Meeting
    present: int
    apologies: int
    absent: int
    items: list[ItemRow]
    # Every declaration at the meeting, on items for decision, discussion or noting alike.
    declarations: list[DeclarationRow] = field(default_factory=list)
    # Who was recorded as there, sent apologies or was absent (the counts above, by name).
    attendance: list[Attendance] = field(default_factory=list)


@dataclass(frozen=True)
class DecisionRow:
    decision: Decision
    declarations: list[ItemDeclaration]
    exclusions: list[Exclusion]


@dataclass
class PackData:
    """Everything an assurance pack shows for one CCG and period."""

    ccg: CCG
    start: dt.date
    end: dt.date
    scheme: LevelScheme | None
    levels: list[LevelSpan]
    matrix: Matrix | None
    committees: list[CommitteeRow]
    meetings: list[MeetingRow]
    decisions: list[DecisionRow]
    by_function: list[rules.Bar]
    by_body: list[rules.Bar]
    virtual: list[Decision]
    interests_declared: int
    interests_overdue: int
    overdue_names: list[str]
    gifts: list[GiftOrHospitality]
    procurement: list[ProcurementRecord]
    breaches: list[Breach]
    items: list[ItemRow] = field(default_factory=list)
    readiness: list[tuple[Function, ReadinessAssessment | None]] = field(default_factory=list)
    readiness_actions: list[ReadinessAction] = field(default_factory=list)
    # The period's procurement decisions with their awards, checked against the decision-makers'
    # interests (Provider Selection Regime 2023: decision-makers, conflicts and how each was managed).
    awards: list[ProcurementEntry] = field(default_factory=list)
    # Everyone who had to declare at the end of the period, and where their declarations stood.
    statuses: list[PersonStatus] = field(default_factory=list)
    # Every seat held on the committees on some day of the period (behind their composition and quorum).
    seats: list[Membership] = field(default_factory=list)
    # Declared in the period more than 28 days after the interest arose or the offer was made.
    late_declarations: list[Declaration] = field(default_factory=list)
    late_offers: list[GiftOrHospitality] = field(default_factory=list)

    @property
    def flagged_awards(self) -> list[ProcurementEntry]:
        """Awards to a body in which someone who took part held an interest on the decision date."""
        return [entry for entry in self.awards if entry.flags]

    @property
    def readiness_red(self) -> int:
        """Positions rated red across the assessed functions."""
        return sum(
            1
            for _, assessment in self.readiness
            if assessment is not None
            for rag in (
                assessment.corporate_rag,
                assessment.finance_rag,
                assessment.primary_care_rag,
                assessment.contracts_rag,
            )
            if rag == RAG.RED
        )

    @property
    def readiness_overdue(self) -> list[ReadinessAction]:
        """Open actions due before the period ended."""
        return [a for a in self.readiness_actions if a.due_on is not None and a.due_on < self.end]

    @property
    def inquorate(self) -> list[ItemRow]:
        return [row for row in self.items if row.inquorate]

    @property
    def referred(self) -> list[ItemRow]:
        return [row for row in self.items if row.referral is not None]

    @property
    def contents(self) -> dict[str, int]:
        """Counts per section: stored with the pack and compared between versions."""
        return {
            "levels": len(self.levels),
            "committees": len(self.committees),
            "committees_not_compliant": sum(1 for c in self.committees if not c.composition.ok),
            "meetings": len(self.meetings),
            "decision_items": len(self.items),
            "decisions": len(self.decisions),
            "item_declarations": sum(len(r.declarations) for r in self.items),
            "meeting_declarations": sum(len(m.declarations) for m in self.meetings),
            "exclusions": sum(len(r.exclusions) for r in self.items),
            "inquorate_items": len(self.inquorate),
            "referrals": len(self.referred),
            "virtual_decisions": len(self.virtual),
            "virtual_unratified": sum(1 for d in self.virtual if d.ratified_at_id is None),
            "interests_declared": self.interests_declared,
            "interests_overdue": self.interests_overdue,
            "declarations_late": len(self.late_declarations),
            "offers_late": len(self.late_offers),
            "gifts": len(self.gifts),
            "procurement": len(self.procurement),
            "breaches": len(self.breaches),
            "functions_assessed": sum(1 for _, assessment in self.readiness if assessment is not None),
            "readiness_red": self.readiness_red,
            "readiness_actions_open": len(self.readiness_actions),
            "readiness_actions_overdue": len(self.readiness_overdue),
        }


def _level_spans(ccg: CCG, start: dt.date, end: dt.date) -> list[LevelSpan]:
    history = level_history(ccg)
    spans = []
    for index, assignment in enumerate(history):
        following = history[index + 1].effective_from if index + 1 < len(history) else None
        last_day = following - dt.timedelta(days=1) if following else end
        if assignment.effective_from <= end and last_day >= start:
            spans.append(LevelSpan(assignment, max(start, assignment.effective_from), min(end, last_day)))
    return spans


def _outcome(item: AgendaItem, decision: Decision | None, referral: Referral | None) -> str:
    """What became of an item, in the words the pack uses beside its declarations."""
    if item.purpose != Purpose.DECISION:
        return item.get_purpose_display()
    if referral is not None:
        return f"Referred to {referral.to_committee or referral.get_route_display().lower()}"
    if decision is None:
        return "For decision; no decision recorded"
    if decision.outcome:
        return f"{decision.get_outcome_display()} ({decision.get_status_display().lower()})"
    return f"For decision; {decision.get_status_display().lower()}"


def pack_data(ccg: CCG, start: dt.date, end: dt.date) -> PackData:
    """Gather what a CCG's assurance pack shows for a period (levels to registers), as the records
    stood at the end of the period."""
    # The scheme of the level held at the end of the period, and its matrix as it stood that day.
    scheme = scheme_on(ccg, end)
    committees = as_of.committees_serving(ccg, start, end)
    # Seats by their dates, so a seat held on the last day counts though it has ended since.
    compositions = compositions_of(committees, end)

    since, until = as_of.day_bounds(start, end)
    meetings = list(
        Meeting.objects.filter(committees__ccgs=ccg, starts_at__gte=since, starts_at__lt=until)
        .distinct()
        .order_by("starts_at", "pk")
    )
    item_ids: list[int] = []
    records = meeting_records(meetings)
    for record in records:
        # Every item of the CCG (or of no one CCG), whatever its purpose: declarations are made on
        # items for noting and discussion too, and the pack lists them all.
        item_ids += [i.pk for i in record.items if i.ccg_id in (None, ccg.pk)]
    declarations: dict[int, list[ItemDeclaration]] = {}
    exclusions: dict[int, list[Exclusion]] = {}
    referrals: dict[int, Referral] = {}

    decisions = [
        as_of.decision_as_it_stood(decision, end)
        for decision in Decision.objects.filter(ccg=ccg, decided_on__gte=start, decided_on__lte=end)
        .exclude(status__in=[DecisionStatus.DRAFT, DecisionStatus.VOTING])
        .select_related("committee", "function", "item__meeting", "ratified_at", "superseded_by")
        .order_by("decided_on", "pk")
    ]
    item_ids += [d.item_id for d in decisions if d.item_id and d.item_id not in item_ids]
    for declaration in (
        ItemDeclaration.objects.filter(item_id__in=item_ids)
        .select_related("person", "interest__practice", "interest__organisation", "ruled_by", "item__meeting")
        .order_by("person__full_name", "pk")
    ):
        declarations.setdefault(declaration.item_id, []).append(declaration)
    for exclusion in (
        Exclusion.objects.filter(item_id__in=item_ids)
        .select_related("person")
        .order_by("person__full_name", "pk")
    ):
        exclusions.setdefault(exclusion.item_id, []).append(exclusion)
    for referral in Referral.objects.filter(item_id__in=item_ids).select_related("to_committee"):
        referrals[referral.item_id] = referral

    meeting_rows, item_rows = [], []
    for record in records:
        record.decisions.update(
            (pk, as_of.decision_as_it_stood(decision, end)) for pk, decision in record.decisions.items()
        )
        rows = []
        for item in record.items:
            item.meeting = record.meeting  # the sections name an item's meeting: no query per item
            if item.purpose != Purpose.DECISION or item.ccg_id not in (None, ccg.pk):
                continue
            row = ItemRow(
                item=item,
                quorum=record.quorums.get(item.pk),
                decision=record.decisions.get(item.pk),
                declarations=declarations.get(item.pk, []),
                exclusions=exclusions.get(item.pk, []),
                referral=referrals.get(item.pk),
            )
            rows.append(row)
        item_rows += rows
        declared = [
            DeclarationRow(declaration, _outcome(item, record.decisions.get(item.pk), referrals.get(item.pk)))
            for item in record.items
            if item.ccg_id in (None, ccg.pk)
            for declaration in declarations.get(item.pk, [])
        ]
        attendance = Counter(a.status for a in record.attendance.values())
        meeting_rows.append(
            MeetingRow(
                meeting=record.meeting,
                present=attendance[AttendanceStatus.PRESENT],
                apologies=attendance[AttendanceStatus.APOLOGIES],
                absent=attendance[AttendanceStatus.ABSENT],
                items=rows,
                declarations=declared,
                attendance=sorted(
                    record.attendance.values(), key=lambda a: (a.status, a.person.full_name, a.pk)
                ),
            )
        )

    by_function = Counter((d.function.number, d.function.name) for d in decisions)
    by_body = Counter(d.committee.name for d in decisions)
    statuses = sorted(declaration_status_on(ccg, end), key=lambda s: (s.person.full_name, s.person.pk))
    overdue = [s for s in statuses if s.overdue]
    procurement = list(
        ProcurementRecord.objects.filter(
            decision__ccg=ccg, decision__decided_on__gte=start, decision__decided_on__lte=end
        )
        .select_related(
            "decision__committee", "decision__item__meeting", "award__practice", "award__organisation"
        )
        .order_by("decision__decided_on", "pk")
    )
    readiness, readiness_actions = as_of.readiness_as_it_stood(ccg, until)
    return PackData(
        ccg=ccg,
        start=start,
        end=end,
        scheme=scheme,
        levels=_level_spans(ccg, start, end),
        matrix=matrix_for(scheme, end) if scheme is not None else None,
        committees=[CommitteeRow(c, compositions[c.pk]) for c in committees],
        meetings=meeting_rows,
        decisions=[
            DecisionRow(d, declarations.get(d.item_id or 0, []), exclusions.get(d.item_id or 0, []))
            for d in decisions
        ],
        by_function=rules.bars([(f"{n}. {name}", by_function[(n, name)]) for n, name in sorted(by_function)]),
        by_body=rules.bars([(name, by_body[name]) for name in sorted(by_body)]),
        virtual=[d for d in decisions if d.virtual],
        interests_declared=len(statuses) - len(overdue),
        interests_overdue=len(overdue),
        overdue_names=sorted(str(s.person) for s in overdue),
        gifts=list(
            GiftOrHospitality.objects.filter(ccg=ccg, offered_on__gte=start, offered_on__lte=end)
            .select_related("person")
            .order_by("offered_on", "pk")
        ),
        procurement=procurement,
        breaches=[
            as_of.breach_as_it_stood(breach, end)
            for breach in Breach.objects.filter(
                ccg=ccg, occurred_on__gte=start, occurred_on__lte=end
            ).order_by("occurred_on", "pk")
        ],
        items=item_rows,
        readiness=readiness,
        readiness_actions=readiness_actions,
        # Checked against the declarations made by the end of the period, not those made since.
        awards=procurement_entries(procurement, declared_by=end),
        statuses=statuses,
        seats=as_of.seats_in_period(committees, start, end),
        # Declared within the period (so by its end) more than 28 days late (s.14O NHS Act 2006).
        late_declarations=list(
            late_declarations(ccg, start=start, end=end).order_by("declared_on", "person__full_name", "pk")
        ),
        late_offers=list(
            late_offers(ccg, start=start, end=end).order_by("recorded_on", "person__full_name", "pk")
        ),
    )


# The packs a user may see ----------------------------------------------------------------------------


def packs_visible_to(user: AnyUser) -> QuerySet[AssurancePack]:
    """Administrators: all; governance officers and Guardians: their CCGs'; reviewers: their area
    teams' CCGs'."""
    packs = AssurancePack.objects.select_related("ccg", "ccg__area_team", "requested_by")
    if not user.is_authenticated or not user.is_active:
        return packs.none()
    if is_administrator(user):
        return packs
    today = timezone.localdate()
    roles = (
        Role.objects.filter(user_id=user.pk, status=RoleStatus.ACTIVE, starts_on__lte=today)
        .exclude(ends_on__lte=today)
        .values_list("kind", "ccg_id", "area_team_id")
    )
    ccg_ids = [
        ccg for kind, ccg, _ in roles if kind in (RoleKind.GOVERNANCE_OFFICER, RoleKind.CONFLICTS_GUARDIAN)
    ]
    area_ids = [area for kind, _, area in roles if kind == RoleKind.NHSE_REVIEWER]
    return packs.filter(Q(ccg_id__in=ccg_ids) | Q(ccg__area_team_id__in=area_ids))


@dataclass(frozen=True)
class OverviewRow:
    """A CCG on the reviewer's overview: its latest ready pack, that pack's review, work in hand."""

    ccg: CCG
    latest: AssurancePack | None
    in_progress: bool

    @property
    def awaiting_review(self) -> bool:
        return self.latest is not None and getattr(self.latest, "review", None) is None


def pack_overview(user: AnyUser) -> list[OverviewRow]:
    """Every CCG the user may see with its latest ready pack and review (3 queries, any number of CCGs)."""
    ready = AssurancePack.objects.filter(ccg=OuterRef("pk"), status=PackStatus.READY).order_by(
        "-period_end", "-period_start", "-version"
    )
    working = AssurancePack.objects.filter(
        ccg=OuterRef("pk"), status__in=[PackStatus.QUEUED, PackStatus.GENERATING]
    )
    ccgs = list(
        ccgs_visible_to(user, CCG.objects.select_related("area_team"))
        .annotate(latest_ready_id=Subquery(ready.values("pk")[:1]), in_progress=Exists(working))
        .order_by("area_team__name", "name")
    )
    latest = AssurancePack.objects.select_related("review__reviewer").in_bulk(
        [c.latest_ready_id for c in ccgs if c.latest_ready_id]
    )
    return [OverviewRow(c, latest.get(c.latest_ready_id), c.in_progress) for c in ccgs]


def pack_get(user: AnyUser, pk: int) -> AssurancePack:
    """One pack the user may see; a hidden pack is as missing as one that does not exist."""
    pack = packs_visible_to(user).filter(pk=pk).first()
    if pack is None:
        raise Http404("No such assurance pack.")
    return pack


def packs_of(ccg: CCG) -> list[AssurancePack]:
    return list(
        AssurancePack.objects.filter(ccg=ccg)
        .select_related("requested_by", "review")
        .order_by("-period_end", "-period_start", "-version")
    )


def previous_version(pack: AssurancePack) -> AssurancePack | None:
    """The latest earlier ready version of the same CCG and period."""
    return (
        AssurancePack.objects.filter(
            ccg_id=pack.ccg_id,
            period_start=pack.period_start,
            period_end=pack.period_end,
            version__lt=pack.version,
            status=PackStatus.READY,
        )
        .order_by("-version")
        .first()
    )


def ccg_for_packs(user: AnyUser, ods_code: str) -> CCG:
    """A CCG whose packs the user may see; for anyone else, a 404."""
    ccg = CCG.objects.select_related("area_team").filter(ods_code=ods_code.upper()).first()
    if ccg is None or not permissions.can_view_packs(user, ccg):
        raise Http404("No such CCG.")
    return ccg
