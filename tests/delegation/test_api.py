"""The public CCG and routing API: the seeds' routing cases, errors that name the problem, flat queries."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

import cocomm.demo
import delegation.demo
import functions.demo
from cocomm.audit import delete_audited, system_user
from cocomm.models import CCG, AreaTeam
from functions.choices import SchemeCode
from functions.models import DecisionRight
from tests.factories.cocomm import AreaTeamFactory, CCGFactory
from tests.factories.delegation import give_level
from tests.factories.functions import Reference

APRIL_2015 = dt.date(2015, 4, 1)
APRIL_2016 = dt.date(2016, 4, 1)
JUNE_2016 = "2016-06-01"
FUNCTION_MESSAGE = "Function must be a whole number from 1 to 14."
COMPLAINTS = 7
MERGERS = 3

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> APIClient:
    # Anonymous on purpose: the API is public reference data.
    return APIClient()


@pytest.fixture
def demo(db: None) -> None:
    """The demonstration data set, loaded as `manage.py load_demo` loads it."""
    by = system_user()
    cocomm.demo.load(by=by)
    functions.demo.load(by=by)
    delegation.demo.load(by=by)


def new_ccg(area_team: AreaTeam) -> CCG:
    # factory_boy's call is typed as returning the factory; say what it really returns.
    return cast(CCG, CCGFactory(area_team=area_team))


def route(api: APIClient, **params: Any) -> Any:
    return api.get(reverse("api-routing"), params)


# --- Routing: the seeds' cases ------------------------------------------------------------------


def test_given_lancashire_north_at_level_2_when_routing_mergers_then_the_joint_committee_decides(
    api: APIClient, demo: None
) -> None:
    response = route(api, ccg="01K", function=MERGERS, on=JUNE_2016)

    assert response.status_code == 200
    assert response.json() == {
        "ccg": "01K",
        "function": 3,
        "on": "2016-06-01",
        "scheme": "national",
        "level": 2,
        "right": "joint",
        "decided_by": "joint_committee",
        "nhse_casting_vote": True,
        "nhse_veto": False,
    }


def test_given_blackpool_delegated_from_april_2016_when_routing_mergers_then_its_own_committee_decides(
    api: APIClient, demo: None
) -> None:
    answer = route(api, ccg="00R", function=MERGERS, on=JUNE_2016).json()

    assert (answer["level"], answer["right"], answer["decided_by"]) == (3, "delegated", "ccg_committee")
    assert answer["nhse_casting_vote"] is False
    assert answer["nhse_veto"] is False


def test_given_wiltshire_at_level_1_when_routing_mergers_then_it_is_consulted_and_nhs_england_decides(
    api: APIClient, demo: None
) -> None:
    answer = route(api, ccg="99N", function=MERGERS, on=JUNE_2016).json()

    assert (answer["level"], answer["right"], answer["decided_by"]) == (1, "consulted", "nhs_england")
    assert answer["nhse_casting_vote"] is False


def test_given_every_national_scheme_ccg_when_routing_complaints_then_nhs_england_retains_them(
    api: APIClient, demo: None
) -> None:
    national = CCG.objects.filter(area_team__scheme_choice__scheme__code=SchemeCode.NATIONAL)
    codes = sorted(national.values_list("ods_code", flat=True))
    assert len(codes) >= 10, "the demo data should hold many national-scheme CCGs"

    answers = {code: route(api, ccg=code, function=COMPLAINTS, on=JUNE_2016).json() for code in codes}

    assert {code: (a["right"], a["decided_by"]) for code, a in answers.items()} == dict.fromkeys(
        codes, ("retained", "nhs_england")
    )
    assert all(a["level"] is not None for a in answers.values())


@pytest.mark.parametrize(
    ("on", "level", "right", "decided_by"),
    [
        ("2016-03-31", 2, "joint", "joint_committee"),
        ("2016-04-01", 3, "delegated", "ccg_committee"),
    ],
)
def test_given_blackpool_moves_to_level_3_on_1_april_2016_then_the_new_level_governs_from_that_day(
    api: APIClient, demo: None, on: str, level: int, right: str, decided_by: str
) -> None:
    answer = route(api, ccg="00R", function=MERGERS, on=on).json()

    assert (answer["on"], answer["level"], answer["right"], answer["decided_by"]) == (
        on,
        level,
        right,
        decided_by,
    )


def test_given_a_date_before_any_level_then_level_is_null_and_nhs_england_decides_alone(
    api: APIClient, demo: None
) -> None:
    answer = route(api, ccg="00R", function=MERGERS, on="2015-03-31").json()

    assert answer["level"] is None
    assert answer["right"] == "not_involved"
    assert answer["decided_by"] == "nhs_england"
    assert answer["nhse_casting_vote"] is False
    assert answer["nhse_veto"] is False


def test_given_trafford_on_greater_manchesters_scheme_then_its_own_scheme_and_level_answer(
    api: APIClient, demo: None
) -> None:
    answer = route(api, ccg="02A", function=MERGERS, on=JUNE_2016).json()

    assert (answer["scheme"], answer["level"], answer["right"]) == ("greater_manchester", 4, "delegated")


def test_given_a_lower_case_ods_code_then_the_ccg_is_found_and_named_as_recorded(
    api: APIClient, demo: None
) -> None:
    response = route(api, ccg="01k", function=MERGERS, on=JUNE_2016)

    assert response.status_code == 200
    assert response.json()["ccg"] == "01K"


def test_given_no_date_then_routing_answers_for_today(api: APIClient, demo: None) -> None:
    before = timezone.localdate().isoformat()
    answer = route(api, ccg="00R", function=MERGERS).json()
    after = timezone.localdate().isoformat()

    assert answer["on"] in {before, after}
    # Blackpool has been at level 3 since April 2016, so today it is still delegated.
    assert (answer["level"], answer["right"]) == (3, "delegated")


# --- Routing: errors ------------------------------------------------------------------------------


def test_given_an_unknown_ccg_then_routing_answers_404_naming_the_code(api: APIClient, demo: None) -> None:
    response = route(api, ccg="XYZ", function=MERGERS, on=JUNE_2016)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "No CCG with ODS code 'XYZ'."}


@pytest.mark.parametrize("function", ["0", "15", "abc", "", "2.5", "-3", "99999999999999999999"])
def test_given_a_function_that_is_not_1_to_14_then_routing_answers_400_naming_function(
    api: APIClient, demo: None, function: str
) -> None:
    response = route(api, ccg="01K", function=function, on=JUNE_2016)

    assert response.status_code == 400
    assert response.json() == {"function": [FUNCTION_MESSAGE]}


def test_given_no_function_then_routing_answers_400_naming_function(api: APIClient, demo: None) -> None:
    response = route(api, ccg="01K", on=JUNE_2016)

    assert response.status_code == 400
    assert response.json() == {"function": [FUNCTION_MESSAGE]}


@pytest.mark.parametrize("on", ["2016-13-01", "2016-02-30", "01/06/2016", "yesterday"])
def test_given_a_date_that_is_not_a_real_yyyy_mm_dd_then_routing_answers_400_naming_on(
    api: APIClient, demo: None, on: str
) -> None:
    response = route(api, ccg="01K", function=MERGERS, on=on)

    assert response.status_code == 400
    assert list(response.json()) == ["on"]
    assert "YYYY-MM-DD" in response.json()["on"][0]


def test_given_no_ccg_then_routing_answers_400_naming_ccg(api: APIClient, demo: None) -> None:
    response = route(api, function=MERGERS, on=JUNE_2016)

    assert response.status_code == 400
    assert list(response.json()) == ["ccg"]


def test_given_several_wrong_parameters_then_each_is_named(api: APIClient, demo: None) -> None:
    response = api.get(reverse("api-routing"), {"function": "abc", "on": "2016-13-01"})

    assert response.status_code == 400
    assert set(response.json()) == {"ccg", "function", "on"}


def test_given_a_level_the_matrix_has_no_cell_for_then_routing_answers_409_not_500(
    api: APIClient, demo: None
) -> None:
    # A gap an administrator could leave by removing a cell; the API must say so, not crash.
    cell = DecisionRight.objects.get(
        level__scheme__code=SchemeCode.NATIONAL, level__number=2, function__number=MERGERS
    )
    delete_audited(cell, by=system_user(), reason="Removed in error")

    response = route(api, ccg="01K", function=MERGERS)

    assert response.status_code == 409
    detail = response.json()["detail"]
    assert "01K" in detail
    assert "function 3 (" in detail and "level 2 (" in detail and "National scheme" in detail


def test_routing_is_read_only(api: APIClient, demo: None) -> None:
    response = api.post(reverse("api-routing"), {"ccg": "01K", "function": MERGERS}, format="json")

    assert response.status_code == 405


# --- CCGs ------------------------------------------------------------------------------------------


def test_given_blackpool_when_fetching_it_then_its_team_scheme_current_level_and_history_are_shown(
    api: APIClient, demo: None
) -> None:
    response = api.get(reverse("api-ccg-detail", kwargs={"ods_code": "00R"}))

    assert response.status_code == 200
    assert response.json() == {
        "ods_code": "00R",
        "name": "NHS Blackpool CCG",
        "area_team": {"ods_code": "Q47", "name": "NHS England Lancashire"},
        "scheme": "national",
        "current_level": {"number": 3, "name": "Delegated commissioning"},
        "weighted_population": 192487,
        "level_history": [
            {"level": 2, "level_name": "Joint commissioning", "effective_from": "2015-04-01"},
            {"level": 3, "level_name": "Delegated commissioning", "effective_from": "2016-04-01"},
        ],
    }


def test_given_a_lower_case_ods_code_then_the_ccg_detail_is_found(api: APIClient, level2_ccg: CCG) -> None:
    response = api.get(reverse("api-ccg-detail", kwargs={"ods_code": level2_ccg.ods_code.lower()}))

    assert response.status_code == 200
    assert response.json()["ods_code"] == level2_ccg.ods_code


def test_given_an_unknown_ods_code_then_the_ccg_detail_answers_404_naming_it(
    api: APIClient, level2_ccg: CCG
) -> None:
    response = api.get(reverse("api-ccg-detail", kwargs={"ods_code": "XYZ"}))

    assert response.status_code == 404
    assert response.json() == {"detail": "No CCG with ODS code 'XYZ'."}


def test_given_a_ccg_whose_team_has_no_scheme_then_scheme_and_level_are_null(
    api: APIClient, reference: Reference
) -> None:
    ccg = new_ccg(cast(AreaTeam, AreaTeamFactory()))

    answer = api.get(reverse("api-ccg-detail", kwargs={"ods_code": ccg.ods_code})).json()

    assert (answer["scheme"], answer["current_level"], answer["level_history"]) == (None, None, [])


def test_given_a_level_that_starts_in_the_future_then_it_is_history_but_not_current(
    api: APIClient, national_area: AreaTeam
) -> None:
    ccg = new_ccg(national_area)
    give_level(ccg, 1, APRIL_2015)
    give_level(ccg, 3, timezone.localdate() + dt.timedelta(days=400))

    answer = api.get(reverse("api-ccg-detail", kwargs={"ods_code": ccg.ods_code})).json()

    assert answer["current_level"] == {"number": 1, "name": "Greater involvement"}
    assert [entry["level"] for entry in answer["level_history"]] == [1, 3]


def test_the_ccg_list_is_paginated_and_ordered_by_name(api: APIClient, demo: None) -> None:
    response = api.get(reverse("api-ccg-list"), {"limit": 5})

    assert response.status_code == 200
    page = response.json()
    assert page["count"] == CCG.objects.count()
    assert len(page["results"]) == 5
    assert page["next"] is not None
    names = [ccg["name"] for ccg in page["results"]]
    assert names == sorted(names)
    assert set(page["results"][0]) == {
        "ods_code",
        "name",
        "area_team",
        "scheme",
        "current_level",
        "weighted_population",
        "level_history",
    }


def test_the_ccg_list_shows_each_ccgs_current_level(api: APIClient, demo: None) -> None:
    results = api.get(reverse("api-ccg-list")).json()["results"]

    current = {ccg["ods_code"]: ccg["current_level"]["number"] for ccg in results if ccg["current_level"]}
    assert (current["01K"], current["00R"], current["99N"], current["02A"]) == (2, 3, 1, 4)


def test_the_ccg_api_is_read_only(api: APIClient, level2_ccg: CCG) -> None:
    url = reverse("api-ccg-detail", kwargs={"ods_code": level2_ccg.ods_code})

    assert api.delete(url).status_code == 405
    assert api.post(reverse("api-ccg-list"), {}, format="json").status_code == 405
    assert CCG.objects.filter(pk=level2_ccg.pk).exists()


# --- Query counts -------------------------------------------------------------------------------


def add_ccgs_with_history(area: AreaTeam, count: int) -> None:
    for _ in range(count):
        ccg = new_ccg(area)
        give_level(ccg, 1, APRIL_2015)
        give_level(ccg, 2, APRIL_2016)


def test_listing_ccgs_costs_the_same_queries_for_3_ccgs_as_for_30(
    api: APIClient,
    national_area: AreaTeam,
    django_assert_max_num_queries: Any,
) -> None:
    url = reverse("api-ccg-list")
    add_ccgs_with_history(national_area, 3)
    with django_assert_max_num_queries(3) as few:
        assert len(api.get(url).json()["results"]) == 3

    add_ccgs_with_history(national_area, 27)
    with django_assert_max_num_queries(3) as many:
        assert len(api.get(url).json()["results"]) == 30

    assert len(many.captured_queries) == len(few.captured_queries)


def test_fetching_one_ccg_costs_a_fixed_number_of_queries(
    api: APIClient, national_area: AreaTeam, django_assert_max_num_queries: Any
) -> None:
    add_ccgs_with_history(national_area, 1)
    code = CCG.objects.get().ods_code
    with django_assert_max_num_queries(2):
        assert api.get(reverse("api-ccg-detail", kwargs={"ods_code": code})).status_code == 200


def test_routing_costs_a_fixed_number_of_queries_however_long_the_history(
    api: APIClient, national_area: AreaTeam
) -> None:
    short = new_ccg(national_area)
    long = new_ccg(national_area)
    give_level(short, 2, APRIL_2015)
    for year in range(2015, 2025):
        give_level(long, 1 + year % 3, dt.date(year, 4, 1))

    counts = []
    for ccg in (short, long):
        with CaptureQueriesContext(connection) as captured:
            assert route(api, ccg=ccg.ods_code, function=MERGERS, on=JUNE_2016).status_code == 200
        counts.append(len(captured.captured_queries))

    assert counts[0] == counts[1]
