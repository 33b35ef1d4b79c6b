"""A declaration campaign's e-mails, sent by a real Celery worker through Redis (captured, not sent)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from cocomm.audit import system_user
from cocomm.models import CCG, RoleKind
from conflicts import services
from conflicts.models import CampaignRecipient
from conflicts.tasks import campaign_reminders_task
from tests.factories.committees import pccc
from tests.factories.delegation import give_level


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_campaign_invites_everyone_then_reminds_those_who_have_not_answered(
    celery_worker: Any, level2_ccg: CCG, make_user: Any
) -> None:
    give_level(level2_ccg, 3, dt.date(2016, 4, 1))
    board = pccc(level2_ccg)
    officer = make_user(RoleKind.GOVERNANCE_OFFICER, ccg=level2_ccg)
    mail.outbox.clear()
    deadline = timezone.localdate() + dt.timedelta(days=7)

    campaign = services.campaign_open(
        ccg=level2_ccg, title="Annual declarations 2026", deadline=deadline, by=officer
    )

    recipients = CampaignRecipient.objects.filter(campaign=campaign)
    assert recipients.count() == len(board.members) == 7
    _wait_for(lambda: recipients.filter(invited_at__isnull=True).count() == 0)
    assert len(mail.outbox) == 7
    assert mail.outbox[0].subject.startswith("Annual declarations 2026: please declare your interests by")

    services.declaration_make(
        ccg=level2_ccg,
        person=board.person("gp_one"),
        position="GP member",
        nil_return=True,
        by=board.user("gp_one"),
    )
    mail.outbox.clear()
    assert campaign_reminders_task.delay().get(timeout=30) == 6  # a week before: everyone but gp_one
    assert {m.to[0] for m in mail.outbox} == {board.person(k).email for k in board.members if k != "gp_one"}
    assert campaign_reminders_task.delay().get(timeout=30) == 0  # the same day again: nothing twice

    row = recipients.get(person=board.person("lay_member")).history.latest()
    assert (row.history_user, row.history_change_reason) == (
        system_user(),
        "Reminder e-mailed, 7 days before the deadline",
    )
    with time_machine.travel(timezone.now() + dt.timedelta(days=3)):
        assert services.campaign_reminders() == 0  # between reminders


def _wait_for(condition: Any, seconds: float = 20) -> None:
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("the worker did not finish in time")
