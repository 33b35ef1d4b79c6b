"""The action log: an action is marked done by its owner or the meeting's managers, saying how."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from cocomm.audit import system_user
from cocomm.models import CCG, RoleKind, User
from committees import services
from committees.models import Action, ActionStatus
from tests.factories.committees import Board, meeting_of, pccc
from tests.factories.delegation import give_level

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(level2_ccg: CCG) -> Board:
    give_level(level2_ccg, 3, dt.date(2016, 4, 1))
    return pccc(level2_ccg)


@pytest.fixture
def action(board: Board) -> Action:
    meeting = meeting_of(board, on=dt.date(2016, 6, 9))
    return services.action_add(
        meeting=meeting,
        description="Write to the practice with the decision",
        owner=board.person("chief_officer"),
        due_on=dt.date(2016, 6, 30),
        by=system_user(),
    )


@pytest.fixture
def officer(make_user: Callable[..., User], level2_ccg: CCG) -> User:
    return make_user(RoleKind.GOVERNANCE_OFFICER, ccg=level2_ccg)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_owner_marks_their_action_done_and_the_history_says_how(board: Board, action: Action) -> None:
    owner = board.user("chief_officer")

    done = services.action_complete(action=action, by=owner, reason="Letter sent on 20 June")

    assert done.status == ActionStatus.DONE
    row = done.history.latest()
    assert (row.history_user, row.history_change_reason) == (owner, "Letter sent on 20 June")


def test_another_member_may_not_and_a_done_action_cannot_be_done_again(
    board: Board, action: Action, officer: User
) -> None:
    with pytest.raises(PermissionDenied):
        services.action_complete(action=action, by=board.user("gp_one"), reason="Not mine to close")
    with pytest.raises(ValidationError, match="Say how"):
        services.action_complete(action=action, by=officer, reason="   ")
    services.action_complete(action=action, by=officer, reason="Confirmed with the practice")

    with pytest.raises(ValidationError, match="already done"):
        services.action_complete(action=action, by=officer, reason="Again")
    assert Action.objects.get(pk=action.pk).history.count() == 2  # added, then done once


def test_the_meeting_page_offers_mark_done_to_the_owner_and_managers_only(
    board: Board, action: Action, officer: User
) -> None:
    url = reverse("meeting-detail", args=[action.meeting_id])
    link = reverse("action-complete", args=[action.pk])

    assert link in logged_in(officer).get(url).content.decode()
    assert link in logged_in(board.user("chief_officer")).get(url).content.decode()
    assert link not in logged_in(board.user("gp_one")).get(url).content.decode()
    assert logged_in(board.user("gp_one")).get(link).status_code == 404


def test_a_user_who_cannot_see_the_meeting_gets_404(
    action: Action, make_user: Callable[..., User], other_ccg: CCG
) -> None:
    outsider = make_user(RoleKind.GOVERNANCE_OFFICER, ccg=other_ccg)
    link = reverse("action-complete", args=[action.pk])

    assert logged_in(outsider).get(link).status_code == 404
    assert logged_in(outsider).post(link, {"reason": "x"}).status_code == 404
    assert logged_in(outsider).get(reverse("action-complete", args=[action.pk + 999])).status_code == 404
    assert Action.objects.get(pk=action.pk).status == ActionStatus.OPEN


def test_the_form_asks_how_it_was_done_then_the_log_shows_it_done(officer: User, action: Action) -> None:
    client = logged_in(officer)
    link = reverse("action-complete", args=[action.pk])

    empty = client.post(link, {"reason": ""})
    assert empty.status_code == 200 and "Say how the action was done" in empty.content.decode()
    assert Action.objects.get(pk=action.pk).status == ActionStatus.OPEN

    done = client.post(link, {"reason": "Letter sent on 20 June"})
    assert done.status_code == 302 and done["Location"].endswith("#actions")
    page = client.get(reverse("meeting-detail", args=[action.meeting_id])).content.decode()
    assert "Done" in page and link not in page
    assert "This action is already done." in client.get(link).content.decode()
