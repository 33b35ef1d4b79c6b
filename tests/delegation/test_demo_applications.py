"""The demonstration application: Camden part-way to level 3, loaded twice without change."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

import cocomm.demo
import delegation.demo
import functions.demo
from cocomm.audit import Reason, system_user
from cocomm.models import User
from delegation import application_rules
from delegation.models import (
    ApplicationEvidence,
    ApplicationStatus,
    ApplicationStep,
    EvidenceKind,
    LevelApplication,
)

pytestmark = pytest.mark.django_db


def load_demo() -> None:
    for module in (cocomm.demo, functions.demo, delegation.demo):
        module.load(by=system_user())


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demonstration data, loaded once for the module (it takes seconds) and rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


def counts() -> tuple[int, ...]:
    return (
        LevelApplication.objects.count(),
        LevelApplication.history.count(),
        ApplicationStep.history.count(),
        ApplicationEvidence.history.count(),
    )


def test_camden_has_an_open_application_with_the_governing_body_next_and_a_second_load_adds_nothing(
    demo: None,
) -> None:
    first = counts()
    load_demo()

    assert counts() == first
    application = LevelApplication.objects.select_related("from_level", "to_level").get(ccg__ods_code="07R")
    assert application.status == ApplicationStatus.MEMBER_VOTE
    assert application_rules.next_step(application.status) == ApplicationStatus.GOVERNING_BODY
    assert (application.from_level and application.from_level.number, application.to_level.number) == (2, 3)
    assert application.effective_from == dt.date(2017, 4, 1)
    evidence = list(application.evidence.all())
    assert {e.kind for e in evidence} == set(EvidenceKind)
    assert all(dt.date(2016, 9, 1) <= e.received_on <= dt.date(2016, 11, 30) for e in evidence)
    assert list(application.steps.values_list("step", flat=True)) == [
        ApplicationStatus.EVIDENCE_GATHERED,
        ApplicationStatus.MEMBER_VOTE,
    ]
    assert application.vote_recorded
    assert application_rules.vote_carried(
        application.practices_for or 0,
        application.practices_against or 0,
        application.practices_abstaining or 0,
    )
    # Made through the services as Camden's officer, so the history names them.
    officer = User.objects.get(username="camden.go")
    rows = list(application.history.all())
    assert {(r.history_user_id, r.history_change_reason) for r in rows} == {(officer.pk, Reason.DEMO_DATA)}
    # No other CCG has an application in the demonstration.
    assert LevelApplication.objects.count() == 1


def test_the_camden_pages_show_the_application_to_its_officer_and_the_london_reviewer(demo: None) -> None:
    application = LevelApplication.objects.get(ccg__ods_code="07R")
    officer = Client()
    officer.force_login(User.objects.get(username="camden.go"))
    reviewer = Client()
    reviewer.force_login(User.objects.get(username="london.reviewer"))
    url = reverse("application-detail", args=["07R", application.pk])

    ccg_page = html.unescape(officer.get(reverse("ccg-detail", args=["07R"])).content.decode())
    page = html.unescape(officer.get(url).content.decode())
    seen_by_reviewer = reviewer.get(url)

    assert f'href="{url}">to level 3 from 1 April 2017</a>' in ccg_page
    assert 'id="step-governing_body" aria-current="step"' in page
    assert "Record the next step: governing body's decision" in page
    assert "all received" in page
    assert seen_by_reviewer.status_code == 200
    assert "Record NHS England's decision" not in seen_by_reviewer.content.decode()
