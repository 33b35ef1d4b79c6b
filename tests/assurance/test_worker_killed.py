"""A worker killed while rendering a pack: the task is delivered again (late acknowledgement, the
Redis visibility timeout), a second worker finishes it, and the pack ends ready with its file.

Real worker processes (`celery -A … worker`, prefork) on the test broker and the test database; the
first is killed outright (SIGKILL to its process group, the pool child with it) at a known point of
the render. The visibility timeout is a few seconds here; production sets it just above the pack
task's hard time limit (`CELERY_VISIBILITY_TIMEOUT`).
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from assurance import services
from assurance.models import AssurancePack, PackStatus
from cocomm.celery import app
from tests.assurance.conftest import END, START, Scene
from tests.conftest import BROKER

ROOT = Path(settings.BASE_DIR)


def worker_env(**extra: str) -> dict[str, str]:
    """The environment of a worker process: the test database, the test broker, the test media."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cocomm.settings",
        "DATABASE_URL": f"{url}/{db['NAME']}",  # the test database, named by pytest-django
        "CELERY_BROKER_URL": BROKER,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    env.update(extra)
    return env


@pytest.fixture
def start_worker_process(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Start `celery worker` processes, each in its own process group; all are killed at the end."""
    started: list[subprocess.Popen[bytes]] = []

    def start(name: str, app_module: str, **env: str) -> subprocess.Popen[bytes]:
        log = (tmp_path / f"{name}.log").open("wb")
        command = [
            sys.executable, "-m", "celery", "-A", app_module, "worker", "--pool", "prefork",
            "--concurrency", "1", "--hostname", f"{name}@%h", "--without-gossip", "--without-mingle",
            "--loglevel", "INFO",
        ]  # fmt: skip
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=worker_env(**env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"Gave up waiting for {what}")
        time.sleep(0.25)


@pytest.mark.celery_worker
@pytest.mark.timeout(300)
@pytest.mark.django_db(transaction=True)  # the worker processes see only committed rows
def test_a_worker_killed_mid_pack_has_its_task_delivered_again_and_the_pack_ends_ready(
    celery_broker: None,
    scene: Scene,
    start_worker_process: Callable[..., subprocess.Popen[bytes]],
    tmp_path: Path,
) -> None:
    app.control.purge()  # nothing left over from earlier runs on this broker
    marker = tmp_path / "rendering"
    pack = services.pack_request(ccg=scene.ccg, start=START, end=END, by=scene.officer)  # sent on commit
    pack.refresh_from_db()
    assert pack.status == PackStatus.QUEUED and pack.sent_at is not None

    # The first worker takes the task and is held inside the render, the pack row locked.
    first = start_worker_process(
        "first", "tests.assurance.held_worker", PACK_HOLD_MARKER=str(marker), CELERY_VISIBILITY_TIMEOUT="3600"
    )
    wait_for(marker.exists, 120, "the first worker to start rendering")
    pack.refresh_from_db()
    assert (pack.status, pack.attempts, pack.sha256) == (PackStatus.GENERATING, 1, "")

    os.killpg(first.pid, signal.SIGKILL)  # the worker and its pool child, with no chance to clean up
    first.wait(timeout=30)
    pack.refresh_from_db()
    assert pack.status == PackStatus.GENERATING and not pack.file  # nothing half-written

    # A second worker, seeing the message unacknowledged for longer than the visibility timeout,
    # delivers it again and runs it.
    start_worker_process(
        "second", "cocomm", CELERY_VISIBILITY_TIMEOUT="5", CELERY_UNACKED_RESTORE_INTERVAL="1"
    )

    def settled() -> bool:
        pack.refresh_from_db()
        return pack.status in (PackStatus.READY, PackStatus.FAILED)

    wait_for(settled, 150, "the redelivered task to finish the pack")
    assert pack.status == PackStatus.READY, pack.error
    assert pack.attempts == 2
    stored = pack.file.read()
    assert hashlib.sha256(stored).hexdigest() == pack.sha256
    assert stored == services.pack_render(AssurancePack.objects.get(pk=pack.pk))[0]  # the whole pack
    reasons = [row.history_change_reason for row in pack.history.order_by("history_id")]
    assert reasons[-3:] == [
        "Assurance pack generation started",
        "Assurance pack generation restarted after an interruption",
        "Assurance pack generated",
    ]


def test_the_limits_are_in_order_so_redelivery_and_the_stall_check_do_not_fight() -> None:
    from assurance.tasks import pack_generate_task

    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    visibility, sweep = options["visibility_timeout"], options["unacked_restore_interval"]
    # Late acknowledgement, and a lost worker's task given back: the task is never dropped.
    assert pack_generate_task.acks_late and pack_generate_task.reject_on_worker_lost
    assert pack_generate_task.soft_time_limit == settings.ASSURANCE_PACK_SOFT_TIME_LIMIT
    assert pack_generate_task.time_limit == settings.ASSURANCE_PACK_TIME_LIMIT
    # Redelivered only once a live run would have finished or been killed, but within minutes.
    assert settings.ASSURANCE_PACK_SOFT_TIME_LIMIT < settings.ASSURANCE_PACK_TIME_LIMIT < visibility
    assert visibility <= settings.ASSURANCE_PACK_TIME_LIMIT + 120
    # The redelivered run restarts the pack before the stall check would call the lost one failed.
    assert visibility + sweep < settings.ASSURANCE_PACK_FINISH_WITHIN.total_seconds()
    assert (
        options["visibility_timeout"]
        == settings.CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS["visibility_timeout"]
    )
