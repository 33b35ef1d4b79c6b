"""The public reference-data API: the 14 functions and the levels of each scheme."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories.functions import Reference


@pytest.fixture
def api() -> APIClient:
    # Anonymous on purpose: the API is public reference data.
    return APIClient()


def test_given_the_shipped_reference_data_then_the_14_functions_are_listed_in_order(
    api: APIClient, reference: Reference
) -> None:
    response = api.get(reverse("api-function-list"))

    assert response.status_code == 200
    page = response.json()
    assert page["count"] == 14
    assert [f["number"] for f in page["results"]] == list(range(1, 15))
    assert all(set(f) == {"number", "name", "description"} for f in page["results"])
    assert page["results"][6]["name"] == "Complaints management function for the area team"


def test_given_the_shipped_reference_data_then_every_level_of_both_schemes_is_listed(
    api: APIClient, reference: Reference
) -> None:
    response = api.get(reverse("api-level-list"))

    assert response.status_code == 200
    levels = response.json()["results"]
    assert [(level["scheme"], level["number"]) for level in levels] == [
        ("greater_manchester", 1),
        ("greater_manchester", 2),
        ("greater_manchester", 3),
        ("greater_manchester", 4),
        ("national", 1),
        ("national", 2),
        ("national", 3),
    ]
    assert {"scheme": "national", "number": 2, "name": "Joint commissioning"} in levels


def test_functions_are_paged_with_limit_and_offset(api: APIClient, reference: Reference) -> None:
    page = api.get(reverse("api-function-list"), {"limit": 5, "offset": 10}).json()

    assert [f["number"] for f in page["results"]] == [11, 12, 13, 14]
    assert page["next"] is None
    assert page["previous"] is not None


@pytest.mark.parametrize(("name", "count"), [("api-function-list", 14), ("api-level-list", 7)])
def test_reference_data_cannot_be_changed_through_the_api(
    api: APIClient, reference: Reference, name: str, count: int
) -> None:
    response = api.post(reverse(name), {"number": 15, "name": "New"}, format="json")

    assert response.status_code == 405
    assert api.get(reverse(name)).json()["count"] == count


@pytest.mark.parametrize("name", ["api-function-list", "api-level-list"])
def test_listing_reference_data_costs_a_fixed_number_of_queries(
    api: APIClient, reference: Reference, name: str, django_assert_max_num_queries: Any
) -> None:
    # One count for the page, one select; levels bring their scheme along in the same select.
    with django_assert_max_num_queries(2):
        assert api.get(reverse(name)).status_code == 200
