"""Walk every history chain; exit non-zero naming the first row that does not match."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cocomm import services
from cocomm.audit_verify import verify_history_chains


class Command(BaseCommand):
    help = (
        "Check the hash chain of every history table (and, on PostgreSQL, that each refuses UPDATE "
        "and DELETE). Prints the rows checked per table; exits 1 naming the first failing table and row."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--record",
            action="store_true",
            help="Also keep the result, as the nightly task does, for the audit check page.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["record"]:
            check = services.audit_check_run()
            rows, problems, database = check.rows_per_table, check.problems, check.database
            duration_ms = check.duration_ms
        else:
            report = verify_history_chains()
            rows, problems, database = (
                report.rows_per_table,
                [str(p) for p in report.problems],
                report.database,
            )
            duration_ms = report.duration_ms
        width = max((len(table) for table in rows), default=10)
        for table, count in rows.items():
            self.stdout.write(f"{table:<{width}}  {count:>8} rows")
        self.stdout.write(
            f"{'total':<{width}}  {sum(rows.values()):>8} rows in {len(rows)} tables, {duration_ms} ms"
        )
        if database == "postgresql":
            self.stdout.write("History tables refuse UPDATE and DELETE (append-only trigger).")
        else:
            self.stdout.write(
                self.style.WARNING(
                    f"On {database} the history tables are hash-chained but not protected by a trigger: "
                    "the append-only guarantee needs PostgreSQL."
                )
            )
        if problems:
            for problem in problems[1:]:
                self.stderr.write(f"also: {problem}")
            raise CommandError(f"Audit chain broken: {problems[0]}")
        self.stdout.write(self.style.SUCCESS("Every history chain holds."))
