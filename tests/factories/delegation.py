"""Helpers that give test CCGs levels, through the service (audited, validated)."""

from __future__ import annotations

import datetime as dt

from cocomm.audit import system_user
from cocomm.models import CCG
from delegation.models import LevelAssignment
from delegation.selectors import scheme_of
from delegation.services import level_assignment_record


def give_level(ccg: CCG, number: int, effective_from: dt.date) -> LevelAssignment:
    scheme = scheme_of(ccg)
    assert scheme is not None, "give the CCG's area team a scheme first"
    return level_assignment_record(
        ccg=ccg,
        level=scheme.levels.get(number=number),
        effective_from=effective_from,
        by=system_user(),
        reason="Test data",
    )
