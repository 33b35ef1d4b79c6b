"""Builders for committees, members, meetings and decisions, through the services (audited)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from cocomm.audit import system_user
from cocomm.models import CCG, Person, User
from committees import services
from committees.choices import (
    AttendanceStatus,
    CommitteeKind,
    CompositionRule,
    MemberCategory,
    Office,
    Purpose,
)
from committees.models import AgendaItem, Committee, Meeting, Membership
from functions.models import Function
from tests.factories.cocomm import PersonFactory, UserFactory

REASON = "Test data"


def person_with_login(name: str) -> Person:
    user = UserFactory()
    return PersonFactory(full_name=name, user=user)


@dataclass
class Board:
    """A committee with named members, ready to meet."""

    committee: Committee
    members: dict[str, Membership] = field(default_factory=dict)

    def person(self, key: str) -> Person:
        return self.members[key].person

    def user(self, key: str) -> User:
        user = self.members[key].person.user
        assert user is not None
        return User.objects.get(pk=user.pk)  # fresh, so permission caches are current


def seat(
    board: Board, key: str, category: str, *, office: str = Office.MEMBER, voting: bool = True
) -> Membership:
    membership = services.membership_add(
        committee=board.committee,
        person=person_with_login(key.replace("_", " ").title()),
        category=category,
        voting=voting,
        office=office,
        starts_on=dt.date(2015, 1, 1),
        by=system_user(),
        reason=REASON,
    )
    board.members[key] = membership
    return membership


def pccc(ccg: CCG, *, functions: list[int] | None = None, virtual: bool = False) -> Board:
    """A primary care commissioning committee: lay chair, lay and executive majority, quorum 3
    (1 lay, 1 GP, 1 executive)."""
    committee = services.committee_create(
        name=f"{ccg.name} Primary Care Commissioning Committee",
        short_name="PCCC",
        kind=CommitteeKind.PCCC,
        ccgs=[ccg],
        functions=Function.objects.filter(number__in=functions or range(1, 15)),
        by=system_user(),
        reason=REASON,
    )
    terms = services.terms_draft(
        committee=committee,
        version="v1",
        composition_rule=CompositionRule.PCCC,
        quorum_minimum=3,
        quorum_categories={"lay": 1, "clinical": 1, "executive": 1},
        meets_in_public=True,
        allows_virtual_decisions=virtual,
        by=system_user(),
        reason=REASON,
    )
    services.terms_approve(
        terms=terms,
        approved_by="Governing body",
        approved_on=dt.date(2016, 3, 1),
        by=system_user(),
        reason=REASON,
    )
    board = Board(committee)
    seat(board, "lay_chair", MemberCategory.LAY, office=Office.CHAIR)
    seat(board, "lay_member", MemberCategory.LAY)
    seat(board, "chief_officer", MemberCategory.EXECUTIVE)
    seat(board, "finance_director", MemberCategory.EXECUTIVE)
    seat(board, "gp_one", MemberCategory.CLINICAL)
    seat(board, "gp_two", MemberCategory.CLINICAL)
    seat(board, "healthwatch", MemberCategory.HEALTHWATCH, voting=False)
    return board


def joint_committee(ccg: CCG, *, functions: list[int] | None = None) -> Board:
    """A joint committee of a level-2 CCG and NHS England; NHS England holds the casting vote."""
    committee = services.committee_create(
        name=f"{ccg.name} and NHS England Joint Committee",
        kind=CommitteeKind.JOINT_COMMITTEE,
        ccgs=[ccg],
        area_team=ccg.area_team,
        functions=Function.objects.filter(number__in=functions or range(1, 15)),
        by=system_user(),
        reason=REASON,
    )
    terms = services.terms_draft(
        committee=committee,
        version="v1",
        composition_rule=CompositionRule.JOINT,
        quorum_minimum=4,
        quorum_categories={"nhs_england": 1, "lay": 1},
        by=system_user(),
        reason=REASON,
    )
    services.terms_approve(
        terms=terms,
        approved_by="Governing body and NHS England",
        approved_on=dt.date(2015, 3, 1),
        by=system_user(),
        reason=REASON,
    )
    board = Board(committee)
    seat(board, "lay_chair", MemberCategory.LAY, office=Office.CHAIR)
    seat(board, "gp_lead", MemberCategory.CLINICAL)
    seat(board, "chief_officer", MemberCategory.EXECUTIVE)
    seat(board, "nhse_director", MemberCategory.NHS_ENGLAND)
    seat(board, "nhse_manager", MemberCategory.NHS_ENGLAND)
    seat(board, "lay_member", MemberCategory.LAY)
    return board


def meeting_of(
    board: Board, *, on: dt.date, present: list[str] | None = None, at: dt.time = dt.time(14, 0)
) -> Meeting:
    """A meeting on a date (at 14:00 unless said) with the given members present (all by default)."""
    starts_at = timezone.make_aware(dt.datetime.combine(on, at))
    meeting = services.meeting_schedule(
        committees=[board.committee],
        title=f"{board.committee.short_name or board.committee.name} meeting",
        starts_at=starts_at,
        place="Board room",
        by=system_user(),
        reason=REASON,
    )
    for key in present if present is not None else list(board.members):
        services.attendance_record(
            meeting=meeting,
            person=board.person(key),
            status=AttendanceStatus.PRESENT,
            by=system_user(),
            reason=REASON,
        )
    return meeting


def decision_item(
    board: Board, meeting: Meeting, ccg: CCG, *, function: int = 3, title: str = "List closure"
) -> AgendaItem:
    return services.agenda_item_add(
        meeting=meeting,
        committee=board.committee,
        title=title,
        purpose=Purpose.DECISION,
        ccg=ccg,
        function=Function.objects.get(number=function),
        by=system_user(),
        reason=REASON,
    )
