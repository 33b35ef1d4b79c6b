"""Reads of the reference data shared by pages, the API and packs."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

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


def matrix_for(scheme: LevelScheme) -> Matrix:
    """The decision-rights matrix of a scheme: one row per function, one cell per level (3 queries)."""
    levels = list(scheme.levels.order_by("number"))
    cells = DecisionRight.objects.filter(level__scheme=scheme).select_related("level", "function")
    by_key = {(c.function_id, c.level_id): c for c in cells}
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
