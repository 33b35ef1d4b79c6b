"""Superseding an approved decision from its page: the chair alone, with a reason; the old decision
stands until the new one is approved, then reads superseded on every page, the minutes and the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cocomm.models import CCG, RoleKind, User
from committees import services
from committees.choices import DecisionStatus, VoteChoice
from committees.minutes import compose_minutes
from committees.models import AgendaItem, Decision, Meeting
from tests.factories.committees import Board, decision_item, meeting_of, pccc
from tests.factories.delegation import give_level

pytestmark = pytest.mark.django_db

FIRST_MEETING = dt.date(2016, 6, 1)
LATER_MEETING = dt.date(2016, 9, 1)
VOTERS = ("lay_chair", "lay_member", "chief_officer", "gp_one")


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


def carried(board: Board, decision: Decision, *, approve: bool = True) -> Decision:
    chair = board.user("lay_chair")
    services.vote_open(decision=decision, by=chair)
    for key in VOTERS:
        services.vote_cast(decision=decision, person=board.person(key), choice=VoteChoice.FOR, by=chair)
    decision = services.vote_close(decision=decision, by=chair)
    return services.decision_approve(decision=decision, by=chair) if approve else decision


@pytest.fixture
def approved(board: Board, ccg: CCG) -> Decision:
    item = decision_item(board, meeting_of(board, on=FIRST_MEETING), ccg)
    decision = services.decision_propose(
        item=item, resolution="Close the list for six months", by=board.user("lay_chair"), reason="Moved"
    )
    return carried(board, decision)


@pytest.fixture
def later_meeting(board: Board) -> Meeting:
    return meeting_of(board, on=LATER_MEETING)


@pytest.fixture
def later_item(board: Board, later_meeting: Meeting, ccg: CCG) -> AgendaItem:
    return decision_item(board, later_meeting, ccg, title="List closure revisited")


@pytest.fixture
def officer(make_user: Callable[..., User], ccg: CCG) -> User:
    return make_user(RoleKind.GOVERNANCE_OFFICER, ccg=ccg)


def supersede_url(decision: Decision) -> str:
    return reverse("decision-supersede", args=[decision.pk])


def form_data(item: AgendaItem, *, reason: str = "The practice asked for more time") -> dict[str, Any]:
    return {
        "supersede-item": str(item.pk),
        "supersede-resolution": "Close the list for twelve months",
        "supersede-reason": reason,
    }


# Who may --------------------------------------------------------------------------------------------


def test_the_chair_is_offered_the_action_and_others_are_not(
    board: Board, approved: Decision, officer: User, later_item: AgendaItem
) -> None:
    page = reverse("decision-detail", args=[approved.pk])

    assert supersede_url(approved) in html_of(logged_in(board.user("lay_chair")).get(page))
    assert supersede_url(approved) not in html_of(logged_in(officer).get(page))
    assert supersede_url(approved) not in html_of(logged_in(board.user("lay_member")).get(page))


def test_a_member_or_officer_posting_the_form_gets_404_and_nothing_is_proposed(
    board: Board, approved: Decision, officer: User, later_item: AgendaItem
) -> None:
    for user in (officer, board.user("lay_member")):
        response = logged_in(user).post(supersede_url(approved), form_data(later_item))
        assert response.status_code == 404
    assert not Decision.objects.filter(item=later_item).exists()


def test_the_service_refuses_anyone_but_the_chair(
    board: Board, approved: Decision, officer: User, later_item: AgendaItem
) -> None:
    with pytest.raises(PermissionDenied, match="chair"):
        services.decision_supersede(
            decision=approved, item=later_item, resolution="Other", by=officer, reason="Because"
        )


def test_a_hidden_decision_is_404(
    make_user: Callable[..., User], other_ccg: CCG, approved: Decision, later_item: AgendaItem
) -> None:
    stranger = make_user(RoleKind.GOVERNANCE_OFFICER, ccg=other_ccg)

    assert logged_in(stranger).get(supersede_url(approved)).status_code == 404
    assert logged_in(stranger).post(supersede_url(approved), form_data(later_item)).status_code == 404


def test_a_decision_not_yet_approved_cannot_be_superseded(
    board: Board, ccg: CCG, later_item: AgendaItem
) -> None:
    item = decision_item(board, meeting_of(board, on=FIRST_MEETING), ccg)
    decision = services.decision_propose(
        item=item, resolution="Close the list", by=board.user("lay_chair"), reason="Moved"
    )
    recorded = carried(board, decision, approve=False)

    assert logged_in(board.user("lay_chair")).get(supersede_url(recorded)).status_code == 404


# The form ------------------------------------------------------------------------------------------


def test_the_form_offers_only_suitable_items_latest_meeting_first(
    board: Board, ccg: CCG, approved: Decision, later_item: AgendaItem, later_meeting: Meeting
) -> None:
    nearer = decision_item(board, meeting_of(board, on=dt.date(2016, 7, 1)), ccg, title="Nearer item")
    other_function = decision_item(board, later_meeting, ccg, function=4, title="Procurement")

    page = html_of(logged_in(board.user("lay_chair")).get(supersede_url(approved)))

    assert f'value="{later_item.pk}"' in page and f'value="{nearer.pk}"' in page
    assert page.index(f'value="{later_item.pk}"') < page.index(f'value="{nearer.pk}"')
    assert f'value="{other_function.pk}"' not in page
    # The item that carries the decision being superseded already has a decision.
    assert f'value="{approved.item_id}"' not in page


def test_the_reason_is_required_and_nothing_is_proposed_without_it(
    board: Board, approved: Decision, later_item: AgendaItem
) -> None:
    response = logged_in(board.user("lay_chair")).post(
        supersede_url(approved), form_data(later_item, reason="")
    )

    assert response.status_code == 200
    assert "Enter why the decision is being superseded" in html_of(response)
    assert not Decision.objects.filter(item=later_item).exists()


def test_an_item_not_offered_is_a_form_error(board: Board, approved: Decision, ccg: CCG) -> None:
    elsewhere = decision_item(board, meeting_of(board, on=LATER_MEETING), ccg, function=4)

    response = logged_in(board.user("lay_chair")).post(supersede_url(approved), form_data(elsewhere))

    assert response.status_code == 200
    assert "Select a valid choice" in html_of(response)
    assert not Decision.objects.filter(item=elsewhere).exists()


# The journey -----------------------------------------------------------------------------------------


def test_the_old_decision_stands_until_the_new_one_is_approved_then_reads_superseded_everywhere(
    board: Board, approved: Decision, later_item: AgendaItem, officer: User
) -> None:
    chair = logged_in(board.user("lay_chair"))

    response = chair.post(supersede_url(approved), form_data(later_item))

    new = Decision.objects.get(item=later_item)
    assert response.status_code == 302
    assert new.supersedes_id == approved.pk
    assert new.history.latest().history_change_reason == "The practice asked for more time"
    assert new.history.latest().history_user == board.user("lay_chair")
    assert Decision.objects.get(pk=approved.pk).status == DecisionStatus.APPROVED
    old_page = html_of(chair.get(reverse("decision-detail", args=[approved.pk])))
    assert "To be superseded by" in old_page and "this decision stands" in old_page
    assert supersede_url(approved) not in old_page

    carried(board, new)

    assert Decision.objects.get(pk=approved.pk).status == DecisionStatus.SUPERSEDED
    successor_link = reverse("decision-detail", args=[new.pk])
    old_link = reverse("decision-detail", args=[approved.pk])
    reader = logged_in(officer)
    assert approved.item is not None and new.item is not None
    for url in (
        reverse("decision-detail", args=[approved.pk]),
        reverse("committee-detail", args=[board.committee.pk]),
        reverse("meeting-detail", args=[approved.item.meeting_id]),
        reverse("agenda-item-detail", args=[approved.item_id]),
    ):
        page = html_of(reader.get(url))
        assert "Superseded by" in page and successor_link in page, url
    new_page = html_of(reader.get(successor_link))
    assert "Supersedes" in new_page and old_link in new_page
    assert "Since superseded by the decision of 1 September 2016." in compose_minutes(approved.item.meeting)
    assert "It supersedes the decision of 1 June 2016." in compose_minutes(new.item.meeting)
    minutes_page = html_of(reader.get(reverse("minutes-detail", args=[approved.item.meeting_id])))
    assert successor_link in minutes_page

    api = reader.get(reverse("api-decision-detail", args=[approved.pk])).json()
    assert (api["status"], api["superseded_by"]) == ("superseded", new.pk)
    assert reader.get(reverse("api-decision-detail", args=[new.pk])).json()["supersedes"] == approved.pk


def test_a_decision_cannot_be_superseded_twice(
    board: Board, ccg: CCG, approved: Decision, later_item: AgendaItem, later_meeting: Meeting
) -> None:
    chair = board.user("lay_chair")
    services.decision_supersede(
        decision=approved, item=later_item, resolution="Twelve months", by=chair, reason="Asked"
    )
    another = decision_item(board, later_meeting, ccg, title="Yet another look")

    with pytest.raises(ValidationError, match="already recorded"):
        services.decision_supersede(
            decision=approved, item=another, resolution="Three months", by=chair, reason="Asked"
        )
    assert logged_in(chair).post(supersede_url(approved), form_data(another)).status_code == 404
    assert not Decision.objects.filter(item=another).exists()


def test_a_superseded_decision_cannot_be_superseded_again(
    board: Board, ccg: CCG, approved: Decision, later_item: AgendaItem, later_meeting: Meeting
) -> None:
    chair = board.user("lay_chair")
    new = services.decision_supersede(
        decision=approved, item=later_item, resolution="Twelve months", by=chair, reason="Asked"
    )
    carried(board, new)
    another = decision_item(board, later_meeting, ccg, title="Yet another look")

    with pytest.raises(ValidationError, match="Only an approved decision"):
        services.decision_supersede(
            decision=Decision.objects.get(pk=approved.pk),
            item=another,
            resolution="Three months",
            by=chair,
            reason="Asked",
        )


def test_a_superseding_resolution_not_carried_leaves_the_old_decision_standing(
    board: Board, ccg: CCG, approved: Decision, later_item: AgendaItem, later_meeting: Meeting
) -> None:
    chair = board.user("lay_chair")
    new = services.decision_supersede(
        decision=approved, item=later_item, resolution="Twelve months", by=chair, reason="Asked"
    )
    services.vote_open(decision=new, by=chair)
    for key in VOTERS:
        services.vote_cast(decision=new, person=board.person(key), choice=VoteChoice.AGAINST, by=chair)
    services.decision_approve(decision=services.vote_close(decision=new, by=chair), by=chair)

    assert Decision.objects.get(pk=approved.pk).status == DecisionStatus.APPROVED
    assert Decision.objects.get(pk=new.pk).supersedes_id is None
    # It may be superseded afresh.
    another = decision_item(board, later_meeting, ccg, title="Yet another look")
    again = services.decision_supersede(
        decision=approved, item=another, resolution="Three months", by=chair, reason="Asked again"
    )
    assert again.supersedes_id == approved.pk


def test_the_committee_page_shows_supersessions_in_the_same_queries_however_many(
    board: Board, ccg: CCG, approved: Decision, officer: User
) -> None:
    chair = board.user("lay_chair")
    client = logged_in(officer)
    url = reverse("committee-detail", args=[board.committee.pk])

    def supersede(earlier: Decision, on: dt.date) -> Decision:
        item = decision_item(board, meeting_of(board, on=on), ccg, title=f"Revisit of {on}")
        new = services.decision_supersede(
            decision=earlier, item=item, resolution=f"Resolution of {on}", by=chair, reason="Revisit"
        )
        return carried(board, new)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    latest = supersede(approved, dt.date(2016, 7, 1))
    count()  # the first page after logging in also writes the session
    one = count()
    latest = supersede(latest, dt.date(2016, 8, 1))
    latest = supersede(latest, dt.date(2016, 9, 1))

    assert count() == one
    assert html_of(client.get(url)).count("Superseded by") == 3
