"""Benchmark of the register CSV: 200,000 published entries, against a plain COPY of the same rows.

Run with `make benchmark` (PostgreSQL). The first run builds the register in its own scratch database
(`DATABASE_URL`): one CCG whose primary care commissioning committee has 2,000 voting members, each
with 100 current interests, plus entries the published register leaves out. The rows are written in
one transaction with `synchronous_commit` off and without history rows: they are scratch data for a
read benchmark, and going through the services would take hours.

It then asks for the published CSV through Django's request handler, as a browser would, and prints

    export register-csv 200000 rows: <s> s, <ratio>x COPY, peak RSS +<MiB> MiB

with the time to the first byte and to the first rows, against a plain PostgreSQL COPY of the same
rows (the raw columns, in the register's order, read on the same connection in the same run). The
targets: within 2x of COPY, RSS growth under 50 MiB, first byte under 1 s. Times are printed, not
asserted.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import django

ODS_CODE = "99X"
PEOPLE = 2_000
PER_PERSON = 100
ROWS = PEOPLE * PER_PERSON
LEFT_OUT = 10_000  # withheld, or of people who are not decision-makers: the rule has work to do
RUNS = 3


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class PeakRSS:
    """The highest resident set size of this process while a block runs, sampled every 2 ms."""

    def __init__(self) -> None:
        self.before = self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.002):
            self.peak = max(self.peak, rss_bytes())

    def __enter__(self) -> PeakRSS:
        self.before = self.peak = rss_bytes()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_bytes())

    @property
    def growth_mib(self) -> float:
        return (self.peak - self.before) / 2**20


def build() -> None:
    from django.db import connection, transaction

    from cocomm import services
    from cocomm.audit import system_user
    from cocomm.models import Organisation, Person, Practice
    from committees.choices import CommitteeKind, MemberCategory
    from committees.models import Membership, MembershipStatus
    from committees.services import committee_create
    from conflicts.models import Declaration, InterestType

    by = system_user()
    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
        area = services.area_team_create(
            ods_code="Q99", name="NHS England benchmark area", by=by, reason="Bench"
        )
        ccg = services.ccg_create(
            ods_code=ODS_CODE, name="NHS Benchmark CCG", area_team=area, by=by, reason="Bench"
        )
        committee = committee_create(
            name="NHS Benchmark CCG Primary Care Commissioning Committee",
            kind=CommitteeKind.PCCC,
            ccgs=[ccg],
            by=by,
            reason="Bench",
        )
        practices = Practice.objects.bulk_create(
            Practice(ods_code=f"Y{n:05d}", name=f"Benchmark Surgery {n}", ccg=ccg, contract_type="GMS")
            for n in range(40)
        )
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"Benchmark Provider {n} Ltd", kind="provider") for n in range(40)
        )
        people = Person.objects.bulk_create(
            Person(full_name=f"Member {n:05d}", title="Dr" if n % 3 == 0 else "") for n in range(PEOPLE + 100)
        )
        deciding, others = people[:PEOPLE], people[PEOPLE:]
        Membership.objects.bulk_create(
            Membership(
                committee=committee,
                person=person,
                category=MemberCategory.CLINICAL,
                voting=person in deciding,
                starts_on=dt.date(2015, 1, 1),
                status=MembershipStatus.ACTIVE,
            )
            for person in people
        )
        kinds = [InterestType.FINANCIAL, InterestType.PROFESSIONAL, InterestType.PERSONAL]

        def declaration(n: int, person: Person, *, consent: bool = True) -> Declaration:
            return Declaration(
                ccg=ccg,
                person=person,
                position="GP member of the primary care commissioning committee",
                interest_type=kinds[n % 3],
                description=f"Partner, shareholder or adviser, interest number {n}, as declared in full",
                practice=practices[n % 40] if n % 2 == 0 else None,
                organisation=organisations[n % 40] if n % 2 == 1 else None,
                interest_from=dt.date(2012, 1, 1) + dt.timedelta(days=n % 1000),
                declared_on=dt.date(2016, 4, 1) + dt.timedelta(days=n % 300),
                mitigation="Leaves the meeting for any item about the practice" if n % 4 == 0 else "",
                consent_to_publish=consent,
                withheld_reason="" if consent else "Risk to personal safety",
                declared_by=by,
            )

        batch: list[Declaration] = []
        for n in range(ROWS):
            batch.append(declaration(n, deciding[n % PEOPLE]))
            if len(batch) == 10_000:
                Declaration.objects.bulk_create(batch)
                batch = []
        for n in range(LEFT_OUT):
            batch.append(
                declaration(n, others[n % 100])
                if n % 2
                else declaration(n, deciding[n % PEOPLE], consent=False)
            )
        Declaration.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"built a register of {ROWS + LEFT_OUT} entries in {time.perf_counter() - started:.1f} s")


class Counting:
    """Where COPY writes: it counts, and notes when the first row came."""

    def __init__(self) -> None:
        self.size = 0
        self.first: float | None = None

    def write(self, data: bytes) -> None:
        if self.first is None:
            self.first = time.perf_counter()
        self.size += len(data)


def plain_copy(ccg_id: int) -> dict[str, float]:
    """A plain COPY of the same rows: the raw columns the export reads, in the register's order."""
    from django.db import connection

    from cocomm.models import Organisation, Person, Practice
    from committees.models import Membership
    from conflicts.models import Declaration

    tables = {m.__name__: m._meta.db_table for m in (Declaration, Person, Practice, Organisation, Membership)}
    sql = f"""
        COPY (
            SELECT p.title, p.full_name, d.position, d.interest_type, d.description, d.relationship,
                   pr.name, pr.ods_code, o.name, d.organisation_name, d.interest_from, d.interest_to,
                   d.mitigation
            FROM {tables["Declaration"]} d
            JOIN {tables["Person"]} p ON p.id = d.person_id
            LEFT JOIN {tables["Practice"]} pr ON pr.id = d.practice_id
            LEFT JOIN {tables["Organisation"]} o ON o.id = d.organisation_id
            WHERE d.ccg_id = {int(ccg_id)} AND d.consent_to_publish AND NOT d.nil_return
              AND d.person_id IN (SELECT person_id FROM {tables["Membership"]} WHERE voting)
            ORDER BY p.full_name, d.declared_on DESC, d.id DESC
        ) TO STDOUT WITH (FORMAT csv)
    """  # noqa: S608 (table names from the models, the id an int)
    connection.ensure_connection()
    assert connection.connection is not None
    sink = Counting()
    with connection.connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.copy_expert(sql, sink)
        total = time.perf_counter() - started
    return {"seconds": total, "first_rows": (sink.first or started) - started, "mib": sink.size / 2**20}


def timed(blocks: Callable[[], Iterator[bytes]]) -> dict[str, Any]:
    """Read a CSV to the end: total time, time to the first byte and to the first rows, lines, RSS."""
    with PeakRSS() as rss:
        started = time.perf_counter()
        iterator = blocks()
        first = next(iterator)
        first_byte = time.perf_counter() - started
        lines = first.count(b"\n")
        first_rows = None
        for block in iterator:
            if first_rows is None:
                first_rows = time.perf_counter() - started
            lines += block.count(b"\n")
        total = time.perf_counter() - started
    return {
        "seconds": total,
        "first_byte": first_byte,
        "first_rows": first_rows or total,
        "lines": lines,
        "rss": rss.growth_mib,
    }


def main() -> None:
    warnings.filterwarnings("ignore", "No directory at", UserWarning)  # no collected static files
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocomm.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from cocomm import csv_export
    from cocomm.models import CCG
    from conflicts.selectors import public_interests_export

    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        sys.exit("Run the benchmark against PostgreSQL (DATABASE_URL).")
    call_command("migrate", verbosity=0)
    if not CCG.objects.filter(ods_code=ODS_CODE).exists():
        build()
    settings.ALLOWED_HOSTS = ["testserver"]
    ccg = CCG.objects.get(ods_code=ODS_CODE)
    client = Client()
    url = reverse("public-interests-csv", args=[ccg.ods_code])

    def through_the_view() -> Iterator[bytes]:
        response = client.get(url, secure=True)
        assert response.status_code == 200 and response.streaming
        return iter(response.streaming_content)

    def chunked_reader() -> Iterator[bytes]:
        return csv_export.stream(public_interests_export(ccg), copy=False)

    # A first, short download loads the code and the URL map, so the figures are of the export alone.
    client.get(reverse("public-gifts-csv", args=[ccg.ods_code]), secure=True).getvalue()
    export = [timed(through_the_view) for _ in range(RUNS)]
    copies = [plain_copy(ccg.pk) for _ in range(RUNS)]
    reader = [timed(chunked_reader) for _ in range(RUNS)]

    rows = export[0]["lines"] - 1
    assert rows == ROWS, f"the export wrote {rows} rows, not {ROWS}"
    copy_s = statistics.median(c["seconds"] for c in copies)
    export_s = statistics.median(r["seconds"] for r in export)
    reader_s = statistics.median(r["seconds"] for r in reader)
    print(
        f"export register-csv {rows} rows: {export_s:.2f} s, {export_s / copy_s:.1f}x COPY, "
        f"peak RSS +{max(r['rss'] for r in export):.0f} MiB"
    )
    print(
        f"  first byte {max(r['first_byte'] for r in export) * 1000:.0f} ms, first rows "
        f"{max(r['first_rows'] for r in export) * 1000:.0f} ms (the sort the register's order needs); "
        f"plain COPY {copy_s:.2f} s, its first rows {max(c['first_rows'] for c in copies) * 1000:.0f} ms, "
        f"{copies[0]['mib']:.0f} MiB"
    )
    print(
        f"  without COPY (the chunked reader SQLite uses): {reader_s:.2f} s, {reader_s / copy_s:.1f}x COPY, "
        f"peak RSS +{max(r['rss'] for r in reader):.0f} MiB"
    )


if __name__ == "__main__":
    main()
