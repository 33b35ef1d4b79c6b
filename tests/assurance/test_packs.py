"""Assurance packs: content read back from the real PDF, hashes, idempotent generation, retries,
immutability, reviews and who may see what."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from assurance import selectors, services
from assurance.models import AssurancePack, PackReview, PackStatus, ReviewOutcome
from assurance.tasks import pack_generate_task
from cocomm.audit import system_user
from delegation.models import RAG, Stance
from delegation.readiness import readiness_action_add, readiness_action_done, readiness_record
from functions.models import Function
from tests.assurance.conftest import END, RESOLUTION, START, STATEMENT, Scene, decide

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def generated(scene: Scene, django_capture_on_commit_callbacks: Any) -> AssurancePack:
    with django_capture_on_commit_callbacks(execute=True):  # the queued task runs (eagerly, no broker)
        pack = services.pack_request(ccg=scene.ccg, start=START, end=END, by=scene.officer)
    pack.refresh_from_db()
    return pack


def test_the_pdf_holds_every_section_the_decision_and_the_declared_conflict(
    scene: Scene, django_capture_on_commit_callbacks: Any
) -> None:
    pack = generated(scene, django_capture_on_commit_callbacks)

    assert pack.status == PackStatus.READY, pack.error
    pdf = pack.file.read()
    text = " ".join(text_of(pdf).split())
    for heading in (
        "Contents",
        "1. Level of co-commissioning",
        "2. Decision-rights matrix",
        "3. Committees",
        "4. Meetings and quorum",
        "5. Decisions",
        "6. Inquorate and referred items; chair's actions",
        "7. Registers",
        "8. Readiness and open actions",
    ):
        assert heading in text
    assert RESOLUTION in text
    assert STATEMENT in text and "Stays for the discussion; does not vote" in text
    assert "Page 1 of" in text and scene.ccg.name in text
    assert pack.page_count == len(PdfReader(io.BytesIO(pdf)).pages)
    assert 8 <= pack.page_count <= 20
    assert pack.contents["decisions"] == 1 and pack.contents["item_declarations"] == 1
    assert pack.contents["meetings"] == 1 and pack.contents["levels"] == 1


def test_the_pack_shows_the_readiness_grid_and_the_open_actions_as_they_stood_at_the_end_of_the_period(
    scene: Scene, django_capture_on_commit_callbacks: Any
) -> None:
    # Readiness carries no date of its own: its history says what it was when the period ended.
    estates = Function.objects.get(number=14)
    positions = {
        "corporate": ("Terms of reference need the estates remit.", RAG.AMBER),
        "finance": ("No capital budget has been delegated.", RAG.RED),
        "primary_care": ("The team has an estates lead.", RAG.GREEN),
        "contracts": ("Leases are held by NHS Property Services.", RAG.GREEN),
    }
    with time_machine.travel(dt.datetime(2016, 10, 3, 10, tzinfo=dt.UTC), tick=False):
        assessment = readiness_record(
            ccg=scene.ccg,
            function=estates,
            stance=Stance.INTERESTED,
            positions=positions,
            by=scene.officer,
            reason="Readiness reviewed",
        )
        readiness_action_add(
            assessment=assessment,
            description="Agree the capital budget with the area team",
            owner="Chief finance officer",
            due_on=dt.date(2017, 1, 31),
            by=scene.officer,
        )
        named = readiness_action_add(
            assessment=assessment,
            description="Name an estates lead",
            due_on=dt.date(2017, 6, 30),
            by=scene.officer,
        )
    # After the period: the budget is agreed, the lead named, and a new function assessed.
    readiness_record(
        ccg=scene.ccg,
        function=estates,
        stance=Stance.INTERESTED,
        positions={**positions, "finance": ("Capital budget agreed.", RAG.GREEN)},
        by=scene.officer,
        reason="Readiness reviewed again",
    )
    readiness_action_done(action=named, by=scene.officer, reason="Lead named")
    readiness_record(
        ccg=scene.ccg,
        function=Function.objects.get(number=12),
        stance=Stance.DOING,
        positions=positions,
        by=scene.officer,
        reason="Readiness reviewed",
    )

    pack = generated(scene, django_capture_on_commit_callbacks)

    text = " ".join(text_of(pack.file.read()).split())
    section = text[text.rindex("8. Readiness and open actions") :]  # the section, not its contents line
    assert "as it stood at the end of 31 March 2017" in section
    assert f"14. {estates.name}" in section
    assert "Amber Red Green Green Interested in taking on" in section
    assert "Agree the capital budget with the area team Chief finance officer 31 Jan 2017 Overdue" in section
    assert "Name an estates lead — 30 Jun 2017" in section and "30 Jun 2017 Overdue" not in section
    assert section.count("Not assessed") == 13
    assert pack.contents["functions_assessed"] == 1 and pack.contents["readiness_red"] == 1
    assert pack.contents["readiness_actions_open"] == 2
    assert pack.contents["readiness_actions_overdue"] == 1


def test_the_sha256_is_stored_and_matches_the_file(
    scene: Scene, django_capture_on_commit_callbacks: Any
) -> None:
    pack = generated(scene, django_capture_on_commit_callbacks)

    assert len(pack.sha256) == 64
    assert hashlib.sha256(pack.file.read()).hexdigest() == pack.sha256
    row = pack.history.latest()
    assert (row.history_user, row.history_change_reason) == (system_user(), "Assurance pack generated")


def test_regenerating_without_changes_gives_the_same_content(
    scene: Scene, django_capture_on_commit_callbacks: Any
) -> None:
    first = generated(scene, django_capture_on_commit_callbacks)
    second = generated(scene, django_capture_on_commit_callbacks)

    # The same pack renders to the same bytes; a new version of unchanged data has the same content.
    assert services.pack_render(first)[0] == first.file.read()
    assert second.version == 2
    assert second.content_sha256 == first.content_sha256
    assert second.contents == first.contents

    decide(scene.board, scene.ccg, dt.date(2016, 9, 8), "Approve the merger of two practices")
    third = generated(scene, django_capture_on_commit_callbacks)
    assert third.content_sha256 != second.content_sha256
    assert third.contents["decisions"] == 2


def test_running_the_task_twice_leaves_one_ready_pack(
    scene: Scene, django_capture_on_commit_callbacks: Any
) -> None:
    pack = generated(scene, django_capture_on_commit_callbacks)
    sha = pack.sha256

    assert pack_generate_task.delay(pack.pk).get() == PackStatus.READY
    assert AssurancePack.objects.filter(ccg=scene.ccg).count() == 1
    pack.refresh_from_db()
    assert (pack.status, pack.sha256) == (PackStatus.READY, sha)


def test_a_failed_pack_writes_no_file_and_a_retry_ends_ready(
    scene: Scene, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_render = services.pack_render

    def broken(pack: AssurancePack) -> Any:
        raise RuntimeError("the renderer fell over")

    monkeypatch.setattr(services, "pack_render", broken)
    pack = generated(scene, django_capture_on_commit_callbacks)
    assert pack.status == PackStatus.FAILED
    assert "the renderer fell over" in pack.error
    assert not pack.file and pack.sha256 == ""

    monkeypatch.setattr(services, "pack_render", real_render)
    with django_capture_on_commit_callbacks(execute=True):
        services.pack_retry(pack=pack, by=scene.officer)
    pack.refresh_from_db()
    assert pack.status == PackStatus.READY and pack.error == ""
    assert AssurancePack.objects.filter(ccg=scene.ccg).count() == 1


def test_a_ready_pack_cannot_be_changed(scene: Scene, django_capture_on_commit_callbacks: Any) -> None:
    pack = generated(scene, django_capture_on_commit_callbacks)

    pack.page_count = 1
    with pytest.raises(ValidationError, match="cannot be changed"):
        pack.save()
    pack.refresh_from_db()
    with pytest.raises(ValidationError):
        pack.move(PackStatus.QUEUED)


def test_only_the_ccgs_officer_or_an_administrator_may_ask_for_a_pack(scene: Scene) -> None:
    with pytest.raises(PermissionDenied):
        services.pack_request(ccg=scene.ccg, start=START, end=END, by=scene.reviewer)
    with pytest.raises(ValidationError):
        services.pack_request(ccg=scene.ccg, start=END, end=START, by=scene.officer)


def test_the_areas_reviewer_records_the_outcome_and_the_officer_responds(
    scene: Scene, django_capture_on_commit_callbacks: Any
) -> None:
    pack = generated(scene, django_capture_on_commit_callbacks)

    for outsider in (scene.other_reviewer, scene.officer):
        with pytest.raises(PermissionDenied):
            services.review_record(
                pack=pack, outcome=ReviewOutcome.FULL, comments="Fine", actions="", by=outsider
            )
    review = services.review_record(
        pack=pack,
        outcome=ReviewOutcome.SUBSTANTIAL,
        comments="Good control of conflicts.",
        actions="Chase overdue declarations.",
        by=scene.reviewer,
    )
    assert PackReview.objects.get(pack=pack).outcome == ReviewOutcome.SUBSTANTIAL
    assert review.history.latest().history_user == scene.reviewer

    with pytest.raises(PermissionDenied):
        services.review_respond(review=review, response="Done", by=scene.reviewer)
    review = services.review_respond(review=review, response="All chased by May.", by=scene.officer)
    row = review.history.latest()
    assert (row.history_user, row.history_change_reason) == (
        scene.officer,
        "CCG responded to the assurance review",
    )


def test_every_assurance_model_keeps_history() -> None:
    assert hasattr(AssurancePack, "history") and hasattr(PackReview, "history")


def test_gathering_a_pack_takes_the_same_queries_for_one_meeting_or_five(scene: Scene) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            data = selectors.pack_data(scene.ccg, START, END)
        assert len(data.meetings) == len(data.decisions)
        return len(captured)

    one_meeting = queries()
    for month in range(7, 11):
        decide(scene.board, scene.ccg, dt.date(2016, month, 9), f"Decision of month {month}", declare=True)

    assert queries() == one_meeting
