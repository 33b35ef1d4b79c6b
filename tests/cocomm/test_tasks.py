"""Celery tasks run by a real worker on a real Redis broker."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from cocomm import permissions, services
from cocomm.audit import system_user
from cocomm.models import CCG, Role, RoleKind, RoleStatus, User
from cocomm.tasks import roles_refresh_task
from tests.factories.cocomm import UserFactory


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_starts_a_scheduled_role_and_records_who_and_why(
    celery_worker: Any, level2_ccg: CCG
) -> None:
    user = UserFactory()
    with time_machine.travel(dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC), tick=False):
        role = services.role_grant(
            user=user,
            kind=RoleKind.GOVERNANCE_OFFICER,
            ccg=level2_ccg,
            starts_on=dt.date(2026, 2, 1),
            by=system_user(),
            reason="Appointed from February",
        )
    assert role.status == RoleStatus.SCHEDULED

    started = roles_refresh_task.delay().get(timeout=30)

    assert started == [role.pk]
    role.refresh_from_db()
    assert role.status == RoleStatus.ACTIVE
    assert permissions.can_change_ccg(User.objects.get(pk=user.pk), level2_ccg)
    latest = role.history.latest()
    assert latest.history_user == system_user()
    assert latest.history_change_reason == "Role reached its start date"
    # Run again: nothing more happens and no new history row is written.
    assert roles_refresh_task.delay().get(timeout=30) == []
    assert Role.objects.get(pk=role.pk).history.count() == 2
