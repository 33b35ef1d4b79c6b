"""The pack tells the whole truth: every declaration and ruling at the period's meetings, whatever
became of the item, and the day each level actually took effect. Read back from the real PDF."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from assurance import selectors, services
from assurance.models import AssurancePack, PackStatus
from cocomm.audit import system_user
from committees import services as committee_services
from committees.choices import Purpose
from conflicts import services as conflict_services
from conflicts.models import InterestType, ReferralRoute, Ruling
from tests.assurance.conftest import END, START, STATEMENT, Scene
from tests.factories.committees import decision_item, meeting_of

pytestmark = pytest.mark.django_db

NOTING_STATEMENT = "Trustee of the Blackpool Carers Centre, which the report mentions"
UNDECIDED_STATEMENT = "Spouse works for the federation bidding for the extended hours service"
REFERRED_STATEMENTS = (
    "Partner at Layton Medical Centre, one of the merging practices",
    "Salaried GP at Layton",
)


def text_of(pack: AssurancePack) -> str:
    reader = PdfReader(io.BytesIO(pack.file.read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return re.sub(r"(\w)- (\w)", r"\1-\2", text)  # words broken at a hyphen in narrow cells


def generated(scene: Scene, capture: Any, start: dt.date = START, end: dt.date = END) -> AssurancePack:
    with capture(execute=True):  # no broker in these tests: the queued task runs in-process
        pack = services.pack_request(ccg=scene.ccg, start=start, end=end, by=scene.officer)
    pack.refresh_from_db()
    assert pack.status == PackStatus.READY, pack.error
    return pack


def a_meeting_of_undecided_items(scene: Scene, on: dt.date = dt.date(2016, 11, 10)) -> None:
    """A meeting in the period where nothing was decided: an item for noting, an item for decision
    left without a decision, and one referred because both GPs left the room for it."""
    board, chair = scene.board, scene.board.user("lay_chair")
    meeting = meeting_of(board, on=on)
    noting = committee_services.agenda_item_add(
        meeting=meeting,
        committee=board.committee,
        title="Carers support update",
        purpose=Purpose.NOTING,
        ccg=scene.ccg,
        by=system_user(),
        reason="Agenda set",
    )
    interest = conflict_services.declaration_make(
        ccg=scene.ccg,
        person=board.person("lay_member"),
        position="Lay member",
        interest_type=InterestType.PERSONAL,
        description="Trustee",
        organisation_name="Blackpool Carers Centre",
        interest_from=dt.date(2014, 1, 1),
        declared_on=dt.date(2016, 4, 4),
        by=system_user(),
    )
    conflict_services.item_declaration_rule(
        item=noting,
        person=board.person("lay_member"),
        statement=NOTING_STATEMENT,
        ruling=Ruling.NOTED,
        ruling_reason="The carers update asks nothing of the centre",
        interest=interest,
        by=chair,
    )
    undecided = decision_item(board, meeting, scene.ccg, function=4, title="Extended hours procurement")
    conflict_services.item_declaration_rule(
        item=undecided,
        person=board.person("chief_officer"),
        statement=UNDECIDED_STATEMENT,
        ruling=Ruling.NO_VOTE,
        by=chair,
    )
    referred = decision_item(board, meeting, scene.ccg, function=3, title="Merger of Layton practices")
    for key, statement in zip(("gp_one", "gp_two"), REFERRED_STATEMENTS, strict=True):
        conflict_services.item_declaration_rule(
            item=referred,
            person=board.person(key),
            statement=statement,
            ruling=Ruling.LEAVES,
            papers_withheld=True,
            by=chair,
        )
    conflict_services.referral_record(
        item=referred, route=ReferralRoute.CO_OPTION, guardian_consulted=True, by=chair
    )


def test_every_declaration_at_the_periods_meetings_is_listed_with_its_ruling_and_the_items_fate(
    scene: Scene, django_capture_on_commit_callbacks: Any
) -> None:
    a_meeting_of_undecided_items(scene)
    chair = scene.board.user("lay_chair")

    pack = generated(scene, django_capture_on_commit_callbacks)

    text = text_of(pack)
    section = text[text.rindex("4. Meetings and quorum") : text.rindex("5. Decisions")]
    assert section.count("Declarations of interest and rulings") == 2  # one per meeting
    # The decided item of June, as before, now also under its meeting.
    assert STATEMENT in section and "Carried (approved)" in section
    # For noting: the ruling, who ruled, and the register entry behind the declaration.
    assert (
        f"{NOTING_STATEMENT} (register: non-financial personal interest in Blackpool Carers Centre" in section
    )
    assert "Noted; may take part" in section and "For noting" in section
    # For decision but never decided.
    assert UNDECIDED_STATEMENT in section and "(not on the register)" in section
    assert "For decision; no decision recorded" in section
    # Referred: both GPs left the room, with the papers withheld.
    for statement in REFERRED_STATEMENTS:
        assert statement in section
    assert section.count("Leaves the meeting for the item; papers withheld") == 2
    assert "Referred to co-opted non-conflicted members" in section
    assert section.count(str(chair)) >= 5  # the chair ruled on every one of them
    assert pack.contents["meeting_declarations"] == 5
    assert pack.contents["item_declarations"] == 4  # those on items for decision, as before


def test_a_meeting_without_declarations_says_so(
    scene: Scene, django_capture_on_commit_callbacks: Any
) -> None:
    meeting_of(scene.board, on=dt.date(2017, 1, 12))

    text = text_of(generated(scene, django_capture_on_commit_callbacks))

    assert "No declarations of interest were made at this meeting." in text


def test_section_1_shows_the_day_each_level_took_effect_not_the_period_start(
    scene: Scene, django_capture_on_commit_callbacks: Any
) -> None:
    # The CCG took level 2 on 1 April 2015 and level 3 on 1 April 2016 (see the scene).
    across = generated(scene, django_capture_on_commit_callbacks, dt.date(2015, 10, 1), dt.date(2016, 9, 30))
    later = generated(scene, django_capture_on_commit_callbacks, dt.date(2016, 6, 1), dt.date(2017, 5, 31))

    across_text = text_of(across)
    levels = across_text[
        across_text.rindex("1. Level of co-commissioning") : across_text.rindex("2. Decision")
    ]
    assert "1 Apr 2015 (before the period) 1 Oct 2015 to 31 Mar 2016" in levels
    assert "1 Apr 2016 1 Apr 2016 to 30 Sep 2016" in levels
    assert across.contents["levels"] == 2

    later_text = text_of(later)
    levels = later_text[later_text.rindex("1. Level of co-commissioning") : later_text.rindex("2. Decision")]
    assert "1 Apr 2016 (before the period) 1 Jun 2016 to 31 May 2017" in levels
    assert "1 Jun 2016 to" in levels and "Took effect 1 Jun 2016" not in levels


def test_the_pack_takes_the_same_queries_for_one_meeting_of_declarations_or_three(scene: Scene) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            data = selectors.pack_data(scene.ccg, START, END)
            render_to_string(services.SECTIONS_TEMPLATE, {"data": data})
        return len(captured)

    a_meeting_of_undecided_items(scene, on=dt.date(2016, 11, 10))
    one = queries()
    a_meeting_of_undecided_items(scene, on=dt.date(2016, 12, 8))
    a_meeting_of_undecided_items(scene, on=dt.date(2017, 2, 9))

    assert queries() == one
    assert selectors.pack_data(scene.ccg, START, END).contents["meeting_declarations"] == 13
