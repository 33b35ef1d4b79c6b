"""The API describes itself: a valid OpenAPI schema and a docs page served without any CDN."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

ENDPOINTS = {
    "api-ccg-list": ("/api/v1/ccgs/", {}),
    "api-ccg-detail": ("/api/v1/ccgs/{ods_code}/", {"ods_code": "01K"}),
    "api-function-list": ("/api/v1/functions/", {}),
    "api-level-list": ("/api/v1/levels/", {}),
    "api-routing": ("/api/v1/routing/", {}),
}


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def schema(api: APIClient) -> dict[str, Any]:
    response = api.get(reverse("api-schema"))
    assert response.status_code == 200
    document: dict[str, Any] = yaml.safe_load(response.content)
    return document


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local $ref (`#/components/schemas/X`) to the schema it names."""
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def test_the_schema_is_valid_openapi(schema: dict[str, Any]) -> None:
    validate_schema(schema)  # raises on anything the OpenAPI 3 meta-schema rejects
    assert schema["openapi"].startswith("3.")


def test_the_schema_is_also_served_as_json(api: APIClient) -> None:
    response = api.get(reverse("api-schema"), {"format": "json"})

    assert response.status_code == 200
    assert "/api/v1/routing/" in json.loads(response.content)["paths"]


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_every_endpoint_is_named_and_described(schema: dict[str, Any], name: str) -> None:
    path, kwargs = ENDPOINTS[name]

    assert reverse(name, kwargs=kwargs or None) == path.format(**kwargs)
    assert set(schema["paths"][path]) == {"get"}


def test_routing_documents_its_three_query_parameters(schema: dict[str, Any]) -> None:
    operation = schema["paths"]["/api/v1/routing/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}

    assert set(parameters) == {"ccg", "function", "on"}
    assert (parameters["ccg"]["required"], parameters["function"]["required"]) == (True, True)
    assert parameters["on"].get("required", False) is False
    assert (parameters["function"]["schema"]["minimum"], parameters["function"]["schema"]["maximum"]) == (
        1,
        14,
    )
    assert parameters["on"]["schema"]["format"] == "date"
    assert {"200", "400", "404"} <= set(operation["responses"])


def test_routing_lists_the_decided_by_and_right_enums(schema: dict[str, Any]) -> None:
    response = schema["paths"]["/api/v1/routing/"]["get"]["responses"]["200"]
    answer = resolve(schema, response["content"]["application/json"]["schema"])

    assert resolve(schema, answer["properties"]["decided_by"])["enum"] == [
        "nhs_england",
        "joint_committee",
        "ccg_committee",
    ]
    assert resolve(schema, answer["properties"]["right"])["enum"] == [
        "not_involved",
        "consulted",
        "joint",
        "delegated",
        "retained",
    ]
    assert answer["properties"]["level"]["nullable"] is True


def test_the_ccg_shape_is_described(schema: dict[str, Any]) -> None:
    response = schema["paths"]["/api/v1/ccgs/{ods_code}/"]["get"]["responses"]["200"]
    ccg = resolve(schema, response["content"]["application/json"]["schema"])

    assert set(ccg["properties"]) == {
        "ods_code",
        "name",
        "area_team",
        "scheme",
        "current_level",
        "weighted_population",
        "level_history",
    }
    entry = resolve(schema, ccg["properties"]["level_history"]["items"])
    assert set(entry["properties"]) == {"level", "level_name", "effective_from"}


def test_schema_generation_raises_no_warnings(tmp_path: Path) -> None:
    # A warning means some endpoint is described by a guess; fail rather than publish a guess.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_the_docs_page_is_html_served_from_our_own_static_files(api: APIClient) -> None:
    response = api.get(reverse("api-docs"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    # Nothing is fetched from another site: no absolute URLs in src/href, and no online validator.
    assert re.findall(r"""(?:src|href)=["']https?://""", html) == []
    # No inline script or style (the Content-Security-Policy forbids them): the start-up script is a
    # file of its own, served by the same view.
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert "<style" not in html and "style=" not in html
    script_url = re.findall(r'<script src="([^"]*script[^"]*)"', html)[-1]
    script = api.get(script_url.replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert '"validatorUrl": null' in script.content.decode()
    assert reverse("api-schema") in script.content.decode()
