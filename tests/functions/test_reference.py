"""The shipped defaults match DOMAIN.md, cell by cell, with a reason beside each."""

from __future__ import annotations

import pytest

from functions.choices import Right
from functions.models import DecisionRight, Function, Level
from functions.reference import greater_manchester_default, national_default
from tests.factories.functions import Reference, install_reference

CONTRACT = [1, 2, 3, 4, 8, 9, 10, 11]
SUPPORT = [5, 6, 12, 13, 14]


@pytest.mark.parametrize("function", CONTRACT)
def test_national_contract_functions_go_consulted_joint_delegated(function: int) -> None:
    assert [national_default(level, function)[0] for level in (1, 2, 3)] == [
        Right.CONSULTED,
        Right.JOINT,
        Right.DELEGATED,
    ]


@pytest.mark.parametrize("function", SUPPORT)
def test_national_support_functions_are_consulted_at_every_level(function: int) -> None:
    assert {national_default(level, function)[0] for level in (1, 2, 3)} == {Right.CONSULTED}


def test_complaints_are_retained_at_every_national_level() -> None:
    assert {national_default(level, 7)[0] for level in (1, 2, 3)} == {Right.RETAINED}


def test_greater_manchester_defaults() -> None:
    gm = {(level, f): greater_manchester_default(level, f)[0] for level in (1, 2, 3, 4) for f in range(1, 15)}
    assert gm[(1, 7)] == Right.RETAINED
    assert {gm[(1, f)] for f in range(1, 15) if f != 7} == {Right.CONSULTED}
    assert {gm[(2, f)] for f in CONTRACT} == {Right.JOINT}
    assert {gm[(2, f)] for f in [*SUPPORT, 7]} == {Right.CONSULTED}
    assert {gm[(3, f)] for f in (9, 10, 11)} == {Right.DELEGATED}
    assert {gm[(3, f)] for f in (1, 2, 3, 4, 8)} == {Right.JOINT}
    assert {gm[(4, f)] for f in (1, 3, 4, 5, 6, 9, 10, 11, 12, 13, 14)} == {Right.DELEGATED}
    assert {gm[(4, f)] for f in (2, 8)} == {Right.JOINT}
    assert gm[(4, 7)] == Right.CONSULTED


def test_every_default_carries_its_reasoning() -> None:
    for level in (1, 2, 3):
        for function in range(1, 15):
            assert national_default(level, function)[1]
    for level in (1, 2, 3, 4):
        for function in range(1, 15):
            assert greater_manchester_default(level, function)[1]


@pytest.mark.django_db
def test_installing_twice_leaves_one_full_matrix() -> None:
    install_reference()
    install_reference()
    assert Function.objects.count() == 14
    assert Level.objects.count() == 7
    assert DecisionRight.objects.count() == 7 * 14
    assert not DecisionRight.objects.filter(reasoning="").exists()


def test_installed_rows_have_history_by_the_system_account(reference: Reference) -> None:
    cell = DecisionRight.objects.get(level__scheme=reference.national, level__number=2, function__number=3)
    record = cell.history.get()
    assert record.history_user.username == "cocomm-system"
    assert record.history_change_reason == "NHS England defaults installed"
