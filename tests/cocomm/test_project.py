"""The project as a whole: production settings that fail closed, the local run's key, a fresh SQLite
run, the layering of the apps."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from cocomm.settings import local_secret_key

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, env: dict[str, str], timeout: int = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _clean_env(**extra: str) -> dict[str, str]:
    """The test process's environment without what the settings read, plus `extra`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "cocomm.settings"
    env.update(extra)
    return env


# A local run as the tests make it: DEBUG on, with a key given so that no key file is written here.
LOCAL = {"DEBUG": "true", "SECRET_KEY": "a-key-for-local-runs-in-the-tests-0123456789"}


def test_production_settings_pass_the_deployment_check_with_no_warning() -> None:
    env = _clean_env(
        DEBUG="false",
        SECRET_KEY="k" * 20 + "a-long-random-production-secret-key-0123456789",
        ALLOWED_HOSTS="cocomm.example.nhs.uk",
        DATABASE_URL="postgres://cocomm@127.0.0.1:5432/cocomm",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )
    result = _manage("check", "--deploy", "--fail-level", "DEBUG", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = _manage("check", env=_clean_env(DEBUG="false", ALLOWED_HOSTS="x"))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_with_neither_debug_nor_a_secret_key_set_the_app_refuses_to_start() -> None:
    # DEBUG unset means off (production), and production has no key to fall back on.
    check = _manage("check", env=_clean_env(ALLOWED_HOSTS="cocomm.example.nhs.uk"))
    assert check.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured: SECRET_KEY must be set when DEBUG is off" in (
        check.stderr
    )
    assert "set DEBUG=true" in check.stderr
    # gunicorn's way in, and a Celery worker, refuse the same way.
    for start in (["-c", "import cocomm.wsgi"], ["-m", "celery", "-A", "cocomm", "worker", "--pool", "solo"]):
        result = subprocess.run(
            [sys.executable, *start], cwd=ROOT, env=_clean_env(), capture_output=True, text=True, timeout=120
        )
        assert result.returncode != 0, start
        assert "SECRET_KEY must be set when DEBUG is off" in result.stderr, start


def _settings_value(name: str, **env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings; print(settings.{name})"],
        cwd=ROOT,
        env=_clean_env(**env),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("debug", [None, "", "false", "0", "no", "ture", "debug"])
def test_debug_is_off_unless_it_is_set_to_true(debug: str | None) -> None:
    env = {"SECRET_KEY": LOCAL["SECRET_KEY"]} | ({} if debug is None else {"DEBUG": debug})
    assert _settings_value("DEBUG", **env) == "False"


@pytest.mark.parametrize("debug", ["true", "True", "1", "yes", "on"])
def test_debug_is_on_when_set_to_true(debug: str) -> None:
    assert _settings_value("DEBUG", DEBUG=debug, SECRET_KEY=LOCAL["SECRET_KEY"]) == "True"


def test_the_trusted_proxy_count_comes_from_the_environment() -> None:
    assert _settings_value("TRUSTED_PROXY_COUNT", **LOCAL) == "0"  # no proxy trusted unless told
    assert _settings_value("TRUSTED_PROXY_COUNT", TRUSTED_PROXY_COUNT="2", **LOCAL) == "2"
    assert _settings_value("AXES_CLIENT_IP_CALLABLE", **LOCAL) == "cocomm.client_address.client_ip_address"
    for bad in ("one", "-1", "1.5"):
        result = subprocess.run(
            [sys.executable, "-c", "import cocomm.settings"],
            cwd=ROOT,
            env=_clean_env(TRUSTED_PROXY_COUNT=bad, **LOCAL),
            capture_output=True,
            text=True,
        )
        assert result.returncode != 0
        assert f"TRUSTED_PROXY_COUNT must be a whole number (0 or more), not {bad!r}." in result.stderr


def test_a_local_run_generates_its_key_once_and_reuses_it(tmp_path: Path) -> None:
    # The project's settings module, copied on its own into a scratch project, so that its var/ is a
    # scratch folder: each start is a new process, as `make run` starts its commands.
    (tmp_path / "cocomm").mkdir()
    (tmp_path / "cocomm" / "__init__.py").write_text("")
    shutil.copy(ROOT / "cocomm" / "settings.py", tmp_path / "cocomm" / "settings.py")
    key_file = tmp_path / "var" / "secret_key"

    def start() -> str:
        result = subprocess.run(
            [sys.executable, "-c", "import cocomm.settings as s; print(s.SECRET_KEY)"],
            cwd=tmp_path,
            env=_clean_env(DEBUG="true"),
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    first = start()
    assert key_file.read_text().strip() == first
    assert len(first) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600  # readable by its owner only
    assert start() == first  # the second start reads the same key back
    assert sorted(p.name for p in key_file.parent.iterdir()) == ["secret_key"]  # no scratch file left
    key_file.unlink()
    assert start() != first  # a new key only once the old one is gone: none is written in the code


def test_processes_starting_together_share_one_local_key(tmp_path: Path) -> None:
    # runserver's reloader starts a second process as the first begins: both must end on one key.
    path = tmp_path / "var" / "secret_key"
    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = set(pool.map(lambda _: local_secret_key(path), range(32)))
    assert keys == {path.read_text().strip()}
    assert sorted(p.name for p in path.parent.iterdir()) == ["secret_key"]


def test_an_empty_local_key_file_is_refused_with_what_to_do(tmp_path: Path) -> None:
    from django.core.exceptions import ImproperlyConfigured

    path = tmp_path / "secret_key"
    path.write_text("\n")
    with pytest.raises(ImproperlyConfigured, match="is empty: delete it"):
        local_secret_key(path)


# Five runs of manage.py, each with its own limit (240 s); the suite's 300 s for the whole would cut
# the test short on a busy machine before any of them had overrun.
@pytest.mark.timeout(600)
def test_a_fresh_sqlite_database_migrates_and_takes_the_demo_twice(tmp_path: Path) -> None:
    env = _clean_env(DATABASE_URL=f"sqlite:///{tmp_path / 'fresh.sqlite3'}", **LOCAL)
    migrate = _manage("migrate", "--noinput", env=env)
    assert migrate.returncode == 0, migrate.stderr
    first = _manage("load_demo", env=env)
    assert first.returncode == 0, first.stderr
    assert "trafford.go" in first.stdout
    second = _manage("load_demo", env=env)
    assert second.returncode == 0, second.stderr
    counts = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from cocomm.models import CCG, Role; from delegation.models import LevelAssignment;"
        "from functions.models import DecisionRight;"
        "from committees.models import Committee, Meeting, Decision, Minutes;"
        "from conflicts.models import Declaration, Campaign, ProcurementRecord;"
        "print(CCG.objects.count(), LevelAssignment.objects.count(), DecisionRight.objects.count(),"
        " Role.objects.count(), CCG.history.count(), Committee.objects.count(), Meeting.objects.count(),"
        " Decision.objects.count(), Minutes.objects.count(), Declaration.objects.count(),"
        " Campaign.objects.count(), ProcurementRecord.objects.count())",
        env=env,
    )
    # The second load added nothing: every count is what one load makes.
    # 24 declarations: the Greater Preston GP's shareholding that the demo award's cross-check flags,
    # and the Blackpool governorship declared 40 days after it arose (late by 12 days).
    assert counts.stdout.split() == ["15", "22", "98", "7", "15", "15", "18", "12", "17", "24", "1", "1"]
    # The history written on SQLite hashes as it does on PostgreSQL; SQLite says it is not protected.
    verify = _manage("audit_verify", env=env)
    assert verify.returncode == 0, verify.stderr
    assert "Every history chain holds." in verify.stdout
    assert "not protected by a trigger" in verify.stdout


def test_migrations_match_the_models() -> None:
    result = _manage("makemigrations", "--check", "--dry-run", env=_clean_env(**LOCAL))
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(("module", "env"), [("cocomm.settings", LOCAL), ("tests.settings", {})])
def test_settings_modules_import(module: str, env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=_clean_env(**env),
    )
    assert result.returncode == 0, result.stderr


# Packages installed only for development (requirements-dev.txt), as imported.
DEV_ONLY_MODULES = {"pytest", "factory", "hypothesis", "time_machine", "playwright", "mypy", "importlinter"}
APP_PACKAGES = ["cocomm", "functions", "delegation", "committees", "conflicts", "assurance"]


def test_the_app_imports_nothing_that_only_the_development_requirements_install() -> None:
    import ast

    offenders = []
    for package in APP_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names = [node.module]
                offenders += [
                    f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in DEV_ONLY_MODULES
                ]
    assert offenders == []
