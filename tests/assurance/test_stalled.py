"""Packs whose generation stalled (a worker killed mid-render, a lost message) are marked failed."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from assurance import services
from assurance.models import AssurancePack, PackStatus
from assurance.tasks import packs_fail_stalled_task
from cocomm.audit import save_audited, system_user
from tests.assurance.conftest import END, START, Scene


def queued(scene: Scene) -> AssurancePack:
    """A requested pack whose task has not run (the on-commit callback is not executed here)."""
    return services.pack_request(ccg=scene.ccg, start=START, end=END, by=scene.officer)


def started(pack: AssurancePack, minutes_ago: int) -> AssurancePack:
    """The pack as a worker leaves it when it dies after starting the render."""
    pack.move(PackStatus.GENERATING)
    pack.started_at = timezone.now() - dt.timedelta(minutes=minutes_ago)
    save_audited(pack, by=system_user(), reason="Assurance pack generation started")
    return pack


@pytest.mark.django_db
def test_a_pack_generating_for_too_long_is_marked_failed_and_can_be_retried(
    scene: Scene, django_capture_on_commit_callbacks: Any
) -> None:
    stalled = started(queued(scene), minutes_ago=16)

    assert packs_fail_stalled_task.apply().get() == 1

    stalled.refresh_from_db()
    assert stalled.status == PackStatus.FAILED
    assert stalled.error == "Generation did not finish within 15 minutes; retry to generate it again."
    row = stalled.history.latest()
    assert (row.history_user, row.history_change_reason) == (
        system_user(),
        "Assurance pack generation timed out",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.pack_retry(pack=stalled, by=scene.officer)
    stalled.refresh_from_db()
    assert stalled.status == PackStatus.READY and stalled.started_at is not None


@pytest.mark.django_db
def test_packs_within_their_time_are_left_alone(scene: Scene) -> None:
    recent = started(queued(scene), minutes_ago=14)
    waiting = queued(scene)
    waiting.sent_at = timezone.now()  # its task reached the broker, but no worker took it
    save_audited(waiting, by=system_user(), reason="Assurance pack sent for generation")
    unsent = queued(scene)  # its task never reached the broker: it waits to be sent, never stalls

    assert services.packs_fail_stalled(by=system_user()) == []

    assert AssurancePack.objects.get(pk=recent.pk).status == PackStatus.GENERATING
    assert AssurancePack.objects.get(pk=waiting.pk).status == PackStatus.QUEUED
    # An hour and a minute later the queued one has stalled too (its task never ran).
    later = timezone.now() + dt.timedelta(minutes=61)
    assert {p.pk for p in services.packs_fail_stalled(by=system_user(), now=later)} == {recent.pk, waiting.pk}
    assert AssurancePack.objects.get(pk=waiting.pk).error.startswith("Generation did not start within 60")
    assert AssurancePack.objects.get(pk=unsent.pk).waiting_for_broker


@pytest.mark.django_db(transaction=True)
def test_a_pack_being_rendered_right_now_is_skipped(scene: Scene) -> None:
    # Made directly: in a committed transaction a requested pack's task would run at once.
    pack = AssurancePack(
        ccg=scene.ccg,
        period_start=START,
        period_end=END,
        version=1,
        status=PackStatus.GENERATING,
        data_as_of=timezone.now(),
        started_at=timezone.now() - dt.timedelta(minutes=30),
        requested_by=scene.officer,
    )
    save_audited(pack, by=system_user(), reason="Assurance pack generation started")
    locked, release = threading.Event(), threading.Event()

    def render_in_another_worker() -> None:
        try:
            with transaction.atomic():
                AssurancePack.objects.select_for_update().get(pk=pack.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    worker = threading.Thread(target=render_in_another_worker)
    worker.start()
    try:
        assert locked.wait(timeout=30)
        assert services.packs_fail_stalled(by=system_user()) == []
        assert AssurancePack.objects.get(pk=pack.pk).status == PackStatus.GENERATING
    finally:
        release.set()
        worker.join()
    assert [p.pk for p in services.packs_fail_stalled(by=system_user())] == [pack.pk]


@pytest.mark.django_db
def test_a_redelivered_task_restarts_a_pack_its_lost_worker_left_generating(scene: Scene) -> None:
    lost = started(queued(scene), minutes_ago=12)  # the worker died mid-render; no one holds the row
    lost.attempts = 1
    save_audited(lost, by=system_user(), reason="Assurance pack generation started")
    before = timezone.now()

    pack = services.pack_generate(pack_id=lost.pk, by=system_user())

    assert pack.status == PackStatus.READY and pack.file and pack.attempts == 2
    assert pack.started_at is not None and pack.started_at >= before  # the stall clock started again
    reasons = [row.history_change_reason for row in pack.history.order_by("history_id")]
    assert reasons[-2:] == [
        "Assurance pack generation restarted after an interruption",
        "Assurance pack generated",
    ]


@pytest.mark.django_db
def test_a_pack_interrupted_too_often_is_failed_instead_of_started_again(scene: Scene, settings: Any) -> None:
    settings.ASSURANCE_PACK_MAX_ATTEMPTS = 3
    lost = started(queued(scene), minutes_ago=12)
    lost.attempts = 3
    save_audited(lost, by=system_user(), reason="Assurance pack generation restarted after an interruption")

    pack = services.pack_generate(pack_id=lost.pk, by=system_user())

    assert pack.status == PackStatus.FAILED and not pack.file
    assert (
        pack.error == "Generation was interrupted 3 times (the worker stopped); retry to generate it again."
    )
