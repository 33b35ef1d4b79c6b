"""Who decides: the routing rule, as pure functions of dates, levels and rights (no database)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from functions.choices import Right


class DecidedBy(StrEnum):
    NHS_ENGLAND = "nhs_england"
    JOINT_COMMITTEE = "joint_committee"
    CCG_COMMITTEE = "ccg_committee"

    @property
    def label(self) -> str:
        return DECIDED_BY_LABELS[self]


DECIDED_BY_LABELS = {
    DecidedBy.NHS_ENGLAND: "NHS England",
    DecidedBy.JOINT_COMMITTEE: "A joint committee with NHS England",
    DecidedBy.CCG_COMMITTEE: "The CCG's own committee",
}


@dataclass(frozen=True)
class LevelPeriod:
    """A level a CCG holds from a date."""

    level_number: int
    effective_from: dt.date


@dataclass(frozen=True)
class CellRight:
    """What the decision-rights matrix says for one level and one function."""

    right: Right
    nhse_veto: bool = False


@dataclass(frozen=True)
class Routing:
    """The answer to "who decides this function for this CCG on this date?"."""

    level: int | None
    right: Right
    decided_by: DecidedBy
    nhse_casting_vote: bool
    nhse_veto: bool


class MatrixCellMissing(ValueError):
    """The decision-rights matrix has no cell for the level a CCG held and the function asked about.

    A gap in the reference data, not a fault in the question: the message names the cell (function,
    level and scheme) and the date, so a system administrator knows what to complete.
    """

    def __init__(
        self,
        *,
        scheme: str,
        level_number: int,
        level_name: str,
        function_number: int,
        function_name: str,
        on: dt.date,
    ) -> None:
        self.scheme = scheme
        self.level_number = level_number
        self.function_number = function_number
        self.on = on
        super().__init__(
            f"The decision-rights matrix has no cell for function {function_number} ({function_name}) at "
            f"level {level_number} ({level_name}) of the {scheme}, as it stood on {on:%-d %B %Y}. "
            "A system administrator needs to complete the matrix."
        )


def level_in_force(periods: Sequence[LevelPeriod], on: dt.date) -> LevelPeriod | None:
    """The level in force on a date: the latest that took effect on or before it."""
    in_force = [p for p in periods if p.effective_from <= on]
    return max(in_force, key=lambda p: p.effective_from) if in_force else None


def decided_by(right: Right) -> DecidedBy:
    """Joint rights go to a joint committee, delegated ones to the CCG, the rest to NHS England."""
    if right == Right.JOINT:
        return DecidedBy.JOINT_COMMITTEE
    if right == Right.DELEGATED:
        return DecidedBy.CCG_COMMITTEE
    return DecidedBy.NHS_ENGLAND


def route(*, periods: Sequence[LevelPeriod], rights: Mapping[int, CellRight], on: dt.date) -> Routing:
    """Route one function for one CCG on a date.

    `rights` maps each level number of the CCG's scheme to the matrix cell for the function.
    Before the CCG held any level, NHS England commissions alone. In a joint committee NHS
    England holds the casting vote (seed 002: NHS England London "has the casting vote"); a
    committee's terms of reference may name another holder.
    """
    period = level_in_force(periods, on)
    if period is None:
        return Routing(
            level=None,
            right=Right.NOT_INVOLVED,
            decided_by=DecidedBy.NHS_ENGLAND,
            nhse_casting_vote=False,
            nhse_veto=False,
        )
    cell = rights.get(period.level_number)
    if cell is None:
        raise ValueError(f"The matrix has no cell for level {period.level_number}.")
    body = decided_by(cell.right)
    return Routing(
        level=period.level_number,
        right=cell.right,
        decided_by=body,
        nhse_casting_vote=body == DecidedBy.JOINT_COMMITTEE,
        nhse_veto=cell.nhse_veto and body != DecidedBy.NHS_ENGLAND,
    )
