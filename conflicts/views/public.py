"""The published registers (no login): interests, gifts and hospitality, procurement; page, CSV and PDF."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from cocomm import csv_export
from cocomm.models import CCG
from cocomm.pdf import render_pdf
from conflicts import selectors
from conflicts.models import Declaration


@dataclass(frozen=True)
class Table:
    """A published register as headers and rows of text: one source for the page, the CSV and the PDF."""

    headers: list[str]
    rows: list[list[str]]

    @property
    def cells(self) -> list[list[tuple[str, str]]]:
        return [list(zip(self.headers, row, strict=True)) for row in self.rows]


def _day(value: dt.date | None, machine: bool) -> str:
    if value is None:
        return ""
    return value.isoformat() if machine else f"{value:%-d %B %Y}"


def _pounds(value: Decimal | None, machine: bool) -> str:
    if value is None:
        return ""
    return f"{value:.2f}" if machine else f"£{value:,.2f}"


def _interests_table(entries: list[Declaration], *, machine: bool = False) -> Table:
    # The headers are the CSV's, so the page, the PDF and the download name the same columns.
    headers = [column.header for column in selectors.PUBLIC_INTEREST_COLUMNS]
    rows = []
    for d in entries:
        description = d.description
        if d.relationship:
            description = f"{description} (relationship: {d.relationship})"
        concerns = d.concerns if d.concerns != "—" else ""
        rows.append(
            [
                str(d.person),
                d.position,
                d.get_interest_type_display(),
                description,
                concerns,
                _day(d.interest_from, machine),
                _day(d.interest_to, machine),
                d.mitigation,
            ]
        )
    return Table(headers, rows)


def _gifts_table(ccg: CCG, *, machine: bool = False) -> Table:
    headers = [column.header for column in selectors.PUBLIC_GIFT_COLUMNS]
    rows = [
        [
            str(g.person),
            g.position,
            g.get_kind_display(),
            g.description,
            _pounds(g.value, machine),
            g.offeror,
            _day(g.offered_on, machine),
            ("Accepted" if g.accepted else "Declined")
            + (f", approved by {g.senior_approver}" if g.senior_approver else ""),
            g.reason,
        ]
        for g in selectors.public_gifts(ccg)
    ]
    return Table(headers, rows)


# The Provider Selection Regime's record: the award, who took part in the decision, the conflicts
# declared and how each was managed, and the cross-check of the award against their interests
# (flags resting only on entries withheld from the register of interests are counted, not shown).
PROCUREMENT_HEADERS = [
    "Decided on",
    "Service",
    "Decided by",
    "Supplier",
    "Value",
    "Route",
    "Contract",
    "Who took part",
    "Conflicts and how they were managed",
]


def _procurement_rows(entries: Iterable[selectors.ProcurementEntry], *, machine: bool) -> Iterator[list[str]]:
    for entry in entries:
        record, award = entry.record, entry.award
        contract = ""
        if award is not None:
            contract = f"{_day(award.starts_on, machine)} to {_day(award.ends_on, machine)}"
        yield [
            _day(record.decision.decided_on, machine),
            record.service,
            str(record.decision.committee),
            str(award.supplier) if award is not None else record.supplier,
            _pounds(award.value if award is not None else record.value, machine),
            award.get_route_display() if award is not None else "",
            contract,
            "; ".join(f"{m.person} ({m.role_text})" for m in entry.decision_makers),
            entry.conflicts_text,
        ]


def _procurement_table(ccg: CCG) -> Table:
    entries = selectors.procurement_entries(list(selectors.procurement_records(ccg)))
    return Table(PROCUREMENT_HEADERS, list(_procurement_rows(entries, machine=False)))


@dataclass(frozen=True)
class PublicRegister:
    slug: str
    title: str
    intro: str
    pdf_template: str


INTERESTS = PublicRegister(
    "interests",
    "Register of interests",
    "The interests declared by the people who take decisions for the CCG: the voting members of its "
    "governing body, its primary care commissioning committee and its joint committees with NHS England. "
    "An interest stays here for 6 months after it ends.",
    "pdf/register_interests.html",
)


GIFTS = PublicRegister(
    "gifts",
    "Register of gifts and hospitality",
    "Gifts and hospitality offered to the CCG's members and staff, including those declined.",
    "pdf/register_gifts.html",
)


PROCUREMENT = PublicRegister(
    "procurement",
    "Register of procurement decisions",
    "The CCG's procurement decisions: the service, who decided and who took part, the contract awarded "
    "(supplier, value, route and term), the conflicts of interest declared and how they were managed, and "
    "each award checked against the interests of everyone who took part.",
    "pdf/register_procurement.html",
)


def _public_crumbs(ccg: CCG | None = None) -> list[tuple[str, str]]:
    crumbs = [("Published registers", reverse("public-ccg-list"))]
    if ccg is not None:
        crumbs.append((ccg.name, reverse("public-ccg", args=[ccg.ods_code])))
    return crumbs


def public_ccg_list(request: HttpRequest) -> HttpResponse:
    return render(request, "conflicts/public_ccg_list.html", {"ccgs": list(selectors.public_ccgs())})


def public_ccg(request: HttpRequest, ods_code: str) -> HttpResponse:
    ccg = selectors.ccg_public_get(ods_code)
    return render(
        request,
        "conflicts/public_ccg.html",
        {"ccg": ccg, "registers": [INTERESTS, GIFTS, PROCUREMENT], "crumbs": _public_crumbs()},
    )


def _filename(ccg: CCG, register: PublicRegister, extension: str) -> str:
    return f"{ccg.ods_code}-{register.slug}-{timezone.localdate().isoformat()}.{extension}"


def _csv_response(ccg: CCG, register: PublicRegister, blocks: Iterator[bytes]) -> StreamingHttpResponse:
    return csv_export.csv_response(blocks, _filename(ccg, register, "csv"))


def _pdf_response(ccg: CCG, register: PublicRegister, table: Table, **extra: Any) -> HttpResponse:
    today = timezone.localdate()
    pdf = render_pdf(
        register.pdf_template, {"ccg": ccg, "register": register, "table": table, "today": today, **extra}
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(ccg, register, "pdf")}"'
    return response


def _page(
    request: HttpRequest, ccg: CCG, register: PublicRegister, table: Table, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "conflicts/public_register.html",
        {
            "ccg": ccg,
            "register": register,
            "table": table,
            "today": timezone.localdate(),
            "csv_url": reverse(f"public-{register.slug}-csv", args=[ccg.ods_code]),
            "pdf_url": reverse(f"public-{register.slug}-pdf", args=[ccg.ods_code]),
            "crumbs": _public_crumbs(ccg),
            **extra,
        },
    )


def _published_interests(ods_code: str) -> tuple[CCG, Table, int]:
    ccg = selectors.ccg_public_get(ods_code)
    register = selectors.public_register_of_interests(ccg)
    return ccg, _interests_table(register.entries), register.withheld


def public_interests(request: HttpRequest, ods_code: str) -> HttpResponse:
    ccg, table, withheld = _published_interests(ods_code)
    return _page(request, ccg, INTERESTS, table, withheld=withheld)


def public_interests_csv(request: HttpRequest, ods_code: str) -> StreamingHttpResponse:
    """The page's entries, streamed as the database selects and writes them."""
    ccg = selectors.ccg_public_get(ods_code)
    return _csv_response(ccg, INTERESTS, csv_export.stream(selectors.public_interests_export(ccg)))


def public_interests_pdf(request: HttpRequest, ods_code: str) -> HttpResponse:
    ccg, table, withheld = _published_interests(ods_code)
    return _pdf_response(ccg, INTERESTS, table, withheld=withheld)


def public_gifts(request: HttpRequest, ods_code: str) -> HttpResponse:
    ccg = selectors.ccg_public_get(ods_code)
    return _page(request, ccg, GIFTS, _gifts_table(ccg))


def public_gifts_csv(request: HttpRequest, ods_code: str) -> StreamingHttpResponse:
    ccg = selectors.ccg_public_get(ods_code)
    return _csv_response(ccg, GIFTS, csv_export.stream(selectors.public_gifts_export(ccg)))


def public_gifts_pdf(request: HttpRequest, ods_code: str) -> HttpResponse:
    ccg = selectors.ccg_public_get(ods_code)
    return _pdf_response(ccg, GIFTS, _gifts_table(ccg))


def public_procurement(request: HttpRequest, ods_code: str) -> HttpResponse:
    ccg = selectors.ccg_public_get(ods_code)
    return _page(request, ccg, PROCUREMENT, _procurement_table(ccg))


def public_procurement_csv(request: HttpRequest, ods_code: str) -> StreamingHttpResponse:
    """Streamed a batch of decisions at a time: each entry's cross-check is a rule in Python."""
    ccg = selectors.ccg_public_get(ods_code)
    rows = (
        row
        for batch in selectors.procurement_entries_in_batches(ccg)
        for row in _procurement_rows(batch, machine=True)
    )
    return _csv_response(ccg, PROCUREMENT, csv_export.stream_rows(PROCUREMENT_HEADERS, rows))


def public_procurement_pdf(request: HttpRequest, ods_code: str) -> HttpResponse:
    ccg = selectors.ccg_public_get(ods_code)
    return _pdf_response(ccg, PROCUREMENT, _procurement_table(ccg))
