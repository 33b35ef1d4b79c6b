"""The pack counts and lists the declarations made late in its period (more than 28 days after the
interest arose, s.14O NHS Act 2006), and the offers of gifts and hospitality declared late; those made
outside the period are not in it; the queries stay the same however many are late."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from assurance import selectors, services
from assurance.models import AssurancePack, PackStatus
from cocomm.audit import system_user
from conflicts import services as conflict_services
from conflicts.models import Declaration, InterestType
from tests.assurance.conftest import END, START, Scene

pytestmark = pytest.mark.django_db

D = dt.date


def declared(scene: Scene, key: str, arose: dt.date, on: dt.date, body: str) -> Declaration:
    return conflict_services.declaration_make(
        ccg=scene.ccg,
        person=scene.board.person(key),
        position="Member",
        interest_type=InterestType.FINANCIAL,
        description=f"Director of {body}",
        organisation_name=body,
        interest_from=arose,
        declared_on=on,
        by=system_user(),
    )


def offered(scene: Scene, on: dt.date, recorded: dt.date, what: str = "Dinner") -> None:
    with time_machine.travel(dt.datetime.combine(recorded, dt.time(12), tzinfo=dt.UTC), tick=False):
        conflict_services.offer_record(
            ccg=scene.ccg,
            person=scene.board.person("gp_two"),
            kind="hospitality",
            description=what,
            value=Decimal("40"),
            offeror="Medisoft Systems Ltd",
            from_supplier=False,
            offered_on=on,
            accepted=True,
            by=system_user(),
        )


def text_of(pack: AssurancePack) -> str:
    reader = PdfReader(io.BytesIO(pack.file.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_pack_counts_and_lists_the_periods_late_declarations(
    scene: Scene, django_capture_on_commit_callbacks: Any
) -> None:
    declared(scene, "gp_one", D(2016, 6, 1), D(2016, 7, 11), "Fylde Coast Pharmacy Ltd")  # late by 12
    declared(scene, "gp_two", D(2016, 6, 1), D(2016, 6, 29), "On Time Ltd")  # day 28
    declared(scene, "lay_member", D(2017, 2, 1), D(2017, 4, 11), "After The Period Ltd")  # late, in 2017/18
    offered(scene, D(2016, 9, 1), D(2016, 10, 11))  # late by 12
    offered(scene, D(2016, 9, 1), D(2016, 9, 2), "Lunch")  # on time

    with django_capture_on_commit_callbacks(execute=True):
        pack = services.pack_request(ccg=scene.ccg, start=START, end=END, by=scene.officer)
    pack.refresh_from_db()
    assert pack.status == PackStatus.READY, pack.error

    assert pack.contents["declarations_late"] == 1
    assert pack.contents["offers_late"] == 1
    text = text_of(pack)
    section = text[text.rindex("7. Registers") :]
    assert "Declared late" in section
    assert "Fylde Coast Pharmacy Ltd" in section and "After The Period Ltd" not in section
    assert "On Time Ltd" not in section
    assert section.count("Late by 12 days") == 2  # the entry and the offer


def test_the_next_periods_pack_takes_the_declaration_made_in_it(scene: Scene) -> None:
    declared(scene, "lay_member", D(2017, 2, 1), D(2017, 4, 11), "After The Period Ltd")

    this_year = selectors.pack_data(scene.ccg, START, END)
    next_year = selectors.pack_data(scene.ccg, D(2017, 4, 1), D(2018, 3, 31))

    assert this_year.late_declarations == []
    assert [d.organisation_name for d in next_year.late_declarations] == ["After The Period Ltd"]
    assert next_year.late_declarations[0].days_late == 41


def test_gathering_the_pack_takes_the_same_queries_for_one_late_declaration_or_ten(scene: Scene) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            data = selectors.pack_data(scene.ccg, START, END)
            html = render_to_string(services.SECTIONS_TEMPLATE, {"data": data})
        assert len(re.findall("Late by", html)) == len(data.late_declarations) + len(data.late_offers)
        return len(captured)

    declared(scene, "gp_one", D(2016, 6, 1), D(2016, 7, 11), "Company 0")
    offered(scene, D(2016, 9, 1), D(2016, 10, 11))
    one = queries()
    for n in range(1, 10):
        declared(
            scene, ("gp_one", "gp_two", "lay_member")[n % 3], D(2016, 6, 1), D(2016, 7, 11), f"Company {n}"
        )
        offered(scene, D(2016, 9, 1), D(2016, 10, 11), f"Dinner {n}")

    assert queries() == one
    assert selectors.pack_data(scene.ccg, START, END).contents["declarations_late"] == 10
