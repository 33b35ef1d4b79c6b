"""Packs as of their moment: a past period's pack reads the records as they stood at the period's
end, is labelled with the moment generation actually read them (a retry reads again and says so),
and a version made later is the same, figures and content hash, unless a past record was corrected,
which the version comparison then names. PDFs are real WeasyPrint output, read back."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assurance import rules, services, versions
from assurance.models import AssurancePack, PackRead, PackStatus
from cocomm.audit import save_audited, system_user
from cocomm.models import User
from committees import services as committee_services
from committees.choices import CommitteeKind, DecisionStatus, VoteChoice
from committees.models import Decision
from conflicts import services as conflict_services
from conflicts.models import Breach, GiftOrHospitality, InterestType, NHSEReport, OfferKind
from tests.assurance.conftest import END, START, Scene
from tests.factories.committees import Board, decision_item, meeting_of

pytestmark = pytest.mark.django_db


def text_of(pack: AssurancePack) -> str:
    pack.file.open("rb")
    try:
        reader = PdfReader(io.BytesIO(pack.file.read()))
    finally:
        pack.file.close()
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def generated(scene: Scene, django_capture_on_commit_callbacks: Any) -> AssurancePack:
    with django_capture_on_commit_callbacks(execute=True):  # the queued task runs (eagerly, no broker)
        pack = services.pack_request(ccg=scene.ccg, start=START, end=END, by=scene.officer)
    pack.refresh_from_db()
    assert pack.status == PackStatus.READY, pack.error
    return pack


def carried(board: Board, decision: Decision) -> Decision:
    chair = board.user("lay_chair")
    committee_services.vote_open(decision=decision, by=chair)
    for key in ("lay_chair", "lay_member", "gp_one", "chief_officer"):
        committee_services.vote_cast(
            decision=decision, person=board.person(key), choice=VoteChoice.FOR, by=chair
        )
    decision = committee_services.vote_close(decision=decision, by=chair)
    return committee_services.decision_approve(decision=decision, by=chair)


def page_of(pack: AssurancePack, user: User) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("pack-detail", args=[pack.pk]))
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_a_past_pack_made_again_after_later_events_has_the_same_figures_and_content_hash(
    scene: Scene, django_capture_on_commit_callbacks: Any
) -> None:
    # Given 2016/17 as it stood: GP One declared in May 2016, nobody else declared; a breach was
    # reported in November and not yet investigated when the year ended.
    conflict_services.declaration_make(
        ccg=scene.ccg,
        person=scene.board.person("gp_one"),
        position="GP member",
        interest_type=InterestType.FINANCIAL,
        description="Partner at Promenade Surgery",
        declared_on=dt.date(2016, 5, 10),
        by=scene.officer,
    )
    breach = conflict_services.breach_record(
        ccg=scene.ccg,
        occurred_on=dt.date(2016, 11, 2),
        what_happened="A member voted on a contract with a practice in which she is a partner.",
        reported_by="Governance officer",
        by=scene.officer,
    )
    first = generated(scene, django_capture_on_commit_callbacks)
    first_text = text_of(first)

    # When, after the year: the lay member declares, GP Two's seat ends, the breach is investigated
    # and reported, the year's decision is superseded, and a new committee is set up for the CCG.
    conflict_services.declaration_make(
        ccg=scene.ccg,
        person=scene.board.person("lay_member"),
        position="Lay member",
        nil_return=True,
        declared_on=dt.date(2017, 6, 1),
        by=scene.officer,
    )
    committee_services.membership_end(
        membership=scene.board.members["gp_two"],
        ends_on=dt.date(2018, 1, 1),
        by=system_user(),
        reason="Term of office ended",
    )
    conflict_services.breach_investigate(
        breach=breach,
        investigated_by="Conflicts of Interest Guardian",
        investigated_on=dt.date(2017, 5, 2),
        findings="The member did not declare her interest.",
        nhse_report=NHSEReport.REQUIRED,
        reported_to_nhse_on=dt.date(2017, 5, 9),
        by=scene.officer,
    )
    later_item = decision_item(scene.board, meeting_of(scene.board, on=dt.date(2017, 9, 7)), scene.ccg)
    successor = committee_services.decision_supersede(
        decision=scene.decision,
        item=later_item,
        resolution="Extend the list closure by three months",
        by=scene.board.user("lay_chair"),
        reason="The practice asked for more time",
    )
    carried(scene.board, successor)
    assert Decision.objects.get(pk=scene.decision.pk).status == DecisionStatus.SUPERSEDED
    assert Breach.objects.get(pk=breach.pk).status == "investigated"
    committee_services.committee_create(
        name=f"{scene.ccg.name} Estates Group",
        kind=CommitteeKind.OTHER,
        ccgs=[scene.ccg],
        by=system_user(),
        reason="Set up in 2019",
    )
    second = generated(scene, django_capture_on_commit_callbacks)

    # Then the second version shows the year as the first did: same figures, same content hash.
    assert second.version == 2
    assert second.contents == first.contents
    assert second.content_sha256 == first.content_sha256
    assert versions.version_comparison(second).unchanged
    # Seven seats at the end of March 2017 (GP Two's among them), one declaration made by then.
    assert (first.contents["interests_declared"], first.contents["interests_overdue"]) == (1, 6)
    assert first.contents["committees"] == 1 and first.contents["breaches"] == 1
    second_text = text_of(second)
    for text in (first_text, second_text):
        assert "Gp Two" in text[text.index("Overdue:") :] and "Lay Member" in text[text.index("Overdue:") :]
        assert "1 up to date, 6 overdue" in text
        assert "Estates Group" not in text
        assert "(reported)" in text and "reported to NHS England" not in text
        assert "Extend the list closure" not in text
    # The PDF itself differs: its cover names its version and the moment its data was read.
    assert second.sha256 != first.sha256
    assert first.data_as_of is not None and second.data_as_of is not None
    assert second.data_as_of > first.data_as_of
    read_label = f"Data read at {timezone.localtime(second.data_as_of):%-d %B %Y, %H:%M:%S}"
    assert read_label in second_text and read_label not in first_text


def test_the_pack_is_labelled_with_when_its_data_was_read_and_a_retry_reads_again_and_says_so(
    scene: Scene, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = dt.datetime(2019, 5, 1, 9, 0, tzinfo=dt.UTC)
    first_read = dt.datetime(2019, 5, 1, 9, 20, tzinfo=dt.UTC)
    retried = dt.datetime(2019, 5, 3, 16, 45, tzinfo=dt.UTC)
    real_render = services.pack_render

    def broken(pack: AssurancePack) -> Any:
        raise RuntimeError("the renderer fell over")

    # Given a pack asked for at 09:00 whose task only ran at 09:20, and failed.
    with time_machine.travel(asked, tick=False), django_capture_on_commit_callbacks(execute=False):
        pack = services.pack_request(ccg=scene.ccg, start=START, end=END, by=scene.officer)
    assert pack.data_as_of is None  # nothing has been read yet
    monkeypatch.setattr(services, "pack_render", broken)
    with time_machine.travel(first_read, tick=False):
        services.pack_generate(pack_id=pack.pk, by=system_user())
    pack.refresh_from_db()
    assert pack.status == PackStatus.FAILED and pack.data_as_of == first_read

    # When the officer retries two days later.
    monkeypatch.setattr(services, "pack_render", real_render)
    with time_machine.travel(retried, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.pack_retry(pack=pack, by=scene.officer)
    pack.refresh_from_db()

    # Then the pack is labelled with the retry's reading, and says when the first attempt read.
    assert pack.status == PackStatus.READY
    assert pack.data_as_of == retried
    assert list(PackRead.objects.filter(pack=pack).values_list("read_at", flat=True)) == [first_read, retried]
    ready_row = pack.history.filter(data_as_of=retried).latest()
    assert ready_row.history_change_reason == "Assurance pack generated"
    text = text_of(pack)
    assert f"Data read at {timezone.localtime(retried):%-d %B %Y, %H:%M:%S}." in text
    assert f"the first attempt read the data at {timezone.localtime(first_read):%-d %B %Y, %H:%M:%S}" in text
    assert f"{timezone.localtime(asked):%H:%M:%S}" not in text  # not when it was asked for
    page = page_of(pack, scene.officer)
    assert f"{timezone.localtime(retried):%-d %B %Y, %H:%M:%S}" in page
    assert f"{timezone.localtime(first_read):%-d %B %Y, %H:%M:%S} (first attempt)" in page
    # Rendering the ready pack again gives the same bytes: the labels come from what was recorded.
    assert services.pack_render(pack).pdf == pack.file.open("rb").read()


def test_a_correction_to_a_past_record_changes_the_content_hash_and_is_named_in_the_comparison(
    scene: Scene, django_capture_on_commit_callbacks: Any
) -> None:
    person = scene.board.person("chief_officer")
    dinner = conflict_services.offer_record(
        ccg=scene.ccg,
        person=person,
        kind=OfferKind.HOSPITALITY,
        description="Dinner at the regional primary care conference",
        value=Decimal("40.00"),
        offeror="Fylde Coast Medical Services, a GP federation",
        from_supplier=False,
        offered_on=dt.date(2016, 11, 15),
        accepted=True,
        by=scene.officer,
    )
    first = generated(scene, django_capture_on_commit_callbacks)

    # A recorded correction years later: the dinner's value, with the reason, by the officer.
    corrected_at = timezone.now()
    dinner = GiftOrHospitality.objects.get(pk=dinner.pk)
    dinner.value = Decimal("60.00")
    save_audited(dinner, by=scene.officer, reason="Correction: the invoice shows £60, not £40")
    # And an offer of the year recorded only now.
    conflict_services.offer_record(
        ccg=scene.ccg,
        person=person,
        kind=OfferKind.GIFT,
        description="A bottle of wine",
        value=Decimal("15.00"),
        offeror="A patient participation group",
        from_supplier=False,
        offered_on=dt.date(2017, 2, 14),
        accepted=False,
        by=scene.officer,
    )
    second = generated(scene, django_capture_on_commit_callbacks)

    assert second.content_sha256 != first.content_sha256
    assert "£60.00" in text_of(second) and "£60.00" not in text_of(first)
    comparison = versions.version_comparison(second)
    assert comparison.previous == first and not comparison.unchanged
    counts = [(c.label, c.before, c.after) for c in comparison.counts]
    assert counts == [("Gifts and hospitality offered", 1, 2)]
    by_label = {change.label: change for change in comparison.records}
    corrected = by_label["Hospitality offered to Chief Officer on 15 Nov 2016"]
    assert corrected.kind == rules.RecordChangeKind.CHANGED
    assert corrected.fields == (rules.FieldChange("Value", "£40.00", "£60.00"),)
    (correction,) = dict(comparison.record_lines)[corrected]
    assert correction.reason == "Correction: the invoice shows £60, not £40"
    assert correction.by == str(scene.officer) and correction.after_period
    assert correction.when >= corrected_at
    assert by_label["Gift offered to Chief Officer on 14 Feb 2017"].kind == rules.RecordChangeKind.ADDED
    assert len(comparison.records) == 2  # nothing else is named

    page = page_of(second, scene.reviewer)
    assert "Hospitality offered to Chief Officer on 15 Nov 2016" in page
    assert "Value: “£40.00” in version 1, now “£60.00”" in page
    assert "Corrected after the period ended on" in page
    assert "Correction: the invoice shows £60, not £40" in page
    assert "Gift offered to Chief Officer on 14 Feb 2017</strong>: new in this version" in page
    assert "Recorded after the period ended on" in page and "Declined offer recorded" in page
    assert "Gifts and hospitality offered: 1 in version 1, now 2" in page


def test_the_comparison_takes_the_same_queries_for_one_corrected_record_or_three(
    scene: Scene, django_capture_on_commit_callbacks: Any
) -> None:
    gifts = [
        conflict_services.offer_record(
            ccg=scene.ccg,
            person=scene.board.person("chief_officer"),
            kind=OfferKind.HOSPITALITY,
            description=f"Lunch {day}",
            value=Decimal("30.00"),
            offeror="A GP federation",
            from_supplier=False,
            offered_on=dt.date(2016, 12, day),
            accepted=True,
            by=scene.officer,
        )
        for day in (1, 2, 3, 4)
    ]

    def correct(gift: GiftOrHospitality) -> None:
        gift = GiftOrHospitality.objects.get(pk=gift.pk)
        gift.value += Decimal("5.00")
        save_audited(gift, by=scene.officer, reason="Correction of the value")

    def page_queries(pack: AssurancePack) -> int:
        client = Client()
        client.force_login(scene.officer)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("pack-detail", args=[pack.pk])).status_code == 200
        return len(captured)

    generated(scene, django_capture_on_commit_callbacks)
    correct(gifts[0])
    second = generated(scene, django_capture_on_commit_callbacks)
    for gift in gifts[1:]:
        correct(gift)
    third = generated(scene, django_capture_on_commit_callbacks)

    assert len(versions.version_comparison(second).records) == 1
    assert len(versions.version_comparison(third).records) == 3
    assert page_queries(third) == page_queries(second)
