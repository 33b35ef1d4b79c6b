"""The API's edges: a page out of range is a 400 naming it; a lost database is a 503, in JSON under /api/.

The database tests point the connection at a closed port for real, rather than patching a cursor: the
answer must hold from wherever the first query happens (a view, DRF's session check, middleware).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cocomm.api import MAX_LIMIT, MAX_OFFSET
from cocomm.models import CCG, User
from tests.factories.functions import Reference

LIMIT_MESSAGE = f"Limit must be a whole number from 1 to {MAX_LIMIT}."
OFFSET_MESSAGE = f"Offset must be a whole number from 0 to {MAX_OFFSET}."

# One paginated list of each kind: public reference data, a filtered list, a per-CCG register.
PAGINATED = ["/api/v1/functions/", "/api/v1/decisions/", "/api/v1/committees/", "/api/v1/ccgs/"]


@pytest.fixture
def api() -> APIClient:
    return APIClient()


# --- limit and offset -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGINATED)
@pytest.mark.parametrize(
    "limit",
    ["0", "-1", str(MAX_LIMIT + 1), "10" * 30, "ten", "", " 5", "+5", "5.0", "1e2", "\u0665", "\u00b2"],
)
def test_a_limit_out_of_range_or_not_a_whole_number_is_a_400_naming_it(
    api: APIClient, reference: Reference, url: str, limit: str
) -> None:
    response = api.get(url, {"limit": limit})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"limit": [LIMIT_MESSAGE]}


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGINATED)
@pytest.mark.parametrize("offset", ["-1", str(MAX_OFFSET + 1), "9" * 40, "x", "", "1.5"])
def test_an_offset_out_of_range_or_not_a_whole_number_is_a_400_naming_it(
    api: APIClient, reference: Reference, url: str, offset: str
) -> None:
    response = api.get(url, {"offset": offset})

    assert response.status_code == 400
    assert response.json() == {"offset": [OFFSET_MESSAGE]}


@pytest.mark.django_db
def test_both_wrong_are_named_together(api: APIClient, reference: Reference) -> None:
    response = api.get("/api/v1/functions/", {"limit": "0", "offset": "-3"})

    assert response.status_code == 400
    assert response.json() == {"limit": [LIMIT_MESSAGE], "offset": [OFFSET_MESSAGE]}


@pytest.mark.django_db
def test_a_bad_page_and_a_bad_filter_are_both_answered_as_400s(api: APIClient, reference: Reference) -> None:
    response = api.get("/api/v1/decisions/", {"committee": "abc", "limit": "0"})

    assert response.status_code == 400
    assert set(response.json()) <= {"committee", "limit"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "numbers"),
    [
        ({"limit": "1"}, [1]),
        ({"limit": str(MAX_LIMIT)}, list(range(1, 15))),
        ({"limit": "007", "offset": "0"}, list(range(1, 8))),
        ({"offset": "13"}, [14]),
        ({"offset": "14"}, []),
        ({"offset": str(MAX_OFFSET)}, []),
    ],
)
def test_the_edges_of_the_ranges_are_answered(
    api: APIClient, reference: Reference, params: dict[str, str], numbers: list[int]
) -> None:
    response = api.get("/api/v1/functions/", params)

    assert response.status_code == 200
    page = response.json()
    assert [f["number"] for f in page["results"]] == numbers
    assert page["count"] == 14  # an offset past the end is an empty page, with the true count


@pytest.mark.django_db
def test_the_schema_gives_each_list_its_ranges_and_its_400(api: APIClient) -> None:
    import yaml

    schema: dict[str, Any] = yaml.safe_load(api.get(reverse("api-schema")).content)

    lists = [op for ops in schema["paths"].values() for op in ops.values() if "parameters" in op]
    paginated = [op for op in lists if {"limit", "offset"} <= {p["name"] for p in op["parameters"]}]
    assert len(paginated) >= 8
    for operation in paginated:
        parameters = {p["name"]: p["schema"] for p in operation["parameters"]}
        assert parameters["limit"] == {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}
        assert parameters["offset"] == {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET}
        error = operation["responses"]["400"]["content"]["application/json"]["schema"]
        body = schema["components"]["schemas"][error["$ref"].rsplit("/", 1)[-1]]
        assert {"limit", "offset"} <= set(body["properties"])
    assert all("503" in op["responses"] for ops in schema["paths"].values() for op in ops.values())


# --- the database is down -------------------------------------------------------------------------


@pytest.fixture
def database_down(django_db_blocker: Any) -> Iterator[None]:
    """The default connection pointed at a port nobody listens on, for the length of one test."""
    saved = dict(connection.settings_dict)
    with django_db_blocker.unblock():
        connection.close()
        connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(saved)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/functions/",  # public: the view's query is the first
        "/api/v1/decisions/",  # session-aware: DRF's authentication reads the session first
        "/api/v1/ccgs/01K/",
        "/api/v1/routing/?ccg=01K&function=3",
    ],
)
def test_the_api_answers_503_json_when_the_database_is_unreachable(database_down: None, url: str) -> None:
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "a-session-that-must-be-looked-up"

    response = client.get(url)

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "30"
    assert response.json() == {
        "detail": "The service cannot reach its database just now. Try again in a minute."
    }


def test_an_unknown_api_address_answers_404_json_without_asking_the_database(database_down: None) -> None:
    # Anonymous: with a session cookie the session's limits must be read first, which answers 503.
    response = Client(raise_request_exception=False).get("/api/v1/no-such-endpoint/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("url", ["/public/ccgs/", "/ccgs/", "/login/", "/no-such-page/"])
def test_pages_answer_a_plain_503_page_when_the_database_is_unreachable(
    database_down: None, url: str
) -> None:
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "a-session-that-must-be-looked-up"

    response = client.get(url)

    html = response.content.decode()
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert "Sorry, the service is unavailable" in html
    assert "Traceback" not in html


def test_logging_in_while_the_database_is_unreachable_is_a_503_page(database_down: None) -> None:
    client = Client(raise_request_exception=False, enforce_csrf_checks=False)

    response = client.post("/login/", {"username": "someone", "password": "anything-at-all"})

    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.content.decode()


@pytest.mark.django_db
def test_other_faults_in_the_api_answer_500_json_not_a_page(
    api: APIClient, reference: Reference, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr("functions.api.FunctionViewSet.get_queryset", broken)
    client = Client(raise_request_exception=False)

    response = client.get("/api/v1/functions/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Sorry, there is a problem with the service. Try again later."}


# --- the CCG filter of the assurance lists ----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/assurance-packs/", "/api/v1/assurance-reviews/"])
@pytest.mark.parametrize(
    ("ccg", "message"),
    [
        ("XYZ", "No CCG with ODS code 'XYZ'."),
        ("0\x00|", "Null characters are not allowed."),  # found by the contract test: was a 500
        ("X" * 11, "Ensure this field has no more than 10 characters."),
    ],
)
def test_a_ccg_filter_that_names_no_ccg_is_a_400_naming_it(
    administrator: User, level2_ccg: CCG, url: str, ccg: str, message: str
) -> None:
    client = Client()
    client.force_login(administrator)

    response = client.get(url, {"ccg": ccg})

    assert response.status_code == 400
    assert response.json() == {"ccg": [message]}


@pytest.mark.django_db
def test_a_ccg_filter_in_any_case_finds_the_ccg(administrator: User, level2_ccg: CCG) -> None:
    client = Client()
    client.force_login(administrator)

    for url in ["/api/v1/assurance-packs/", "/api/v1/assurance-reviews/"]:
        response = client.get(url, {"ccg": level2_ccg.ods_code.lower()})
        assert response.status_code == 200
        # An empty filter is no filter.
        assert client.get(url, {"ccg": ""}).status_code == 200
