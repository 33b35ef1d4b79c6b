"""Rules for moving level and sharing a team out: pure functions, no database."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from delegation.models import APPLICATION_PATH, ApplicationStatus, EvidenceKind, LevelApplication

CENT = Decimal("0.01")


def next_statuses(status: str) -> frozenset[str]:
    """The statuses an application may move to from this one."""
    return LevelApplication.TRANSITIONS[ApplicationStatus(status)]


def next_step(status: str) -> ApplicationStatus | None:
    """The next step along the way to approval, or None at the end or off the way."""
    here = ApplicationStatus(status)
    if here not in APPLICATION_PATH or here == APPLICATION_PATH[-1]:
        return None
    return APPLICATION_PATH[APPLICATION_PATH.index(here) + 1]


def can_move(status: str, to: str) -> tuple[bool, str]:
    """Whether an application may move from one status to another, and if not, why."""
    here, there = ApplicationStatus(status), ApplicationStatus(to)
    if there in next_statuses(here):
        return True, ""
    if not next_statuses(here):
        return False, f"An application that is {here.label.lower()} is closed and cannot change."
    allowed = ", ".join(sorted(ApplicationStatus(s).label.lower() for s in next_statuses(here)))
    return False, (
        f"An application that is {here.label.lower()} cannot become {there.label.lower()}; "
        f"it may only become: {allowed}."
    )


def missing_evidence(kinds_received: Iterable[str]) -> list[EvidenceKind]:
    """The evidence still needed: seed 002 asks for all seven documents before applying."""
    received = set(kinds_received)
    return [kind for kind in EvidenceKind if kind not in received]


def vote_carried(practices_for: int, practices_against: int, practices_abstaining: int = 0) -> bool:
    """A simple majority of the practices voting; abstentions are not votes either way."""
    if min(practices_for, practices_against, practices_abstaining) < 0:
        raise ValueError("Vote counts cannot be negative.")
    return practices_for > practices_against


@dataclass(frozen=True)
class Share:
    """One CCG's share of a shared team."""

    name: str
    population: int
    percent: Decimal
    wte: Decimal


def share_out(populations: Mapping[str, int], total_wte: Decimal) -> list[Share]:
    """Share a team's WTE among CCGs in proportion to weighted population (seed 003 §4).

    WTE is rounded half up to two places. The percentage is cut to two places rather than
    rounded, which is how the Lancashire MoU's table shows it (Chorley & South Ribble
    11.0459… % appears as 11.04, East Lancashire 24.619… % as 24.61); the shares are computed from
    the exact proportion, not from the shown percentage.
    """
    if any(p < 0 for p in populations.values()):
        raise ValueError("A weighted population cannot be negative.")
    if total_wte < 0:
        raise ValueError("The team's WTE cannot be negative.")
    total = sum(populations.values())
    if total == 0:
        raise ValueError("There is no population to share the team among.")
    shares = []
    for name, population in populations.items():
        fraction = Decimal(population) / Decimal(total)
        shares.append(
            Share(
                name=name,
                population=population,
                percent=(fraction * 100).quantize(CENT, rounding=ROUND_DOWN),
                wte=(fraction * total_wte).quantize(CENT, rounding=ROUND_HALF_UP),
            )
        )
    return shares
