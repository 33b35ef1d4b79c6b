"""Frozen means frozen: once an item's vote has closed, what it was taken on stays as it was; once a
meeting's minutes are approved, nothing recorded at the meeting changes, except that its actions may
still be marked done. Each refusal says why, through the services, the pages, the models and the
admin; a correction is an erratum recorded at a later meeting and shown with the minutes."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cocomm.audit import system_user
from cocomm.models import CCG, RoleKind, User
from committees import services
from committees.choices import (
    AttendanceStatus,
    DecisionStatus,
    ExclusionScope,
    MinutesStatus,
    Purpose,
    StandardItem,
    VoteChoice,
)
from committees.minutes import compose_minutes
from committees.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Attendance,
    Decision,
    DecisionVoter,
    Erratum,
    Exclusion,
    Meeting,
    Minutes,
    Paper,
    Vote,
)
from functions.models import Function
from tests.factories.cocomm import PersonFactory, UserFactory
from tests.factories.committees import Board, decision_item, joint_committee, meeting_of, pccc
from tests.factories.delegation import give_level

pytestmark = pytest.mark.django_db

MEETING_DAY = dt.date(2016, 6, 1)
LATER_DAY = dt.date(2016, 7, 6)
VOTE_CLOSED = "The vote on item 6, List closure, closed at the meeting of 1 June 2016"
MINUTES_APPROVED = "The minutes of 1 June 2016 were approved on 6 July 2016"
ERRATUM_ADVICE = "record an erratum at a later meeting"


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def html_of(response: Any) -> str:
    return str(response.content.decode())


@pytest.fixture
def ccg(level2_ccg: CCG) -> CCG:
    give_level(level2_ccg, 3, dt.date(2016, 4, 1))
    return level2_ccg


@pytest.fixture
def board(ccg: CCG) -> Board:
    return pccc(ccg)


@pytest.fixture
def meeting(board: Board) -> Meeting:
    return meeting_of(board, on=MEETING_DAY)


@pytest.fixture
def item(board: Board, meeting: Meeting, ccg: CCG) -> AgendaItem:
    return decision_item(board, meeting, ccg)


@pytest.fixture
def officer(make_user: Callable[..., User], ccg: CCG) -> User:
    return make_user(RoleKind.GOVERNANCE_OFFICER, ccg=ccg)


@pytest.fixture
def superuser(db: None) -> User:
    # Even a superuser, who holds every model permission, cannot change a frozen record in the admin.
    return UserFactory(is_staff=True, is_superuser=True)


def close_the_vote(board: Board, item: AgendaItem) -> Decision:
    """Gp Two stays without voting; four vote for; the vote closes (carried, awaiting approval)."""
    chair = board.user("lay_chair")
    services.exclusion_record(
        item=item, person=board.person("gp_two"), scope=ExclusionScope.NO_VOTE, reason="Partner", by=chair
    )
    decision = services.decision_propose(
        item=item, resolution="Approve the closure", by=chair, reason="Moved"
    )
    services.vote_open(decision=decision, by=chair)
    for key in ("lay_chair", "lay_member", "chief_officer", "gp_one"):
        services.vote_cast(decision=decision, person=board.person(key), choice=VoteChoice.FOR, by=chair)
    return services.vote_close(decision=decision, by=chair)


@dataclass
class Approved:
    """A meeting whose decision is approved and whose minutes were approved at a later meeting."""

    decision: Decision
    minutes: Minutes
    later: Meeting
    action: Action


@pytest.fixture
def approved(board: Board, meeting: Meeting, item: AgendaItem) -> Approved:
    decision = services.decision_approve(decision=close_the_vote(board, item), by=board.user("lay_chair"))
    action = services.action_add(
        meeting=meeting,
        description="Write to the practice with the decision",
        owner=board.person("chief_officer"),
        due_on=dt.date(2016, 6, 15),
        item=item,
        by=system_user(),
    )
    minutes = services.minutes_draft(meeting=meeting, text=compose_minutes(meeting), by=system_user())
    later = meeting_of(board, on=LATER_DAY)
    minutes = services.minutes_approve(minutes=minutes, at_meeting=later, by=board.user("lay_chair"))
    return Approved(decision, minutes, later, action)


def history_rows() -> int:
    return sum(
        model.history.count()  # type: ignore[attr-defined]
        for model in (
            Attendance,
            Exclusion,
            Vote,
            DecisionVoter,
            Decision,
            AgendaItem,
            Paper,
            Minutes,
            Action,
        )
    )


# Once the vote has closed --------------------------------------------------------------------------------


def test_the_attendance_a_closed_vote_was_counted_on_cannot_change(board: Board, item: AgendaItem) -> None:
    close_the_vote(board, item)
    before, rows = list(Attendance.objects.values("person_id", "status")), history_rows()

    with pytest.raises(ValidationError, match=VOTE_CLOSED) as refused:
        services.attendance_record(
            meeting=item.meeting,
            person=board.person("gp_one"),
            status=AttendanceStatus.APOLOGIES,
            by=system_user(),
            reason="Left early",
        )
    with pytest.raises(ValidationError, match=VOTE_CLOSED):
        services.attendance_record(
            meeting=item.meeting,
            person=PersonFactory(full_name="Late Adviser"),
            status=AttendanceStatus.IN_ATTENDANCE,
            by=system_user(),
            reason="Arrived late",
        )

    assert "The governance officer records any correction in the minutes" in refused.value.messages[0]
    assert list(Attendance.objects.values("person_id", "status")) == before
    assert history_rows() == rows


def test_exclusions_on_an_item_whose_vote_closed_cannot_be_added_or_lifted(
    board: Board, item: AgendaItem
) -> None:
    close_the_vote(board, item)
    chair = board.user("lay_chair")

    with pytest.raises(ValidationError, match=VOTE_CLOSED):
        services.exclusion_record(
            item=item, person=board.person("gp_one"), scope=ExclusionScope.LEAVES, reason="Late", by=chair
        )
    with pytest.raises(ValidationError, match=VOTE_CLOSED):
        services.exclusion_lift(item=item, person=board.person("gp_two"), by=chair, reason="Changed mind")

    assert list(Exclusion.objects.values_list("person__full_name", "scope")) == [
        ("Gp Two", ExclusionScope.NO_VOTE)
    ]


def test_no_vote_is_cast_or_changed_after_the_close_and_the_refusal_says_why(
    board: Board, item: AgendaItem
) -> None:
    decision = close_the_vote(board, item)
    stored = list(Vote.objects.values("person_id", "choice"))

    with pytest.raises(ValidationError, match=VOTE_CLOSED):
        services.vote_cast(
            decision=decision,
            person=board.person("gp_one"),
            choice=VoteChoice.AGAINST,
            by=board.user("lay_chair"),
        )
    with pytest.raises(ValidationError, match=VOTE_CLOSED):
        services.vote_close(decision=decision, by=board.user("lay_chair"))

    assert list(Vote.objects.values("person_id", "choice")) == stored


def test_the_models_refuse_what_a_closed_vote_was_taken_on_whatever_the_path(
    board: Board, item: AgendaItem
) -> None:
    decision = close_the_vote(board, item)
    attendance = Attendance.objects.get(person=board.person("gp_one"))
    attendance.status = AttendanceStatus.ABSENT
    vote = Vote.objects.filter(decision=decision).first()
    assert vote is not None
    vote.choice = VoteChoice.AGAINST
    voter = DecisionVoter.objects.filter(decision=decision).first()
    assert voter is not None
    voter.reason = "Rewritten"

    for save in (attendance.save, vote.save, voter.save):
        with pytest.raises(ValidationError, match=VOTE_CLOSED):
            save()
    with pytest.raises(ValidationError, match=VOTE_CLOSED):
        Exclusion.objects.get(item=item).delete()
    with pytest.raises(ValidationError, match=VOTE_CLOSED):
        Attendance(meeting=item.meeting, person=PersonFactory(), status=AttendanceStatus.IN_ATTENDANCE).save()
    decision.vote_summary = "5 for, 0 against"
    with pytest.raises(ValidationError, match="The vote on this decision has closed"):
        decision.save()
    with pytest.raises(ValidationError, match="never deleted"):
        Decision.objects.get(pk=decision.pk).delete()

    assert Vote.objects.get(pk=vote.pk).choice == VoteChoice.FOR
    assert Decision.objects.get(pk=decision.pk).vote_summary != "5 for, 0 against"


def test_until_the_minutes_are_approved_the_note_papers_actions_and_approval_still_go_ahead(
    board: Board, item: AgendaItem
) -> None:
    decision = close_the_vote(board, item)

    services.agenda_item_note(
        item=item, discussion_note="Members asked about access", by=system_user(), reason="x"
    )
    services.paper_add(
        item=item,
        title="Letter",
        file=ContentFile(b"%PDF-1.4", name="letter.pdf"),
        by=system_user(),
        reason="x",
    )
    services.action_add(
        meeting=item.meeting,
        description="Tell the practice",
        owner=board.person("chief_officer"),
        due_on=dt.date(2016, 6, 8),
        by=system_user(),
    )
    approved = services.decision_approve(decision=decision, by=board.user("lay_chair"))

    assert approved.status == DecisionStatus.APPROVED
    assert AgendaItem.objects.get(pk=item.pk).discussion_note == "Members asked about access"
    assert item.papers.count() == 1 and item.meeting.actions.count() == 1


# Once the minutes are approved -------------------------------------------------------------------------


def test_minutes_wait_for_a_decision_awaiting_the_chairs_approval(
    board: Board, meeting: Meeting, item: AgendaItem
) -> None:
    close_the_vote(board, item)
    minutes = services.minutes_draft(meeting=meeting, text="Draft", by=system_user())
    later = meeting_of(board, on=LATER_DAY)

    with pytest.raises(
        ValidationError, match=re.escape("item 6, List closure (recorded, awaiting the chair's approval).")
    ):
        services.minutes_approve(minutes=minutes, at_meeting=later, by=board.user("lay_chair"))

    assert Minutes.objects.get(pk=minutes.pk).status == MinutesStatus.DRAFT


def _attempts(board: Board, meeting: Meeting, item: AgendaItem) -> dict[str, Callable[[], Any]]:
    chair, clerk = board.user("lay_chair"), system_user()
    return {
        "add an item": lambda: services.agenda_item_add(
            meeting=meeting, committee=board.committee, title="Afterthought", by=clerk, reason="x"
        ),
        "schedule a matter": lambda: services.matter_schedule(
            matter=services.matter_raise(
                ccg=board.committee.ccgs.get(),
                function=Function.objects.get(number=3),
                kind="list_closure",
                title="Another list closure",
                by=clerk,
                reason="x",
            ),
            meeting=meeting,
            by=clerk,
            reason="x",
        ),
        "note the discussion": lambda: services.agenda_item_note(
            item=item, discussion_note="Afterthought", by=clerk, reason="x"
        ),
        "add a paper": lambda: services.paper_add(
            item=item,
            title="Late paper",
            file=ContentFile(b"%PDF-1.4", name="late.pdf"),
            by=clerk,
            reason="x",
        ),
        "record attendance": lambda: services.attendance_record(
            meeting=meeting,
            person=board.person("gp_one"),
            status=AttendanceStatus.ABSENT,
            by=clerk,
            reason="x",
        ),
        "record an exclusion": lambda: services.exclusion_record(
            item=item, person=board.person("gp_one"), scope=ExclusionScope.LEAVES, reason="x", by=chair
        ),
        "add an action": lambda: services.action_add(
            meeting=meeting, description="Another", owner=board.person("gp_one"), due_on=LATER_DAY, by=clerk
        ),
        "redraft the minutes": lambda: services.minutes_draft(meeting=meeting, text="Rewritten", by=clerk),
    }


@pytest.mark.parametrize(
    "attempt",
    [
        "add an item",
        "schedule a matter",
        "note the discussion",
        "add a paper",
        "record attendance",
        "record an exclusion",
        "add an action",
        "redraft the minutes",
    ],
)
def test_every_change_to_an_approved_meeting_is_refused_and_says_to_record_an_erratum(
    board: Board, meeting: Meeting, item: AgendaItem, approved: Approved, attempt: str
) -> None:
    rows = history_rows()

    with pytest.raises(ValidationError) as refused:
        _attempts(board, meeting, item)[attempt]()

    message = " ".join(refused.value.messages)
    assert MINUTES_APPROVED in message and ERRATUM_ADVICE in message
    assert history_rows() == rows


def test_a_resolution_at_an_approved_meeting_is_refused(board: Board, meeting: Meeting, ccg: CCG) -> None:
    item = decision_item(board, meeting, ccg)
    spare = decision_item(board, meeting, ccg, title="Merger")
    chair = board.user("lay_chair")
    services.decision_approve(decision=close_the_vote(board, item), by=chair)
    minutes = services.minutes_draft(meeting=meeting, text="Draft", by=system_user())
    services.minutes_approve(minutes=minutes, at_meeting=meeting_of(board, on=LATER_DAY), by=chair)

    with pytest.raises(ValidationError, match=MINUTES_APPROVED):
        services.decision_propose(item=spare, resolution="Approve the merger", by=chair, reason="Moved")
    with pytest.raises(ValidationError, match=MINUTES_APPROVED):
        Decision(
            committee=board.committee,
            item=spare,
            ccg=ccg,
            function=spare.function,
            resolution="x",
            decided_on=MEETING_DAY,
        ).save()

    assert not Decision.objects.filter(item=spare).exists()


def test_the_models_refuse_every_change_to_an_approved_meetings_record(
    board: Board, meeting: Meeting, item: AgendaItem, approved: Approved
) -> None:
    meeting.place = "Elsewhere"
    item.title = "Renamed"
    minutes = Minutes.objects.get(pk=approved.minutes.pk)
    minutes.text = "Rewritten"
    action = Action.objects.get(pk=approved.action.pk)
    action.description = "Rewritten"

    for save in (meeting.save, item.save, minutes.save, action.save):
        with pytest.raises(ValidationError, match=MINUTES_APPROVED):
            save()
    for delete in (action.delete, Minutes.objects.get(pk=minutes.pk).delete):
        with pytest.raises(ValidationError, match=MINUTES_APPROVED):
            delete()
    with pytest.raises(ValidationError, match=MINUTES_APPROVED):
        AgendaItem(meeting=meeting, number=99, title="Afterthought").save()
    with pytest.raises(ValidationError, match=MINUTES_APPROVED):
        Action(meeting=meeting, description="More", owner=board.person("gp_one"), due_on=LATER_DAY).save()

    assert Meeting.objects.get(pk=meeting.pk).place == "Board room"
    assert Minutes.objects.get(pk=minutes.pk).text == approved.minutes.text


def test_marking_an_action_done_is_still_allowed_after_the_minutes_are_approved(
    board: Board, approved: Approved
) -> None:
    owner = board.user("chief_officer")

    done = services.action_complete(action=approved.action, by=owner, reason="Letter sent on 10 June")

    assert Action.objects.get(pk=done.pk).status == ActionStatus.DONE
    row = done.history.latest()
    assert (row.history_user, row.history_change_reason) == (owner, "Letter sent on 10 June")


def test_an_action_marked_done_cannot_also_be_rewritten_at_an_approved_meeting(approved: Approved) -> None:
    action = Action.objects.get(pk=approved.action.pk)
    action.status, action.due_on = ActionStatus.DONE, LATER_DAY

    with pytest.raises(ValidationError, match=MINUTES_APPROVED):
        action.save()

    assert Action.objects.get(pk=action.pk).status == ActionStatus.OPEN


def test_a_decision_at_an_approved_meeting_can_still_be_superseded_at_a_later_one(
    board: Board, ccg: CCG, approved: Approved
) -> None:
    chair = board.user("lay_chair")
    new = services.decision_supersede(
        decision=approved.decision,
        item=decision_item(board, approved.later, ccg),
        resolution="Lift the closure",
        by=chair,
        reason="The practice has recruited",
    )
    services.vote_open(decision=new, by=chair)
    for key in ("lay_chair", "lay_member", "gp_one"):
        services.vote_cast(decision=new, person=board.person(key), choice=VoteChoice.FOR, by=chair)
    services.decision_approve(decision=services.vote_close(decision=new, by=chair), by=chair)

    assert Decision.objects.get(pk=approved.decision.pk).status == DecisionStatus.SUPERSEDED


# Errata ----------------------------------------------------------------------------------------------------


def minutes_item(meeting: Meeting) -> AgendaItem:
    return meeting.items.get(standard=StandardItem.LAST_MINUTES)


def test_an_erratum_is_recorded_at_a_later_meeting_with_its_reason_and_the_minutes_stay_as_approved(
    officer: User, approved: Approved
) -> None:
    erratum = services.erratum_record(
        minutes=approved.minutes,
        item=minutes_item(approved.later),
        correction="Item 6: Dr Gp Two stayed for the discussion and did not vote.",
        reason="The minutes named the wrong member",
        by=officer,
    )

    row = erratum.history.latest()
    assert (row.history_user, row.history_change_reason) == (officer, "The minutes named the wrong member")
    assert Minutes.objects.get(pk=approved.minutes.pk).text == approved.minutes.text
    later_minutes = compose_minutes(approved.later)
    assert (
        "Erratum to the minutes of 1 June 2016: Item 6: Dr Gp Two stayed for the discussion and did not "
        "vote. (reason: The minutes named the wrong member)" in later_minutes
    )


def test_an_erratum_is_never_changed_or_removed(officer: User, approved: Approved) -> None:
    erratum = services.erratum_record(
        minutes=approved.minutes, item=minutes_item(approved.later), correction="A", reason="B", by=officer
    )
    erratum.correction = "Rewritten"

    with pytest.raises(ValidationError, match="record a further erratum"):
        erratum.save()
    with pytest.raises(ValidationError, match="record a further erratum"):
        Erratum.objects.get(pk=erratum.pk).delete()

    assert Erratum.objects.get(pk=erratum.pk).correction == "A"


@pytest.mark.parametrize(
    ("where", "refusal"),
    [
        ("same", "is raised at a later meeting of the committee, not at the meeting of 1 June 2016"),
        ("earlier", "is raised at a later meeting of the committee, not at the meeting of 4 May 2016"),
        ("not started", "has not started yet: the erratum is recorded at it once it has"),
    ],
)
def test_an_erratum_is_refused_at_the_same_or_an_earlier_meeting_or_one_not_yet_started(
    board: Board, meeting: Meeting, officer: User, approved: Approved, where: str, refusal: str
) -> None:
    at = {
        "same": lambda: meeting,
        "earlier": lambda: meeting_of(board, on=dt.date(2016, 5, 4), present=[]),
        "not started": lambda: meeting_of(board, on=timezone.localdate() + dt.timedelta(days=14), present=[]),
    }[where]()

    with pytest.raises(ValidationError, match=refusal):
        services.erratum_record(
            minutes=approved.minutes, item=minutes_item(at), correction="A", reason="B", by=officer
        )

    assert not Erratum.objects.exists()


def test_an_erratum_needs_approved_minutes_the_same_committee_and_the_officer_or_chair(
    board: Board, meeting: Meeting, item: AgendaItem, officer: User, ccg: CCG
) -> None:
    services.decision_approve(decision=close_the_vote(board, item), by=board.user("lay_chair"))
    minutes = services.minutes_draft(meeting=meeting, text="Draft", by=system_user())
    later = meeting_of(board, on=LATER_DAY)

    with pytest.raises(ValidationError, match="still a draft: correct the draft itself"):
        services.erratum_record(
            minutes=minutes, item=minutes_item(later), correction="A", reason="B", by=officer
        )

    services.minutes_approve(minutes=minutes, at_meeting=later, by=board.user("lay_chair"))
    other_board = joint_committee(ccg)
    elsewhere = meeting_of(other_board, on=LATER_DAY, present=[])
    with pytest.raises(ValidationError, match="meeting of the committee whose minutes it corrects"):
        services.erratum_record(
            minutes=minutes, item=minutes_item(elsewhere), correction="A", reason="B", by=officer
        )
    with pytest.raises(PermissionDenied):
        services.erratum_record(
            minutes=minutes, item=minutes_item(later), correction="A", reason="B", by=board.user("gp_one")
        )
    with pytest.raises(ValidationError) as empty:
        services.erratum_record(
            minutes=minutes, item=minutes_item(later), correction=" ", reason="B", by=officer
        )

    assert "correction" in empty.value.message_dict
    chair_erratum = services.erratum_record(
        minutes=minutes, item=minutes_item(later), correction="A", reason="B", by=board.user("lay_chair")
    )
    assert Erratum.objects.get() == chair_erratum


def test_an_erratum_raised_at_a_meeting_whose_own_minutes_are_approved_is_refused(
    board: Board, officer: User, approved: Approved
) -> None:
    later_minutes = services.minutes_draft(meeting=approved.later, text="Draft", by=system_user())
    services.minutes_approve(
        minutes=later_minutes,
        at_meeting=meeting_of(board, on=dt.date(2016, 8, 3)),
        by=board.user("lay_chair"),
    )

    with pytest.raises(ValidationError, match="The minutes of 6 July 2016 were approved on 3 August 2016"):
        services.erratum_record(
            minutes=approved.minutes,
            item=minutes_item(approved.later),
            correction="A",
            reason="B",
            by=officer,
        )


# The pages -------------------------------------------------------------------------------------------------


def test_the_erratum_journey_on_the_minutes_page_and_the_meeting_page(
    officer: User, meeting: Meeting, approved: Approved
) -> None:
    client = logged_in(officer)
    minutes_url = reverse("minutes-detail", args=[meeting.pk])
    page = html_of(client.get(minutes_url))
    assert "Record an erratum" in page and "<textarea" in page
    assert "Minutes of the last meeting" in page  # the later meeting's standing item is offered

    missing = client.post(reverse("erratum-record", args=[meeting.pk]), {"erratum-reason": "Why"})
    assert missing.status_code == 200
    assert "Enter the correction" in html_of(missing)
    response = client.post(
        reverse("erratum-record", args=[meeting.pk]),
        {
            "erratum-item": minutes_item(approved.later).pk,
            "erratum-correction": "Item 6: the closure is for six months, not three.",
            "erratum-reason": "The period was misrecorded",
        },
    )

    assert response.status_code == 302
    erratum = Erratum.objects.get()
    assert (erratum.recorded_by, erratum.history.latest().history_change_reason) == (
        officer,
        "The period was misrecorded",
    )
    for url in (minutes_url, reverse("meeting-detail", args=[meeting.pk])):
        shown = html_of(client.get(url))
        assert "Errata" in shown
        assert "Item 6: the closure is for six months, not three." in shown
        assert "The period was misrecorded" in shown
    assert approved.minutes.text in Minutes.objects.get(pk=approved.minutes.pk).text


def test_a_member_sees_the_errata_but_is_not_offered_the_form(
    board: Board, meeting: Meeting, approved: Approved
) -> None:
    services.erratum_record(
        minutes=approved.minutes,
        item=minutes_item(approved.later),
        correction="Corrected line",
        reason="Typo",
        by=board.user("lay_chair"),
    )
    member = logged_in(board.user("gp_one"))

    page = html_of(member.get(reverse("minutes-detail", args=[meeting.pk])))

    assert "Corrected line" in page and "Record an erratum" not in page
    assert member.post(reverse("erratum-record", args=[meeting.pk]), {}).status_code == 404


def test_the_meeting_page_shows_why_attendance_is_not_offered_once_a_vote_closed(
    board: Board, officer: User, item: AgendaItem
) -> None:
    close_the_vote(board, item)
    client = logged_in(officer)
    url = reverse("meeting-detail", args=[item.meeting.pk])

    page = html_of(client.get(url))
    assert "Save the attendance" not in page
    assert "The vote on item 6, List closure, closed at the meeting of 1 June 2016" in page

    response = client.post(
        reverse("attendance-record", args=[item.meeting.pk]),
        {
            f"attendance-status_{board.person('gp_one').pk}": AttendanceStatus.APOLOGIES,
            "attendance-reason": "Correction",
        },
    )
    assert response.status_code == 200
    assert VOTE_CLOSED in html_of(response)
    assert Attendance.objects.get(person=board.person("gp_one")).status == AttendanceStatus.PRESENT


def test_the_item_page_offers_no_ruling_once_the_vote_closed_and_a_post_is_refused_with_the_reason(
    board: Board, item: AgendaItem
) -> None:
    close_the_vote(board, item)
    chair = logged_in(board.user("lay_chair"))
    url = reverse("exclusion-add", args=[item.pk])

    page = html_of(chair.get(reverse("agenda-item-detail", args=[item.pk])))
    assert "Record the ruling" not in page and VOTE_CLOSED in page
    assert chair.get(url)["Location"].endswith("#exclusions")
    response = chair.post(
        url,
        {
            "exclusion-person": board.person("gp_one").pk,
            "exclusion-scope": ExclusionScope.LEAVES,
            "exclusion-reason": "Late declaration",
        },
    )

    assert response.status_code == 200
    assert VOTE_CLOSED in html_of(response)
    assert not Exclusion.objects.filter(person=board.person("gp_one")).exists()


def test_a_vote_posted_after_the_close_is_refused_on_the_page_with_the_reason(
    board: Board, item: AgendaItem
) -> None:
    decision = close_the_vote(board, item)
    response = logged_in(board.user("lay_chair")).post(
        reverse("vote-cast", args=[decision.pk]), {f"vote-vote_{board.person('gp_one').pk}": "against"}
    )

    assert response.status_code == 200
    assert VOTE_CLOSED in html_of(response)
    assert Vote.objects.get(decision=decision, person=board.person("gp_one")).choice == VoteChoice.FOR


def test_page_posts_to_an_approved_meeting_are_refused_with_the_reason_and_change_nothing(
    board: Board, officer: User, meeting: Meeting, item: AgendaItem, approved: Approved, ccg: CCG
) -> None:
    client = logged_in(officer)
    rows = history_rows()
    posts = {
        reverse("agenda-item-note", args=[item.pk]): {"note-discussion_note": "Late", "note-reason": "x"},
        reverse("paper-add", args=[item.pk]): {
            "title": "Late paper",
            "file": SimpleUploadedFile("late.pdf", b"%PDF-1.4 late", content_type="application/pdf"),
            "reason": "x",
        },
        reverse("action-add", args=[meeting.pk]): {
            "action-description": "Another",
            "action-owner": board.person("gp_one").pk,
            "action-due_on_day": "6",
            "action-due_on_month": "7",
            "action-due_on_year": "2016",
        },
        reverse("agenda-item-add", args=[meeting.pk]): {
            "committee": board.committee.pk,
            "title": "Afterthought",
            "purpose": Purpose.NOTING,
            "session": "public",
            "reason": "x",
        },
        reverse("minutes-detail", args=[meeting.pk]): {"text": "Rewritten"},
    }

    for url, data in posts.items():
        response = client.post(url, data)
        assert response.status_code == 200, url
        assert MINUTES_APPROVED in html_of(response), url

    assert history_rows() == rows
    assert Minutes.objects.get(pk=approved.minutes.pk).text == approved.minutes.text


def test_an_approved_meetings_pages_say_why_instead_of_offering_forms(
    officer: User, meeting: Meeting, item: AgendaItem, approved: Approved
) -> None:
    client = logged_in(officer)

    meeting_page = html_of(client.get(reverse("meeting-detail", args=[meeting.pk])))
    item_page = html_of(client.get(reverse("agenda-item-detail", args=[item.pk])))

    for page in (meeting_page, item_page):
        assert MINUTES_APPROVED in page
    assert "Add an agenda item" not in meeting_page and "Add the action" not in meeting_page
    assert "Save the attendance" not in meeting_page
    assert "Add a paper" not in item_page and "Save the note" not in item_page
    assert client.get(reverse("agenda-item-add", args=[meeting.pk]))["Location"].endswith("#agenda")
    assert client.get(reverse("paper-add", args=[item.pk]))["Location"].endswith("#papers")


def test_an_action_is_still_marked_done_on_its_page_after_the_minutes_are_approved(
    board: Board, approved: Approved
) -> None:
    owner = logged_in(board.user("chief_officer"))

    response = owner.post(reverse("action-complete", args=[approved.action.pk]), {"reason": "Letter sent"})

    assert response.status_code == 302
    assert Action.objects.get(pk=approved.action.pk).status == ActionStatus.DONE


# The admin site -------------------------------------------------------------------------------------------


def test_no_frozen_record_can_be_changed_through_the_admin(
    superuser: User, board: Board, meeting: Meeting, item: AgendaItem, approved: Approved, officer: User
) -> None:
    erratum = services.erratum_record(
        minutes=approved.minutes, item=minutes_item(approved.later), correction="A", reason="B", by=officer
    )
    client = logged_in(superuser)
    records: list[tuple[str, Any, dict[str, Any]]] = [
        ("meeting", meeting, {"title": "Renamed", "place": "Elsewhere"}),
        ("agendaitem", item, {"title": "Renamed", "number": 6}),
        ("attendance", Attendance.objects.filter(meeting=meeting).first(), {"status": "absent"}),
        ("exclusion", Exclusion.objects.get(item=item), {"scope": "leaves", "reason": "Rewritten"}),
        ("vote", Vote.objects.filter(decision=approved.decision).first(), {"choice": "against"}),
        ("decisionvoter", DecisionVoter.objects.filter(decision=approved.decision).first(), {"reason": "x"}),
        ("decision", approved.decision, {"resolution": "Rewritten"}),
        ("minutes", approved.minutes, {"text": "Rewritten", "status": "approved"}),
        ("action", approved.action, {"description": "Rewritten", "status": "done"}),
        ("erratum", erratum, {"correction": "Rewritten", "reason": "x"}),
    ]

    for model, record, data in records:
        assert record is not None
        url = reverse(f"admin:committees_{model}_change", args=[record.pk])
        before = type(record).objects.filter(pk=record.pk).values().get()
        assert client.get(url).status_code == 200, model  # shown, read-only
        assert client.post(url, data).status_code == 403, model
        assert (
            client.post(
                reverse(f"admin:committees_{model}_delete", args=[record.pk]), {"post": "yes"}
            ).status_code
            == 403
        )
        assert type(record).objects.filter(pk=record.pk).values().get() == before, model


def test_an_action_of_a_meeting_still_open_can_be_changed_in_the_admin(
    superuser: User, board: Board, meeting: Meeting
) -> None:
    action = services.action_add(
        meeting=meeting,
        description="Draft a letter",
        owner=board.person("gp_one"),
        due_on=LATER_DAY,
        by=system_user(),
    )
    url = reverse("admin:committees_action_change", args=[action.pk])

    response = logged_in(superuser).post(
        url,
        {
            "meeting": meeting.pk,
            "description": "Draft and send a letter",
            "owner": board.person("gp_one").pk,
            "due_on": "2016-07-06",
            "status": "open",
        },
    )

    assert response.status_code == 302
    assert Action.objects.get(pk=action.pk).description == "Draft and send a letter"
