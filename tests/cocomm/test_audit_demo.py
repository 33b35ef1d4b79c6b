"""audit_verify on the whole demo: it holds as loaded, and names the row altered behind the trigger."""

from __future__ import annotations

import re
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from cocomm.audit_verify import verify_history_chains
from cocomm.demo import DEMO_PASSWORD
from cocomm.history_guard import history_models, retention_blanking
from cocomm.models import CCG, Person, User
from tests.cocomm.audit_helpers import alter_behind_the_trigger

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The whole demo, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def audit_verify() -> str:
    out = StringIO()
    call_command("audit_verify", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_demo_history_verifies(demo: None) -> None:
    output = audit_verify()

    assert "Every history chain holds." in output
    assert "refuse UPDATE and DELETE" in output
    report = verify_history_chains()
    assert report.ok and report.guarded
    assert report.rows_per_table["cocomm_historicalccg"] == CCG.history.count() > 10
    assert report.rows_per_table["conflicts_historicaldeclaration"] > 0
    assert re.search(rf"^cocomm_historicalccg +{CCG.history.count()} rows$", output, re.MULTILINE)


def test_a_row_altered_behind_the_trigger_is_named(demo: None) -> None:
    # Given a CCG history row in the middle of its chain, rewritten with the trigger switched off
    rows = list(CCG.history.order_by("history_id").values_list("history_id", flat=True))
    target = rows[len(rows) // 2]
    alter_behind_the_trigger("cocomm_historicalccg", "weighted_population = 1", target)

    # When the chains are checked
    # Then the check fails, naming the table and the row
    with pytest.raises(CommandError, match=rf"cocomm_historicalccg, row {target}: hash does not match"):
        audit_verify()
    assert not verify_history_chains().ok


def test_a_row_removed_behind_the_trigger_breaks_the_chain_at_the_next_row(demo: None) -> None:
    rows = list(CCG.history.order_by("history_id").values_list("history_id", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE cocomm_historicalccg DISABLE TRIGGER cocomm_history_append_only")
        cursor.execute("DELETE FROM cocomm_historicalccg WHERE history_id = %s", [rows[3]])
        cursor.execute("ALTER TABLE cocomm_historicalccg ENABLE TRIGGER cocomm_history_append_only")

    with pytest.raises(CommandError, match=rf"cocomm_historicalccg, row {rows[4]}:"):
        audit_verify()


def test_blanking_personal_details_keeps_the_chain_but_rewriting_them_breaks_it(demo: None) -> None:
    # Given two history rows of people
    first, second = Person.history.order_by("history_id").values_list("history_id", flat=True)[:2]

    # When the retention rule blanks one row's personal details (the digest stays)
    with retention_blanking(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cocomm_historicalperson SET full_name = '', email = '', title = '', "
            "history_personal_salt = '' WHERE history_id = %s",
            [first],
        )
    # Then the chain still verifies, and the names are gone
    assert verify_history_chains().ok
    assert Person.history.get(history_id=first).full_name == ""

    # But the retention rule may not change anything else, nor write new personal values
    with pytest.raises(DatabaseError, match="append-only"), retention_blanking(), connection.cursor() as c:
        c.execute("UPDATE cocomm_historicalperson SET job_title = '' WHERE history_id = %s", [second])
    with pytest.raises(DatabaseError, match="not blank"), retention_blanking(), connection.cursor() as c:
        c.execute(
            "UPDATE cocomm_historicalperson SET full_name = 'Someone else' WHERE history_id = %s", [second]
        )

    # And a personal detail rewritten behind the trigger is caught by its digest
    alter_behind_the_trigger("cocomm_historicalperson", "full_name = 'Someone else'", second)
    report = verify_history_chains()
    assert report.first_problem is not None
    assert (report.first_problem.table, report.first_problem.row_id) == ("cocomm_historicalperson", second)
    assert report.first_problem.reason == "personal details do not match their digest"


def test_a_non_personal_field_cannot_be_blanked_like_a_personal_one(demo: None) -> None:
    row = CCG.history.order_by("history_id").first()
    assert row is not None
    alter_behind_the_trigger("cocomm_historicalccg", "name = ''", row.history_id)

    problem = verify_history_chains().first_problem
    assert problem is not None and (problem.table, problem.row_id) == ("cocomm_historicalccg", row.history_id)


def test_no_history_row_lacks_an_author_after_the_demo_and_a_log_in(demo: None) -> None:
    # Given the demo, when a user logs in (which sets last_login on the user)
    client = Client()
    response = client.post(reverse("login"), {"username": "blackpool.go", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(username="blackpool.go").last_login is not None

    # Then no history row anywhere is without an author (many-to-many rows hang off a row with one)
    authorless = {
        model._meta.label: model._base_manager.filter(history_user__isnull=True).count()
        for model in history_models()
        if any(f.name == "history_user" for f in model._meta.concrete_fields)
    }
    assert {label: count for label, count in authorless.items() if count} == {}
