"""Consent to publish on the declaration form: asked every time, never answered in advance."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from cocomm.models import CCG, RoleKind, User
from conflicts.models import Declaration, InterestType
from tests.factories.committees import Board, pccc

pytestmark = pytest.mark.django_db

CONSENT_ERROR = "Select yes or no: may this entry be published?"


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def board(level2_ccg: CCG) -> Board:
    return pccc(level2_ccg)


def interest(**overrides: str) -> dict[str, str]:
    data = {
        "position": "GP member",
        "declaring": "interest",
        "interest_type": InterestType.FINANCIAL,
        "description": "Partner at the practice",
    }
    data.update(overrides)
    return data


def consent_radios(html: str) -> list[str]:
    return re.findall(r'<input[^>]*name="consent_to_publish"[^>]*>', html)


def test_the_form_opens_with_neither_yes_nor_no_chosen(board: Board) -> None:
    html = logged_in(board.user("gp_one")).get(reverse("declaration-create")).content.decode()

    radios = consent_radios(html)
    assert len(radios) == 2
    assert all("checked" not in radio for radio in radios)


def test_the_officers_form_opens_with_neither_chosen_either(
    board: Board, level2_ccg: CCG, make_user: Callable[..., User]
) -> None:
    officer = make_user(RoleKind.GOVERNANCE_OFFICER, ccg=level2_ccg)
    url = reverse("declaration-create-for", args=[level2_ccg.ods_code])

    html = logged_in(officer).get(url).content.decode()

    radios = consent_radios(html)
    assert len(radios) == 2
    assert all("checked" not in radio for radio in radios)


@pytest.mark.parametrize("declaring", ["interest", "nil"])
def test_no_answer_is_the_forms_error_and_nothing_is_saved(
    board: Board, level2_ccg: CCG, declaring: str
) -> None:
    data = interest(ccg=str(level2_ccg.pk))
    if declaring == "nil":
        data = {"ccg": str(level2_ccg.pk), "position": "GP member", "declaring": "nil"}

    response = logged_in(board.user("gp_one")).post(reverse("declaration-create"), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in html
    assert CONSENT_ERROR in html
    assert 'href="#id_consent_to_publish' in html
    assert not Declaration.objects.exists()


def test_an_answer_that_is_neither_yes_nor_no_is_refused(board: Board, level2_ccg: CCG) -> None:
    response = logged_in(board.user("gp_one")).post(
        reverse("declaration-create"), interest(ccg=str(level2_ccg.pk), consent_to_publish="maybe")
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Declaration.objects.exists()


def test_after_an_error_elsewhere_the_chosen_answer_is_kept(board: Board, level2_ccg: CCG) -> None:
    response = logged_in(board.user("gp_one")).post(
        reverse("declaration-create"),
        interest(ccg=str(level2_ccg.pk), description="", consent_to_publish="no"),
    )

    checked = [radio for radio in consent_radios(response.content.decode()) if "checked" in radio]
    assert len(checked) == 1
    assert 'value="no"' in checked[0]


@pytest.mark.parametrize(("answer", "published"), [("yes", True), ("no", False)])
def test_each_explicit_answer_is_recorded(
    board: Board, level2_ccg: CCG, answer: str, published: bool
) -> None:
    response = logged_in(board.user("gp_one")).post(
        reverse("declaration-create"),
        interest(ccg=str(level2_ccg.pk), consent_to_publish=answer, withheld_reason="Personal safety"),
    )

    assert response.status_code == 302
    assert Declaration.objects.get().consent_to_publish is published
