"""Meetings keep to the clock: what happens at a meeting is recorded from its start, never before.

Each kind of record is tried one second before the meeting starts (refused, saying when it starts,
nothing saved) and at the start exactly (recorded). Before attendance is recorded the quorum says
so rather than "Inquorate". A meeting held in the past can still be written up today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cocomm.audit import system_user
from cocomm.models import CCG, User
from committees import rules, services
from committees.choices import (
    AttendanceStatus,
    DecisionStatus,
    ExclusionScope,
    MinutesStatus,
    VoteChoice,
)
from committees.models import (
    Action,
    AgendaItem,
    Attendance,
    Decision,
    Exclusion,
    Meeting,
    Minutes,
    Vote,
)
from committees.selectors import QuorumState, item_quorum, meeting_record
from functions.models import Function
from tests.factories.committees import Board, decision_item, meeting_of, pccc
from tests.factories.delegation import give_level

pytestmark = pytest.mark.django_db

ONE_SECOND = dt.timedelta(seconds=1)
EVERYONE = ["lay_chair", "lay_member", "chief_officer", "finance_director", "gp_one", "gp_two", "healthwatch"]
VOTERS = ["lay_chair", "lay_member", "chief_officer", "finance_director", "gp_one", "gp_two"]
REASON = "Test"


def at(moment: dt.datetime) -> time_machine.travel:
    return time_machine.travel(moment, tick=False)


# The rules ------------------------------------------------------------------------------------------------

START = dt.datetime(2027, 1, 12, 14, 0, tzinfo=dt.UTC)


def test_a_meeting_has_started_from_its_start_time_exactly() -> None:
    assert not rules.has_started(starts_at=START, now=START - ONE_SECOND)
    assert rules.has_started(starts_at=START, now=START)
    assert rules.has_started(starts_at=START, now=START + dt.timedelta(days=400))


def test_the_refusal_says_when_the_meeting_starts_and_what_can_be_done_from_then() -> None:
    refusal = rules.meeting_not_started(
        starts_at=START, now=START - ONE_SECOND, then="attendance can be recorded"
    )
    assert refusal == (
        "The meeting starts at 14:00 on Tuesday 12 January 2027: attendance can be recorded from then."
    )
    assert rules.meeting_not_started(starts_at=START, now=START, then="attendance can be recorded") == ""
    with_note = rules.meeting_not_started(
        starts_at=START, now=START - ONE_SECOND, then="rulings can be recorded", before="Papers may go."
    )
    assert with_note.endswith("rulings can be recorded from then. Papers may go.")


@pytest.mark.parametrize(
    ("leaves_item", "papers_withheld", "allowed"),
    [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
)
def test_before_the_meeting_the_chair_may_only_withhold_papers_so_that_the_member_leaves(
    leaves_item: bool, papers_withheld: bool, allowed: bool
) -> None:
    assert rules.ruling_allowed_before_meeting(leaves_item=leaves_item, papers_withheld=papers_withheld) is (
        allowed
    )


# Each kind of record, one second before the start and at the start -------------------------------------


@dataclass
class Scene:
    ccg: CCG
    board: Board
    meeting: Meeting
    item: AgendaItem

    @property
    def chair(self) -> User:
        return self.board.user("lay_chair")

    @property
    def start(self) -> dt.datetime:
        return self.meeting.starts_at

    def attend(self, keys: list[str] = EVERYONE) -> None:
        for key in keys:
            services.attendance_record(
                meeting=self.meeting,
                person=self.board.person(key),
                status=AttendanceStatus.PRESENT,
                by=system_user(),
                reason=REASON,
            )

    def propose(self, item: AgendaItem | None = None) -> Decision:
        return services.decision_propose(
            item=item or self.item, resolution="Approve the closure", by=self.chair, reason="Moved"
        )

    def voting(self) -> Decision:
        decision = self.propose()
        return services.vote_open(decision=decision, by=self.chair)

    def voted(self) -> Decision:
        decision = self.voting()
        for key in VOTERS:
            services.vote_cast(
                decision=decision, person=self.board.person(key), choice=VoteChoice.FOR, by=self.chair
            )
        return decision

    def recorded(self) -> Decision:
        return services.vote_close(decision=self.voted(), by=self.chair)


@pytest.fixture
def ccg(level2_ccg: CCG) -> CCG:
    give_level(level2_ccg, 3, dt.date(2016, 4, 1))
    return level2_ccg


@pytest.fixture
def scene(ccg: CCG) -> Scene:
    """A committee whose next meeting, in three weeks, has an item for decision and no attendance yet."""
    board = pccc(ccg, virtual=True)
    meeting = meeting_of(board, on=timezone.localdate() + dt.timedelta(weeks=3), present=[])
    return Scene(ccg, board, meeting, decision_item(board, meeting, ccg))


def _past_approved_decision(scene: Scene) -> Decision:
    past = meeting_of(scene.board, on=dt.date(2016, 6, 1))
    decision = services.decision_propose(
        item=decision_item(scene.board, past, scene.ccg), resolution="Close", by=scene.chair, reason="Moved"
    )
    services.vote_open(decision=decision, by=scene.chair)
    for key in VOTERS:
        services.vote_cast(decision=decision, person=scene.board.person(key), choice="for", by=scene.chair)
    services.vote_close(decision=decision, by=scene.chair)
    return services.decision_approve(decision=decision, by=scene.chair)


@dataclass
class Case:
    """How to reach the moment before a record (at the start), the record itself, and what it changes."""

    arrange: Callable[[Scene], Any]
    act: Callable[[Scene, Any], Any]
    state: Callable[[Scene, Any], Any]


def _chairs_action(scene: Scene) -> Decision:
    return services.virtual_decision_take(
        committee=scene.board.committee,
        ccg=scene.ccg,
        function=Function.objects.get(number=11),
        resolution="Reimburse locum cover",
        urgency_reason="The practice would close before the meeting",
        by=scene.chair,
    )


def _earlier_minutes(scene: Scene) -> Minutes:
    past = meeting_of(scene.board, on=dt.date(2016, 6, 1))
    return services.minutes_draft(meeting=past, text="Minutes of June", by=system_user())


CASES = {
    "attendance": Case(
        arrange=lambda s: None,
        act=lambda s, _: services.attendance_record(
            meeting=s.meeting,
            person=s.board.person("gp_one"),
            status=AttendanceStatus.PRESENT,
            by=system_user(),
            reason=REASON,
        ),
        state=lambda s, _: Attendance.objects.filter(meeting=s.meeting).count(),
    ),
    "ruling that a member stays without voting": Case(
        arrange=lambda s: s.attend(),
        act=lambda s, _: services.exclusion_record(
            item=s.item,
            person=s.board.person("gp_one"),
            scope=ExclusionScope.NO_VOTE,
            reason="Partner at the practice",
            by=s.chair,
        ),
        state=lambda s, _: Exclusion.objects.filter(item=s.item).count(),
    ),
    "ruling that a member takes part after all": Case(
        arrange=lambda s: (
            s.attend(),
            services.exclusion_record(
                item=s.item,
                person=s.board.person("gp_one"),
                scope=ExclusionScope.LEAVES,
                reason="Partner at the practice",
                by=s.chair,
            ),
        ),
        act=lambda s, _: services.exclusion_lift(
            item=s.item, person=s.board.person("gp_one"), by=s.chair, reason="No conflict after all"
        ),
        state=lambda s, _: Exclusion.objects.filter(item=s.item).count(),
    ),
    "discussion note": Case(
        arrange=lambda s: None,
        act=lambda s, _: services.agenda_item_note(
            item=s.item, discussion_note="The committee discussed it.", by=system_user(), reason=REASON
        ),
        state=lambda s, _: AgendaItem.objects.get(pk=s.item.pk).discussion_note,
    ),
    "resolution": Case(
        arrange=lambda s: s.attend(),
        act=lambda s, _: s.propose(),
        state=lambda s, _: Decision.objects.filter(item=s.item).count(),
    ),
    "opening the vote": Case(
        arrange=lambda s: (s.attend(), s.propose())[1],
        act=lambda s, decision: services.vote_open(decision=decision, by=s.chair),
        state=lambda s, decision: Decision.objects.get(pk=decision.pk).status,
    ),
    "vote": Case(
        arrange=lambda s: (s.attend(), s.voting())[1],
        act=lambda s, decision: services.vote_cast(
            decision=decision, person=s.board.person("gp_one"), choice=VoteChoice.FOR, by=s.chair
        ),
        state=lambda s, decision: Vote.objects.filter(decision=decision).count(),
    ),
    "closing the vote": Case(
        arrange=lambda s: (s.attend(), s.voted())[1],
        act=lambda s, decision: services.vote_close(decision=decision, by=s.chair),
        state=lambda s, decision: Decision.objects.get(pk=decision.pk).status,
    ),
    "approval": Case(
        arrange=lambda s: (s.attend(), s.recorded())[1],
        act=lambda s, decision: services.decision_approve(decision=decision, by=s.chair),
        state=lambda s, decision: Decision.objects.get(pk=decision.pk).status,
    ),
    "superseding resolution": Case(
        arrange=lambda s: (s.attend(), _past_approved_decision(s))[1],
        act=lambda s, earlier: services.decision_supersede(
            decision=earlier, item=s.item, resolution="Reopen the list", by=s.chair, reason="New facts"
        ),
        state=lambda s, earlier: Decision.objects.filter(supersedes=earlier).count(),
    ),
    "ratification of a chair's action": Case(
        arrange=_chairs_action,
        act=lambda s, decision: services.virtual_decision_ratify(
            decision=decision, meeting=s.meeting, by=s.chair
        ),
        state=lambda s, decision: Decision.objects.get(pk=decision.pk).ratified_at_id,
    ),
    "action agreed": Case(
        arrange=lambda s: None,
        act=lambda s, _: services.action_add(
            meeting=s.meeting,
            description="Write to the practice",
            owner=s.board.person("chief_officer"),
            due_on=s.start.date() + dt.timedelta(days=14),
            by=system_user(),
        ),
        state=lambda s, _: Action.objects.filter(meeting=s.meeting).count(),
    ),
    "draft minutes": Case(
        arrange=lambda s: None,
        act=lambda s, _: services.minutes_draft(meeting=s.meeting, text="Minutes", by=system_user()),
        state=lambda s, _: Minutes.objects.filter(meeting=s.meeting).count(),
    ),
    "approving earlier minutes at the meeting": Case(
        arrange=_earlier_minutes,
        act=lambda s, minutes: services.minutes_approve(minutes=minutes, at_meeting=s.meeting, by=s.chair),
        state=lambda s, minutes: Minutes.objects.get(pk=minutes.pk).status,
    ),
}


@pytest.mark.parametrize("kind", list(CASES))
def test_a_record_is_refused_a_second_before_the_meeting_starts_and_made_at_the_start(
    scene: Scene, kind: str
) -> None:
    # Given everything that must come first, recorded once the meeting has started
    case = CASES[kind]
    with at(scene.start):
        arranged = case.arrange(scene)
    before = case.state(scene, arranged)

    # When the record is tried one second before the start, then it is refused saying when it starts
    with at(scene.start - ONE_SECOND), pytest.raises(ValidationError) as refused:
        case.act(scene, arranged)
    when = timezone.localtime(scene.start)
    assert f"The meeting starts at 14:00 on {when:%A %-d %B %Y}:" in refused.value.messages[0]
    assert "from then" in refused.value.messages[0]
    assert case.state(scene, arranged) == before  # nothing saved

    # When it is tried at the start exactly, then it is recorded
    with at(scene.start):
        case.act(scene, arranged)
    assert case.state(scene, arranged) != before


def test_the_start_is_read_in_local_time_in_summer_too(ccg: CCG) -> None:
    # Given a meeting at 14:00 on a summer's day (British Summer Time, 13:00 UTC)
    board = pccc(ccg)
    on = dt.date(timezone.localdate().year + 1, 7, 14)
    meeting = meeting_of(board, on=on, present=[])
    assert meeting.starts_at.astimezone(dt.UTC).hour == 13

    # When attendance is tried a second early, then the refusal names the local start
    with at(meeting.starts_at - ONE_SECOND), pytest.raises(ValidationError, match="starts at 14:00 on"):
        services.attendance_record(
            meeting=meeting,
            person=board.person("gp_one"),
            status=AttendanceStatus.PRESENT,
            by=system_user(),
            reason=REASON,
        )


# Before the meeting: what stays allowed ---------------------------------------------------------------


def test_before_the_meeting_the_chair_withholds_papers_and_the_member_leaves_the_item(
    scene: Scene,
) -> None:
    # Given the meeting starts in three weeks
    # When the chair rules now that a partner of the practice gets no papers for the item
    exclusion = services.exclusion_record(
        item=scene.item,
        person=scene.board.person("gp_one"),
        scope=ExclusionScope.LEAVES,
        reason="Partner at the practice applying to close its list",
        papers_withheld=True,
        by=scene.chair,
    )

    # Then the ruling stands, with its history naming the chair and the reason
    assert (exclusion.scope, exclusion.papers_withheld) == (ExclusionScope.LEAVES, True)
    entry = exclusion.history.latest()
    assert (entry.history_user, entry.history_change_reason) == (
        scene.chair,
        "Partner at the practice applying to close its list",
    )


@pytest.mark.parametrize(
    ("scope", "papers_withheld"),
    [(ExclusionScope.LEAVES, False), (ExclusionScope.NO_VOTE, True), (ExclusionScope.NO_VOTE, False)],
)
def test_before_the_meeting_every_other_ruling_waits_for_it(
    scene: Scene, scope: str, papers_withheld: bool
) -> None:
    with pytest.raises(ValidationError, match="may only rule that a member's papers are withheld"):
        services.exclusion_record(
            item=scene.item,
            person=scene.board.person("gp_one"),
            scope=scope,
            reason="Partner at the practice",
            papers_withheld=papers_withheld,
            by=scene.chair,
        )
    assert not Exclusion.objects.filter(item=scene.item).exists()


def test_before_the_meeting_the_agenda_and_papers_are_still_built(scene: Scene) -> None:
    from django.core.files.base import ContentFile

    item = decision_item(scene.board, scene.meeting, scene.ccg, title="Merger of two practices")
    paper = services.paper_add(
        item=item,
        title="Merger application",
        file=ContentFile(b"%PDF-1.4 merger", name="merger.pdf"),
        by=system_user(),
        reason=REASON,
    )
    assert paper.item == item
    assert scene.meeting.items.count() == 7  # five opening items and two for decision


# After the event -------------------------------------------------------------------------------------------


def test_a_meeting_held_last_week_is_written_up_today(ccg: CCG) -> None:
    # Given a meeting that took place last week, scheduled in cocomm only today
    board = pccc(ccg)
    meeting = meeting_of(board, on=timezone.localdate() - dt.timedelta(days=7))
    item = decision_item(board, meeting, ccg)
    chair = board.user("lay_chair")

    # When its whole record is made now
    decision = services.decision_propose(item=item, resolution="Approve", by=chair, reason="Moved")
    services.vote_open(decision=decision, by=chair)
    for key in VOTERS:
        services.vote_cast(decision=decision, person=board.person(key), choice="for", by=chair)
    services.vote_close(decision=decision, by=chair)
    decision = services.decision_approve(decision=decision, by=chair)
    minutes = services.minutes_draft(meeting=meeting, text="Minutes", by=system_user())

    # Then it stands
    assert decision.status == DecisionStatus.APPROVED
    assert Attendance.objects.filter(meeting=meeting).count() == len(EVERYONE)
    assert minutes.status == MinutesStatus.DRAFT


# The quorum before attendance ------------------------------------------------------------------------------


def test_before_attendance_is_recorded_the_quorum_is_not_known_rather_than_inquorate(scene: Scene) -> None:
    quorum = item_quorum(scene.item)
    assert (quorum.state, quorum.label, quorum.quorate) == (
        QuorumState.NOT_RECORDED,
        "Attendance not recorded yet",
        False,
    )
    assert quorum.explanation.startswith("Attendance has not been recorded yet")
    assert "Inquorate" not in quorum.explanation
    assert meeting_record(scene.meeting).quorums[scene.item.pk].state == QuorumState.NOT_RECORDED


def test_once_attendance_is_recorded_the_quorum_is_counted(scene: Scene) -> None:
    # Given the meeting has started and only the chair's apologies are recorded
    with at(scene.start):
        services.attendance_record(
            meeting=scene.meeting,
            person=scene.board.person("lay_chair"),
            status=AttendanceStatus.APOLOGIES,
            by=system_user(),
            reason=REASON,
        )
    # Then the item is inquorate, and quorate once enough members are present
    assert item_quorum(scene.item).state == QuorumState.INQUORATE
    assert meeting_record(scene.meeting).quorums[scene.item.pk].label == "Inquorate"
    with at(scene.start):
        scene.attend(["lay_member", "chief_officer", "gp_one"])
    assert item_quorum(scene.item).state == QuorumState.QUORATE


def test_a_vote_is_not_opened_on_an_item_whose_attendance_is_not_recorded(ccg: CCG) -> None:
    board = pccc(ccg)
    meeting = meeting_of(board, on=dt.date(2016, 6, 1), present=[])
    decision = services.decision_propose(
        item=decision_item(board, meeting, ccg), resolution="Approve", by=board.user("lay_chair"), reason="M"
    )
    with pytest.raises(ValidationError, match="Attendance has not been recorded yet"):
        services.vote_open(decision=decision, by=board.user("lay_chair"))


# The pages -------------------------------------------------------------------------------------------------


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def officer(make_user: Callable[..., User], ccg: CCG) -> User:
    from cocomm.models import RoleKind

    return make_user(RoleKind.GOVERNANCE_OFFICER, ccg=ccg)


@pytest.fixture
def frozen_before(scene: Scene) -> Iterator[None]:
    """The clock stopped an hour before the meeting starts."""
    with at(scene.start - dt.timedelta(hours=1)):
        yield


def test_before_the_meeting_its_page_shows_no_attendance_yet_and_offers_no_record_forms(
    scene: Scene, officer: User, frozen_before: None
) -> None:
    html = logged_in(officer).get(reverse("meeting-detail", args=[scene.meeting.pk])).content.decode()
    assert "Attendance not recorded yet" in html
    assert "Inquorate" not in html
    assert "Attendance is recorded from 14:00 on" in html
    assert "Save the attendance" not in html
    assert "Add the action" not in html
    assert "Add an agenda item" in html  # the agenda is still built before the meeting


def test_from_the_start_the_meeting_page_offers_attendance(scene: Scene, officer: User) -> None:
    with at(scene.start):
        html = logged_in(officer).get(reverse("meeting-detail", args=[scene.meeting.pk])).content.decode()
    assert "Save the attendance" in html
    assert "Attendance is recorded from" not in html


def test_attendance_posted_before_the_meeting_is_refused_on_the_form_and_nothing_saved(
    scene: Scene, officer: User, frozen_before: None
) -> None:
    members = {
        f"attendance-status_{m.person_id}": AttendanceStatus.PRESENT for m in scene.board.members.values()
    }
    response = logged_in(officer).post(
        reverse("attendance-record", args=[scene.meeting.pk]), {**members, "attendance-reason": "Sheet"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "attendance can be recorded from then" in html
    assert not Attendance.objects.filter(meeting=scene.meeting).exists()


def test_before_the_meeting_the_item_page_says_when_the_resolution_and_note_open(
    scene: Scene, frozen_before: None
) -> None:
    html = logged_in(scene.chair).get(reverse("agenda-item-detail", args=[scene.item.pk])).content.decode()
    assert "Attendance not recorded yet" in html
    assert "Propose the resolution" not in html
    assert "A resolution can be proposed and voted on from 14:00 on" in html
    assert "Record the ruling" not in html
    assert "the chair may rule that a member's papers are withheld" in html


def test_a_resolution_posted_before_the_meeting_is_refused_on_the_form_and_nothing_saved(
    scene: Scene, frozen_before: None
) -> None:
    response = logged_in(scene.chair).post(
        reverse("decision-propose", args=[scene.item.pk]),
        {"propose-resolution": "Approve the closure", "propose-reason": "Moved"},
    )
    assert response.status_code == 200
    assert "a resolution can be put to the committee from then" in response.content.decode()
    assert not Decision.objects.filter(item=scene.item).exists()


def test_a_discussion_note_posted_before_the_meeting_is_refused_on_the_form(
    scene: Scene, officer: User, frozen_before: None
) -> None:
    response = logged_in(officer).post(
        reverse("agenda-item-note", args=[scene.item.pk]),
        {"note-discussion_note": "Discussed", "note-reason": "Notes"},
    )
    assert response.status_code == 200
    assert "what was said can be noted from then" in response.content.decode()
    assert AgendaItem.objects.get(pk=scene.item.pk).discussion_note == ""


def test_minutes_posted_before_the_meeting_are_refused_on_the_form_and_nothing_saved(
    scene: Scene, officer: User, frozen_before: None
) -> None:
    client = logged_in(officer)
    page = client.get(reverse("minutes-detail", args=[scene.meeting.pk])).content.decode()
    assert "The minutes can be drafted from 14:00 on" in page
    assert "Save the draft" not in page
    response = client.post(reverse("minutes-detail", args=[scene.meeting.pk]), {"text": "Minutes"})
    assert response.status_code == 200
    assert "its minutes can be drafted from then" in response.content.decode()
    assert not Minutes.objects.filter(meeting=scene.meeting).exists()
