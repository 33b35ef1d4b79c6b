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
from functions.models import AreaTeamScheme, DecisionRight, Function, Level, LevelScheme


def with_levels(queryset: QuerySet[CCG]) -> QuerySet[CCG]:
    """CCGs with their area team, scheme and level history loaded in a fixed number of queries."""
    return queryset.select_related("area_team", "area_team__scheme_choice__scheme").prefetch_related(
        Prefetch(
            "level_assignments",
            queryset=LevelAssignment.objects.select_related("level").order_by("effective_from"),
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
        history = list(ccg.level_assignments.select_related("level").order_by("effective_from"))
    return history


def scheme_of(ccg: CCG) -> LevelScheme | None:
    """The level scheme a CCG's area team uses (no query after `with_levels`)."""
    try:
        return ccg.area_team.scheme_choice.scheme
    except AreaTeamScheme.DoesNotExist:
        return None


def level_on(ccg: CCG, on: dt.date) -> LevelAssignment | None:
    """The level assignment in force on a date, if any."""
    in_force = [a for a in level_history(ccg) if a.effective_from <= on]
    return in_force[-1] if in_force else None


def _periods(ccg: CCG) -> list[rules.LevelPeriod]:
    return [rules.LevelPeriod(a.level.number, a.effective_from) for a in level_history(ccg)]


def _rights_by_level(scheme: LevelScheme | None, function: Function) -> dict[int, rules.CellRight]:
    if scheme is None:
        return {}
    cells = DecisionRight.objects.filter(level__scheme=scheme, function=function).select_related("level")
    return {c.level.number: rules.CellRight(rules.Right(c.right), c.nhse_veto) for c in cells}


def routing_for(ccg: CCG, function: Function, on: dt.date) -> rules.Routing:
    """Who decides a function for a CCG on a date."""
    return rules.route(periods=_periods(ccg), rights=_rights_by_level(scheme_of(ccg), function), on=on)


@dataclass(frozen=True)
class FunctionRouting:
    function: Function
    routing: rules.Routing


def routing_table(ccg: CCG, on: dt.date) -> list[FunctionRouting]:
    """Who decides each of the 14 functions for a CCG on a date (two queries with `with_levels`)."""
    periods = _periods(ccg)
    period = rules.level_in_force(periods, on)
    scheme = scheme_of(ccg)
    cells: dict[int, rules.CellRight] = {}
    if period is not None and scheme is not None:
        for cell in DecisionRight.objects.filter(level__scheme=scheme, level__number=period.level_number):
            cells[cell.function_id] = rules.CellRight(rules.Right(cell.right), cell.nhse_veto)
    table = []
    for function in Function.objects.order_by("number"):
        rights = {period.level_number: cells[function.pk]} if period and function.pk in cells else {}
        table.append(FunctionRouting(function, rules.route(periods=periods, rights=rights, on=on)))
    return table


def levels_of_scheme(scheme: LevelScheme | None) -> QuerySet[Level]:
    if scheme is None:
        return Level.objects.none()
    return scheme.levels.order_by("number")
