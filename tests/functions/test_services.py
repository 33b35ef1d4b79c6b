"""Changing the decision-rights matrix: administrators only, every change in its history."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cocomm.history import history_entries
from cocomm.models import CCG, RoleKind, User
from functions.choices import Right
from functions.models import DecisionRight
from functions.services import decision_right_change
from tests.factories.functions import Reference

pytestmark = pytest.mark.django_db


def _cell(reference: Reference, level: int, function: int) -> DecisionRight:
    return DecisionRight.objects.get(
        level=reference.level(reference.national, level), function__number=function
    )


def test_an_administrator_changes_a_cell_and_the_history_shows_old_new_who_and_why(
    administrator: User, reference: Reference
) -> None:
    cell = _cell(reference, 2, 13)
    decision_right_change(
        decision_right=cell,
        right=Right.JOINT,
        nhse_veto=False,
        reasoning="Estates decided jointly in NCL",
        by=administrator,
        reason="Joint committee now covers estates",
    )
    cell.refresh_from_db()
    assert cell.right == Right.JOINT
    latest = history_entries(cell.history.all())[0]
    assert latest.who == administrator
    assert latest.reason == "Joint committee now covers estates"
    assert ("Right", "Consulted", "Joint with NHS England") in [
        (c.field, c.old, c.new) for c in latest.changes
    ]


def test_others_may_not_change_the_matrix(
    make_user: Callable[..., User], level2_ccg: CCG, reference: Reference
) -> None:
    officer = make_user(RoleKind.GOVERNANCE_OFFICER, ccg=level2_ccg)
    cell = _cell(reference, 3, 1)
    with pytest.raises(PermissionDenied):
        decision_right_change(
            decision_right=cell, right=Right.RETAINED, nhse_veto=False, reasoning="", by=officer, reason="No"
        )
    cell.refresh_from_db()
    assert cell.right == Right.DELEGATED


def test_an_unknown_right_is_refused(administrator: User, reference: Reference) -> None:
    with pytest.raises(ValidationError):
        decision_right_change(
            decision_right=_cell(reference, 1, 1),
            right="sometimes",
            nhse_veto=False,
            reasoning="",
            by=administrator,
            reason="Typo",
        )
    assert _cell(reference, 1, 1).right == Right.CONSULTED
