"""Late declarations on the pages: the internal register, the declarant's own page, the officers'
list of who declared late, the Guardian's overview and the list of late declarations (a 404 to anyone
who may not read the CCG's registers), never on the published register; the forms accept a late
declaration and say it is late; the lists take the same queries however many are late."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cocomm.audit import system_user
from cocomm.models import CCG, RoleKind, User
from conflicts import services
from conflicts.models import Declaration, GiftOrHospitality, InterestType
from tests.factories.committees import Board, pccc

pytestmark = pytest.mark.django_db

D = dt.date
LATE_BY_12 = "Late by 12 days"


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ccg(level2_ccg: CCG) -> CCG:
    return level2_ccg


@pytest.fixture
def board(ccg: CCG) -> Board:
    return pccc(ccg)


@pytest.fixture
def officer(make_user: Callable[..., User], ccg: CCG) -> User:
    return make_user(RoleKind.GOVERNANCE_OFFICER, ccg=ccg)


@pytest.fixture
def guardian(make_user: Callable[..., User], ccg: CCG) -> User:
    return make_user(RoleKind.CONFLICTS_GUARDIAN, ccg=ccg)


@pytest.fixture
def reviewer(make_user: Callable[..., User], ccg: CCG) -> User:
    return make_user(RoleKind.NHSE_REVIEWER, area_team=ccg.area_team)


def declare(board: Board, ccg: CCG, key: str = "gp_one", **fields: Any) -> Declaration:
    values: dict[str, Any] = {
        "position": "GP member",
        "interest_type": InterestType.FINANCIAL,
        "description": "Shareholder of the federation",
        "organisation_name": "Fylde Coast GP Federation",
    }
    values.update(fields)
    return services.declaration_make(ccg=ccg, person=board.person(key), by=system_user(), **values)


def late_entry(board: Board, ccg: CCG, key: str = "gp_one", n: int = 0) -> Declaration:
    """Declared 40 days after the interest arose: late by 12 days."""
    return declare(
        board,
        ccg,
        key,
        organisation_name=f"Company {n}",
        description=f"Director of company {n}",
        interest_from=D(2016, 6, 1),
        declared_on=D(2016, 7, 11),
    )


def late_offer(board: Board, ccg: CCG, n: int = 0) -> GiftOrHospitality:
    """Recorded 40 days after it was offered: late by 12 days."""
    with time_machine.travel(dt.datetime(2016, 7, 11, 12, tzinfo=dt.UTC), tick=False):
        return services.offer_record(
            ccg=ccg,
            person=board.person("gp_two"),
            kind="hospitality",
            description=f"Dinner {n}",
            value=Decimal("40"),
            offeror="Medisoft Systems Ltd",
            from_supplier=False,
            offered_on=D(2016, 6, 1),
            accepted=True,
            by=system_user(),
        )


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# Where it shows --------------------------------------------------------------------------------------------


def test_the_internal_register_marks_the_late_entry_and_counts_it_per_member(
    board: Board, ccg: CCG, officer: User
) -> None:
    late_entry(board, ccg)
    declare(board, ccg, "gp_two", interest_from=D(2016, 6, 1), declared_on=D(2016, 6, 29))  # day 28
    late_offer(board, ccg)

    html = page(logged_in(officer), reverse("register-detail", args=[ccg.ods_code]))

    assert html.count(LATE_BY_12) == 2  # the entry and the offer; the day-28 entry is on time
    assert "Entries on the register of interests declared late: 1" in html
    assert "Offers of gifts or hospitality declared late: 1" in html
    assert "1 entry" in html  # gp_one's row of the committee's table
    assert "Declared 11 Jul 2016" in html  # the offer's declaration day, beside the day offered
    assert reverse("late-declarations", args=[ccg.ods_code]) in html


def test_the_published_register_does_not_say_who_was_late(board: Board, ccg: CCG) -> None:
    late_entry(board, ccg, "lay_chair")  # a decision-maker's entry: published

    late_offer(board, ccg)

    interests = page(Client(), reverse("public-interests", args=[ccg.ods_code]))
    gifts = page(Client(), reverse("public-gifts", args=[ccg.ods_code]))

    assert "Director of company 0" in interests and "Dinner 0" in gifts
    assert "Late by" not in interests and "Late by" not in gifts


def test_the_declarant_sees_their_late_entry_on_their_own_page(board: Board, ccg: CCG) -> None:
    late_entry(board, ccg)
    declare(board, ccg, interest_from=D(2016, 6, 1), declared_on=D(2016, 6, 2), organisation_name="On time")

    html = page(logged_in(board.user("gp_one")), reverse("my-declarations"))

    assert html.count(LATE_BY_12) == 1


def test_the_guardian_sees_the_late_entries_on_their_overview_and_the_list(
    board: Board, ccg: CCG, guardian: User
) -> None:
    late_entry(board, ccg)
    late_offer(board, ccg)
    client = logged_in(guardian)

    overview = page(client, reverse("guardian-overview", args=[ccg.ods_code]))
    listing = page(client, reverse("late-declarations", args=[ccg.ods_code]))

    assert LATE_BY_12 in overview and str(board.person("gp_one")) in overview
    assert "1 on the register of interests, 1 of gifts or hospitality" in overview
    assert listing.count(LATE_BY_12) == 2
    assert "Director of company 0" in listing and "Dinner 0" in listing


def test_nothing_late_is_said_plainly(board: Board, ccg: CCG, guardian: User) -> None:
    declare(board, ccg, interest_from=D(2016, 6, 1), declared_on=D(2016, 6, 29))
    client = logged_in(guardian)

    assert "Nothing has been declared late." in page(
        client, reverse("guardian-overview", args=[ccg.ods_code])
    )
    listing = page(client, reverse("late-declarations", args=[ccg.ods_code]))
    assert "No entry on the register of" in listing and "Late by" not in listing


def test_the_list_is_for_those_who_read_the_registers_and_a_404_for_the_rest(
    board: Board,
    ccg: CCG,
    officer: User,
    guardian: User,
    reviewer: User,
    make_user: Callable[..., User],
    other_ccg: CCG,
) -> None:
    late_entry(board, ccg)
    url = reverse("late-declarations", args=[ccg.ods_code])
    other_guardian = make_user(RoleKind.CONFLICTS_GUARDIAN, ccg=other_ccg)
    other_officer = make_user(RoleKind.GOVERNANCE_OFFICER, ccg=other_ccg)

    for allowed in (officer, guardian, reviewer):
        assert logged_in(allowed).get(url).status_code == 200
    for refused in (other_guardian, other_officer, board.user("gp_one")):
        assert logged_in(refused).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the log-in page
    assert logged_in(officer).get(reverse("late-declarations", args=["ZZZ"])).status_code == 404


def test_the_list_pages_through_the_late_entries(board: Board, ccg: CCG, officer: User) -> None:
    for n in range(27):
        late_entry(board, ccg, n=n)
    url = reverse("late-declarations", args=[ccg.ods_code])
    client = logged_in(officer)

    first, second = page(client, url), page(client, url + "?page=2&offers=1")
    junk = page(client, url + "?page=abc&offers=-3")

    assert first.count(LATE_BY_12) == 25 and second.count(LATE_BY_12) == 2
    assert "Page 2 of 2" in first
    assert junk.count(LATE_BY_12) == 25  # a page that is not a number is the first


# The forms ------------------------------------------------------------------------------------------------


def declaration_post(**overrides: str) -> dict[str, str]:
    data = {
        "position": "GP member",
        "declaring": "interest",
        "interest_type": InterestType.FINANCIAL,
        "description": "Shareholder",
        "organisation_name": "Fylde Coast GP Federation",
        "consent_to_publish": "yes",
    }
    data.update(overrides)
    return data


def date_fields(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def test_a_late_declaration_is_accepted_with_a_warning(board: Board, ccg: CCG) -> None:
    arose = timezone.localdate() - dt.timedelta(days=40)
    client = logged_in(board.user("gp_one"))

    response = client.post(
        reverse("declaration-create"),
        declaration_post(ccg=str(ccg.pk), **date_fields("interest_from", arose)),
        follow=True,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert Declaration.objects.get(person=board.person("gp_one")).interest_from == arose
    assert "was declared late by 12 days" in html and "section 14O" in html
    assert LATE_BY_12 in html  # and the entry on the page is marked


def test_an_on_time_declaration_has_no_warning(board: Board, ccg: CCG) -> None:
    arose = timezone.localdate() - dt.timedelta(days=28)

    response = logged_in(board.user("gp_one")).post(
        reverse("declaration-create"),
        declaration_post(ccg=str(ccg.pk), **date_fields("interest_from", arose)),
        follow=True,
    )

    assert Declaration.objects.filter(person=board.person("gp_one")).exists()
    assert "declared late" not in response.content.decode()


def test_an_officer_entering_a_late_declaration_for_someone_is_warned(
    board: Board, ccg: CCG, officer: User
) -> None:
    arose = timezone.localdate() - dt.timedelta(days=40)

    response = logged_in(officer).post(
        reverse("declaration-create-for", args=[ccg.ods_code]),
        declaration_post(person=str(board.person("gp_two").pk), **date_fields("interest_from", arose)),
        follow=True,
    )

    assert Declaration.objects.get(person=board.person("gp_two")).on_behalf
    assert "was declared late by 12 days" in response.content.decode()


def test_the_form_explains_the_28_days(board: Board) -> None:
    html = page(logged_in(board.user("gp_one")), reverse("declaration-create"))

    assert "Declare it within 28 days of that day" in html


def test_an_offer_recorded_late_is_accepted_with_a_warning(board: Board, ccg: CCG, officer: User) -> None:
    offered = timezone.localdate() - dt.timedelta(days=40)
    data = {
        "person": str(board.person("gp_one").pk),
        "kind": "hospitality",
        "description": "Dinner",
        "value": "40.00",
        "offeror": "A professional body",
        "from_supplier": "no",
        "accepted": "yes",
        **date_fields("offered_on", offered),
    }

    response = logged_in(officer).post(reverse("offer-create", args=[ccg.ods_code]), data, follow=True)

    assert GiftOrHospitality.objects.filter(person=board.person("gp_one")).exists()
    assert "This offer was declared late by 12 days" in response.content.decode()


# Query counts -------------------------------------------------------------------------------------------


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["register-detail", "late-declarations", "guardian-overview"])
def test_the_officers_and_guardians_pages_take_the_same_queries_for_2_or_20_late(
    board: Board, ccg: CCG, officer: User, url_name: str
) -> None:
    keys = ["gp_one", "gp_two"]
    for n in range(2):
        late_entry(board, ccg, keys[n], n=n)
    late_offer(board, ccg)
    client = logged_in(officer)
    url = reverse(url_name, args=[ccg.ods_code])
    client.get(url)  # warm the session and permission caches
    few = count_queries(client, url)

    for n in range(2, 20):
        late_entry(board, ccg, keys[n % 2], n=n)
        late_offer(board, ccg, n=n)

    assert count_queries(client, url) == few


def test_the_declarants_page_takes_the_same_queries_for_2_or_20_late(board: Board, ccg: CCG) -> None:
    for n in range(2):
        late_entry(board, ccg, n=n)
    client = logged_in(board.user("gp_one"))
    url = reverse("my-declarations")
    client.get(url)
    few = count_queries(client, url)

    for n in range(2, 20):
        late_entry(board, ccg, n=n)

    assert count_queries(client, url) == few
