"""History rows that are sealed into a hash chain as they are written (see docs/adr/0001).

Every governance model declares `history = AuditedHistory()` instead of simple-history's
`HistoricalRecords()`. The history model then carries four more columns (`ChainedHistory`),
filled in just before the row is inserted:

- `history_personal_fields`: which fields were personal (`cocomm.audit_chain.PERSONAL_FIELDS`);
- `history_personal_salt` and `history_personal_digest`: those fields' values hashed with a
  random salt;
- `history_hash`: SHA-256 over the rest of the row, that digest and the previous row's hash.

To read the previous row's hash and insert the next one without another transaction slipping a
row in between, writers of one history table queue behind a PostgreSQL advisory lock held to the
end of their transaction. The lock is taken in its own statement, before the previous row is read,
so that under READ COMMITTED the read sees whatever the last holder committed.

Kept free of `cocomm.models` so that the models module can import it.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import connections, models, router, transaction
from django.dispatch import receiver
from simple_history.models import HistoricalChanges, HistoricalRecords
from simple_history.signals import pre_create_historical_m2m_records, pre_create_historical_record

from cocomm.audit_chain import (
    CHAIN_FIELDS,
    DIGEST_FIELD,
    GENESIS,
    HASH_FIELD,
    PERSONAL_NAMES_FIELD,
    SALT_FIELD,
    canonical,
    personal_digest,
    personal_fields_of,
    row_hash,
    unhashed_when_added,
)

# First key of the two-key advisory lock: cocomm's own namespace, so no other user of advisory
# locks in the same database collides with the history chains.
LOCK_NAMESPACE = 4_210_909


class ChainedHistory(models.Model):
    """The columns that seal a history row into its table's chain."""

    history_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    history_personal_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    history_personal_salt = models.CharField(max_length=32, blank=True, default="", editable=False)
    history_personal_fields = models.CharField(max_length=500, blank=True, default="", editable=False)

    class Meta:
        abstract = True


class AuditedHistory(HistoricalRecords):
    """simple-history's HistoricalRecords, with every row sealed into its table's hash chain."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["bases"] = (ChainedHistory, *kwargs.get("bases", ()))
        kwargs["m2m_bases"] = (ChainedHistory, *kwargs.get("m2m_bases", ()))
        super().__init__(*args, **kwargs)

    def post_save(
        self, instance: models.Model, created: bool, using: str | None = None, **kwargs: Any
    ) -> None:
        # A save that touches only fields kept out of the history (a log-in setting last_login)
        # changes nothing the history shows, and would otherwise leave a row with no author.
        update_fields = kwargs.get("update_fields")
        if not created and update_fields and set(update_fields) <= set(self.excluded_fields):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def create_historical_record(
        self, instance: models.Model, history_type: str, using: str | None = None
    ) -> None:
        # The lock, the read of the chain's head and the insert must share one transaction.
        database = using or router.db_for_write(type(instance))
        with transaction.atomic(using=database, savepoint=False):
            super().create_historical_record(instance, history_type, using=using)


def is_history_model(model: type[models.Model]) -> bool:
    """Whether a model is a history table written by simple-history (rows or many-to-many rows)."""
    return issubclass(model, HistoricalChanges)


def is_chained(model: type[models.Model]) -> bool:
    """Whether a history model carries the chain's columns."""
    names = {f.name for f in model._meta.concrete_fields}
    return names >= CHAIN_FIELDS | {PERSONAL_NAMES_FIELD}


def tracked_label(history_model: type[models.Model]) -> str:
    """The tracked model's label ("cocomm.Person"), also for models rebuilt by migrations."""
    instance_type = getattr(history_model, "instance_type", None)
    if isinstance(instance_type, type) and issubclass(instance_type, models.Model):
        return instance_type._meta.label
    name = history_model._meta.object_name or ""
    return f"{history_model._meta.app_label}.{name.removeprefix('Historical')}"


def personal_fields(history_model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The fields of a history model that hold personal details now, in a fixed order."""
    names = set(personal_fields_of(tracked_label(history_model)))
    return sorted(
        (f for f in history_model._meta.concrete_fields if f.name in names or f.attname in names),
        key=lambda f: f.attname,
    )


def row_personal_fields(row: models.Model) -> list[models.Field[Any, Any]]:
    """The fields that were personal when this row was written (as the row itself records)."""
    names = [name for name in getattr(row, PERSONAL_NAMES_FIELD).split(",") if name]
    by_name = {f.attname: f for f in type(row)._meta.concrete_fields}
    return [by_name[name] for name in names]


def personal_values(row: models.Model) -> dict[str, Any]:
    return {f.attname: canonical(f, getattr(row, f.attname)) for f in row_personal_fields(row)}


def content_of(row: models.Model) -> dict[str, Any]:
    """The row's hashed content: every column except its own id, the chain's and the personal ones."""
    model = type(row)
    label = tracked_label(model)
    skip = {f.attname for f in row_personal_fields(row)} | CHAIN_FIELDS | {model._meta.pk.attname}
    content = {
        f.attname: canonical(f, getattr(row, f.attname))
        for f in model._meta.concrete_fields
        if f.attname not in skip
    }
    return {name: value for name, value in content.items() if not unhashed_when_added(label, name, value)}


def expected_hash(row: models.Model, previous: str) -> str:
    """The hash a row should carry, given the previous row's hash in its table."""
    return row_hash(
        table=type(row)._meta.db_table,
        previous=previous,
        content=content_of(row),
        digest=getattr(row, DIGEST_FIELD),
    )


def chain_head(model: type[models.Model], using: str) -> str:
    """Lock the model's chain for this transaction and return the hash of its last row."""
    connection = connections[using]
    table = model._meta.db_table
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A statement of its own: the read below then sees the last holder's committed row.
            cursor.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [LOCK_NAMESPACE, table])
        cursor.execute(
            f"SELECT {quote(HASH_FIELD)} FROM {quote(table)} "  # noqa: S608 - names come from model metadata
            f"ORDER BY {quote(model._meta.pk.column)} DESC LIMIT 1"
        )
        found = cursor.fetchone()
    return found[0] if found and found[0] else GENESIS


def seal(row: models.Model, *, previous: str) -> None:
    """Fill in a new row's list of personal fields, salt, personal digest and hash."""
    setattr(row, PERSONAL_NAMES_FIELD, ",".join(f.attname for f in personal_fields(type(row))))
    values = personal_values(row)
    salt = secrets.token_hex(16) if values else ""
    setattr(row, SALT_FIELD, salt)
    setattr(row, DIGEST_FIELD, personal_digest(values, salt))
    setattr(row, HASH_FIELD, expected_hash(row, previous))


@receiver(pre_create_historical_record)
def _seal_history_row(sender: type[models.Model], history_instance: models.Model, **kwargs: Any) -> None:
    if not is_chained(sender):
        return
    using = kwargs.get("using") or router.db_for_write(sender)
    seal(history_instance, previous=chain_head(sender, using))


@receiver(pre_create_historical_m2m_records)
def _seal_history_m2m_rows(sender: type[models.Model], rows: list[models.Model], **kwargs: Any) -> None:
    # Many-to-many history rows go in with one bulk insert; PostgreSQL numbers them in list order,
    # which is the order they are chained in here.
    if not rows or not is_chained(sender):
        return
    previous = chain_head(sender, router.db_for_write(sender))
    for row in rows:
        seal(row, previous=previous)
        previous = getattr(row, HASH_FIELD)


def seal_existing_rows(history_model: type[models.Model]) -> int:
    """Seal, in chain order, the rows of a history table written before it was chained.

    For the migration that introduces the chain (it runs before the tables are made
    append-only). Rows already sealed are kept and chained onto; returns how many were sealed.
    """
    previous = GENESIS
    sealed = 0
    manager = history_model._base_manager
    for row in manager.order_by(history_model._meta.pk.attname).iterator(chunk_size=2000):
        if not getattr(row, HASH_FIELD):
            seal(row, previous=previous)
            manager.filter(pk=row.pk).update(
                **{
                    name: getattr(row, name)
                    for name in (HASH_FIELD, DIGEST_FIELD, SALT_FIELD, PERSONAL_NAMES_FIELD)
                }
            )
            sealed += 1
        previous = getattr(row, HASH_FIELD)
    return sealed
