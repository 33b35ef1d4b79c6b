"""Reads about levels and routing, shared by pages and the API; query counts do not grow with data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from cocomm.models import CCG
from cocomm.permissions import AnyUser
from cocomm.selectors import ccgs_visible_to
from delegation import rules
from delegation.models import LevelAssignment
from functions.models import AreaTeamScheme, Function, Level, LevelScheme
from functions.selectors import CellAsOf, rights_as_of


def with_levels(queryset: QuerySet[CCG]) -> QuerySet[CCG]:
    """CCGs with their area team, scheme and level history (each level with the scheme it belongs to)
    loaded in a fixed number of queries."""
    return queryset.select_related("area_team", "area_team__scheme_choice__scheme").prefetch_related(
        Prefetch(
            "level_assignments",
            queryset=LevelAssignment.objects.select_related("level__scheme").order_by("effective_from"),
            to_attr="level_history",
        )
    )


def with_level_on(queryset: QuerySet[CCG], on: dt.date) -> QuerySet[CCG]:
    """CCGs with the level in force on a date worked out by the database: the latest assignment
    effective by then (read it with `level_in_force`; none before a CCG's first level)."""
    in_force = LevelAssignment.objects.filter(ccg=OuterRef("pk"), effective_from__lte=on).order_by(
        "-effective_from"
    )
    return queryset.annotate(
        level_in_force_number=Subquery(in_force.values("level__number")[:1]),
        level_in_force_name=Subquery(in_force.values("level__name")[:1]),
    )


@dataclass(frozen=True)
class LevelInForce:
    number: int
    name: str

    def __str__(self) -> str:
        return f"Level {self.number}: {self.name}"


def level_in_force(ccg: CCG) -> LevelInForce | None:
    """The level `with_level_on` found for a CCG, without a query."""
    number: int | None = getattr(ccg, "level_in_force_number", None)
    if number is None:
        return None
    name: str = getattr(ccg, "level_in_force_name", "")
    return LevelInForce(number, name)


def ccgs_with_levels_visible_to(user: AnyUser, on: dt.date) -> QuerySet[CCG]:
    """The CCGs a user may see, by name, with area team, scheme and the level in force on a date: one
    query however many CCGs and levels (the history itself is not loaded)."""
    return (
        with_level_on(ccgs_visible_to(user), on)
        .select_related("area_team", "area_team__scheme_choice__scheme")
        .order_by("name")
    )


def ccgs_with_levels() -> QuerySet[CCG]:
    """Every CCG (public reference data), with levels loaded."""
    return with_levels(CCG.objects.all()).order_by("name")


def level_history(ccg: CCG) -> list[LevelAssignment]:
    """A CCG's levels, oldest first (uses the prefetch from `with_levels` when present)."""
    history = getattr(ccg, "level_history", None)
    if history is None:
        history = list(ccg.level_assignments.select_related("level__scheme").order_by("effective_from"))
    return history


def scheme_of(ccg: CCG) -> LevelScheme | None:
    """The level scheme a CCG's area team uses now, for levels recorded from now on (no query after
    `with_levels`). A level already held keeps the scheme it was granted under: see `scheme_on`."""
    try:
        return ccg.area_team.scheme_choice.scheme
    except AreaTeamScheme.DoesNotExist:
        return None


def level_on(ccg: CCG, on: dt.date) -> LevelAssignment | None:
    """The level assignment in force on a date, if any."""
    in_force = [a for a in level_history(ccg) if a.effective_from <= on]
    return in_force[-1] if in_force else None


def scheme_on(ccg: CCG, on: dt.date) -> LevelScheme | None:
    """The scheme of the level a CCG held on a date, the one it was granted under; before any level,
    the area team's scheme (no query after `with_levels`)."""
    assignment = level_on(ccg, on)
    return assignment.level.scheme if assignment is not None else scheme_of(ccg)


def _periods(ccg: CCG) -> list[rules.LevelPeriod]:
    return [rules.LevelPeriod(a.level.number, a.effective_from) for a in level_history(ccg)]


def _missing(assignment: LevelAssignment, function: Function, on: dt.date) -> rules.MatrixCellMissing:
    level = assignment.level
    return rules.MatrixCellMissing(
        scheme=level.scheme.name,
        level_number=level.number,
        level_name=level.name,
        function_number=function.number,
        function_name=function.name,
        on=on,
    )


def _route(
    ccg: CCG, assignment: LevelAssignment | None, function: Function, cell: CellAsOf | None, on: dt.date
) -> rules.Routing:
    if assignment is None:
        return rules.route(periods=[], rights={}, on=on)
    if cell is None:
        raise _missing(assignment, function, on)
    right = rules.CellRight(rules.Right(cell.right), cell.nhse_veto)
    return rules.route(periods=_periods(ccg), rights={assignment.level.number: right}, on=on)


def routing_for(ccg: CCG, function: Function, on: dt.date) -> rules.Routing:
    """Who decides a function for a CCG on a date: the level it held that day, in the scheme that level
    was granted under, and the matrix cell as it stood that day (one query after `with_levels`).

    Raises `rules.MatrixCellMissing`, naming the cell, when the matrix had no cell for it.
    """
    assignment = level_on(ccg, on)
    cell = None
    if assignment is not None:
        cells = rights_as_of(on, level_ids=[assignment.level_id], function_ids=[function.pk])
        cell = cells.get((assignment.level_id, function.pk))
    return _route(ccg, assignment, function, cell, on)


@dataclass(frozen=True)
class FunctionRouting:
    """Who decides one function, or, where the matrix had no cell for it, the problem in words."""

    function: Function
    routing: rules.Routing | None
    problem: str = ""


def routing_table(ccg: CCG, on: dt.date) -> list[FunctionRouting]:
    """Who decides each of the 14 functions for a CCG on a date (two queries with `with_levels`)."""
    assignment = level_on(ccg, on)
    cells = rights_as_of(on, level_ids=[assignment.level_id]) if assignment is not None else {}
    table = []
    for function in Function.objects.order_by("number"):
        cell = cells.get((assignment.level_id, function.pk)) if assignment is not None else None
        try:
            table.append(FunctionRouting(function, _route(ccg, assignment, function, cell, on)))
        except rules.MatrixCellMissing as missing:
            table.append(FunctionRouting(function, None, str(missing)))
    return table


def levels_of_scheme(scheme: LevelScheme | None) -> QuerySet[Level]:
    if scheme is None:
        return Level.objects.none()
    return scheme.levels.order_by("number")
