"""Readiness assessments and shared teams: audited, scoped, and the MoU's share-out table."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cocomm.models import CCG, AreaTeam, RoleKind, User
from delegation import readiness
from functions.models import Function
from tests.factories.cocomm import CCGFactory

pytestmark = pytest.mark.django_db

# Seed 003 §4: the Lancashire CCGs' weighted populations and their notional WTE of a 5.08 WTE team.
LANCASHIRE = {
    "Blackburn with Darwen": (174645, "10.97", "0.56"),
    "Blackpool": (192487, "12.09", "0.61"),
    "Chorley & South Ribble": (175829, "11.04", "0.56"),
    "East Lancashire": (391888, "24.61", "1.25"),
    "Fylde and Wyre": (163096, "10.24", "0.52"),
    "Greater Preston": (211102, "13.26", "0.67"),
    "Lancashire North": (164092, "10.30", "0.52"),
    "West Lancashire": (118654, "7.45", "0.38"),
}


def test_the_lancashire_team_is_shared_as_the_mou_shows(administrator: User, national_area: AreaTeam) -> None:
    ccgs = [
        CCGFactory(name=name, area_team=national_area, weighted_population=population)
        for name, (population, _, _) in LANCASHIRE.items()
    ]
    team = readiness.shared_team_create(
        name="Lancashire GP commissioning team", ccgs=ccgs, by=administrator, reason="MoU of August 2016"
    )
    for band, wte in (("8b", "1.00"), ("8a", "1.00"), ("7", "2.08"), ("Admin", "1.00")):
        readiness.shared_team_post_add(team=team, band=band, wte=Decimal(wte), by=administrator)

    with CaptureQueriesContext(connection) as queries:
        table = readiness.share_table(team)
    assert len(queries) <= 3
    assert table.total_wte == Decimal("5.08")
    got = {s.name: (s.population, str(s.percent), str(s.wte)) for s in table.shares}
    assert got == LANCASHIRE
    assert table.missing_population == []


def test_a_ccg_without_a_weighted_population_is_named_not_guessed(
    administrator: User, national_area: AreaTeam
) -> None:
    known = CCGFactory(area_team=national_area, weighted_population=100000)
    unknown = CCGFactory(area_team=national_area, weighted_population=None)
    team = readiness.shared_team_create(name="Team", ccgs=[known, unknown], by=administrator, reason="Test")
    readiness.shared_team_post_add(team=team, band="7", wte=Decimal("2"), by=administrator)
    table = readiness.share_table(team)
    assert [s.wte for s in table.shares] == [Decimal("2.00")]
    assert table.missing_population == [unknown]


def test_only_administrators_set_up_shared_teams(make_user: Callable[..., User], level2_ccg: CCG) -> None:
    officer = make_user(RoleKind.GOVERNANCE_OFFICER, ccg=level2_ccg)
    with pytest.raises(PermissionDenied):
        readiness.shared_team_create(name="Team", ccgs=[level2_ccg], by=officer, reason="Test")


def test_readiness_is_recorded_with_history_and_shows_in_the_grid(
    make_user: Callable[..., User], level2_ccg: CCG, other_ccg: CCG
) -> None:
    officer = make_user(RoleKind.GOVERNANCE_OFFICER, ccg=level2_ccg)
    function = Function.objects.get(number=3)
    assessment = readiness.readiness_record(
        ccg=level2_ccg,
        function=function,
        stance="interested",
        positions={
            "corporate": ("Constitution to be revised", "amber"),
            "finance": ("Budget clear", "green"),
            "primary_care": ("Team in place", "green"),
            "contracts": ("Needs legal support", "red"),
        },
        principles=[6, 2, 2],
        by=officer,
        reason="Assessment of September 2014",
    )
    readiness.readiness_action_add(assessment=assessment, description="Revise the constitution", by=officer)
    assert assessment.principles == [2, 6]
    assert assessment.history.get().history_change_reason == "Assessment of September 2014"
    grid = dict(readiness.readiness_grid(level2_ccg))
    assert grid[function] == assessment
    assert sum(1 for a in grid.values() if a is not None) == 1
    assert [a.description for a in readiness.open_readiness_actions(level2_ccg)] == [
        "Revise the constitution"
    ]
    with pytest.raises(PermissionDenied):
        readiness.readiness_record(
            ccg=other_ccg, function=function, stance="interested", positions={}, by=officer, reason="Not mine"
        )
    with pytest.raises(ValidationError, match="missing: contracts"):
        readiness.readiness_record(
            ccg=level2_ccg,
            function=function,
            stance="interested",
            by=officer,
            reason="Partial",
            positions=dict.fromkeys(("corporate", "finance", "primary_care"), ("x", "green")),
        )
