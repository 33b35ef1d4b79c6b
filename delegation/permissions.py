"""Who may record a CCG's level."""

from __future__ import annotations

from cocomm.models import CCG
from cocomm.permissions import AnyUser, is_administrator


def can_record_level(user: AnyUser, ccg: CCG) -> bool:
    """Level changes follow NHS England's approval, so administrators record them."""
    return is_administrator(user)
