"""The assurance pages and API: who sees which packs (404 for a hidden one), download, review forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assurance import services
from assurance.models import AssurancePack, PackReview, PackStatus
from cocomm import services as core_services
from cocomm.audit import system_user
from cocomm.models import CCG, RoleKind, User
from tests.assurance.conftest import END, START, Scene
from tests.factories.cocomm import CCGFactory
from tests.factories.delegation import give_level

pytestmark = pytest.mark.django_db


@pytest.fixture
def pack(scene: Scene, django_capture_on_commit_callbacks: Any) -> AssurancePack:
    with django_capture_on_commit_callbacks(execute=True):
        made = services.pack_request(ccg=scene.ccg, start=START, end=END, by=scene.officer)
    made.refresh_from_db()
    assert made.status == PackStatus.READY
    return made


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_reviewer_of_another_area_gets_404_on_the_page_the_download_and_the_api(
    scene: Scene, pack: AssurancePack
) -> None:
    outsider = client_for(scene.other_reviewer)

    assert outsider.get(reverse("pack-detail", args=[pack.pk])).status_code == 404
    assert outsider.get(reverse("pack-download", args=[pack.pk])).status_code == 404
    assert outsider.get(reverse("pack-list", args=[scene.ccg.ods_code])).status_code == 404
    assert outsider.get(reverse("api-assurance-pack-detail", args=[pack.pk])).status_code == 404
    assert outsider.get(reverse("api-assurance-pack-download", args=[pack.pk])).status_code == 404
    assert outsider.get(reverse("api-assurance-pack-list")).json()["results"] == []


def test_the_areas_reviewer_reads_and_downloads_the_pack(scene: Scene, pack: AssurancePack) -> None:
    reviewer = client_for(scene.reviewer)

    page = reviewer.get(reverse("pack-detail", args=[pack.pk]))
    assert page.status_code == 200
    assert pack.sha256 in page.content.decode()
    assert "Record the review" in page.content.decode()
    download = reviewer.get(reverse("pack-download", args=[pack.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")

    api = reviewer.get(reverse("api-assurance-pack-list"), {"ccg": scene.ccg.ods_code.lower()}).json()
    assert [p["id"] for p in api["results"]] == [pack.pk]
    assert api["results"][0]["sha256"] == pack.sha256
    pdf = reviewer.get(reverse("api-assurance-pack-download", args=[pack.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_anonymous_callers_get_403_from_the_api_and_a_login_page_from_the_site(pack: AssurancePack) -> None:
    anonymous = Client()

    assert anonymous.get(reverse("api-assurance-pack-list")).status_code == 403
    assert anonymous.get(reverse("api-assurance-pack-detail", args=[pack.pk])).status_code == 403
    assert anonymous.get(reverse("pack-detail", args=[pack.pk])).status_code == 302


def test_the_officer_asks_for_a_pack_from_the_list_page(
    scene: Scene, django_capture_on_commit_callbacks: Any
) -> None:
    officer = client_for(scene.officer)
    url = reverse("pack-list", args=[scene.ccg.ods_code])
    assert "Generate a pack" in officer.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(
            url,
            {
                "period_start_day": "1",
                "period_start_month": "4",
                "period_start_year": "2016",
                "period_end_day": "30",
                "period_end_month": "6",
                "period_end_year": "2016",
            },
        )
    made = AssurancePack.objects.get(ccg=scene.ccg)
    assert response.status_code == 302 and response["Location"] == reverse("pack-detail", args=[made.pk])
    assert (made.period_start, made.period_end, made.status) == (
        dt.date(2016, 4, 1),
        dt.date(2016, 6, 30),
        PackStatus.READY,
    )
    # A reviewer sees the list but not the form, and cannot post to it.
    reviewer = client_for(scene.reviewer)
    assert "Generate a pack" not in reviewer.get(url).content.decode()
    assert reviewer.post(url, {}).status_code == 404


def test_the_review_and_response_forms(scene: Scene, pack: AssurancePack) -> None:
    url = reverse("pack-detail", args=[pack.pk])
    outsider = client_for(scene.other_reviewer)
    assert outsider.post(url, {"form": "review", "outcome": "full", "comments": "x"}).status_code == 404

    response = client_for(scene.reviewer).post(
        url,
        {"form": "review", "outcome": "substantial", "comments": "Sound.", "actions": "Chase declarations."},
    )
    assert response.status_code == 302
    assert PackReview.objects.get(pack=pack).outcome == "substantial"

    assert client_for(scene.reviewer).post(url, {"form": "response", "response": "x"}).status_code == 404
    response = client_for(scene.officer).post(url, {"form": "response", "response": "Chased."})
    assert response.status_code == 302
    assert PackReview.objects.get(pack=pack).response == "Chased."
    body = client_for(scene.reviewer).get(reverse("api-assurance-pack-detail", args=[pack.pk])).json()
    assert body["review"]["outcome"] == "substantial" and body["review"]["response"] == "Chased."


def test_an_empty_review_or_response_is_answered_with_errors_and_nothing_saved(
    scene: Scene, pack: AssurancePack
) -> None:
    url = reverse("pack-detail", args=[pack.pk])

    empty_review = client_for(scene.reviewer).post(url, {"form": "review", "comments": "", "actions": ""})

    assert empty_review.status_code == 200
    assert "Select the level of assurance" in empty_review.content.decode()
    assert "Enter your comments" in empty_review.content.decode()
    assert not PackReview.objects.filter(pack=pack).exists()

    services.review_record(pack=pack, outcome="full", comments="Sound.", actions="", by=scene.reviewer)
    empty_response = client_for(scene.officer).post(url, {"form": "response", "response": "  "})
    assert empty_response.status_code == 200
    assert "Enter the CCG&#x27;s response" in empty_response.content.decode()
    assert PackReview.objects.get(pack=pack).response == ""


def test_a_second_version_shows_what_changed(
    scene: Scene, pack: AssurancePack, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        second = services.pack_request(ccg=scene.ccg, start=START, end=END, by=scene.officer)
    page = client_for(scene.officer).get(reverse("pack-detail", args=[second.pk])).content.decode()
    assert "Nothing: the content is the same as version 1." in page


def test_a_pack_in_progress_reloads_its_page_until_it_is_ready(scene: Scene, pack: AssurancePack) -> None:
    waiting = services.pack_request(ccg=scene.ccg, start=START, end=END, by=scene.officer)  # task not run
    officer = client_for(scene.officer)

    in_progress = officer.get(reverse("pack-detail", args=[waiting.pk])).content.decode()
    ready = officer.get(reverse("pack-detail", args=[pack.pk])).content.decode()

    assert '<meta http-equiv="refresh" content="5">' in in_progress
    assert "updates itself every few seconds" in in_progress
    assert 'http-equiv="refresh"' not in ready


def test_the_overview_shows_each_ccg_of_the_area_with_its_latest_pack_and_review(
    scene: Scene, pack: AssurancePack, other_ccg: CCG, django_capture_on_commit_callbacks: Any
) -> None:
    reviewer = client_for(scene.reviewer)
    page = reviewer.get(reverse("pack-overview")).content.decode()

    assert scene.ccg.name in page and other_ccg.name not in page  # another area's CCG
    assert "Awaiting review" in page and "<strong>1</strong> pack awaiting review" in page
    assert reverse("pack-detail", args=[pack.pk]) in page

    services.review_record(pack=pack, outcome="limited", comments="Gaps.", actions="", by=scene.reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.pack_request(ccg=scene.ccg, start=START, end=END, by=scene.officer)
    second.refresh_from_db()
    page = reviewer.get(reverse("pack-overview")).content.decode()
    # The newest ready version is the one to review; the earlier one's outcome no longer counts.
    assert reverse("pack-detail", args=[second.pk]) in page and "Limited assurance:" not in page
    services.review_record(pack=second, outcome="full", comments="Fixed.", actions="", by=scene.reviewer)
    page = reviewer.get(reverse("pack-overview")).content.decode()
    assert "Full assurance: <strong>1</strong>" in page and "<strong>0</strong> packs awaiting review" in page
    london = client_for(scene.other_reviewer).get(reverse("pack-overview")).content.decode()
    assert other_ccg.name in london and scene.ccg.name not in london


def test_the_overview_takes_the_same_queries_for_one_ccg_or_many(
    scene: Scene, pack: AssurancePack, django_capture_on_commit_callbacks: Any
) -> None:
    reviewer = client_for(scene.reviewer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert reviewer.get(reverse("pack-overview")).status_code == 200
        return len(captured)

    one = queries()
    for n in range(3):
        ccg = CCGFactory(area_team=scene.ccg.area_team, name=f"NHS Extra {n} CCG")
        give_level(ccg, 3, START)
        officer = User.objects.get(pk=scene.officer.pk)
        core_services.role_grant(
            user=officer, kind=RoleKind.GOVERNANCE_OFFICER, ccg=ccg, by=system_user(), reason="Test data"
        )
        with django_capture_on_commit_callbacks(execute=True):
            made = services.pack_request(ccg=ccg, start=START, end=END, by=officer)
        made.refresh_from_db()
        services.review_record(pack=made, outcome="full", comments="Sound.", actions="", by=scene.reviewer)

    assert queries() == one


def test_the_reviews_api_lists_the_area_reviews_with_filters(scene: Scene, pack: AssurancePack) -> None:
    services.review_record(pack=pack, outcome="substantial", comments="Sound.", actions="", by=scene.reviewer)
    url = reverse("api-assurance-review-list")

    listed = client_for(scene.reviewer).get(url, {"ccg": scene.ccg.ods_code.lower()}).json()["results"]
    assert [(r["pack"], r["ccg"], r["outcome"], r["version"]) for r in listed] == [
        (pack.pk, scene.ccg.ods_code, "substantial", 1)
    ]
    assert client_for(scene.reviewer).get(url, {"outcome": "full"}).json()["results"] == []
    bad = client_for(scene.reviewer).get(url, {"outcome": "excellent"})
    assert bad.status_code == 400 and "outcome" in bad.json()
    assert client_for(scene.other_reviewer).get(url).json()["results"] == []
    assert Client().get(url).status_code == 403


def test_the_schema_describes_the_packs_and_reviews_endpoints() -> None:
    schema = yaml.safe_load(Client().get(reverse("api-schema")).content)

    reviews = schema["paths"]["/api/v1/assurance-reviews/"]["get"]
    assert {p["name"] for p in reviews["parameters"]} >= {"ccg", "outcome"}
    outcome = next(p for p in reviews["parameters"] if p["name"] == "outcome")
    assert set(outcome["schema"]["enum"]) == {"full", "substantial", "limited", "none"}
    assert "/api/v1/assurance-packs/{id}/download/" in schema["paths"]
