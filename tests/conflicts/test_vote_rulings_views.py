"""The pages of "no vote while a flagged conflict is unmanaged": the checklist's link to a pre-filled
ruling form, the form listing only that person's register entries, the item page's ruling status, the
vote refused as a message on the page, naming who chairs an item, and 404s for those who may not see
the meeting. Every meeting here is in the past."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from cocomm.models import CCG, Practice, RoleKind, User
from committees.choices import DecisionStatus, MemberCategory, Office
from committees.models import Decision
from conflicts.models import ItemChair, ItemDeclaration, Ruling
from tests.conflicts.test_vote_rulings import EVERYONE, interest, list_closure, propose
from tests.factories.cocomm import PracticeFactory
from tests.factories.committees import Board, pccc, seat
from tests.factories.delegation import give_level

pytestmark = pytest.mark.django_db


@pytest.fixture
def ccg(level2_ccg: CCG) -> CCG:
    give_level(level2_ccg, 3, dt.date(2016, 4, 1))
    return level2_ccg


@pytest.fixture
def board(ccg: CCG) -> Board:
    return pccc(ccg, virtual=True)


@pytest.fixture
def practice(ccg: CCG) -> Practice:
    return PracticeFactory(ccg=ccg, name="Castle Hill Surgery")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_checklist_links_each_unruled_flag_to_the_ruling_form_with_the_person_and_interest(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    declared = interest(board, ccg, practice, "gp_one")
    item = list_closure(board, ccg, practice)

    page = logged_in(board.user("lay_chair")).get(reverse("meeting-checklist", args=[item.meeting_id]))

    html = page.content.decode()
    link = reverse("item-declarations", args=[item.pk]) + (
        f"?person={board.person('gp_one').pk}&amp;interest={declared.pk}#record"
    )
    assert page.status_code == 200
    assert f'href="{link}"' in html
    assert "Record a declaration and ruling" in html
    assert "No ruling yet" in html


def test_the_ruling_form_is_pre_filled_and_lists_only_that_persons_register_entries(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    mine = interest(board, ccg, practice, "gp_one")
    theirs = interest(board, ccg, practice, "gp_two")
    item = list_closure(board, ccg, practice)
    url = reverse("item-declarations", args=[item.pk])

    page = logged_in(board.user("lay_chair")).get(
        url, {"person": board.person("gp_one").pk, "interest": mine.pk}
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert f'<option value="{mine.pk}" selected>' in html
    assert f'value="{theirs.pk}"' not in html
    assert 'id="declarant">Gp One<' in html
    assert f'type="hidden" name="ruling-person" value="{board.person("gp_one").pk}"' in html


def test_without_a_person_chosen_the_page_asks_who_is_declaring_and_lists_no_ones_entries(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    declared = interest(board, ccg, practice, "gp_one")
    item = list_closure(board, ccg, practice)
    html = (
        logged_in(board.user("lay_chair")).get(reverse("item-declarations", args=[item.pk])).content.decode()
    )
    assert "Who is declaring" in html
    assert f'<option value="{declared.pk}"' not in html


def test_a_noted_ruling_without_a_reason_is_a_form_error_and_saves_nothing(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    interest(board, ccg, practice, "gp_one")
    item = list_closure(board, ccg, practice)
    page = logged_in(board.user("lay_chair")).post(
        reverse("item-declarations", args=[item.pk]),
        {
            "ruling-person": board.person("gp_one").pk,
            "ruling-statement": "Partner at the practice",
            "ruling-ruling": Ruling.NOTED,
            "ruling-ruling_reason": "",
        },
    )
    assert page.status_code == 200
    assert "Say why they may take part despite the interest" in page.content.decode()
    assert not ItemDeclaration.objects.exists()


def test_the_item_page_shows_who_is_flagged_and_where_the_ruling_stands(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    interest(board, ccg, practice, "gp_one")
    item = list_closure(board, ccg, practice)
    chair = logged_in(board.user("lay_chair"))
    url = reverse("agenda-item-detail", args=[item.pk])

    before = chair.get(url).content.decode()
    assert "Conflicts flagged on this item" in before and "No ruling yet" in before
    assert "Rulings needed before the vote" in before

    chair.post(
        reverse("item-declarations", args=[item.pk]),
        {
            "ruling-person": board.person("gp_one").pk,
            "ruling-statement": "Partner at the practice",
            "ruling-ruling": Ruling.LEAVES,
        },
    )
    after = chair.get(url).content.decode()
    assert "No ruling yet" not in after
    assert "Leaves the meeting for the item</strong>, by" in after


def test_opening_the_vote_refused_is_a_message_naming_the_person_not_an_error_page(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    item = list_closure(board, ccg, practice)
    decision = propose(item, board)
    interest(board, ccg, practice, "gp_one")

    page = logged_in(board.user("lay_chair")).post(reverse("vote-open", args=[decision.pk]))

    assert page.status_code == 200
    assert "Gp One" in page.content.decode()
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.DRAFT


def test_naming_who_chairs_the_item_from_its_page(board: Board, ccg: CCG, practice: Practice) -> None:
    interest(board, ccg, practice, "lay_chair")
    item = list_closure(board, ccg, practice)
    chair = logged_in(board.user("lay_chair"))
    page = chair.get(reverse("item-declarations", args=[item.pk]))
    assert "Name who chairs the item" in page.content.decode()

    refused = chair.post(
        reverse("item-chair-name", args=[item.pk]), {"chair-person": board.person("lay_chair").pk}
    )
    assert refused.status_code == 200 and not ItemChair.objects.exists()

    named = chair.post(
        reverse("item-chair-name", args=[item.pk]), {"chair-person": board.person("lay_member").pk}
    )
    assert named.status_code == 302
    assert ItemChair.objects.get(item=item).person == board.person("lay_member")


def test_the_vice_chair_sees_the_ruling_form_on_the_item_the_chair_is_conflicted_on(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    seat(board, "vice", MemberCategory.LAY, office=Office.VICE_CHAIR)
    interest(board, ccg, practice, "lay_chair")
    item = list_closure(board, ccg, practice, present=[*EVERYONE, "vice"])
    vice = logged_in(board.user("vice"))

    posted = vice.post(
        reverse("item-declarations", args=[item.pk]),
        {
            "ruling-person": board.person("lay_chair").pk,
            "ruling-statement": "Partner at the practice",
            "ruling-ruling": Ruling.LEAVES,
        },
    )

    assert posted.status_code == 302
    assert ItemDeclaration.objects.get(item=item).ruled_by == board.user("vice")


@pytest.mark.parametrize("name", ["meeting-checklist", "item-declarations", "item-chair-name"])
def test_someone_who_may_not_see_the_meeting_gets_a_404(
    board: Board,
    ccg: CCG,
    practice: Practice,
    make_user: Callable[..., User],
    other_ccg: CCG,
    name: str,
) -> None:
    interest(board, ccg, practice, "gp_one")
    item = list_closure(board, ccg, practice)
    stranger = logged_in(make_user(RoleKind.GOVERNANCE_OFFICER, ccg=other_ccg))
    pk = item.meeting_id if name == "meeting-checklist" else item.pk
    url = reverse(name, args=[pk])
    response = stranger.post(url, {}) if name == "item-chair-name" else stranger.get(url)
    assert response.status_code == 404


def test_a_member_who_does_not_chair_the_item_gets_no_ruling_form_and_a_404_on_posting(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    interest(board, ccg, practice, "gp_one")
    item = list_closure(board, ccg, practice)
    member = logged_in(board.user("gp_two"))
    url = reverse("item-declarations", args=[item.pk])
    assert "Record the ruling" not in member.get(url, {"person": board.person("gp_one").pk}).content.decode()
    assert member.post(url, {"ruling-person": board.person("gp_one").pk}).status_code == 404


def test_the_chairs_action_form_takes_the_chairs_declaration_and_refuses_an_unmanaged_conflict(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    from functions.models import Function

    chair = logged_in(board.user("lay_chair"))
    url = reverse("virtual-decision-create", args=[board.committee.pk])
    form = {
        "ccg": ccg.pk,
        "function": Function.objects.get(number=3).pk,
        "resolution": "Close the list for 3 months",
        "urgency_reason": "The practice lost two GPs this week",
    }
    assert "Do you have an interest in this decision?" in chair.get(url).content.decode()

    missing = chair.post(url, {**form, "has_interest": "yes", "interest_details": ""})
    assert "Describe your interest in this decision" in missing.content.decode()

    interest(board, ccg, practice, "lay_chair")
    refused = chair.post(url, {**form, "has_interest": "yes", "interest_details": "Partner at a practice"})
    assert refused.status_code == 200
    assert "You may not take this decision by chair&#x27;s action" in refused.content.decode()
    assert not Decision.objects.filter(virtual=True).exists()


def test_the_decision_page_shows_the_chairs_declaration(board: Board, ccg: CCG, practice: Practice) -> None:
    from tests.conflicts.test_vote_rulings import chairs_action

    decision = chairs_action(board, ccg, practice, "No interest declared.")
    page = logged_in(board.user("lay_chair")).get(reverse("decision-detail", args=[decision.pk]))
    html = page.content.decode()
    assert "The chair's declaration" in html and "No interest declared." in html


def queries_for(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_the_item_pages_cost_the_same_queries_for_one_flagged_member_or_four(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    interest(board, ccg, practice, "gp_one")
    item = list_closure(board, ccg, practice)
    chair = logged_in(board.user("lay_chair"))
    pages = [
        reverse("agenda-item-detail", args=[item.pk]),
        reverse("item-declarations", args=[item.pk]),
        reverse("meeting-checklist", args=[item.meeting_id]),
    ]
    chair.get(pages[0])  # warm the session and permission caches
    one = [queries_for(chair, url) for url in pages]

    for key in ("gp_two", "lay_member", "finance_director"):
        interest(board, ccg, practice, key)
    chair.post(
        reverse("item-declarations", args=[item.pk]),
        {
            "ruling-person": board.person("gp_two").pk,
            "ruling-statement": "Partner at the practice",
            "ruling-ruling": Ruling.LEAVES,
        },
    )

    assert [queries_for(chair, url) for url in pages] == one
