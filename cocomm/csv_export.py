"""Registers as CSV files that stream from the database: the first byte at once, memory flat however
many rows (see docs/adr/0003-csv-exports-stream-from-the-database.md).

An export is a queryset and a list of columns, each a header and a text expression the database
works out. On PostgreSQL the server writes the CSV (`COPY (SELECT …) TO STDOUT WITH CSV`) through the
app's own connection; a reader thread hands it on in blocks through a bounded queue. Elsewhere (SQLite,
the local demo) the same query is read a chunk at a time and written by Python's csv module. Both
paths run the same SELECT, so they give the same rows in the same order.

Every cell a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) is
written with a leading apostrophe, in SQL for the columns and in Python for rows built in Python.
"""

from __future__ import annotations

import csv
import io
import queue
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Case, Expression, F, Func, QuerySet, TextField, Value, When
from django.db.models.functions import Coalesce, Concat, Left, NullIf, Trim
from django.db.models.lookups import In
from django.http import StreamingHttpResponse

# Spreadsheets run formulas in cells that start with these; a register must print as typed.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# The CSV is handed on in blocks of about this size, and at most QUEUE_BLOCKS of them wait at once,
# so a worker holds well under a megabyte of an export however long it is.
BLOCK_BYTES = 64 * 1024
QUEUE_BLOCKS = 8
# Rows fetched at a time where the database cannot write the CSV itself.
CHUNK_ROWS = 2000

TEXT: TextField[str, str] = TextField()
# A cell's content: a database expression, or a field named with F().
CellValue = Expression | F


def safe_cell(text: str) -> str:
    """A cell as text a spreadsheet shows as typed rather than runs as a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


# Column expressions ----------------------------------------------------------------------------------


def joined(*parts: str | CellValue) -> Expression:
    """Text run together; a missing (NULL) part counts as empty. Plain strings are literals."""
    expressions = [Value(p, output_field=TEXT) if isinstance(p, str) else p for p in parts]
    return Concat(*expressions, output_field=TEXT)


def iso_date(field: str) -> Expression:
    """A date as YYYY-MM-DD, empty when there is none."""
    return _IsoDate(F(field))


def pounds(field: str) -> Expression:
    """An amount of money with two decimal places and no symbol, as a spreadsheet reads it."""
    return _Pounds(F(field))


class _Labels(Case):
    """One of a few fixed labels, none of which a spreadsheet would take for a formula (so the database
    need not check each cell)."""

    def __init__(self, field: str, labels: Iterable[tuple[Any, str]], default: str) -> None:
        labels = list(labels)
        for _, label in [*labels, (None, default)]:
            if label.startswith(FORMULA_STARTS):
                raise ValueError(f"A label may not start as a formula does: {label!r}")
        super().__init__(
            *[When(**{field: value}, then=Value(label, output_field=TEXT)) for value, label in labels],
            default=Value(default, output_field=TEXT),
            output_field=TEXT,
        )


def choice_label(field: str, choices: Iterable[tuple[Any, str]], default: str = "") -> Expression:
    """The label a choices field shows (`get_FOO_display`)."""
    return _Labels(field, choices, default)


def yes_no(field: str, yes: str = "Yes", no: str = "No") -> Expression:
    return _Labels(field, [(True, yes)], no)


def person_name(prefix: str) -> Expression:
    """A person as `Person.__str__` writes them: title and full name."""
    return Trim(joined(F(f"{prefix}title"), " ", F(f"{prefix}full_name")))


def user_name(prefix: str) -> Expression:
    """A login as `User.__str__` writes it: the full name, or the username when it has none."""
    full = Trim(joined(F(f"{prefix}first_name"), " ", F(f"{prefix}last_name")))
    return Coalesce(NullIf(full, Value("", output_field=TEXT)), F(f"{prefix}username"), output_field=TEXT)


class _IsoDate(Func):
    output_field = TEXT
    template = "date(%(expressions)s)"  # SQLite keeps dates as YYYY-MM-DD text already

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Sequence[Any]]:
        return self.as_sql(compiler, connection, template="to_char(%(expressions)s, 'YYYY-MM-DD')", **extra)


class _Pounds(Func):
    output_field = TEXT
    # Doubled twice: once for this template, once for the driver's parameter style.
    template = "printf('%%%%.2f', %(expressions)s)"

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Sequence[Any]]:
        return self.as_sql(
            compiler, connection, template="((%(expressions)s)::numeric(20, 2))::text", **extra
        )


def _neutralised(expression: CellValue) -> Expression:
    """The cell as written to the file: a formula's first character made harmless, and empty text
    written as an empty field (PostgreSQL's COPY would otherwise write it as "")."""
    if isinstance(expression, _IsoDate | _Labels):  # digits and dashes, or fixed words
        return NullIf(expression, Value("", output_field=TEXT))
    guarded = Case(
        When(
            In(Left(expression, 1), list(FORMULA_STARTS)),
            then=Concat(Value("'", output_field=TEXT), expression, output_field=TEXT),
        ),
        default=expression,
        output_field=TEXT,
    )
    return NullIf(guarded, Value("", output_field=TEXT))


# Exports ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of an export: its header and the text the database writes in it.

    Exports are lists of these, so a column is added or moved in one place.
    """

    header: str
    value: CellValue | str  # a field name, or an expression giving text


@dataclass(frozen=True)
class Export:
    """A register as CSV: the rows a queryset selects, in its order, as the columns say."""

    columns: Sequence[Column]
    queryset: QuerySet[Any]

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def rows(self) -> QuerySet[Any, tuple[Any, ...]]:
        """The cells, as the database works them out (formulas neutralised)."""
        names = [f"csv_cell_{n}" for n in range(len(self.columns))]
        cells = {
            name: _neutralised(F(column.value) if isinstance(column.value, str) else column.value)
            for name, column in zip(names, self.columns, strict=True)
        }
        return self.queryset.annotate(**cells).values_list(*names)


def _line(cells: Sequence[Any]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue().encode("utf-8")


def stream(export: Export, *, copy: bool | None = None) -> Iterator[bytes]:
    """The export as CSV in blocks: the header row at once, then the rows as the database gives them.

    `copy` chooses PostgreSQL's COPY (the default there) or the chunked reader (the default elsewhere).
    """
    yield _line(export.headers)
    rows = export.rows()
    if copy if copy is not None else connection.vendor == "postgresql":
        yield from _copy_out(rows)
    else:
        yield from _blocks(rows.iterator(chunk_size=CHUNK_ROWS))


def stream_rows(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> Iterator[bytes]:
    """Rows built in Python as CSV in blocks, each cell neutralised like the database's."""
    yield _line(headers)
    yield from _blocks([safe_cell(cell) for cell in row] for row in rows)


def _blocks(rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow(row)
        if buffer.tell() >= BLOCK_BYTES:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


class _Sink:
    """Where psycopg2's `copy_expert` writes: rows gathered into blocks, each put on the queue.

    Once the reader has gone, blocks are dropped rather than queued: the COPY is being cancelled,
    and leaving it to end through the server keeps the connection in a known state.
    """

    def __init__(self, blocks: queue.Queue[bytes | BaseException | None], stop: threading.Event) -> None:
        self.blocks = blocks
        self.stop = stop
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> None:
        self.parts.append(data)
        self.size += len(data)
        if self.size >= BLOCK_BYTES:
            self.flush()

    def flush(self) -> None:
        if self.parts:
            self.put(b"".join(self.parts))
            self.parts, self.size = [], 0

    def put(self, item: bytes | BaseException | None) -> None:
        # A full queue means the client reads slowly: wait, unless the reader has gone.
        while not self.stop.is_set():
            try:
                self.blocks.put(item, timeout=0.1)
                return
            except queue.Full:
                continue


def _copy_out(rows: QuerySet[Any, tuple[Any, ...]]) -> Iterator[bytes]:
    """The rows as PostgreSQL writes them with COPY, read on the app's connection by a thread that
    stays at most QUEUE_BLOCKS blocks ahead of the client."""
    sql, params = rows.query.sql_with_params()
    connection.ensure_connection()
    raw = connection.connection
    assert raw is not None
    with raw.cursor() as cursor:
        # COPY takes no parameters: psycopg2 quotes them into the statement as it does for a query.
        select = cursor.mogrify(sql, params).decode()
    statement = f"COPY ({select}) TO STDOUT WITH (FORMAT csv)"
    if connection.queries_logged:
        connection.queries_log.append({"sql": statement, "time": "0.000"})

    blocks: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=QUEUE_BLOCKS)
    stop = threading.Event()
    sink = _Sink(blocks, stop)

    def produce() -> None:
        # The raw connection only: Django's connection object belongs to the request's thread, which
        # does not use the database again until this thread has finished.
        try:
            with raw.cursor() as cursor:
                cursor.copy_expert(statement, sink)
            sink.flush()
            sink.put(None)
        except BaseException as error:  # handed to the reader, which raises it in the request
            sink.put(error)

    thread = threading.Thread(target=produce, name="csv-export-copy", daemon=True)
    thread.start()
    finished = False
    try:
        while True:
            item = blocks.get()
            if item is None:
                finished = True
                return
            if isinstance(item, BaseException):
                finished = True
                raise item
            yield item
    finally:
        if not finished:
            # The client went away mid-file: stop the server's work and wait for the thread; then
            # drop the connection, so that a late cancel cannot reach the next request's queries.
            stop.set()
            deadline = time.monotonic() + 30
            while thread.is_alive() and time.monotonic() < deadline:
                raw.cancel()
                thread.join(timeout=0.5)
            if not connection.in_atomic_block:
                connection.close()


def csv_response(export_blocks: Iterator[bytes], filename: str) -> StreamingHttpResponse:
    """A CSV download that starts at once and streams the blocks as they come."""
    response = StreamingHttpResponse(export_blocks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Proxies such as nginx would otherwise hold the file back until they had all of it.
    response["X-Accel-Buffering"] = "no"
    return response
