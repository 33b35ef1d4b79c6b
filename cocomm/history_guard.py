"""History tables refuse UPDATE and DELETE on PostgreSQL (see docs/adr/0001).

A row-level trigger on every history table raises an error on UPDATE or DELETE. TRUNCATE is
left alone: the test suite empties tables with it between tests, and whoever may TRUNCATE a
table may also drop its trigger, which the hash chain then exposes (`audit_verify`).

The one way through is for the retention rule (blank personal details after six years): a
transaction that sets `cocomm.history_retention = 'blank_personal'` (`retention_blanking()`)
may UPDATE a row only to empty its personal columns, which the trigger names in its arguments;
any other column changed, or a personal column given a new value, is still refused.

SQLite (the local demo) has no such trigger: its history is hash-chained but not protected.

`install_history_guards` is idempotent and cheap when nothing is missing. A migration runs it
once the existing history tables exist, and `post_migrate` runs it after every `migrate`, so a
history table added later is guarded too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps as global_apps
from django.db import connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from cocomm.audit_chain import SALT_FIELD, personal_fields_of

TRIGGER_NAME = "cocomm_history_append_only"
FUNCTION_NAME = "cocomm_history_guard"
RETENTION_SETTING = "cocomm.history_retention"
RETENTION_BLANKING = "blank_personal"

FUNCTION_BODY = f"""
DECLARE
    personal text;
BEGIN
    IF TG_OP = 'UPDATE'
       AND current_setting('{RETENTION_SETTING}', true) = '{RETENTION_BLANKING}'
       AND TG_NARGS > 0
       AND (to_jsonb(NEW) - TG_ARGV) = (to_jsonb(OLD) - TG_ARGV) THEN
        -- The retention rule empties every personal column of a row; nothing else may change.
        FOREACH personal IN ARRAY TG_ARGV LOOP
            IF coalesce(to_jsonb(NEW) ->> personal, '') <> '' THEN
                RAISE EXCEPTION 'cocomm history: retention blanks all personal details; % is not blank',
                    personal USING ERRCODE = 'insufficient_privilege';
            END IF;
        END LOOP;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'cocomm history is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'History rows are never changed or deleted; record a new change instead.';
END;
"""


def history_models(registry: Any = global_apps) -> list[type[models.Model]]:
    """Every history model (simple-history rows and many-to-many rows) in an app registry."""
    found = []
    for model in registry.get_models():
        name = (model._meta.object_name or "").lower()
        if name.startswith("historical") and not model._meta.abstract:
            found.append(model)
    return sorted(found, key=lambda m: m._meta.db_table)


def _personal_columns(model: type[models.Model]) -> list[str]:
    name = model._meta.object_name or ""
    label = f"{model._meta.app_label}.{name.removeprefix('Historical')}"
    wanted = set(personal_fields_of(label))
    columns = sorted(f.column for f in model._meta.concrete_fields if f.name in wanted or f.attname in wanted)
    if columns and SALT_FIELD in {f.column for f in model._meta.concrete_fields}:
        # Blanking the salt with the values leaves nothing to test guesses against the digest.
        columns.append(SALT_FIELD)
    return columns


def guarded_tables(connection: BaseDatabaseWrapper) -> dict[str, list[str]]:
    """The tables that carry the trigger now, with the personal columns it lets be blanked."""
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgnargs, t.tgargs FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE t.tgname = %s AND n.nspname = current_schema() AND t.tgenabled <> 'D'",
            [TRIGGER_NAME],
        )
        found = {}
        for table, nargs, raw in cursor.fetchall():
            args = bytes(raw).split(b"\x00")[:nargs] if nargs else []
            found[table] = [arg.decode() for arg in args]
    return found


def install_history_guards(
    connection: BaseDatabaseWrapper, models_to_guard: Iterable[type[models.Model]] | None = None
) -> list[str]:
    """Install the trigger on each history table that lacks it (or names other columns)."""
    if connection.vendor != "postgresql":
        return []
    wanted = {m._meta.db_table: _personal_columns(m) for m in (models_to_guard or history_models())}
    existing_tables = set(connection.introspection.table_names())
    quote = connection.ops.quote_name
    installed = []
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = %s", [FUNCTION_NAME])
        current = cursor.fetchone()
        if current is None or current[0] != FUNCTION_BODY:
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {FUNCTION_NAME}() RETURNS trigger "
                f"LANGUAGE plpgsql AS $guard${FUNCTION_BODY}$guard$"
            )
        present = guarded_tables(connection)
        for table, columns in sorted(wanted.items()):
            if table not in existing_tables or present.get(table) == columns:
                continue
            arguments = ", ".join(f"'{column}'" for column in columns)  # column names from model metadata
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {TRIGGER_NAME} BEFORE UPDATE OR DELETE ON {quote(table)} "
                f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION_NAME}({arguments})"
            )
            installed.append(table)
    return installed


def install_after_migrate(using: str = "default", **kwargs: Any) -> None:
    """post_migrate receiver: guard every history table of the current models."""
    install_history_guards(connections[using])


@contextmanager
def retention_blanking(using: str = "default") -> Iterator[None]:
    """A transaction in which the retention rule may blank personal details in history rows.

    The only sanctioned way past the append-only trigger; every UPDATE inside may only empty the
    personal columns (and the salt) of a row, and the setting ends with the transaction.
    """
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, %s, true)", [RETENTION_SETTING, RETENTION_BLANKING])
        yield
