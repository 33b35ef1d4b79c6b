"""The CCG pages: who sees which CCG, "Who decides?", recording levels, history, query counts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cocomm import services
from cocomm.models import CCG, AreaTeam, RoleKind, User
from delegation.models import LevelAssignment
from tests.factories.cocomm import CCGFactory, LocalityFactory, PracticeFactory
from tests.factories.delegation import give_level
from tests.factories.functions import Reference

pytestmark = pytest.mark.django_db

APRIL_2016 = dt.date(2016, 4, 1)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_url(ccg: CCG, **query: str) -> str:
    url = reverse("ccg-detail", args=[ccg.ods_code])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.fixture
def officer(make_user: Callable[..., User], level2_ccg: CCG) -> User:
    return make_user(RoleKind.GOVERNANCE_OFFICER, ccg=level2_ccg)


@pytest.fixture
def reviewer(make_user: Callable[..., User], national_area: AreaTeam) -> User:
    return make_user(RoleKind.NHSE_REVIEWER, area_team=national_area)


# The CCG list ---------------------------------------------------------------------------------------


def test_a_reviewer_sees_the_ccgs_of_their_area_only(reviewer: User, level2_ccg: CCG, other_ccg: CCG) -> None:
    html = logged_in(reviewer).get(reverse("ccg-list")).content.decode()

    assert "NHS Lancashire North CCG" in html
    assert "NHS Camden CCG" not in html
    assert "Level 2: Joint commissioning" in html
    assert "150,000" in html


def test_an_administrator_sees_every_ccg_under_its_area_team(
    administrator: User, level2_ccg: CCG, other_ccg: CCG
) -> None:
    html = logged_in(administrator).get(reverse("ccg-list")).content.decode()

    london = html.index(f'id="area-{other_ccg.area_team.ods_code}"')
    lancashire = html.index(f'id="area-{level2_ccg.area_team.ods_code}"')
    # Area teams in name order: "NHS England (London region)" sorts before "NHS England Lancashire".
    assert london < html.index("NHS Camden CCG") < lancashire < html.index("NHS Lancashire North CCG")
    assert "<caption" in html and 'scope="col"' in html


def test_the_ccg_list_costs_the_same_queries_for_3_or_20_ccgs(
    reviewer: User, national_area: AreaTeam
) -> None:
    def add_ccgs(count: int) -> None:
        for _ in range(count):
            give_level(CCGFactory(area_team=national_area), 2, dt.date(2015, 4, 1))

    client = logged_in(reviewer)
    add_ccgs(3)
    client.get(reverse("ccg-list"))  # warm the caches that last for the whole process
    few = queries_for(client, reverse("ccg-list"))
    add_ccgs(17)
    many = queries_for(client, reverse("ccg-list"))

    assert few == many
    assert client.get(reverse("ccg-list")).content.decode().count("Level 2: Joint commissioning") == 20


def list_rows(html: str) -> dict[str, str]:
    """Each CCG on the list with the level it shows for today."""
    return dict(
        re.findall(
            r'<a href="/ccgs/[^/]+/">([^<]+)</a></th>.*?Level today </span>([^<]+)</td>', html, flags=re.S
        )
    )


def test_the_ccg_list_shows_the_level_in_force_today_worked_out_by_the_database(
    reviewer: User, national_area: AreaTeam
) -> None:
    today = timezone.localdate()
    moved = CCGFactory(area_team=national_area, name="NHS Moved Up CCG")
    give_level(moved, 1, dt.date(2015, 4, 1))
    give_level(moved, 3, today)  # in force from today
    give_level(moved, 2, today + dt.timedelta(days=1))  # not yet
    waiting = CCGFactory(area_team=national_area, name="NHS Waiting CCG")
    give_level(waiting, 2, today + dt.timedelta(days=30))
    CCGFactory(area_team=national_area, name="NHS New CCG")

    with CaptureQueriesContext(connection) as queries:
        html = logged_in(reviewer).get(reverse("ccg-list")).content.decode()

    assert list_rows(html) == {
        "NHS Moved Up CCG": "Level 3: Delegated commissioning",
        "NHS New CCG": "No level yet",
        "NHS Waiting CCG": "No level yet",
    }
    # The level comes with the CCGs: the history of levels is not read row by row.
    reads_history = re.compile(r'^SELECT [^(]*? FROM "delegation_levelassignment"')
    assert not [q for q in queries.captured_queries if reads_history.match(q["sql"])]


def test_the_ccg_list_costs_the_same_queries_with_ten_times_the_ccgs_and_levels(
    reviewer: User, national_area: AreaTeam
) -> None:
    def add_ccgs(count: int, levels: int) -> None:
        for _ in range(count):
            ccg = CCGFactory(area_team=national_area)
            for year in range(2015, 2015 + levels):
                give_level(ccg, 1 + year % 3, dt.date(year, 4, 1))

    client = logged_in(reviewer)
    add_ccgs(2, 1)
    client.get(reverse("ccg-list"))  # warm the caches that last for the whole process
    once = queries_for(client, reverse("ccg-list"))
    add_ccgs(18, 10)  # ten times the CCGs, each with ten levels

    assert queries_for(client, reverse("ccg-list")) == once
    assert len(list_rows(client.get(reverse("ccg-list")).content.decode())) == 20


# The CCG page --------------------------------------------------------------------------------------


def test_the_ccgs_officer_sees_its_page_with_level_functions_and_practices(
    officer: User, level2_ccg: CCG
) -> None:
    locality = LocalityFactory(ccg=level2_ccg, name="Lancaster")
    PracticeFactory(
        ccg=level2_ccg, ods_code="P82801", name="Lancaster Castle Hill Surgery", locality=locality
    )

    response = logged_in(officer).get(page_url(level2_ccg))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "level 2: Joint commissioning" in html
    assert "Level history, newest first" in html
    assert "The 14 functions on" in html
    assert html.count("A joint committee with NHS England") == 8  # the 8 contract functions at level 2
    assert reverse("practice-detail", args=["P82801"]) in html
    assert "Lancaster Castle Hill Surgery" in html
    assert reverse("ccg-edit", args=[level2_ccg.ods_code]) in html
    assert reverse("ccg-level-record", args=[level2_ccg.ods_code]) not in html


@pytest.mark.parametrize("url_name", ["ccg-detail", "ccg-history"])
def test_someone_elses_ccg_is_not_found(officer: User, other_ccg: CCG, url_name: str) -> None:
    assert logged_in(officer).get(reverse(url_name, args=[other_ccg.ods_code])).status_code == 404


def test_a_reviewer_sees_their_areas_ccgs_and_not_others(
    reviewer: User, level2_ccg: CCG, other_ccg: CCG
) -> None:
    client = logged_in(reviewer)

    page = client.get(page_url(level2_ccg))
    assert page.status_code == 200
    assert reverse("ccg-edit", args=[level2_ccg.ods_code]) not in page.content.decode()
    assert client.get(page_url(other_ccg)).status_code == 404


def test_a_reviewer_gets_not_found_on_every_edit_page(reviewer: User, level2_ccg: CCG) -> None:
    client = logged_in(reviewer)

    for name in ("ccg-edit", "ccg-level-record"):
        assert client.get(reverse(name, args=[level2_ccg.ods_code])).status_code == 404


def test_a_ccg_that_does_not_exist_is_not_found(administrator: User) -> None:
    assert logged_in(administrator).get(reverse("ccg-detail", args=["99Z"])).status_code == 404


def test_anonymous_users_are_sent_to_log_in(level2_ccg: CCG) -> None:
    for name in ("ccg-detail", "ccg-edit", "ccg-level-record", "ccg-history"):
        url = reverse(name, args=[level2_ccg.ods_code])
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"
    assert Client().get(reverse("ccg-list"))["Location"].startswith(reverse("login"))


def test_the_ccg_page_costs_the_same_queries_for_3_or_20_levels(administrator: User, level2_ccg: CCG) -> None:
    def add_levels(years: range) -> None:
        for year in years:
            give_level(level2_ccg, year % 3 + 1, dt.date(year, 4, 1))

    client = logged_in(administrator)
    add_levels(range(2016, 2018))
    client.get(page_url(level2_ccg))
    asked = page_url(level2_ccg, function="3", on_day="1", on_month="6", on_year="2016")
    few = queries_for(client, page_url(level2_ccg)), queries_for(client, asked)
    add_levels(range(2018, 2035))
    many = queries_for(client, page_url(level2_ccg)), queries_for(client, asked)

    assert level2_ccg.level_assignments.count() == 20
    assert few == many


# Who decides? -------------------------------------------------------------------------------------------


def test_who_decides_is_answered_on_the_page_from_the_level_in_force_that_day(
    reviewer: User, level2_ccg: CCG, reference: Reference
) -> None:
    give_level(level2_ccg, 3, APRIL_2016)
    client = logged_in(reviewer)

    before = client.get(page_url(level2_ccg, function="3", on_day="31", on_month="3", on_year="2016"))
    after = client.get(page_url(level2_ccg, function="3", on_day="1", on_month="4", on_year="2016"))

    before_html, after_html = before.content.decode(), after.content.decode()
    assert before.status_code == after.status_code == 200
    answer = before_html[before_html.index('id="who-decides-answer"') :]
    assert "Level 2: Joint commissioning (from 1 April 2015)" in answer
    assert "<strong>A joint committee with NHS England</strong>" in answer
    assert "NHS England has the casting vote" in answer
    answer = after_html[after_html.index('id="who-decides-answer"') :]
    assert "Level 3: Delegated commissioning (from 1 April 2016)" in answer
    assert "<strong>The CCG&#x27;s own committee</strong>" in answer
    assert "NHS England has the casting vote" not in answer


def test_before_any_level_nhs_england_decides(reviewer: User, level2_ccg: CCG) -> None:
    html = (
        logged_in(reviewer)
        .get(page_url(level2_ccg, function="3", on_day="1", on_month="1", on_year="2014"))
        .content.decode()
    )

    answer = html[html.index('id="who-decides-answer"') :]
    assert "None: the CCG held no level on that date" in answer
    assert "<strong>NHS England</strong>" in answer


def test_the_date_defaults_to_today_before_anything_is_asked(reviewer: User, level2_ccg: CCG) -> None:
    from django.utils import timezone

    today = timezone.localdate()
    html = logged_in(reviewer).get(page_url(level2_ccg)).content.decode()

    assert f'name="on_year" type="text" inputmode="numeric" value="{today.year}"' in html
    assert 'id="who-decides-answer"' not in html
    assert "nhsuk-error-summary" not in html


@pytest.mark.parametrize(
    "query, message",
    [
        ({"function": "3", "on_day": "31", "on_month": "2", "on_year": "2016"}, "Enter a real date"),
        ({"function": "3", "on_day": "x", "on_month": "6", "on_year": "2016"}, "Enter a real date"),
        ({"function": "3", "on_day": "1", "on_month": "6", "on_year": "16"}, "Enter a real date"),
        ({"function": "3", "on_day": "1", "on_month": "", "on_year": "2016"}, "must include a day, a month"),
        ({"function": "3", "on_day": "", "on_month": "", "on_year": ""}, "Enter the date to ask about"),
        (
            {"function": "15", "on_day": "1", "on_month": "6", "on_year": "2016"},
            "Select one of the 14 functions",
        ),
        ({"function": "three", "on_day": "1", "on_month": "6", "on_year": "2016"}, "Select one of the 14"),
        ({"function": "", "on_day": "1", "on_month": "6", "on_year": "2016"}, "Select a function"),
    ],
)
def test_a_bad_question_shows_an_error_on_the_page_not_a_crash(
    reviewer: User, level2_ccg: CCG, query: dict[str, str], message: str
) -> None:
    response = logged_in(reviewer).get(page_url(level2_ccg, **query))

    html = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in html
    assert message in html
    assert 'id="who-decides-answer"' not in html


# Recording a level ------------------------------------------------------------------------------------


def record_url(ccg: CCG) -> str:
    return reverse("ccg-level-record", args=[ccg.ods_code])


def level_form(level_pk: int, day: str = "1", month: str = "4", year: str = "2016", **extra: str) -> dict:
    return {
        "level": str(level_pk),
        "effective_from_day": day,
        "effective_from_month": month,
        "effective_from_year": year,
        "note": "NHS England letter of 3 March 2016",
        "reason": "Approved by NHS England",
        **extra,
    }


def test_only_administrators_may_record_a_level(
    officer: User, administrator: User, level2_ccg: CCG, reference: Reference
) -> None:
    level3 = reference.level(reference.national, 3)

    assert logged_in(officer).get(record_url(level2_ccg)).status_code == 404
    assert logged_in(officer).post(record_url(level2_ccg), level_form(level3.pk)).status_code == 404
    assert level2_ccg.level_assignments.count() == 1
    page = logged_in(administrator).get(record_url(level2_ccg))
    assert page.status_code == 200
    assert "Level 3: Delegated commissioning" in page.content.decode()
    # Only the levels of the CCG's own scheme are offered.
    assert "Level 4:" not in page.content.decode()


def test_an_administrator_records_a_level_and_it_governs_from_that_day(
    administrator: User, level2_ccg: CCG, reference: Reference
) -> None:
    client = logged_in(administrator)

    response = client.post(record_url(level2_ccg), level_form(reference.level(reference.national, 3).pk))

    assert response.status_code == 302
    assert response["Location"] == page_url(level2_ccg)
    recorded = level2_ccg.level_assignments.get(effective_from=APRIL_2016)
    assert recorded.level.number == 3
    assert recorded.note == "NHS England letter of 3 March 2016"
    latest = LevelAssignment.history.filter(ccg_id=level2_ccg.pk).latest()
    assert (latest.history_user, latest.history_change_reason) == (administrator, "Approved by NHS England")
    history = client.get(reverse("ccg-history", args=[level2_ccg.ods_code])).content.decode()
    assert "Approved by NHS England" in history
    assert "Level 3: Delegated commissioning" in history


def test_a_second_level_on_the_same_date_is_refused_on_the_form(
    administrator: User, level2_ccg: CCG, reference: Reference
) -> None:
    response = logged_in(administrator).post(
        record_url(level2_ccg), level_form(reference.level(reference.national, 3).pk, year="2015")
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "already has a level taking effect on 1 April 2015" in html
    assert 'href="#id_effective_from_day"' in html
    assert level2_ccg.level_assignments.count() == 1


def test_a_level_of_another_scheme_cannot_be_chosen(
    administrator: User, level2_ccg: CCG, reference: Reference
) -> None:
    manchester_4 = reference.level(reference.greater_manchester, 4)

    response = logged_in(administrator).post(record_url(level2_ccg), level_form(manchester_4.pk))

    assert response.status_code == 200
    assert "Select one of the levels of the CCG&#x27;s scheme" in response.content.decode()
    assert level2_ccg.level_assignments.count() == 1


def test_recording_a_level_needs_a_reason_and_a_real_date(
    administrator: User, level2_ccg: CCG, reference: Reference
) -> None:
    response = logged_in(administrator).post(
        record_url(level2_ccg),
        level_form(reference.level(reference.national, 3).pk, day="31", month="4", reason=""),
    )

    html = response.content.decode()
    assert "Enter a real date" in html
    assert "Enter the reason for the change" in html
    assert level2_ccg.level_assignments.count() == 1


# History -------------------------------------------------------------------------------------------------


def test_the_history_shows_the_ccg_its_levels_and_localities(
    officer: User, administrator: User, level2_ccg: CCG
) -> None:
    services.locality_create(ccg=level2_ccg, name="Morecambe", by=officer, reason="New neighbourhood")

    html = logged_in(officer).get(reverse("ccg-history", args=[level2_ccg.ods_code])).content.decode()

    assert "Created: Locality Morecambe" in html
    assert "New neighbourhood" in html
    assert officer.get_full_name() in html
    assert "Created: Level assignment" in html
    assert "Created: CCG NHS Lancashire North CCG" in html


def test_the_history_page_costs_the_same_queries_for_3_or_20_changes(
    administrator: User, level2_ccg: CCG
) -> None:
    def change(times: range) -> None:
        for n in times:
            services.ccg_update(
                ccg=level2_ccg, weighted_population=150000 + n, by=administrator, reason=f"#{n}"
            )
            give_level(level2_ccg, n % 3 + 1, dt.date(2016 + n, 4, 1))

    client = logged_in(administrator)
    url = reverse("ccg-history", args=[level2_ccg.ods_code])
    change(range(1, 3))
    client.get(url)
    few = queries_for(client, url)
    change(range(3, 20))
    many = queries_for(client, url)

    assert few == many
    assert client.get(url).content.decode().count("#19") == 1
