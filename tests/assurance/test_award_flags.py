"""The assurance pack lists the period's awards made to a body in which someone who took part in
the decision held an interest, each flagged in words: declared and managed, or not declared."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from assurance import selectors, services
from assurance.models import PackStatus
from cocomm.audit import system_user
from committees import services as committee_services
from committees.choices import MatterKind, VoteChoice
from committees.models import Decision
from conflicts import services as conflict_services
from conflicts.models import InterestType, ProcurementRoute, Ruling
from conflicts.selectors import procurement_entries
from functions.models import Function
from tests.assurance.conftest import END, START, Scene
from tests.factories.cocomm import OrganisationFactory
from tests.factories.committees import meeting_of

pytestmark = pytest.mark.django_db


def awarded(scene: Scene, on: dt.date, supplier: Any, *, rule_gp_two: bool = False) -> Decision:
    board, ccg = scene.board, scene.ccg
    chair = board.user("lay_chair")
    matter = committee_services.matter_raise(
        ccg=ccg,
        function=Function.objects.get(number=4),
        kind=MatterKind.PROCUREMENT,
        title=f"Extended access {on:%B}",
        by=system_user(),
        reason="Received",
    )
    item = committee_services.matter_schedule(
        matter=matter, meeting=meeting_of(board, on=on), by=system_user(), reason="Agenda"
    )
    if rule_gp_two:
        conflict_services.item_declaration_rule(
            item=item, person=board.person("gp_two"), statement="Director", ruling=Ruling.LEAVES, by=chair
        )
    decision = committee_services.decision_propose(item=item, resolution="Award", by=chair, reason="Moved")
    committee_services.vote_open(decision=decision, by=chair)
    for key in ("lay_chair", "lay_member", "gp_one", "chief_officer"):
        committee_services.vote_cast(
            decision=decision, person=board.person(key), choice=VoteChoice.FOR, by=chair
        )
    decision = committee_services.vote_close(decision=decision, by=chair)
    decision = committee_services.decision_approve(decision=decision, by=chair)
    conflict_services.award_record(
        decision=decision,
        supplier=supplier,
        value=Decimal("90000"),
        route=ProcurementRoute.DIRECT_AWARD_C,
        starts_on=on + dt.timedelta(days=60),
        ends_on=on + dt.timedelta(days=60 + 365),
        by=scene.officer,
    )
    return decision


@pytest.fixture
def federation(scene: Scene) -> Any:
    federation = OrganisationFactory(name="Fylde Coast GP Federation")
    for key in ("gp_one", "gp_two"):
        conflict_services.declaration_make(
            ccg=scene.ccg,
            person=scene.board.person(key),
            position="GP member",
            interest_type=InterestType.FINANCIAL,
            description="Shareholder of the federation",
            organisation=federation,
            interest_from=dt.date(2014, 1, 1),
            declared_on=dt.date(2015, 1, 20),  # on the register before the period began
            by=scene.board.user(key),
        )
    return federation


def test_the_pack_lists_the_flagged_award_in_words(
    scene: Scene, federation: Any, django_capture_on_commit_callbacks: Any
) -> None:
    awarded(scene, dt.date(2016, 9, 8), federation, rule_gp_two=True)
    awarded(scene, dt.date(2016, 10, 6), OrganisationFactory(name="Unconnected Ltd"))

    with django_capture_on_commit_callbacks(execute=True):
        pack = services.pack_request(ccg=scene.ccg, start=START, end=END, by=scene.officer)
    pack.refresh_from_db()

    assert pack.status == PackStatus.READY, pack.error
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pack.file.read())).pages).split()
    )
    assert "Awards checked against interests" in text
    assert "awarded to Fylde Coast GP Federation" in text
    assert "Not declared at the item Gp One held an interest in the supplier" in text
    assert "Declared and managed Gp Two held an interest in the supplier" in text
    assert "Unconnected Ltd" in text  # on the register, but not flagged
    assert text.count("Not declared at the item") == 1


def test_gathering_the_awards_takes_the_same_queries_for_one_or_four(scene: Scene, federation: Any) -> None:
    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            data = selectors.pack_data(scene.ccg, START, END)
        return len(captured), len(data.flagged_awards)

    awarded(scene, dt.date(2016, 9, 8), federation)
    one, flagged = queries()
    assert flagged == 1
    for month in (10, 11, 12):
        awarded(scene, dt.date(2016, month, 8), federation)

    assert queries() == (one, 4)


def test_an_interest_declared_only_after_the_period_does_not_flag_the_periods_award(scene: Scene) -> None:
    # The pack shows the register as it stood at the end of the period: an interest first declared
    # in June 2017 was not on it, whatever date the interest is said to have begun.
    federation = OrganisationFactory(name="Fylde Coast GP Federation")
    conflict_services.declaration_make(
        ccg=scene.ccg,
        person=scene.board.person("gp_one"),
        position="GP member",
        interest_type=InterestType.FINANCIAL,
        description="Shareholder of the federation",
        organisation=federation,
        interest_from=dt.date(2014, 1, 1),
        declared_on=dt.date(2017, 6, 1),
        by=scene.board.user("gp_one"),
    )
    awarded(scene, dt.date(2016, 9, 8), federation)

    data = selectors.pack_data(scene.ccg, START, END)

    assert len(data.awards) == 1 and data.flagged_awards == []
    # The register itself, read today, does flag it.
    (today,) = procurement_entries([entry.record for entry in data.awards])
    assert [line.person for line in today.flags] == ["Gp One"]
