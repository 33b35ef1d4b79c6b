"""A pack asked for while the broker is down: the page says it could not be queued, nothing 500s,
and the request waits in its row (the outbox) until a beat job sends it to a broker that answers."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assurance import services
from assurance.models import AssurancePack, PackStatus
from cocomm.audit import save_audited, system_user
from cocomm.celery import app
from tests.assurance.conftest import END, START, Scene
from tests.conftest import BROKER, _forget_connections

DOWN = "redis://127.0.0.1:1/0"  # nothing listens on port 1: every connection is refused

FORM = {
    "period_start_day": "1",
    "period_start_month": "4",
    "period_start_year": "2016",
    "period_end_day": "31",
    "period_end_month": "3",
    "period_end_year": "2017",
}


@pytest.fixture
def broker_down() -> Iterator[None]:
    saved = {key: app.conf.get(key) for key in ("broker_url", "result_backend", "task_always_eager")}
    _forget_connections()
    app.conf.update(broker_url=DOWN, result_backend=None, task_always_eager=False)
    try:
        yield
    finally:
        _forget_connections()
        app.conf.update(saved)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)  # the request commits, and its on-commit send really runs
def test_a_pack_asked_for_while_the_broker_is_down_waits_and_is_sent_when_it_answers(
    broker_down: None, scene: Scene
) -> None:
    officer = Client()
    officer.force_login(scene.officer)

    response = officer.post(reverse("pack-list", args=[scene.ccg.ods_code]), FORM)

    pack = AssurancePack.objects.get(ccg=scene.ccg)
    assert response.status_code == 302 and response["Location"] == reverse("pack-detail", args=[pack.pk])
    assert (pack.status, pack.sent_at) == (PackStatus.QUEUED, None)
    assert pack.waiting_for_broker
    assert [row.history_change_reason for row in pack.history.order_by("history_id")] == [
        "Assurance pack requested",
        "Assurance pack sent for generation",
        "Assurance pack could not be sent: broker unavailable",
    ]
    page = officer.get(response["Location"]).content.decode()
    assert "The pack could not be queued: the background service is not answering." in page
    assert "queued automatically as soon as the service answers again" in page
    assert "is being generated" not in page  # no "done" banner
    # Waiting for the broker is not a stall: hours later it is still queued, not failed.
    later = timezone.now() + dt.timedelta(hours=3)
    assert services.packs_fail_stalled(by=system_user(), now=later) == []
    # While the broker stays down the beat job sends nothing and keeps the pack waiting.
    assert services.packs_send_waiting(by=system_user(), now=later) == 0
    assert AssurancePack.objects.get(pk=pack.pk).waiting_for_broker

    # The broker answers again: the next run of the beat job sends the pack, and a worker makes it.
    _forget_connections()
    app.conf.update(broker_url=BROKER, result_backend=BROKER)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        assert services.packs_send_waiting(by=system_user(), now=later) == 1
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            pack.refresh_from_db()
            if pack.status in (PackStatus.READY, PackStatus.FAILED):
                break
            time.sleep(0.2)
    assert pack.status == PackStatus.READY, pack.error
    assert pack.sent_at is not None and pack.attempts == 1


@pytest.mark.django_db
def test_a_pack_just_asked_for_is_left_to_its_own_request(scene: Scene) -> None:
    pack = services.pack_request(ccg=scene.ccg, start=START, end=END, by=scene.officer)  # send not run yet

    assert services.packs_send_waiting(by=system_user()) == 0  # within the grace period

    assert AssurancePack.objects.get(pk=pack.pk).waiting_for_broker


@pytest.mark.django_db
def test_a_retry_while_the_broker_is_down_is_answered_on_the_page_and_waits(
    broker_down: None, scene: Scene, django_capture_on_commit_callbacks: Any
) -> None:
    # A pack whose task reached the broker but never started, marked failed by the stall detector.
    pack = services.pack_request(ccg=scene.ccg, start=START, end=END, by=scene.officer)
    pack.sent_at = timezone.now()
    save_audited(pack, by=system_user(), reason="Assurance pack sent for generation")
    [failed] = services.packs_fail_stalled(by=system_user(), now=timezone.now() + dt.timedelta(minutes=61))
    assert failed.pk == pack.pk and failed.status == PackStatus.FAILED
    officer = Client()
    officer.force_login(scene.officer)

    with django_capture_on_commit_callbacks(execute=True):  # the send after the commit, to a dead broker
        response = officer.post(reverse("pack-retry", args=[pack.pk]))

    assert response.status_code == 302
    pack.refresh_from_db()
    assert (pack.status, pack.sent_at, pack.error) == (PackStatus.QUEUED, None, "")
    page = officer.get(reverse("pack-detail", args=[pack.pk])).content.decode()
    assert "The pack could not be queued" in page and "is being generated again" not in page
