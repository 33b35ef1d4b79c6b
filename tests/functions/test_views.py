"""The functions and decision-rights pages: visible to everyone logged in, changed by administrators."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from cocomm.models import CCG, RoleKind, User
from functions.choices import Right
from functions.models import DecisionRight
from tests.factories.cocomm import UserFactory
from tests.factories.functions import Reference

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def officer(make_user: Callable[..., User], level2_ccg: CCG) -> User:
    return make_user(RoleKind.GOVERNANCE_OFFICER, ccg=level2_ccg)


@pytest.fixture
def reviewer(make_user: Callable[..., User], level2_ccg: CCG) -> User:
    return make_user(RoleKind.NHSE_REVIEWER, area_team=level2_ccg.area_team)


@pytest.fixture
def cell(reference: Reference) -> DecisionRight:
    """National level 2, function 3 (mergers, splits and vacancies): joint by default."""
    return DecisionRight.objects.get(level=reference.level(reference.national, 2), function__number=3)


def edit_url(cell: DecisionRight) -> str:
    return reverse("decision-right-edit", args=[cell.pk])


def test_anyone_logged_in_reads_the_14_functions(reference: Reference) -> None:
    response = logged_in(UserFactory()).get(reverse("function-list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('id="function-') == 14
    assert "Workforce planning" in html
    assert reverse("matrix-detail", args=["national"]) in html
    assert reverse("matrix-detail", args=["greater_manchester"]) in html


def test_anonymous_users_are_sent_to_log_in(cell: DecisionRight) -> None:
    for url in (
        reverse("function-list"),
        reverse("matrix-detail", args=["national"]),
        reverse("matrix-history", args=["national"]),
        edit_url(cell),
    ):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"


def test_the_matrix_is_a_table_of_functions_by_level_with_reasoning(
    reviewer: User, cell: DecisionRight
) -> None:
    response = logged_in(reviewer).get(reverse("matrix-detail", args=["national"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<caption" in html and 'id="matrix-caption"' in html
    assert html.count('scope="row"') == 14
    assert html.count("cocomm-matrix__cell ") == 14 * 3
    row = html[html.index('id="function-3"') : html.index('id="function-4"')]
    assert row.index("Consulted") < row.index("Joint with NHS England") < row.index("Delegated to the CCG")
    assert "<details" in row and cell.reasoning[:30] in row
    # Reviewers read the matrix; only administrators are offered a change.
    assert "decision-right-edit" not in html and "/functions/rights/" not in html


def test_the_greater_manchester_matrix_has_four_levels(reviewer: User, reference: Reference) -> None:
    html = logged_in(reviewer).get(reverse("matrix-detail", args=["greater_manchester"])).content.decode()

    assert html.count("cocomm-matrix__cell ") == 14 * 4


def test_an_unknown_scheme_is_not_found(reviewer: User, reference: Reference) -> None:
    assert logged_in(reviewer).get(reverse("matrix-detail", args=["no-such-scheme"])).status_code == 404
    assert logged_in(reviewer).get(reverse("matrix-history", args=["no-such-scheme"])).status_code == 404


def test_administrators_get_a_change_link_for_every_cell(administrator: User, cell: DecisionRight) -> None:
    html = logged_in(administrator).get(reverse("matrix-detail", args=["national"])).content.decode()

    assert html.count('href="/functions/rights/') == 14 * 3
    assert f'href="{edit_url(cell)}"' in html


@pytest.mark.parametrize("role", [RoleKind.GOVERNANCE_OFFICER, RoleKind.NHSE_REVIEWER])
def test_other_roles_get_not_found_on_the_edit_page(
    make_user: Callable[..., User], level2_ccg: CCG, cell: DecisionRight, role: str
) -> None:
    scope = (
        {"ccg": level2_ccg} if role == RoleKind.GOVERNANCE_OFFICER else {"area_team": level2_ccg.area_team}
    )
    client = logged_in(make_user(role, **scope))

    assert client.get(edit_url(cell)).status_code == 404
    form = {"right": Right.DELEGATED, "reasoning": "", "reason": "try"}
    assert client.post(edit_url(cell), form).status_code == 404
    cell.refresh_from_db()
    assert cell.right == Right.JOINT


def test_a_cell_that_does_not_exist_is_not_found_for_an_administrator(
    administrator: User, reference: Reference
) -> None:
    assert logged_in(administrator).get(reverse("decision-right-edit", args=[999999])).status_code == 404


def test_an_administrator_changes_a_cell_and_the_matrix_history_shows_it(
    administrator: User, cell: DecisionRight
) -> None:
    client = logged_in(administrator)
    page = client.get(edit_url(cell)).content.decode()
    assert re.search(r'value="joint"[^>]*checked', page)
    assert not re.search(r'value="delegated"[^>]*checked', page)

    response = client.post(
        edit_url(cell),
        {
            "right": Right.JOINT,
            "nhse_veto": "on",
            "reasoning": "Local agreement",
            "reason": "Area team asked",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("matrix-detail", args=["national"]) + "#function-3"
    cell.refresh_from_db()
    assert (cell.right, cell.nhse_veto, cell.reasoning) == (Right.JOINT, True, "Local agreement")
    latest = cell.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (administrator, "Area team asked")
    history = client.get(reverse("matrix-history", args=["national"])).content.decode()
    assert "Area team asked" in history
    assert administrator.get_full_name() in history
    assert "<ins>Yes</ins>" in history
    matrix = client.get(reverse("matrix-detail", args=["national"])).content.decode()
    row = matrix[matrix.index('id="function-3"') : matrix.index('id="function-4"')]
    assert "NHS England veto" in row


def test_a_change_without_a_reason_or_right_changes_nothing(administrator: User, cell: DecisionRight) -> None:
    rows_before = cell.history.count()

    response = logged_in(administrator).post(edit_url(cell), {"right": "", "reasoning": "x", "reason": ""})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Select the right" in html
    assert 'href="#id_right_0"' in html
    assert "Enter the reason for the change" in html
    cell.refresh_from_db()
    assert cell.right == Right.JOINT
    assert cell.history.count() == rows_before


def test_a_right_not_in_the_list_is_refused(administrator: User, cell: DecisionRight) -> None:
    response = logged_in(administrator).post(edit_url(cell), {"right": "abolished", "reason": "x"})

    assert response.status_code == 200
    assert "Select one of the rights listed" in response.content.decode()
    cell.refresh_from_db()
    assert cell.right == Right.JOINT
