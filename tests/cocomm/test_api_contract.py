"""The API keeps to its published OpenAPI schema, checked by schemathesis against the demo data.

Every operation in /api/schema/ is called in-process (the WSGI app, no server) with examples made
from the schema, both valid and deliberately invalid ones: no answer may be a 5xx, every status code
must be one the schema declares, and every body (errors included) must match its declared shape.
The number of examples is kept small so the whole contract adds seconds, not minutes; it runs once
anonymously and once as the demo administrator, who may open the logged-in endpoints.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, settings

from cocomm.models import User

# The properties the API promises; others (such as "a valid request is always accepted") do not hold
# for endpoints that answer 403 to an anonymous caller or 404 to an unknown ODS code by design.
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
]
EXAMPLES_PER_OPERATION = 25


@pytest.fixture(scope="module")
def demo_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo data, loaded once for the module inside a transaction that is rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def api_schema(demo_world: None, db: None) -> Iterator[Any]:
    # Requests run in this thread, on the test's own connection and transaction; Django would close
    # that connection at each request's start and end (the test client avoids the same thing).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
        schema.config.generation.update(max_examples=EXAMPLES_PER_OPERATION)
        schema.config.checks.update(included_check_names=CHECKS)
        schema.config.phases.update(phases=["examples", "coverage", "fuzzing"])
        yield schema
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


contract = schemathesis.pytest.from_fixture("api_schema")


@contract.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_schema_for_anyone(case: Any) -> None:
    case.call_and_validate()


@contract.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_schema_for_a_logged_in_administrator(case: Any) -> None:
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    case.call_and_validate(cookies={"sessionid": client.cookies["sessionid"].value})
