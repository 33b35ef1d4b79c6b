"""Reads of the reference data shared by pages, the API and packs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, F, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils import timezone

from functions.models import DecisionRight, Function, Level, LevelScheme


def functions_all() -> QuerySet[Function]:
    return Function.objects.order_by("number")


def levels_all() -> QuerySet[Level]:
    return Level.objects.select_related("scheme").order_by("scheme__name", "number")


def schemes_all() -> QuerySet[LevelScheme]:
    return LevelScheme.objects.order_by("name")


@dataclass(frozen=True)
class MatrixRow:
    function: Function
    cells: list[DecisionRight]


@dataclass(frozen=True)
class Matrix:
    scheme: LevelScheme
    levels: list[Level]
    rows: list[MatrixRow]


def matrix_for(scheme: LevelScheme, on: dt.date | None = None) -> Matrix:
    """The decision-rights matrix of a scheme, as it stands or as it stood at the end of a date: one
    row per function, one cell per level (3 queries)."""
    levels = list(scheme.levels.order_by("number"))
    by_key: dict[tuple[int, int], DecisionRight]
    if on is None:
        cells = DecisionRight.objects.filter(level__scheme=scheme).select_related("level", "function")
        by_key = {(c.function_id, c.level_id): c for c in cells}
    else:
        # Unsaved cells carrying the values of the day, so pages read them as they read today's.
        by_level = {level.pk: level for level in levels}
        by_key = {
            (function_id, level_id): DecisionRight(
                level=by_level[level_id], function_id=function_id, right=cell.right, nhse_veto=cell.nhse_veto
            )
            for (level_id, function_id), cell in rights_as_of(on, level_ids=list(by_level)).items()
        }
    rows = []
    for function in functions_all():
        row_cells = [by_key[(function.pk, level.pk)] for level in levels if (function.pk, level.pk) in by_key]
        rows.append(MatrixRow(function=function, cells=row_cells))
    return Matrix(scheme=scheme, levels=levels, rows=rows)


def scheme_get(code: str) -> LevelScheme:
    """One level scheme by its code; 404 when there is none."""
    scheme = LevelScheme.objects.filter(code=code).first()
    if scheme is None:
        raise Http404("No such level scheme.")
    return scheme


def decision_right_get(pk: int) -> DecisionRight:
    """One cell of the matrix, with its level, scheme and function; 404 when there is none."""
    cell = DecisionRight.objects.select_related("level__scheme", "function").filter(pk=pk).first()
    if cell is None:
        raise Http404("No such decision right.")
    return cell


# The matrix as it stood on a date ---------------------------------------------------------------------


@dataclass(frozen=True)
class CellAsOf:
    """One cell of the decision-rights matrix as it stood on a date."""

    level_id: int
    function_id: int
    right: str
    nhse_veto: bool


def _end_of(on: dt.date) -> dt.datetime:
    # The first moment after the date, in the app's time zone: a change made during the day counts.
    last = min(on, dt.date.max - dt.timedelta(days=1))
    next_day = last + dt.timedelta(days=1)
    return dt.datetime.combine(next_day, dt.time.min, tzinfo=timezone.get_current_timezone())


def rights_as_of(
    on: dt.date, *, level_ids: Iterable[int], function_ids: Iterable[int] | None = None
) -> dict[tuple[int, int], CellAsOf]:
    """The matrix cells of some levels (and functions) as they stood at the end of a date (one query).

    Read from the cells' history: each (level, function) takes its last version recorded by the end of
    the day, so a later change never rewrites an earlier date, and a cell deleted by then is missing.
    A cell first recorded after the date (the matrix was entered after the fact, or a gap was filled
    later) reads as first recorded: there was no other answer for that date.
    """
    history = DecisionRight.history.model.objects.filter(level_id__in=list(level_ids))
    if function_ids is not None:
        history = history.filter(function_id__in=list(function_ids))
    recorded_by_then = Q(history_date__lt=_end_of(on))
    # Per cell: versions recorded by then, the latest first; failing those, the first ever recorded.
    # A window rather than DISTINCT ON, so the local demo's SQLite answers the same way.
    first_for_the_date = Window(
        RowNumber(),
        partition_by=[F("level_id"), F("function_id")],
        order_by=[
            Case(When(recorded_by_then, then=Value(0)), default=Value(1)).asc(),
            Case(When(recorded_by_then, then=F("history_date")), default=None).desc(nulls_last=True),
            Case(When(recorded_by_then, then=F("history_id")), default=None).desc(nulls_last=True),
            F("history_date").asc(),
            F("history_id").asc(),
        ],
    )
    rows = (
        history.annotate(rank=first_for_the_date)
        .filter(rank=1)
        .values_list("level_id", "function_id", "right", "nhse_veto", "history_type")
    )
    return {
        (level_id, function_id): CellAsOf(level_id, function_id, right, nhse_veto)
        for level_id, function_id, right, nhse_veto, kind in rows
        if kind != "-"  # deleted by then
    }
