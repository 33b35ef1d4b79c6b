"""Recording levels: validated against the CCG's scheme, one per date, administrators only, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cocomm.models import CCG, RoleKind, User
from delegation.models import LevelAssignment
from delegation.services import level_assignment_record, level_assignment_withdraw
from tests.factories.cocomm import AreaTeamFactory, CCGFactory
from tests.factories.functions import Reference

pytestmark = pytest.mark.django_db
APRIL_2016 = dt.date(2016, 4, 1)


def test_recording_a_level_is_audited(administrator: User, level2_ccg: CCG, reference: Reference) -> None:
    assignment = level_assignment_record(
        ccg=level2_ccg,
        level=reference.level(reference.national, 3),
        effective_from=APRIL_2016,
        note="NHS England letter of 10 March 2016",
        by=administrator,
        reason="Delegation approved",
    )
    record = assignment.history.get()
    assert (record.history_user, record.history_change_reason) == (administrator, "Delegation approved")


def test_a_level_from_another_scheme_is_refused(
    administrator: User, level2_ccg: CCG, reference: Reference
) -> None:
    with pytest.raises(ValidationError) as error:
        level_assignment_record(
            ccg=level2_ccg,
            level=reference.level(reference.greater_manchester, 4),
            effective_from=APRIL_2016,
            by=administrator,
            reason="Wrong scheme",
        )
    assert "level" in error.value.message_dict
    assert level2_ccg.level_assignments.count() == 1


def test_two_levels_on_one_date_are_refused_with_a_clear_message(
    administrator: User, level2_ccg: CCG, reference: Reference
) -> None:
    with pytest.raises(ValidationError) as error:
        level_assignment_record(
            ccg=level2_ccg,
            level=reference.level(reference.national, 3),
            effective_from=dt.date(2015, 4, 1),
            by=administrator,
            reason="Clash",
        )
    assert "already has a level" in error.value.message_dict["effective_from"][0]


def test_a_ccg_whose_area_has_no_scheme_cannot_take_a_level(
    administrator: User, reference: Reference
) -> None:
    ccg = CCGFactory(area_team=AreaTeamFactory())
    with pytest.raises(ValidationError, match="no level scheme"):
        level_assignment_record(
            ccg=ccg,
            level=reference.level(reference.national, 1),
            effective_from=APRIL_2016,
            by=administrator,
            reason="No scheme",
        )


def test_a_governance_officer_cannot_record_their_own_level(
    make_user: Callable[..., User], level2_ccg: CCG, reference: Reference
) -> None:
    officer = make_user(RoleKind.GOVERNANCE_OFFICER, ccg=level2_ccg)
    with pytest.raises(PermissionDenied):
        level_assignment_record(
            ccg=level2_ccg,
            level=reference.level(reference.national, 3),
            effective_from=APRIL_2016,
            by=officer,
            reason="We decided",
        )


def test_withdrawing_a_level_keeps_it_in_history(administrator: User, level2_ccg: CCG) -> None:
    assignment = level2_ccg.level_assignments.get()
    level_assignment_withdraw(assignment=assignment, by=administrator, reason="Recorded in error")
    assert not LevelAssignment.objects.filter(ccg=level2_ccg).exists()
    deleted = LevelAssignment.history.filter(ccg_id=level2_ccg.pk).latest()
    assert (deleted.history_type, deleted.history_user) == ("-", administrator)
    assert deleted.history_change_reason == "Recorded in error"
