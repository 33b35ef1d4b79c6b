"""How a history row is hashed: pure functions, no database (see docs/adr/0001).

Each history table is a chain: a row's `history_hash` is SHA-256 over the row's content and
the hash of the row before it in the same table (ordered by the history row's id). Personal
details do not enter the row hash directly: they are hashed, with a random salt, into the row's
`history_personal_digest`, and the row hash covers that digest. The retention rule (personal
details blanked after six years) can then clear the values and the salt and the chain still
verifies, while what remains of the digest cannot be used to guess the blanked values.

Values are canonicalised the same way on PostgreSQL and SQLite, whether they come from a model
instance about to be saved or from a row read back, so the same row always hashes the same.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

# The hash the first row of every chain links to.
GENESIS = "0" * 64

HASH_FIELD = "history_hash"
DIGEST_FIELD = "history_personal_digest"
SALT_FIELD = "history_personal_salt"
# Which fields were personal when the row was written. It is part of the hashed content, so the
# list below may grow later without breaking the chains of rows written before.
PERSONAL_NAMES_FIELD = "history_personal_fields"
CHAIN_FIELDS = frozenset({HASH_FIELD, DIGEST_FIELD, SALT_FIELD})

# Personal details, per tracked model ("app_label.ModelName"), with the reason each is personal.
# Only these are hashed into the personal digest, and only these may later be blanked. Each row
# records the list it was written under, so a change here governs rows written from then on. A field
# that identifies a record rather than describes a person (an ODS code, a username used as the
# author of changes) stays in the row hash.
PERSONAL_FIELDS: dict[str, dict[str, str]] = {
    "cocomm.User": {
        "first_name": "a person's name",
        "last_name": "a person's name",
        "email": "a person's e-mail address",
    },
    "cocomm.Person": {
        "title": "part of a person's name (Dr, Mrs)",
        "full_name": "a person's name",
        "email": "a person's e-mail address",
    },
    "committees.Decision": {
        "chair_declaration": "free text of the interest the chair declared on taking chair's action",
    },
    "conflicts.Declaration": {
        "description": "free text describing a person's interest",
        "relationship": "names the close associate who holds an indirect interest",
        "withheld_reason": "why a person withholds consent, often about their private life",
    },
    "conflicts.GiftOrHospitality": {
        "description": "free text describing what a person was offered",
    },
    "conflicts.ItemDeclaration": {
        "statement": "free text of what a person declared at a meeting",
    },
    "conflicts.Breach": {
        "reported_by": "the name of the person who reported the breach",
        "investigated_by": "the name of the person who investigated the breach",
    },
    "assurance.PackRead": {
        "records": "names the people in a pack and quotes what they declared, as the pack showed it",
    },
}


# Columns added to a tracked model after its history chain began, with the value each existing
# history row was given when the column was added (None for a nullable column, "" for a blank text
# column). A row holding exactly that value is hashed as if the column did not exist, so rows sealed
# before the column was added still verify; any other value is hashed like every other column, so a
# change to or from it is still detected. Add an entry in the same change as the migration that adds a
# column to a history table that already holds rows.
ADDED_COLUMNS: dict[str, dict[str, Any]] = {}


def unhashed_when_added(model_label: str, attname: str, value: Any) -> bool:
    """Whether a column added after the chain began holds the value old rows were given (not hashed)."""
    added = ADDED_COLUMNS.get(model_label, {})
    return attname in added and value == added[attname]


def personal_fields_of(model_label: str) -> tuple[str, ...]:
    """The personal fields of a tracked model, in a fixed order."""
    return tuple(sorted(PERSONAL_FIELDS.get(model_label, {})))


def canonical(field: models.Field[Any, Any] | None, value: Any) -> Any:
    """A JSON-ready value that is the same for the value saved and the value read back."""
    if value is None:
        return None
    if field is not None:
        # A value the field cannot read is hashed as given rather than refuse to record history.
        with contextlib.suppress(ValidationError, TypeError, ValueError):
            value = field.to_python(value)
        if isinstance(field, models.DecimalField) and isinstance(value, decimal.Decimal):
            places = decimal.Decimal(1).scaleb(-(field.decimal_places or 0))
            return str(value.quantize(places, rounding=decimal.ROUND_HALF_UP))
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, decimal.Decimal):
        return str(value.normalize())
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value.total_seconds())
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping | list | tuple):
        # JSON fields: the structure itself, with its keys sorted when serialised.
        return json.loads(json.dumps(value, sort_keys=True, default=str))
    return str(value)


def _sha256(payload: Any) -> str:
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def personal_digest(values: Mapping[str, Any], salt: str) -> str:
    """SHA-256 over a row's personal values (already canonical) and its salt; empty if none."""
    if not values:
        return ""
    return _sha256({"salt": salt, "values": dict(values)})


def row_hash(*, table: str, previous: str, content: Mapping[str, Any], digest: str) -> str:
    """SHA-256 binding a row's non-personal content, its personal digest and the previous hash."""
    return _sha256({"table": table, "previous": previous, "content": dict(content), "personal": digest})


def is_blank(values: Iterable[Any]) -> bool:
    """Whether personal values have been blanked (every one empty or null)."""
    return all(value in (None, "") for value in values)
