"""Shared fixtures: reference data, CCGs with schemes and levels, and users in each role."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

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


# ---- The test database --------------------------------------------------------------------------
# A plain run migrates its own test database, as pytest-django does. A parallel run (pytest-xdist,
# `make test`) migrates one database first, in the controlling process, with the reference data
# in it; each worker then starts from a copy of it (CREATE DATABASE ... TEMPLATE), a fraction of a
# second instead of every migration again in every worker. Each copy is still brought up to date
# by `migrate` (nothing to apply, but its post_migrate steps, the history guards among them, run
# on the copy) and dropped when the worker ends.

TEMPLATE_DATABASE = "cocomm_template_database"


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    config = session.config
    if not config.pluginmanager.has_plugin("dsession"):  # not the controller of an xdist run
        return
    from django.db import connection, connections
    from pytest_django.plugin import blocking_manager_key

    test_settings = connection.settings_dict["TEST"]
    # Named apart from the database of a plain run, which may be under way beside this one.
    test_settings["NAME"] = (
        f"{test_settings.get('NAME') or 'test_' + connection.settings_dict['NAME']}_template"
    )
    with config.stash[blocking_manager_key].unblock():
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        install_reference()
        config.stash[_template_key] = connection.settings_dict["NAME"]
        connections.close_all()  # a database being copied must have no one connected to it


_template_key = pytest.StashKey[str]()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Tell each xdist worker which database to copy (an xdist hook, run in the controller)."""
    node.workerinput[TEMPLATE_DATABASE] = node.config.stash[_template_key]


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    if _template_key not in config.stash:
        return
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    with config.stash[blocking_manager_key].unblock(), connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(config.stash[_template_key])}")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # schemathesis names each API operation's test after the operation ("test_x[GET /api/v1/...]")
    # but, with pytest 9, gives them all the node id of the undecorated function. pytest-xdist
    # schedules a file's tests by node id (--dist loadfile) and would run only the first of them, so
    # each gets its operation as the parameter of its node id, as a parametrised test has.
    for item in items:
        label, node_id = getattr(item, "operation_label", None), getattr(item, "_id", None)
        if label and node_id is not None and node_id.params is None:
            item._id = node_id.with_params(label)


def _template_for(config: pytest.Config) -> str | None:
    return getattr(config, "workerinput", {}).get(TEMPLATE_DATABASE)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings: None, request: pytest.FixtureRequest, django_db_blocker: Any
) -> None:
    """In an xdist worker, its database (named with the worker's suffix) as a copy of the template."""
    template = _template_for(request.config)
    if template is None:
        return
    from django.db import connection

    quote = connection.ops.quote_name
    name = connection.settings_dict["TEST"]["NAME"]  # e.g. test_cocomm_gw0, set by pytest-django
    with django_db_blocker.unblock(), connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)")  # left by a killed run
        cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template)}")


@pytest.fixture(scope="session")
def django_db_keepdb(django_db_keepdb: bool, request: pytest.FixtureRequest) -> bool:
    # The worker's copy exists already: pytest-django is to migrate it, not make a new one.
    return django_db_keepdb or _template_for(request.config) is not None


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup: None, django_db_blocker: Any, request: pytest.FixtureRequest
) -> Iterator[None]:
    """Install the reference data once; each test's transaction rolls back over it."""
    with django_db_blocker.unblock():
        install_reference()
    yield
    if _template_for(request.config) is not None:  # kept by pytest-django (see django_db_keepdb)
        from django.db import connection, connections

        name = connection.settings_dict["NAME"]
        connections.close_all()
        with django_db_blocker.unblock(), connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)")


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


def broker_for_this_process(base: str, worker: str | None) -> str:
    """The Redis database this test process uses as its Celery broker and result store.

    Under pytest-xdist each worker process (gw0, gw1, ...) runs its own Celery workers; were they to
    share one Redis database they would take each other's tasks, and a worker that redelivers
    unacknowledged messages (see test_worker_killed) would redeliver the other process's too. So
    worker gwN uses the database N below the one CELERY_TEST_BROKER_URL names (15, 14, 13, ... by
    default). A run without xdist uses that database itself.
    """
    if not worker:
        return base
    parsed = urlsplit(base)
    number = int(parsed.path.strip("/") or 0) - int(worker.removeprefix("gw"))
    if number < 0:
        raise pytest.UsageError(
            f"CELERY_TEST_BROKER_URL ({base}) leaves no Redis database for xdist worker {worker}: "
            "each worker takes the next lower database number, so name a higher one (15 by default)."
        )
    return urlunsplit(parsed._replace(path=f"/{number}"))


BROKER = broker_for_this_process(
    os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15"),
    os.environ.get("PYTEST_XDIST_WORKER"),
)


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
