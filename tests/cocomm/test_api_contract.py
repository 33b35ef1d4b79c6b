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

# The properties the API promises, for valid and invalid requests alike. Left out: "a valid request
# is accepted" (an anonymous caller is refused the logged-in endpoints, an unknown code is a 404, by
# design) and "an invalid request is refused", which in a query string reports values that cannot be
# told apart from valid ones (the number 0 for a text filter is the text "0"); the ranges of limit and
# offset are refused by tests of their own (test_api_faults).
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
]
EXAMPLES_PER_OPERATION = 10


@pytest.fixture(scope="module")
def demo_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo data, loaded once for the module inside a transaction that is rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def in_process(demo_world: None, db: None) -> Iterator[None]:
    """Requests run in this thread, on the test's own connection and transaction.

    Django would close that connection as each request starts and ends; the test client avoids the
    same thing the same way.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def administrator_session(demo_world: None, db: None) -> str:
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    return client.cookies["sessionid"].value


# Loaded when the module is collected (making the schema asks nothing of the database). The lazy,
# fixture-based loader of schemathesis does not work with this pytest, hence the eager one.
contract = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
contract.config.generation.update(max_examples=EXAMPLES_PER_OPERATION)
contract.config.checks.update(included_check_names=CHECKS)
# The schema has no examples of its own: boundary values (coverage) and random ones (fuzzing).
contract.config.phases.update(phases=["coverage", "fuzzing"])


@contract.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_schema_for_anyone(in_process: None, case: Any) -> None:
    case.call_and_validate()


@contract.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_schema_for_a_logged_in_administrator(
    in_process: None, administrator_session: str, case: Any
) -> None:
    case.call_and_validate(cookies={"sessionid": administrator_session})
