"""The audit trail no one can rewrite: hash chains per history table, append-only tables, checks."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection, connections, models, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cocomm.audit import save_audited, system_user
from cocomm.audit_chain import ADDED_COLUMNS, GENESIS, PERSONAL_FIELDS, canonical, row_hash
from cocomm.audit_verify import verify_history_chains
from cocomm.audited_history import content_of, expected_hash, is_chained, seal_existing_rows
from cocomm.history_guard import guarded_tables, history_models
from cocomm.models import CCG, AuditCheck, Person, RoleKind, User
from cocomm.tasks import audit_check_run_task
from tests.cocomm.audit_helpers import alter_behind_the_trigger
from tests.factories.cocomm import AreaTeamFactory, CCGFactory, PersonFactory

pytestmark = pytest.mark.django_db


# Canonical values: the same row hashes the same wherever it is read -------------------------


def test_values_are_canonical_whatever_form_they_arrive_in() -> None:
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    when = models.DateTimeField()
    flag = models.BooleanField()
    data = models.JSONField()

    # Given the same facts written one way on saving and read back another way
    # Then each canonicalises to one value
    assert canonical(amount, Decimal("12.5")) == canonical(amount, "12.50") == "12.50"
    london = dt.datetime(2016, 4, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    assert (
        canonical(when, london)
        == canonical(when, london.astimezone(dt.UTC))
        == "2016-04-01T09:00:00.000000+00:00"
    )
    assert canonical(flag, 1) is True and canonical(flag, False) is False
    assert canonical(data, {"b": 1, "a": [1, "x"]}) == {"a": [1, "x"], "b": 1}
    assert canonical(models.DateField(), "2016-04-01") == "2016-04-01"
    assert canonical(models.CharField(), None) is None


def test_a_row_hash_covers_the_previous_hash_and_every_content_value() -> None:
    content = {"name": "NHS Blackpool CCG", "weighted_population": 171000}

    first = row_hash(table="t", previous=GENESIS, content=content, digest="")

    assert first == row_hash(table="t", previous=GENESIS, content=dict(reversed(content.items())), digest="")
    assert first != row_hash(table="t", previous="1" * 64, content=content, digest="")
    assert first != row_hash(
        table="t", previous=GENESIS, content={**content, "weighted_population": 1}, digest=""
    )
    assert first != row_hash(table="t", previous=GENESIS, content=content, digest="d")
    assert first != row_hash(table="u", previous=GENESIS, content=content, digest="")


def test_the_personal_fields_named_exist_on_their_models() -> None:
    from django.apps import apps

    for label, fields in PERSONAL_FIELDS.items():
        model = apps.get_model(label)
        for name in fields:
            model._meta.get_field(name)  # raises FieldDoesNotExist for a stale entry


# Coverage: every history table is chained and guarded -----------------------------------------


def test_every_history_model_is_chained_and_its_table_refuses_changes() -> None:
    # Given every history model the app registry knows (rows and many-to-many rows)
    found = history_models()
    assert len(found) > 50

    # Then each carries the chain's columns (declared with AuditedHistory) and its table the trigger
    unchained = [m._meta.label for m in found if not is_chained(m)]
    assert unchained == [], f"history models not declared with cocomm's AuditedHistory: {unchained}"
    guarded = guarded_tables(connection)
    unguarded = [m._meta.db_table for m in found if m._meta.db_table not in guarded]
    assert unguarded == [], f"history tables without the append-only trigger: {unguarded}"
    assert guarded["cocomm_historicalperson"] == ["email", "full_name", "title", "history_personal_salt"]


def test_update_and_delete_on_a_history_table_are_refused(national_area: Any) -> None:
    # Given a CCG with its history
    ccg = CCGFactory(area_team=national_area)
    row = ccg.history.get()

    # When anyone changes or deletes the history row, by SQL or through the ORM
    # Then the database refuses
    for sql in (
        "UPDATE cocomm_historicalccg SET name = 'Rewritten' WHERE history_id = %s",
        "DELETE FROM cocomm_historicalccg WHERE history_id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as c,
        ):
            c.execute(sql, [row.history_id])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CCG.history.filter(pk=row.pk).update(name="Rewritten")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CCG.history.filter(pk=row.pk).delete()
    assert ccg.history.get().name == ccg.name


def test_each_new_row_is_chained_to_the_one_before_it(national_area: Any) -> None:
    # Given two CCGs written one after the other
    first = CCGFactory(area_team=national_area).history.get()
    second = CCGFactory(area_team=national_area).history.get()

    # Then the second row's hash is made from its content and the first row's hash
    assert len(second.history_hash) == 64
    assert second.history_hash == expected_hash(second, first.history_hash)
    assert second.history_hash != expected_hash(second, GENESIS)


def test_personal_details_are_hashed_apart_with_a_salt() -> None:
    person = PersonFactory(full_name="Dr Helena Okoro", email="h.okoro@example.nhs.uk")
    row = person.history.get()

    assert len(row.history_personal_salt) == 32
    assert len(row.history_personal_digest) == 64
    # The digest is salted: the same name never gives the same digest twice.
    other = PersonFactory(full_name="Dr Helena Okoro", email="h.okoro@example.nhs.uk").history.get()
    assert other.history_personal_digest != row.history_personal_digest


def test_a_field_made_personal_later_leaves_older_rows_verifiable(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a person's history written while their job title was not a personal detail
    older = PersonFactory(job_title="Practice manager").history.get()
    assert older.history_personal_fields == "email,full_name,title"

    # When the list of personal fields grows
    monkeypatch.setitem(
        PERSONAL_FIELDS, "cocomm.Person", {**PERSONAL_FIELDS["cocomm.Person"], "job_title": "x"}
    )
    newer = PersonFactory(job_title="GP partner").history.get()

    # Then new rows hash the job title apart, and every row still verifies
    assert newer.history_personal_fields == "email,full_name,job_title,title"
    assert verify_history_chains().ok


def test_a_column_added_later_leaves_older_rows_verifiable_and_still_guards_its_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given the job title declared as a column added after the chain began, with "" given to old rows
    monkeypatch.setitem(ADDED_COLUMNS, "cocomm.Person", {"job_title": ""})
    older = PersonFactory(job_title="").history.get()
    newer = PersonFactory(job_title="GP partner").history.get()

    # Then a row holding the value old rows were given hashes as if the column did not exist
    assert "job_title" not in content_of(older)
    assert content_of(newer)["job_title"] == "GP partner"
    assert verify_history_chains().ok

    # And changing the value either way is still caught
    alter_behind_the_trigger("cocomm_historicalperson", "job_title = ''", newer.history_id)
    report = verify_history_chains()
    assert not report.ok
    assert [(p.table, p.row_id) for p in report.problems] == [("cocomm_historicalperson", newer.history_id)]


def test_a_column_added_later_cannot_be_filled_in_on_an_older_row(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(ADDED_COLUMNS, "cocomm.Person", {"job_title": ""})
    older = PersonFactory(job_title="").history.get()

    alter_behind_the_trigger("cocomm_historicalperson", "job_title = 'Practice manager'", older.history_id)

    assert [p.row_id for p in verify_history_chains().problems] == [older.history_id]


def test_each_column_declared_added_later_exists_on_its_history_table() -> None:
    for label, columns in ADDED_COLUMNS.items():
        model = apps.get_model(label)
        names = {f.attname for f in model.history.model._meta.concrete_fields}
        assert set(columns) <= names, label


def test_history_written_before_the_chain_is_sealed_by_the_migration_step() -> None:
    PersonFactory(full_name="Dr Helena Okoro")
    PersonFactory(full_name="Mr Alan Whittle")
    with connection.cursor() as cursor:
        # The migration seals rows before the trigger exists; switch it off to stand in for that.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE cocomm_historicalperson DISABLE TRIGGER cocomm_history_append_only")
        # Given people's history rows as they were before the chain existed
        cursor.execute(
            "UPDATE cocomm_historicalperson SET history_hash = '', history_personal_digest = '', "
            "history_personal_salt = '', history_personal_fields = ''"
        )
        unsealed_ok = verify_history_chains().ok

        # When the migration's step seals them, in order
        sealed = seal_existing_rows(Person.history.model)
        cursor.execute("ALTER TABLE cocomm_historicalperson ENABLE TRIGGER cocomm_history_append_only")

    # Then every row is sealed and the chain verifies, personal details included
    assert not unsealed_ok
    assert sealed == Person.history.count() >= 2
    assert verify_history_chains().ok
    assert set(Person.history.values_list("history_personal_fields", flat=True)) == {"email,full_name,title"}


# Log-ins ---------------------------------------------------------------------------------------


def test_a_save_of_last_login_alone_writes_no_history_row(make_user: Callable[..., User]) -> None:
    user = make_user()
    before = user.history.count()

    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])

    assert user.history.count() == before
    user.first_name = "Renamed"
    save_audited(user, by=system_user(), reason="Name corrected")
    assert user.history.count() == before + 1


# Concurrency: two writers of one table queue rather than fork the chain ------------------------


@pytest.mark.django_db(transaction=True)
def test_two_writers_of_one_history_table_queue_and_the_chain_holds() -> None:
    area = AreaTeamFactory()
    first, second = CCGFactory(area_team=area), CCGFactory(area_team=area)
    author = system_user()
    errors: list[BaseException] = []

    def other_writer() -> None:
        try:
            second.name = "Renamed by the other writer"
            save_audited(second, by=author, reason="Concurrent change")
        except BaseException as error:  # reported to the test's thread below
            errors.append(error)
        finally:
            connections.close_all()

    other = threading.Thread(target=other_writer)
    with transaction.atomic():
        # Given one transaction that has written a CCG history row and not yet committed
        first.name = "Renamed by the first writer"
        save_audited(first, by=author, reason="Concurrent change")
        # When another connection writes to the same history table
        other.start()
        waiting = 0
        for _ in range(100):
            with connection.cursor() as cursor:
                # Only this database's locks: other test runs share the PostgreSQL server.
                cursor.execute(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                )
                waiting = cursor.fetchone()[0]
            if waiting:
                break
            time.sleep(0.05)
        # Then it waits for the first to finish rather than read the chain's head alongside it
        assert waiting == 1
    other.join(timeout=20)
    assert not other.is_alive() and errors == []

    # And the two rows are chained one after the other
    last_two = list(CCG.history.order_by("-history_id")[:2])
    assert [row.name for row in last_two] == ["Renamed by the other writer", "Renamed by the first writer"]
    assert last_two[0].history_hash == expected_hash(last_two[0], last_two[1].history_hash)
    assert verify_history_chains().ok


# The nightly check and its page -------------------------------------------------------------------


def test_the_nightly_task_is_scheduled_and_stores_its_result(national_area: Any) -> None:
    assert settings.CELERY_BEAT_SCHEDULE["audit-check"]["task"] == audit_check_run_task.name
    CCGFactory(area_team=national_area)

    check = AuditCheck.objects.get(pk=audit_check_run_task.delay().get())

    assert check.ok and check.guarded and check.database == "postgresql"
    assert check.rows_per_table["cocomm_historicalccg"] == CCG.history.count()
    assert check.rows_checked == sum(check.rows_per_table.values())
    assert check.failure_table == "" and check.checked_by == system_user()


def test_a_failed_check_is_stored_with_the_first_broken_row(national_area: Any) -> None:
    row = CCGFactory(area_team=national_area).history.get()
    alter_behind_the_trigger("cocomm_historicalccg", "name = 'Rewritten'", row.history_id)

    check = AuditCheck.objects.get(pk=audit_check_run_task.delay().get())

    assert not check.ok
    assert (check.failure_table, check.failure_row_id) == ("cocomm_historicalccg", str(row.history_id))


@pytest.fixture
def stored_failure() -> AuditCheck:
    return AuditCheck.objects.create(
        checked_at=timezone.now(),
        ok=False,
        database="postgresql",
        guarded=True,
        rows_checked=12,
        rows_per_table={"cocomm_historicalccg": 12},
        failure_table="cocomm_historicalccg",
        failure_row_id="13",
        failure_reason="hash does not match the row and the previous row's hash",
        problems=["cocomm_historicalccg, row 13: hash does not match the row and the previous row's hash"],
        checked_by=system_user(),
    )


def page_for(user: User) -> Any:
    client = Client()
    client.force_login(user)
    return client.get(reverse("audit-check"))


def test_administrators_and_reviewers_see_the_last_result(
    stored_failure: AuditCheck,
    administrator: User,
    make_user: Callable[..., User],
    national_area: Any,
    django_assert_max_num_queries: Any,
) -> None:
    reviewer = make_user(RoleKind.NHSE_REVIEWER, area_team=national_area)
    for user in (administrator, reviewer):
        client = Client()
        client.force_login(user)
        # A fixed handful of queries: the session, the user, their permissions, the last check.
        with django_assert_max_num_queries(8):
            response = client.get(reverse("audit-check"))
        assert response.status_code == 200
        page = response.content.decode()
        assert "The audit trail does not hold" in page
        assert "cocomm_historicalccg" in page and "<strong>13</strong>" in page


def test_the_page_says_the_trail_holds_and_the_ccg_list_links_to_it(
    national_area: Any, make_user: Callable[..., User]
) -> None:
    audit_check_run_task.delay()
    reviewer = make_user(RoleKind.NHSE_REVIEWER, area_team=national_area)

    assert "The audit trail holds" in page_for(reviewer).content.decode()
    client = Client()
    client.force_login(reviewer)
    assert reverse("audit-check") in client.get(reverse("ccg-list")).content.decode()


def test_officers_and_anonymous_visitors_do_not_see_the_check(
    stored_failure: AuditCheck, level2_ccg: CCG, make_user: Callable[..., User]
) -> None:
    officer = make_user(RoleKind.GOVERNANCE_OFFICER, ccg=level2_ccg)
    assert page_for(officer).status_code == 404
    assert page_for(make_user()).status_code == 404
    response = Client().get(reverse("audit-check"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client = Client()
    client.force_login(officer)
    assert reverse("audit-check") not in client.get(reverse("ccg-list")).content.decode()
