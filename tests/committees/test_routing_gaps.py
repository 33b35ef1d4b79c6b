"""A gap in the decision-rights matrix reaches the committees as a refusal naming the missing cell
(function, level, scheme and date), on the services and the pages, never as a 500."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from cocomm.audit import save_audited, system_user
from cocomm.models import CCG, RoleKind, User
from committees import services
from committees.choices import MatterKind
from committees.models import Matter
from functions.models import Function, Level
from tests.factories.committees import Board, decision_item, meeting_of, pccc
from tests.factories.delegation import give_level
from tests.factories.functions import Reference

pytestmark = pytest.mark.django_db

JUNE_2016 = dt.date(2016, 6, 1)
NAMED = "has no cell for function 3 ("
LEVEL = "at level 4 (Pilot level) of the National scheme"


@pytest.fixture
def uncharted_ccg(level2_ccg: CCG, reference: Reference) -> CCG:
    """A CCG granted, from April 2016, a level of the national scheme that no matrix cell covers."""
    save_audited(
        Level(scheme=reference.national, number=4, name="Pilot level"), by=system_user(), reason="Pilot"
    )
    give_level(level2_ccg, 4, dt.date(2016, 4, 1))
    return level2_ccg


@pytest.fixture
def board(uncharted_ccg: CCG) -> Board:
    return pccc(uncharted_ccg)


def list_closure(ccg: CCG) -> Matter:
    return services.matter_raise(
        ccg=ccg,
        function=Function.objects.get(number=3),
        kind=MatterKind.LIST_CLOSURE,
        title="Castle Hill Surgery applies to close its list",
        by=system_user(),
        reason="Application received",
    )


def test_an_item_for_decision_is_refused_naming_the_missing_cell(board: Board, uncharted_ccg: CCG) -> None:
    meeting = meeting_of(board, on=JUNE_2016)

    with pytest.raises(ValidationError) as refused:
        decision_item(board, meeting, uncharted_ccg)

    message = " ".join(refused.value.messages)
    assert "Who decides function 3 for" in message
    assert NAMED in message and f"{LEVEL}, as it stood on 1 June 2016" in message


def test_scheduling_a_matter_is_refused_naming_the_missing_cell(board: Board, uncharted_ccg: CCG) -> None:
    meeting = meeting_of(board, on=JUNE_2016)

    with pytest.raises(ValidationError, match="has no cell for function 3"):
        services.matter_schedule(
            matter=list_closure(uncharted_ccg), meeting=meeting, by=system_user(), reason="Test"
        )


def test_the_matter_page_says_which_cell_is_missing_instead_of_failing(
    board: Board, uncharted_ccg: CCG, make_user: Callable[..., User]
) -> None:
    matter = list_closure(uncharted_ccg)
    client = Client()
    client.force_login(make_user(RoleKind.GOVERNANCE_OFFICER, ccg=uncharted_ccg))

    response = client.get(reverse("matter-detail", args=[matter.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert NAMED in html and LEVEL in html
    assert client.get(reverse("matter-schedule", args=[matter.pk])).status_code == 404
