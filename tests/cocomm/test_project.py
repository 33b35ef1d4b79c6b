"""The project as a whole: production settings, a fresh SQLite run, the layering of the apps."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "cocomm.settings"
    env.update(extra)
    return env


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


# Five runs of manage.py, each with its own limit (240 s); the suite's 300 s for the whole would cut
# the test short on a busy machine before any of them had overrun.
@pytest.mark.timeout(600)
def test_a_fresh_sqlite_database_migrates_and_takes_the_demo_twice(tmp_path: Path) -> None:
    env = _clean_env(DATABASE_URL=f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
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
    # 23 declarations: the Greater Preston GP's shareholding that the demo award's cross-check flags.
    assert counts.stdout.split() == ["15", "22", "98", "7", "15", "15", "18", "12", "17", "23", "1", "1"]
    # The history written on SQLite hashes as it does on PostgreSQL; SQLite says it is not protected.
    verify = _manage("audit_verify", env=env)
    assert verify.returncode == 0, verify.stderr
    assert "Every history chain holds." in verify.stdout
    assert "not protected by a trigger" in verify.stdout


def test_migrations_match_the_models() -> None:
    result = _manage("makemigrations", "--check", "--dry-run", env=_clean_env())
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("module", ["cocomm.settings", "tests.settings"])
def test_settings_modules_import(module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=_clean_env(),
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
