"""Helpers for the audit chain tests."""

from __future__ import annotations

from django.db import connection


def alter_behind_the_trigger(table: str, assignment: str, row_id: int) -> None:
    """What someone with the database's owner rights could do: switch the trigger off, rewrite."""
    with connection.cursor() as cursor:
        # Deferred foreign-key checks still pending in the transaction would block ALTER TABLE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER cocomm_history_append_only")
        cursor.execute(f"UPDATE {table} SET {assignment} WHERE history_id = %s", [row_id])  # noqa: S608
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER cocomm_history_append_only")
