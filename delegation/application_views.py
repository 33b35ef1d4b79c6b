"""Level applications: the pages."""

from __future__ import annotations

from typing import Any

from cocomm.models import CCG
from cocomm.permissions import AnyUser


def ccg_page_context(user: AnyUser, ccg: CCG) -> dict[str, Any]:
    """What the CCG page shows of this part (its template is an include of the CCG page)."""
    return {}
