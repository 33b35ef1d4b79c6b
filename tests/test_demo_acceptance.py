"""The issue's acceptance checks, run against the demo data that `make run` loads."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

import cocomm.demo
import delegation.demo
import functions.demo
from cocomm.audit import system_user
from cocomm.models import CCG, User

pytestmark = pytest.mark.django_db

LANCASHIRE = ["00Q", "00R", "00X", "01A", "01E", "01K", "02G", "02M"]
LONDON = ["07M", "07R", "07X", "07Y", "08H"]


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo, loaded once for the module and rolled back after it (each test's writes roll back too)."""
    with django_db_blocker.unblock(), transaction.atomic():
        for module in (cocomm.demo, functions.demo, delegation.demo):
            module.load(by=system_user())
        yield
        transaction.set_rollback(True)


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_trafford_governance_officer_gets_not_found_on_blackpool_edit_page(demo: None) -> None:
    trafford = client_for("trafford.go")
    assert trafford.get(reverse("ccg-edit", args=["00R"])).status_code == 404
    assert trafford.get(reverse("ccg-detail", args=["00R"])).status_code == 404
    assert trafford.get(reverse("ccg-edit", args=["02A"])).status_code == 200


def test_lancashire_reviewer_sees_lancashire_ccgs_and_none_of_londons(demo: None) -> None:
    reviewer = client_for("lancashire.reviewer")
    page = reviewer.get(reverse("ccg-list")).content.decode()
    for code in LANCASHIRE:
        name = CCG.objects.get(ods_code=code).name
        assert name in page
        assert reviewer.get(reverse("ccg-detail", args=[code])).status_code == 200
    for code in LONDON:
        assert CCG.objects.get(ods_code=code).name not in page
        assert reviewer.get(reverse("ccg-detail", args=[code])).status_code == 404


@pytest.mark.parametrize(
    ("ccg", "function", "expected"),
    [
        (
            "01K",
            3,
            {"level": 2, "right": "joint", "decided_by": "joint_committee", "nhse_casting_vote": True},
        ),
        ("00R", 3, {"level": 3, "right": "delegated", "decided_by": "ccg_committee", "nhse_veto": False}),
        ("99N", 3, {"level": 1, "right": "consulted", "decided_by": "nhs_england"}),
        ("00R", 7, {"right": "retained", "decided_by": "nhs_england"}),
        ("07R", 7, {"right": "retained", "decided_by": "nhs_england"}),
    ],
)
def test_routing_answers_the_seed_cases(
    demo: None, ccg: str, function: int, expected: dict[str, object]
) -> None:
    answer = (
        Client().get(reverse("api-routing"), {"ccg": ccg, "function": function, "on": "2016-06-01"}).json()
    )
    assert {key: answer[key] for key in expected} == expected
