"""Frozen means frozen for the conflicts record of an item: once the item's vote has closed, no
declaration, ruling or item chair on it is added or changed (and once the meeting's minutes are
approved, no referral either), through the services, the item's declarations page, the models or the
admin. Every meeting here is in the past."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from cocomm.audit import system_user
from cocomm.models import CCG, Practice, User
from committees import services as committee_services
from committees.choices import VoteChoice
from committees.minutes import compose_minutes
from committees.models import AgendaItem, Decision, Exclusion
from conflicts import services
from conflicts.models import ItemChair, ItemDeclaration, Referral, ReferralRoute, Ruling
from tests.conflicts.test_vote_rulings import interest, list_closure, propose, rule
from tests.factories.cocomm import PracticeFactory, UserFactory
from tests.factories.committees import Board, meeting_of, pccc
from tests.factories.delegation import give_level

pytestmark = pytest.mark.django_db

VOTE_CLOSED = (
    "The vote on item 6, Castle Hill Surgery applies to close its list, closed at the meeting of 1 June 2016"
)
MINUTES_APPROVED = "The minutes of 1 June 2016 were approved on 6 July 2016"


@pytest.fixture
def ccg(level2_ccg: CCG) -> CCG:
    give_level(level2_ccg, 3, dt.date(2016, 4, 1))
    return level2_ccg


@pytest.fixture
def board(ccg: CCG) -> Board:
    return pccc(ccg)


@pytest.fixture
def practice(ccg: CCG) -> Practice:
    return PracticeFactory(ccg=ccg, name="Castle Hill Surgery")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def closed(board: Board, ccg: CCG, practice: Practice) -> AgendaItem:
    """The chair and Gp One are partners at the practice: Lay Member chairs the item, the chair leaves,
    Gp One stays without voting; the vote then closes (carried, awaiting the chair's approval)."""
    interest(board, ccg, practice, "lay_chair")
    interest(board, ccg, practice, "gp_one")
    item = list_closure(board, ccg, practice)
    chair, acting = board.user("lay_chair"), board.user("lay_member")
    services.item_chair_name(item=item, person=board.person("lay_member"), by=chair, reason="Agreed")
    rule(item, board.person("lay_chair"), Ruling.LEAVES, acting, ruling_reason="")
    rule(item, board.person("gp_one"), Ruling.NO_VOTE, acting, ruling_reason="")
    decision = committee_services.vote_open(decision=propose(item, board), by=chair)
    for key in ("lay_member", "chief_officer", "finance_director", "gp_two"):
        committee_services.vote_cast(
            decision=decision, person=board.person(key), choice=VoteChoice.FOR, by=chair
        )
    committee_services.vote_close(decision=decision, by=chair)
    return item


def snapshot(item: AgendaItem) -> list[Any]:
    return [
        list(ItemDeclaration.objects.filter(item=item).order_by("pk").values()),
        list(ItemChair.objects.filter(item=item).values()),
        list(Exclusion.objects.filter(item=item).order_by("pk").values()),
        ItemDeclaration.history.count(),  # type: ignore[attr-defined]
        ItemChair.history.count(),  # type: ignore[attr-defined]
    ]


def test_a_noted_ruling_cannot_be_added_once_the_vote_has_closed(board: Board, closed: AgendaItem) -> None:
    before = snapshot(closed)

    with pytest.raises(ValidationError, match=VOTE_CLOSED) as refused:
        rule(closed, board.person("gp_two"), Ruling.NOTED, board.user("lay_member"))

    assert "the declarations and rulings on the item" in refused.value.messages[0]
    assert snapshot(closed) == before
    assert not ItemDeclaration.objects.filter(person=board.person("gp_two")).exists()


def test_a_ruling_cannot_be_changed_once_the_vote_has_closed(board: Board, closed: AgendaItem) -> None:
    before = snapshot(closed)

    with pytest.raises(ValidationError, match=VOTE_CLOSED):
        rule(closed, board.person("gp_one"), Ruling.NOTED, board.user("lay_member"))
    with pytest.raises(ValidationError, match=VOTE_CLOSED):
        rule(closed, board.person("gp_one"), Ruling.LEAVES, board.user("lay_member"), ruling_reason="")

    assert snapshot(closed) == before


def test_who_chairs_the_item_cannot_change_once_the_vote_has_closed(board: Board, closed: AgendaItem) -> None:
    before = snapshot(closed)

    with pytest.raises(ValidationError, match=VOTE_CLOSED):
        services.item_chair_name(
            item=closed, person=board.person("chief_officer"), by=board.user("lay_chair"), reason="Swap"
        )

    assert snapshot(closed) == before


def test_the_models_refuse_a_declaration_or_item_chair_on_an_item_whose_vote_closed(
    board: Board, closed: AgendaItem
) -> None:
    declaration = ItemDeclaration.objects.get(item=closed, person=board.person("gp_one"))
    declaration.ruling = Ruling.NOTED
    chair = ItemChair.objects.get(item=closed)
    chair.reason = "Rewritten"
    added = ItemDeclaration(
        item=closed, person=board.person("gp_two"), statement="x", ruling=Ruling.NOTED, ruled_by=system_user()
    )

    for save in (declaration.save, chair.save, added.save):
        with pytest.raises(ValidationError, match=VOTE_CLOSED):
            save()
    with pytest.raises(ValidationError, match=VOTE_CLOSED):
        ItemDeclaration.objects.get(pk=declaration.pk).delete()
    with pytest.raises(ValidationError, match=VOTE_CLOSED):
        ItemChair.objects.get(pk=chair.pk).delete()

    assert ItemDeclaration.objects.get(pk=declaration.pk).ruling == Ruling.NO_VOTE


def _approve_minutes(board: Board, item: AgendaItem) -> None:
    chair = board.user("lay_chair")
    committee_services.decision_approve(decision=Decision.objects.get(item=item), by=chair)
    minutes = committee_services.minutes_draft(
        meeting=item.meeting, text=compose_minutes(item.meeting), by=system_user()
    )
    committee_services.minutes_approve(
        minutes=minutes, at_meeting=meeting_of(board, on=dt.date(2016, 7, 6)), by=chair
    )


def test_after_the_minutes_are_approved_the_refusal_points_to_an_erratum(
    board: Board, ccg: CCG, practice: Practice, closed: AgendaItem
) -> None:
    _approve_minutes(board, closed)
    before = snapshot(closed)

    with pytest.raises(ValidationError, match=MINUTES_APPROVED) as refused:
        rule(closed, board.person("gp_two"), Ruling.NOTED, board.user("lay_member"))
    with pytest.raises(ValidationError, match=MINUTES_APPROVED):
        services.referral_record(
            item=closed,
            route=ReferralRoute.CO_OPTION,
            guardian_consulted=True,
            by=board.user("lay_chair"),
        )
    with pytest.raises(ValidationError, match=MINUTES_APPROVED):
        Referral(item=closed, route=ReferralRoute.CO_OPTION, guardian_consulted=True).save()

    assert "record an erratum at a later meeting" in refused.value.messages[0]
    assert snapshot(closed) == before
    assert not Referral.objects.exists()


def test_the_declarations_page_says_why_instead_of_offering_the_ruling_form(
    board: Board, closed: AgendaItem
) -> None:
    client = logged_in(board.user("lay_member"))
    url = reverse("item-declarations", args=[closed.pk])

    page = client.get(url, {"person": board.person("gp_two").pk}).content.decode()
    assert VOTE_CLOSED in page
    assert "Record the ruling" not in page and "Continue" not in page

    before = snapshot(closed)
    response = client.post(
        url,
        {
            "ruling-person": board.person("gp_two").pk,
            "ruling-statement": "Shareholder in the premises",
            "ruling-ruling": Ruling.NOTED,
            "ruling-ruling_reason": "Remote",
        },
    )

    assert response.status_code == 200
    assert VOTE_CLOSED in response.content.decode()
    assert snapshot(closed) == before


def test_naming_an_item_chair_on_the_page_after_the_close_is_refused_with_the_reason(
    board: Board, closed: AgendaItem
) -> None:
    before = snapshot(closed)

    response = logged_in(board.user("lay_chair")).post(
        reverse("item-chair-name", args=[closed.pk]),
        {"chair-person": board.person("chief_officer").pk, "chair-reason": "Swap"},
    )

    assert response.status_code == 200
    assert VOTE_CLOSED in response.content.decode()
    assert snapshot(closed) == before


def test_the_admin_cannot_change_a_frozen_declaration_or_item_chair(board: Board, closed: AgendaItem) -> None:
    client = logged_in(UserFactory(is_staff=True, is_superuser=True))
    records = [
        (
            "itemdeclaration",
            ItemDeclaration.objects.get(item=closed, person=board.person("gp_one")),
            "ruling",
        ),
        ("itemchair", ItemChair.objects.get(item=closed), "reason"),
    ]

    for model, record, field in records:
        url = reverse(f"admin:conflicts_{model}_change", args=[record.pk])
        before = type(record).objects.filter(pk=record.pk).values().get()
        assert client.get(url).status_code == 200
        assert client.post(url, {field: "noted"}).status_code == 403
        assert type(record).objects.filter(pk=record.pk).values().get() == before
