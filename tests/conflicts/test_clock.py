"""Declarations, rulings and referrals keep to the meeting's clock: before the meeting the chair may
only withhold a member's papers (they leave the item); everything else is recorded from its start."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cocomm.audit import system_user
from cocomm.models import CCG, User
from committees import services as committee_services
from committees.choices import AttendanceStatus, ExclusionScope, MatterKind
from committees.models import AgendaItem, Exclusion
from conflicts import services
from conflicts.models import ItemDeclaration, Referral, ReferralRoute, Ruling
from functions.models import Function
from tests.factories.cocomm import PracticeFactory
from tests.factories.committees import Board, meeting_of, pccc

pytestmark = pytest.mark.django_db
ONE_SECOND = dt.timedelta(seconds=1)


def at(moment: dt.datetime) -> time_machine.travel:
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def ccg(level2_ccg: CCG) -> CCG:
    from tests.factories.delegation import give_level

    give_level(level2_ccg, 3, dt.date(2016, 4, 1))
    return level2_ccg


@pytest.fixture
def board(ccg: CCG) -> Board:
    return pccc(ccg)


@pytest.fixture
def item(board: Board, ccg: CCG) -> AgendaItem:
    """A list closure on the agenda of the committee's meeting in three weeks; no attendance yet."""
    practice = PracticeFactory(ccg=ccg)
    matter = committee_services.matter_raise(
        ccg=ccg,
        function=Function.objects.get(number=3),
        kind=MatterKind.LIST_CLOSURE,
        title=f"{practice.name} applies to close its list",
        practices=[practice],
        by=system_user(),
        reason="Received",
    )
    meeting = meeting_of(board, on=timezone.localdate() + dt.timedelta(weeks=3), present=[])
    return committee_services.matter_schedule(
        matter=matter, meeting=meeting, by=system_user(), reason="Agenda"
    )


def rule(board: Board, item: AgendaItem, ruling: str, *, papers_withheld: bool = False) -> ItemDeclaration:
    return services.item_declaration_rule(
        item=item,
        person=board.person("gp_one"),
        statement="Partner at the practice",
        ruling=ruling,
        papers_withheld=papers_withheld,
        by=board.user("lay_chair"),
    )


def test_before_the_meeting_the_chair_withholds_papers_and_the_member_leaves_the_item(
    board: Board, item: AgendaItem
) -> None:
    declaration = rule(board, item, Ruling.LEAVES, papers_withheld=True)
    assert declaration.papers_withheld
    exclusion = Exclusion.objects.get(item=item, person=board.person("gp_one"))
    assert (exclusion.scope, exclusion.papers_withheld) == (ExclusionScope.LEAVES, True)
    assert declaration.history.latest().history_user == board.user("lay_chair")


@pytest.mark.parametrize(
    ("ruling", "papers_withheld"),
    [
        (Ruling.NOTED, False),
        (Ruling.NO_VOTE, False),
        (Ruling.NO_VOTE, True),
        (Ruling.LEAVES, False),
    ],
)
def test_other_rulings_are_refused_a_second_before_the_start_and_recorded_at_it(
    board: Board, item: AgendaItem, ruling: str, papers_withheld: bool
) -> None:
    start = item.meeting.starts_at
    with at(start - ONE_SECOND), pytest.raises(ValidationError) as refused:
        rule(board, item, ruling, papers_withheld=papers_withheld)
    assert "The meeting starts at 14:00 on" in refused.value.messages[0]
    assert "the chair may only rule that a member's papers are withheld" in refused.value.messages[0]
    assert not ItemDeclaration.objects.filter(item=item).exists()
    assert not Exclusion.objects.filter(item=item).exists()

    with at(start):
        rule(board, item, ruling, papers_withheld=papers_withheld)
    assert ItemDeclaration.objects.get(item=item).ruling == ruling


def _inquorate_at_the_meeting(board: Board, item: AgendaItem) -> None:
    for key in ["lay_chair", "chief_officer", "gp_one"]:
        committee_services.attendance_record(
            meeting=item.meeting,
            person=board.person(key),
            status=AttendanceStatus.PRESENT,
            by=system_user(),
            reason="Register",
        )
    rule(board, item, Ruling.LEAVES)


def refer(board: Board, item: AgendaItem) -> Referral:
    return services.referral_record(
        item=item,
        route=ReferralRoute.CO_OPTION,
        guardian_consulted=True,
        note="Co-opt a GP from a neighbouring CCG",
        by=board.user("lay_chair"),
    )


def test_a_referral_is_refused_a_second_before_the_start_and_made_at_it(
    board: Board, item: AgendaItem
) -> None:
    start = item.meeting.starts_at
    with at(start):
        _inquorate_at_the_meeting(board, item)
    with (
        at(start - ONE_SECOND),
        pytest.raises(ValidationError, match="an item left inquorate can be referred"),
    ):
        refer(board, item)
    assert not Referral.objects.exists()
    with at(start):
        refer(board, item)
    assert Referral.objects.get().item == item


def test_an_item_whose_attendance_is_not_recorded_is_not_referred(board: Board, ccg: CCG) -> None:
    # Given a past meeting (so the clock allows it) with no attendance recorded
    matter = committee_services.matter_raise(
        ccg=ccg,
        function=Function.objects.get(number=3),
        kind=MatterKind.LIST_CLOSURE,
        title="A practice applies to close its list",
        by=system_user(),
        reason="Received",
    )
    past = meeting_of(board, on=dt.date(2016, 6, 1), present=[])
    item = committee_services.matter_schedule(matter=matter, meeting=past, by=system_user(), reason="Agenda")
    with pytest.raises(ValidationError, match="attendance has not been recorded"):
        refer(board, item)


# The pages -------------------------------------------------------------------------------------------------


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_before_the_meeting_the_declarations_page_says_only_papers_can_be_withheld(
    board: Board, item: AgendaItem
) -> None:
    with at(item.meeting.starts_at - dt.timedelta(hours=1)):
        html = (
            logged_in(board.user("lay_chair"))
            .get(reverse("item-declarations", args=[item.pk]))
            .content.decode()
        )
    assert "Until then the only ruling that can be recorded is that the member's papers" in html
    assert "Attendance not recorded yet" in html
    assert "Refer the item" not in html


def test_a_ruling_posted_before_the_meeting_is_refused_on_the_form_and_nothing_saved(
    board: Board, item: AgendaItem
) -> None:
    with at(item.meeting.starts_at - dt.timedelta(hours=1)):
        response = logged_in(board.user("lay_chair")).post(
            reverse("item-declarations", args=[item.pk]),
            {
                "ruling-person": board.person("gp_one").pk,
                "ruling-statement": "Partner at the practice",
                "ruling-ruling": Ruling.NO_VOTE,
            },
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "declarations and the chair&#x27;s rulings can be recorded from then" in html
    assert not ItemDeclaration.objects.filter(item=item).exists()
    assert not Exclusion.objects.filter(item=item).exists()


def test_the_checklist_says_attendance_is_not_recorded_yet(board: Board, item: AgendaItem) -> None:
    html = (
        logged_in(board.user("lay_chair"))
        .get(reverse("meeting-checklist", args=[item.meeting_id]))
        .content.decode()
    )
    assert "Attendance not recorded yet: it is recorded once the meeting starts" in html
    assert "not with the attendance recorded so far" not in html
