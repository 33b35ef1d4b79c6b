"""Shared fixtures: reference data, CCGs with schemes and levels, and users in each role."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from kombu import pools as kombu_pools

from cocomm import services
from cocomm.audit import system_user
from cocomm.celery import app
from cocomm.models import CCG, AreaTeam, RoleKind, User
from tests.factories.cocomm import AreaTeamFactory, CCGFactory, UserFactory
from tests.factories.delegation import give_level
from tests.factories.functions import Reference, install_reference

APRIL_2015 = dt.date(2015, 4, 1)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """Install the reference data once; each test's transaction rolls back over it."""
    with django_db_blocker.unblock():
        install_reference()


@pytest.fixture
def reference(db: None) -> Reference:
    # Idempotent: a handful of reads when present, a full install after a transactional flush.
    return install_reference()


@pytest.fixture
def national_area(reference: Reference) -> AreaTeam:
    area = AreaTeamFactory(name="NHS England Lancashire")
    reference.use_scheme(area, reference.national)
    return area


@pytest.fixture
def other_national_area(reference: Reference) -> AreaTeam:
    area = AreaTeamFactory(name="NHS England (London region)")
    reference.use_scheme(area, reference.national)
    return area


@pytest.fixture
def level2_ccg(national_area: AreaTeam) -> CCG:
    ccg = CCGFactory(area_team=national_area, name="NHS Lancashire North CCG")
    give_level(ccg, 2, APRIL_2015)
    return ccg


@pytest.fixture
def other_ccg(other_national_area: AreaTeam) -> CCG:
    ccg = CCGFactory(area_team=other_national_area, name="NHS Camden CCG")
    give_level(ccg, 2, APRIL_2015)
    return ccg


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    """Make a user holding one role: make_user(RoleKind.GOVERNANCE_OFFICER, ccg=...)."""

    def make(kind: str | None = None, *, ccg: CCG | None = None, area_team: AreaTeam | None = None) -> User:
        user = UserFactory()
        if kind is not None:
            services.role_grant(
                user=user, kind=kind, ccg=ccg, area_team=area_team, by=system_user(), reason="Test data"
            )
        return user

    return make


@pytest.fixture
def administrator(make_user: Callable[..., User]) -> User:
    return make_user(RoleKind.SYSTEM_ADMINISTRATOR)


BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def celery_broker() -> Iterator[None]:
    """Tasks go to Redis instead of running in-process, for the length of one test."""
    saved = {key: app.conf.get(key) for key in ("broker_url", "result_backend", "task_always_eager")}
    _forget_connections()
    app.conf.update(broker_url=BROKER, result_backend=BROKER, task_always_eager=False)
    try:
        yield
    finally:
        app.conf.update(saved)


@pytest.fixture
def celery_worker(celery_broker: None) -> Iterator[Any]:
    """A worker thread consuming from Redis (see `celery_broker`), for the length of one test."""
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20) as worker:
        yield worker


def _forget_connections() -> None:
    # Tasks run in-process earlier in the session leave the app's broker pool and result backend
    # bound to "no broker"; drop them so the next use connects to what the settings now say.
    kombu_pools.reset()  # kombu keeps producer and connection pools per broker URL, process-wide
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)
