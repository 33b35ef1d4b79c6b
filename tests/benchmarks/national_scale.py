"""Benchmark at national scale: 211 CCGs, 27 area teams, 7,400 practices, four levels each.

Run with `make benchmark` (PostgreSQL). It builds the data in a scratch database through the
services (so every row has its history), then measures the public API and the pages through
Django's test client: queries per request, median and 95th-percentile time, and peak memory.
Times are printed, not asserted; the query counts are what the test suite holds flat.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable

import django

AREA_TEAMS = 27
CCGS = 211
PRACTICES_PER_CCG = 35
SAMPLES = 200


def build() -> None:
    from cocomm import services
    from cocomm.audit import system_user
    from cocomm.models import CCG, RoleKind
    from delegation.services import level_assignment_record
    from functions.choices import SchemeCode
    from functions.models import LevelScheme
    from functions.services import area_team_scheme_set, reference_data_install

    by = system_user()
    admin = services.user_create(
        username="bench-admin",
        first_name="Bench",
        last_name="Admin",
        email="bench@example.nhs.uk",
        password="not-used-anywhere-0",
        by=by,
        reason="Benchmark",
    )
    services.role_grant(user=admin, kind=RoleKind.SYSTEM_ADMINISTRATOR, by=by, reason="Benchmark")
    reference_data_install(by=by)
    national = LevelScheme.objects.get(code=SchemeCode.NATIONAL)
    levels = {lvl.number: lvl for lvl in national.levels.all()}
    rng = random.Random(2016)
    started = time.perf_counter()
    for a in range(AREA_TEAMS):
        area = services.area_team_create(
            ods_code=f"Q{a + 30}", name=f"NHS England area {a}", by=by, reason="Bench"
        )
        area_team_scheme_set(area_team=area, scheme=national, by=by, reason="Bench")
        for c in range(a, CCGS, AREA_TEAMS):
            code = f"{c % 100:02d}{'ABCDEFGHJKLMNPQRSTUVWXYZ'[c // 100]}"
            ccg = services.ccg_create(
                ods_code=code, name=f"NHS CCG {c}", area_team=area, by=by, reason="Bench"
            )
            for year, number in zip(range(2015, 2019), (1, 2, 2, 3), strict=True):
                level_assignment_record(
                    ccg=ccg,
                    level=levels[number if rng.random() < 0.8 else 1],
                    effective_from=dt.date(year, 4, 1),
                    by=by,
                    reason="Bench",
                )
            for p in range(PRACTICES_PER_CCG):
                services.practice_create(
                    ods_code=f"B{c:03d}{p:02d}",
                    name=f"Practice {c}-{p}",
                    ccg=ccg,
                    contract_type="GMS",
                    list_size=rng.randint(2000, 20000),
                    by=by,
                    reason="Bench",
                )
    print(f"built {CCG.objects.count()} CCGs in {time.perf_counter() - started:.1f} s")


def measure(label: str, request: Callable[[], object], samples: int = SAMPLES) -> None:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        request()
    queries = len(captured)  # read now: the capture is a window on a log that is reset below
    timings = []
    for _ in range(samples):
        start = time.perf_counter()
        request()
        timings.append((time.perf_counter() - start) * 1000)
    tracemalloc.start()
    request()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    reset_queries()
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"{label:<44} {queries:>3} queries  median {statistics.median(timings):7.2f} ms  "
        f"p95 {p95:7.2f} ms  peak {peak / 1024:8.0f} KiB"
    )


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocomm.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from cocomm.models import CCG, User

    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        sys.exit("Run the benchmark against PostgreSQL (DATABASE_URL).")
    setup_test_environment()
    call_command("migrate", verbosity=0)
    if not CCG.objects.exists():
        build()
    settings.ALLOWED_HOSTS = ["testserver"]
    anonymous = Client()
    admin = Client()
    admin.force_login(User.objects.get(username="bench-admin"))
    ccg = CCG.objects.order_by("?").first()
    assert ccg is not None
    rng = random.Random(1)
    codes = list(CCG.objects.values_list("ods_code", flat=True))

    def routing() -> object:
        code = rng.choice(codes)
        day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 1800))
        return anonymous.get(f"/api/v1/routing/?ccg={code}&function={rng.randint(1, 14)}&on={day}")

    print(f"{CCG.objects.count()} CCGs, measured with {SAMPLES} requests each")
    measure("GET /api/v1/routing/ (random CCG, function, date)", routing)
    measure("GET /api/v1/ccgs/{ods}/", lambda: anonymous.get(f"/api/v1/ccgs/{ccg.ods_code}/"))
    measure("GET /api/v1/ccgs/?limit=250 (every CCG)", lambda: anonymous.get("/api/v1/ccgs/?limit=250"), 30)
    measure("GET /ccgs/ as administrator (every CCG)", lambda: admin.get("/ccgs/"), 30)
    measure(
        f"GET /ccgs/{ccg.ods_code}/ (35 practices, 4 levels)", lambda: admin.get(f"/ccgs/{ccg.ods_code}/")
    )
    measure(f"GET /ccgs/{ccg.ods_code}/history/", lambda: admin.get(f"/ccgs/{ccg.ods_code}/history/"))


if __name__ == "__main__":
    main()
