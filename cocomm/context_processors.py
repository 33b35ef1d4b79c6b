"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from cocomm.selectors import ccgs_visible_to


def visibility(request: HttpRequest) -> dict[str, Any]:
    """`visible_ccg_ids`: the CCGs the user may open (with their practices and matters).

    Pages link to a CCG, a practice or a matter only when the user may open it, so a committee
    member never meets a link that answers 404. The set is read lazily: one query, on the pages
    that ask.
    """
    return {
        "visible_ccg_ids": SimpleLazyObject(
            lambda: set(ccgs_visible_to(request.user).values_list("pk", flat=True))
        )
    }
