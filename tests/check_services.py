"""Say clearly, before the suite starts, when PostgreSQL or Redis cannot be reached."""

from __future__ import annotations

import os
import socket
import sys
from urllib.parse import urlparse


def reachable(url: str, default_port: int) -> tuple[bool, str]:
    parsed = urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or default_port
    try:
        with socket.create_connection((host, port), timeout=3):
            return True, f"{host}:{port}"
    except OSError as error:
        return False, f"{host}:{port} ({error})"


def main() -> int:
    problems = []
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        problems.append(f"DATABASE_URL must point at PostgreSQL for the tests (it is {database_url!r}).")
    else:
        ok, where = reachable(database_url, 5432)
        if not ok:
            problems.append(
                f"PostgreSQL is not reachable at {where}. Start it (pg_ctlcluster 15 main start) "
                "or set DATABASE_URL."
            )
    broker = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")
    ok, where = reachable(broker, 6379)
    if not ok:
        problems.append(
            f"Redis is not reachable at {where}; the Celery tests need it. Start it "
            "(redis-server --daemonize yes --save '' --appendonly no --bind 127.0.0.1) "
            "or set CELERY_TEST_BROKER_URL."
        )
    for problem in problems:
        print(f"make test: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
