"""The published registers: no login, only what may be published, the withheld counted, the same rows
in the page, the CSV and the PDF, and flat query counts."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.http.response import HttpResponseBase
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from cocomm.audit import system_user
from cocomm.models import CCG, Practice
from committees import services as committee_services
from committees.choices import MatterKind, VoteChoice
from conflicts import services
from conflicts.models import InterestType, ProcurementRecord
from functions.models import Function
from tests.conflicts.test_views import declare
from tests.factories.cocomm import PracticeFactory
from tests.factories.committees import Board, meeting_of, pccc
from tests.factories.delegation import give_level

pytestmark = pytest.mark.django_db

REGISTERS = ["interests", "gifts", "procurement"]


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
def register(board: Board, ccg: CCG, practice: Practice) -> None:
    """One published entry, one withheld, one of a non-voting member (not a decision-maker)."""
    declare(board, ccg, "gp_one", practice=practice, description="Partner at Castle Hill Surgery")
    declare(
        board,
        ccg,
        "gp_two",
        interest_type=InterestType.PERSONAL,
        description="Trustee of the hospice",
        consent_to_publish=False,
        withheld_reason="Risk to personal safety",
    )
    declare(
        board, ccg, "healthwatch", interest_type=InterestType.PROFESSIONAL, description="Chairs Healthwatch"
    )


def csv_rows(response: HttpResponseBase) -> list[list[str]]:
    # The CSVs stream: reading the whole body runs the export.
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8"))))


def pdf_text(content: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(content))
    # Words wrap inside table cells; compare text with its runs of white space made single spaces.
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return text, len(reader.pages)


def test_the_published_register_needs_no_login_and_shows_only_what_may_be_published(
    register: None, ccg: CCG
) -> None:
    response = Client().get(reverse("public-interests", args=[ccg.ods_code]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Partner at Castle Hill Surgery" in html and "Gp One" in html
    assert "Trustee of the hospice" not in html and "Gp Two" not in html
    assert "Chairs Healthwatch" not in html
    assert "1 entry is not shown" in html


def test_the_csv_has_a_header_row_and_one_row_per_published_entry(register: None, ccg: CCG) -> None:
    response = Client().get(reverse("public-interests-csv", args=[ccg.ods_code]))

    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    assert f'filename="{ccg.ods_code}-interests-' in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0][:3] == ["Name", "Position", "Type of interest"]
    assert [row[0] for row in rows[1:]] == ["Gp One"]
    assert rows[1][3] == "Partner at Castle Hill Surgery"
    assert rows[1][4] == "Castle Hill Surgery (P81001)"


def test_the_pdf_holds_the_same_rows_as_the_csv_and_nothing_withheld(register: None, ccg: CCG) -> None:
    client = Client()
    rows = csv_rows(client.get(reverse("public-interests-csv", args=[ccg.ods_code])))[1:]

    response = client.get(reverse("public-interests-pdf", args=[ccg.ods_code]))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text, pages = pdf_text(response.content)
    assert pages == 1
    for row in rows:
        assert row[0] in text and row[3] in text
    assert "1 entry" in text
    assert "withheld from publication" in text
    for hidden in ("Gp Two", "Trustee of the hospice", "Healthwatch"):
        assert hidden not in text


def test_a_long_register_runs_to_a_sane_number_of_pages(board: Board, ccg: CCG) -> None:
    for n in range(60):
        declare(
            board,
            ccg,
            ["lay_chair", "gp_one", "chief_officer"][n % 3],
            position="Member",
            description=f"Director of company {n}",
        )

    text, pages = pdf_text(Client().get(reverse("public-interests-pdf", args=[ccg.ods_code])).content)

    assert "Director of company 59" in text and "Director of company 0" in text
    assert 2 <= pages <= 6
    assert f"Page {pages} of {pages}" in text


def test_gifts_and_hospitality_are_published_declined_ones_too(board: Board, ccg: CCG) -> None:
    services.offer_record(
        ccg=ccg,
        person=board.person("gp_one"),
        kind="gift",
        description="Case of wine",
        value=Decimal("60"),
        offeror='=HYPERLINK("http://example.org")',
        from_supplier=True,
        offered_on=dt.date(2016, 6, 1),
        accepted=False,
        by=board.user("gp_one"),
    )
    client = Client()

    html = client.get(reverse("public-gifts", args=[ccg.ods_code])).content.decode()
    rows = csv_rows(client.get(reverse("public-gifts-csv", args=[ccg.ods_code])))
    text, _ = pdf_text(client.get(reverse("public-gifts-pdf", args=[ccg.ods_code])).content)

    assert "Case of wine" in html and "£60.00" in html and "Declined" in html
    assert rows[1][:5] == ["Gp One", "", "Gift", "Case of wine", "60.00"]
    # A cell a spreadsheet would run as a formula is written as text.
    assert rows[1][5] == '\'=HYPERLINK("http://example.org")'
    assert "Case of wine" in text


def test_an_approved_procurement_decision_is_published(
    board: Board, ccg: CCG, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    matter = committee_services.matter_raise(
        ccg=ccg,
        function=Function.objects.get(number=4),
        kind=MatterKind.PROCUREMENT,
        title="Extended hours service",
        by=system_user(),
        reason="Received",
    )
    item = committee_services.matter_schedule(
        matter=matter, meeting=meeting_of(board, on=dt.date(2016, 6, 1)), by=system_user(), reason="Agenda"
    )
    chair = board.user("lay_chair")
    decision = committee_services.decision_propose(item=item, resolution="Award", by=chair, reason="Moved")
    committee_services.vote_open(decision=decision, by=chair)
    for key in ("lay_chair", "lay_member", "gp_one", "chief_officer"):
        committee_services.vote_cast(
            decision=decision, person=board.person(key), choice=VoteChoice.FOR, by=chair
        )
    decision = committee_services.vote_close(decision=decision, by=chair)
    with django_capture_on_commit_callbacks(execute=True):
        committee_services.decision_approve(decision=decision, by=chair)
    assert ProcurementRecord.objects.count() == 1
    client = Client()

    html = client.get(reverse("public-procurement", args=[ccg.ods_code])).content.decode()
    rows = csv_rows(client.get(reverse("public-procurement-csv", args=[ccg.ods_code])))
    text, _ = pdf_text(client.get(reverse("public-procurement-pdf", args=[ccg.ods_code])).content)

    assert "Extended hours service" in html and "No conflicts declared." in html
    assert rows[1][:3] == ["2016-06-01", "Extended hours service", str(board.committee)]
    assert "Extended hours service" in text


def test_the_ccg_page_links_the_three_registers(ccg: CCG) -> None:
    html = Client().get(reverse("public-ccg", args=[ccg.ods_code.lower()])).content.decode()

    for name in REGISTERS:
        assert reverse(f"public-{name}", args=[ccg.ods_code]) in html
    assert (
        reverse("public-ccg", args=[ccg.ods_code])
        in Client().get(reverse("public-ccg-list")).content.decode()
    )


@pytest.mark.parametrize(
    "url_name",
    ["public-ccg", *[f"public-{name}{suffix}" for name in REGISTERS for suffix in ("", "-csv", "-pdf")]],
)
def test_an_unknown_ccg_is_a_404_page(db: None, url_name: str) -> None:
    response = Client().get(reverse(url_name, args=["99Z"]))

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def count_queries(url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url)
        assert response.status_code == 200
        response.getvalue()  # a streamed CSV asks the database as it is read
    return len(queries)


def test_the_public_register_takes_as_many_queries_for_25_declarations_as_for_5(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    keys = ["lay_chair", "lay_member", "chief_officer", "gp_one", "gp_two"]
    for key in keys:
        declare(board, ccg, key, practice=practice)
    urls = [reverse(name, args=[ccg.ods_code]) for name in ("public-interests", "public-interests-csv")]
    with_5 = [count_queries(url) for url in urls]

    for n in range(20):
        declare(
            board,
            ccg,
            keys[n % 5],
            description=f"Interest {n}",
            consent_to_publish=n % 2 == 0,
            withheld_reason="" if n % 2 == 0 else "Safety",
        )

    assert [count_queries(url) for url in urls] == with_5
    assert "10 entries are not shown" in Client().get(urls[0]).content.decode()
