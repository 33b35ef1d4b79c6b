"""The registers as CSV streamed from the database: the same rows as the pages across the edges of the
publication rule, in both ways of writing them (PostgreSQL's COPY and the chunked reader the local
demo uses), formulas neutralised, the officers' copies kept to those who may see the registers, and
a download that stops half way leaves the connection fit for the next request."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import threading
from collections.abc import Callable, Iterator
from decimal import Decimal
from html import unescape
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cocomm import csv_export
from cocomm.audit import system_user
from cocomm.models import CCG, Organisation, Person, Practice, RoleKind, User
from committees import services as committee_services
from committees.choices import MemberCategory
from conflicts import rules, selectors, services
from conflicts.models import Declaration, InterestType
from conflicts.views.public import _gifts_table, _interests_table
from tests.factories.cocomm import OrganisationFactory, PersonFactory, PracticeFactory, UserFactory
from tests.factories.committees import Board, pccc
from tests.factories.delegation import give_level

pytestmark = pytest.mark.django_db

# A day on which "6 months after it ended" is not simply the same date 6 months back: an interest
# that ended on 28 February 2016 left the register on 29 August, one that ended on 1 March stays.
TODAY = dt.date(2016, 8, 31)


@pytest.fixture
def today() -> Iterator[dt.date]:
    noon = timezone.make_aware(dt.datetime.combine(TODAY, dt.time(12, 0)))
    with time_machine.travel(noon, tick=False):
        yield TODAY


@pytest.fixture
def ccg(level2_ccg: CCG) -> CCG:
    give_level(level2_ccg, 3, dt.date(2016, 4, 1))
    return level2_ccg


@pytest.fixture
def board(ccg: CCG) -> Board:
    return pccc(ccg)


@pytest.fixture
def practice(ccg: CCG) -> Practice:
    return PracticeFactory(ccg=ccg, name="Castle Hill Surgery", ods_code="P81001")


@pytest.fixture
def federation() -> Organisation:
    return OrganisationFactory(name="Lancaster GP Federation")


def declare(board: Board, ccg: CCG, key: str, **fields: Any) -> Declaration:
    values: dict[str, Any] = {
        "position": "Member of the primary care commissioning committee",
        "interest_type": InterestType.FINANCIAL,
        "description": f"Interest of {key}",
    }
    values.update(fields)
    return services.declaration_make(ccg=ccg, person=board.person(key), by=board.user(key), **values)


def seat_of(board: Board, key: str, name: str, *, title: str = "") -> None:
    """Another voting member, with a title (as "Dr")."""
    person = PersonFactory(full_name=name, title=title, user=UserFactory())
    board.members[key] = committee_services.membership_add(
        committee=board.committee,
        person=person,
        category=MemberCategory.CLINICAL,
        voting=True,
        starts_on=dt.date(2015, 1, 1),
        by=system_user(),
        reason="Test data",
    )


def end_seat(board: Board, key: str, on: dt.date) -> None:
    committee_services.membership_end(
        membership=board.members[key], ends_on=on, by=system_user(), reason="Left the committee"
    )


@pytest.fixture
def register(
    today: dt.date, board: Board, ccg: CCG, practice: Practice, federation: Organisation
) -> dict[str, Declaration]:
    """Entries on each side of every edge of the publication rule, and cells that test the CSV."""
    seat_of(board, "dr_shah", "Amina Shah", title="Dr")
    seat_of(board, "left_recently", "Recent Leaver")
    seat_of(board, "left_long_ago", "Early Leaver")
    entries = {
        "current": declare(board, ccg, "gp_one", practice=practice, description="Partner, 0.6 WTE"),
        "ended 5 months ago": declare(
            board,
            ccg,
            "lay_member",
            organisation=federation,
            description="Director",
            interest_from=dt.date(2014, 1, 1),
            interest_to=dt.date(2016, 3, 31),
        ),
        "ended 7 months ago": declare(
            board, ccg, "chief_officer", description="Adviser", interest_to=dt.date(2016, 1, 31)
        ),
        "ended on the last day still shown": declare(
            board, ccg, "finance_director", description="Shares", interest_to=dt.date(2016, 3, 1)
        ),
        "ended the day before": declare(
            board, ccg, "finance_director", description="Old shares", interest_to=dt.date(2016, 2, 29)
        ),
        "withheld": declare(
            board,
            ccg,
            "gp_two",
            interest_type=InterestType.PERSONAL,
            description="Trustee of the hospice",
            consent_to_publish=False,
            withheld_reason="Risk to personal safety",
        ),
        "not a decision-maker": declare(
            board,
            ccg,
            "healthwatch",
            interest_type=InterestType.PROFESSIONAL,
            description="Chairs Healthwatch",
        ),
        "nil return": services.declaration_make(
            ccg=ccg,
            person=board.person("lay_chair"),
            position="Chair",
            nil_return=True,
            by=board.user("lay_chair"),
        ),
        "indirect, titled": declare(
            board,
            ccg,
            "dr_shah",
            interest_type=InterestType.INDIRECT,
            relationship="Spouse",
            description='Works for "Acme", Ltd\nsince 2015',
            organisation_name="Acme Ltd",
            mitigation='=HYPERLINK("http://example.org")',
        ),
        "formulas": declare(
            board, ccg, "gp_one", position="+44 1524 000000", description="-1+1", organisation_name="@SUM(A1)"
        ),
        "seat ended 5 months ago": declare(board, ccg, "left_recently", description="Locum work"),
        "seat ended 7 months ago": declare(board, ccg, "left_long_ago", description="Old locum work"),
    }
    end_seat(board, "left_recently", dt.date(2016, 3, 31))
    end_seat(board, "left_long_ago", dt.date(2016, 1, 31))
    return entries


def csv_rows(response: StreamingHttpResponse) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8"))))


def streamed(export: csv_export.Export, *, copy: bool) -> list[list[str]]:
    content = b"".join(csv_export.stream(export, copy=copy))
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))


def as_downloaded(headers: list[str], rows: list[list[str]]) -> list[list[str]]:
    return [headers, *[[csv_export.safe_cell(cell) for cell in row] for row in rows]]


# The published register ------------------------------------------------------------------------------


@pytest.mark.parametrize("copy", [True, False], ids=["copy", "chunked reader"])
def test_the_streamed_csv_has_the_pages_entries_in_its_order_across_the_publication_edges(
    register: dict[str, Declaration], ccg: CCG, copy: bool
) -> None:
    page = selectors.public_register_of_interests(ccg)
    table = _interests_table(page.entries, machine=True)

    rows = streamed(selectors.public_interests_export(ccg), copy=copy)

    assert rows == as_downloaded(table.headers, table.rows)
    shown = {d.description for d in page.entries}
    for key in ("current", "ended 5 months ago", "ended on the last day still shown", "indirect, titled"):
        assert register[key].description in shown, key
    assert "Locum work" in shown  # the seat ended 5 months ago: still a decision-maker
    for key in (
        "ended 7 months ago",
        "ended the day before",
        "withheld",
        "not a decision-maker",
        "seat ended 7 months ago",
    ):
        assert register[key].description not in shown, key
    assert page.withheld == 1
    assert len(rows) == 1 + 6


def test_the_csv_download_writes_cells_as_the_page_shows_them_with_formulas_neutralised(
    register: dict[str, Declaration], ccg: CCG
) -> None:
    response = Client().get(reverse("public-interests-csv", args=[ccg.ods_code]))

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{ccg.ods_code}-interests-{TODAY}.csv"'
    rows = {row[3]: row for row in csv_rows(response)[1:]}
    assert rows["Partner, 0.6 WTE"][:5] == [
        "Gp One",
        "Member of the primary care commissioning committee",
        "Financial",
        "Partner, 0.6 WTE",
        "Castle Hill Surgery (P81001)",
    ]
    indirect = rows['Works for "Acme", Ltd\nsince 2015 (relationship: Spouse)']
    assert indirect[:5] == [
        "Dr Amina Shah",
        "Member of the primary care commissioning committee",
        "Indirect",
        'Works for "Acme", Ltd\nsince 2015 (relationship: Spouse)',
        "Acme Ltd",
    ]
    assert indirect[7] == '\'=HYPERLINK("http://example.org")'
    assert rows["Director"][4:7] == ["Lancaster GP Federation", "2014-01-01", "2016-03-31"]
    assert rows["'-1+1"][1] == "'+44 1524 000000"
    assert rows["'-1+1"][4] == "'@SUM(A1)"


def as_typed(cell: str) -> str:
    """A downloaded cell as it was typed: without the apostrophe that neutralises a formula."""
    typed = cell[1:] if cell.startswith("'") else cell
    return typed if typed.startswith(csv_export.FORMULA_STARTS) else cell


def page_rows(html: str) -> list[list[str]]:
    """The cells of each row of a published register's table, as the page shows them."""
    body = html[html.index('<tbody class="nhsuk-table__body">') :]
    return [
        [unescape(cell) for cell in re.findall(r"<span>(.*?)</span></td>", row, re.S)]
        for row in re.findall(r'<tr class="nhsuk-table__row" role="row">(.*?)</tr>', body, re.S)
    ]


def test_the_html_page_lists_the_same_people_and_entries_in_the_same_order(
    register: dict[str, Declaration], ccg: CCG
) -> None:
    client = Client()
    html = client.get(reverse("public-interests", args=[ccg.ods_code])).content.decode()
    rows = csv_rows(client.get(reverse("public-interests-csv", args=[ccg.ods_code])))[1:]

    on_page = [(row[0], row[3]) for row in page_rows(html)]
    assert on_page == [(row[0], as_typed(row[3])) for row in rows]
    assert len(on_page) == 6
    assert "1 entry is not shown" in html


def test_the_publication_rule_in_sql_agrees_with_the_rule_on_every_day_of_two_years() -> None:
    day = dt.date(2015, 1, 1)
    while day < dt.date(2017, 1, 1):
        edge = rules.earliest_end_still_published(day)
        for ended in (edge - dt.timedelta(days=1), edge):
            verdict = rules.publication(decision_maker=True, consent=True, ended_on=ended, today=day)
            assert (verdict == rules.Publication.PUBLISHED) == (ended >= edge), (day, ended)
        day += dt.timedelta(days=1)


def test_a_ccg_with_no_published_entries_downloads_just_the_header_row(ccg: CCG) -> None:
    rows = csv_rows(Client().get(reverse("public-interests-csv", args=[ccg.ods_code])))

    assert rows == [[column.header for column in selectors.PUBLIC_INTEREST_COLUMNS]]


# Gifts and hospitality ---------------------------------------------------------------------------------


@pytest.fixture
def offers(today: dt.date, board: Board, ccg: CCG) -> None:
    for n, (value, accepted, offeror) in enumerate(
        [
            (Decimal("60"), False, '=HYPERLINK("http://example.org")'),
            (Decimal("12.5"), True, "Pharma Ltd, sales"),
            (Decimal("30"), True, "Local hospice"),
        ]
    ):
        services.offer_record(
            ccg=ccg,
            person=board.person("gp_one"),
            kind="gift" if n != 2 else "hospitality",
            description=f"Offer {n}",
            value=value,
            offeror=offeror,
            from_supplier=n == 0,
            offered_on=dt.date(2016, 6, 1),  # the same day: ties keep the page's order
            accepted=accepted,
            by=board.user("gp_one"),
        )


@pytest.mark.parametrize("copy", [True, False], ids=["copy", "chunked reader"])
def test_gifts_stream_as_the_page_lists_them(offers: None, ccg: CCG, copy: bool) -> None:
    table = _gifts_table(ccg, machine=True)

    rows = streamed(selectors.public_gifts_export(ccg), copy=copy)

    assert rows == as_downloaded(table.headers, table.rows)
    assert [row[3] for row in rows[1:]] == ["Offer 2", "Offer 1", "Offer 0"]
    assert rows[1][7] == "Accepted"
    assert rows[2][4:6] == ["12.50", "Pharma Ltd, sales"]
    assert rows[3][4:8] == ["60.00", '\'=HYPERLINK("http://example.org")', "2016-06-01", "Declined"]


# The officers' copies ------------------------------------------------------------------------------------


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def officer(make_user: Callable[..., User], ccg: CCG) -> User:
    return make_user(RoleKind.GOVERNANCE_OFFICER, ccg=ccg)


@pytest.mark.parametrize("copy", [True, False], ids=["copy", "chunked reader"])
def test_the_officers_register_has_every_entry_with_where_it_stands_as_their_page_says(
    register: dict[str, Declaration], ccg: CCG, copy: bool
) -> None:
    entries = selectors.register_of_interests(ccg, TODAY)

    rows = streamed(selectors.register_interests_export(ccg, TODAY), copy=copy)

    header, body = rows[0], rows[1:]
    published, description = header.index("Published"), header.index("Description")
    assert [row[description] for row in body] == [
        csv_export.safe_cell(
            e.declaration.description
            + (f" (relationship: {e.declaration.relationship})" if e.declaration.relationship else "")
        )
        for e in entries
    ]
    words = {None: "", **selectors.exports.PUBLISHED_WORDS}
    assert [row[published] for row in body] == [words[e.publication] for e in entries]
    by_description = {row[description]: dict(zip(header, row, strict=True)) for row in body}
    assert by_description["Trustee of the hospice"]["Published"] == "Withheld"
    assert by_description["Trustee of the hospice"]["Reason for withholding"] == "Risk to personal safety"
    assert by_description["Adviser"]["Published"] == "Not published"
    assert by_description["Chairs Healthwatch"]["Published"] == "Not published"
    nil = by_description[""]
    assert nil["Type of interest"] == "Nil return" and nil["Published"] == "" and nil["Name"] == "Lay Chair"
    assert nil["Entered by"] == "The declarant"
    assert by_description["Locum work"]["Published"] == "Published"
    # The 28-day rule as the officers' page applies it (0 when on time)
    late = [row[header.index("Days late")] for row in body]
    assert late == [str(selectors.declaration_days_late(e.declaration)) for e in entries]
    assert "0" in late and any(days != "0" for days in late)


def test_an_entry_made_on_someones_behalf_names_who_entered_it(
    today: dt.date, board: Board, ccg: CCG, officer: User
) -> None:
    services.declaration_make(
        ccg=ccg,
        person=board.person("gp_one"),
        position="GP member",
        interest_type=InterestType.FINANCIAL,
        description="Partner",
        by=officer,
    )

    rows = csv_rows(logged_in(officer).get(reverse("register-interests-csv", args=[ccg.ods_code])))

    assert dict(zip(rows[0], rows[1], strict=True))["Entered by"] == str(officer)


def test_the_officers_gifts_add_what_the_public_does_not_see(
    offers: None, board: Board, ccg: CCG, officer: User
) -> None:
    response = logged_in(officer).get(reverse("register-gifts-csv", args=[ccg.ods_code]))

    rows = csv_rows(response)
    assert f'filename="{ccg.ods_code}-gifts-register-{TODAY}.csv"' in response["Content-Disposition"]
    assert rows[0][-3:] == ["From a supplier or contractor", "Approved on", "Recorded by"]
    assert [row[-3] for row in rows[1:]] == ["No", "No", "Yes"]
    assert rows[1][-1] == str(board.user("gp_one"))


@pytest.mark.parametrize("name", ["register-interests-csv", "register-gifts-csv"])
def test_the_officers_copies_are_not_found_for_anyone_else(
    ccg: CCG, other_ccg: CCG, make_user: Callable[..., User], name: str
) -> None:
    url = reverse(name, args=[ccg.ods_code])
    outsider = make_user(RoleKind.GOVERNANCE_OFFICER, ccg=other_ccg)
    reviewer = make_user(RoleKind.NHSE_REVIEWER, area_team=ccg.area_team)

    assert Client().get(url)["Location"].startswith(reverse("login"))
    assert logged_in(outsider).get(url).status_code == 404
    assert logged_in(make_user()).get(url).status_code == 404
    assert logged_in(reviewer).get(url).status_code == 200
    assert logged_in(reviewer).get(reverse(name, args=["99Z"])).status_code == 404


def test_the_registers_page_links_both_downloads(ccg: CCG, officer: User, offers: None) -> None:
    html = logged_in(officer).get(reverse("register-detail", args=[ccg.ods_code])).content.decode()

    assert reverse("register-interests-csv", args=[ccg.ods_code]) in html
    assert reverse("register-gifts-csv", args=[ccg.ods_code]) in html


# Streaming -------------------------------------------------------------------------------------------------


def test_the_header_comes_before_the_database_is_asked(register: dict[str, Declaration], ccg: CCG) -> None:
    blocks = csv_export.stream(selectors.public_interests_export(ccg))

    with CaptureQueriesContext(connection) as queries:
        first = next(blocks)
    assert first.startswith(b"Name,Position,Type of interest,")
    assert len(queries) == 0
    with CaptureQueriesContext(connection) as queries:
        rest = b"".join(blocks)
    assert len(queries) == 1 and queries[0]["sql"].startswith("COPY (SELECT")
    assert rest.count(b"\n") >= 7


def test_the_csv_takes_as_many_queries_for_many_entries_as_for_few(
    board: Board, ccg: CCG, officer: User
) -> None:
    client = logged_in(officer)
    urls = [
        reverse(name, args=[ccg.ods_code])
        for name in (
            "public-interests-csv",
            "public-gifts-csv",
            "register-interests-csv",
            "register-gifts-csv",
        )
    ]

    def counted() -> list[int]:
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
                response.getvalue()
            counts.append(len(queries))
        return counts

    declare(board, ccg, "gp_one")
    counted()  # the first requests fill caches that later ones reuse
    few = counted()
    for n in range(12):
        declare(board, ccg, ["gp_one", "gp_two", "lay_member"][n % 3], description=f"Interest {n}")

    assert counted() == few
    assert len(csv_rows(client.get(urls[2]))) == 1 + 13


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of a few rows and a queue of two, so that a short register streams in many blocks."""
    monkeypatch.setattr(csv_export, "BLOCK_BYTES", 256)
    monkeypatch.setattr(csv_export, "QUEUE_BLOCKS", 2)


@pytest.mark.parametrize("copy", [True, False], ids=["copy", "chunked reader"])
def test_a_long_register_comes_in_many_small_blocks(
    small_blocks: None, board: Board, ccg: CCG, copy: bool
) -> None:
    for n in range(40):
        declare(board, ccg, ["gp_one", "gp_two", "lay_member"][n % 3], description=f"Interest number {n:03d}")

    blocks = list(csv_export.stream(selectors.public_interests_export(ccg), copy=copy))

    assert len(blocks) >= 8
    assert max(len(block) for block in blocks) < 256 + 200
    rows = list(csv.reader(io.StringIO(b"".join(blocks).decode())))
    assert sorted(row[3] for row in rows[1:]) == [f"Interest number {n:03d}" for n in range(40)]


@pytest.mark.django_db(transaction=True)
def test_a_download_abandoned_half_way_stops_the_copy_and_the_next_query_works(
    small_blocks: None, level2_ccg: CCG
) -> None:
    ccg = level2_ccg
    board = pccc(ccg)
    for n in range(60):
        declare(board, ccg, ["gp_one", "gp_two"][n % 2], description=f"Interest number {n:03d}")
    blocks = csv_export.stream(selectors.public_interests_export(ccg), copy=True)
    next(blocks), next(blocks)

    blocks.close()  # what the server does when the client goes away

    assert not [t for t in threading.enumerate() if t.name == "csv-export-copy"]
    assert Person.objects.filter(full_name="Gp One").count() == 1
    rows = streamed(selectors.public_interests_export(ccg), copy=True)
    assert len(rows) == 1 + 60
