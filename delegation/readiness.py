"""Readiness assessments and shared teams: audited writes, and the reads pages and packs share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cocomm.audit import save_audited
from cocomm.models import CCG, User
from cocomm.permissions import can_change_ccg, is_administrator
from delegation.application_rules import Share, share_out
from delegation.models import ReadinessAction, ReadinessAssessment, SharedTeam, SharedTeamPost
from functions.models import Function

POSITIONS = ("corporate", "finance", "primary_care", "contracts")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


@transaction.atomic
def readiness_record(
    *,
    ccg: CCG,
    function: Function,
    stance: str,
    positions: dict[str, tuple[str, str]],
    actions: str = "",
    resource_implications: str = "",
    patient_involvement: str = "",
    principles: Iterable[int] = (),
    by: User,
    reason: str,
) -> ReadinessAssessment:
    """Record (or revise) a CCG's readiness for one function: each team's position and RAG rating."""
    _require(can_change_ccg(by, ccg), "Only the CCG's governance officers record its readiness.")
    unknown, missing = set(positions) - set(POSITIONS), set(POSITIONS) - set(positions)
    if unknown:
        raise ValidationError(f"Unknown positions: {', '.join(sorted(unknown))}.")
    if missing:
        # The assessment is by four teams; each gives a position and a RAG rating.
        raise ValidationError(
            f"Give every team's position and rating; missing: {', '.join(sorted(missing))}."
        )
    assessment = ReadinessAssessment.objects.filter(
        ccg=ccg, function=function
    ).first() or ReadinessAssessment(ccg=ccg, function=function)
    for name in POSITIONS:
        text, rag = positions[name]
        setattr(assessment, f"{name}_position", text)
        setattr(assessment, f"{name}_rag", rag)
    assessment.stance = stance
    assessment.actions, assessment.resource_implications = actions, resource_implications
    assessment.patient_involvement, assessment.principles = patient_involvement, sorted(set(principles))
    save_audited(assessment, by=by, reason=reason)
    return assessment


@transaction.atomic
def readiness_action_add(
    *,
    assessment: ReadinessAssessment,
    description: str,
    owner: str = "",
    due_on: dt.date | None = None,
    by: User,
) -> ReadinessAction:
    """Add an action the CCG must take before it is ready for the function."""
    _require(can_change_ccg(by, assessment.ccg), "Only the CCG's governance officers add readiness actions.")
    action = ReadinessAction(assessment=assessment, description=description, owner=owner, due_on=due_on)
    save_audited(action, by=by, reason="Readiness action agreed")
    return action


@transaction.atomic
def shared_team_create(*, name: str, ccgs: Iterable[CCG], by: User, reason: str) -> SharedTeam:
    """Set up a team that several CCGs share (administrators: it spans CCGs)."""
    _require(is_administrator(by), "Only a system administrator sets up a shared team.")
    team = SharedTeam(name=name)
    save_audited(team, by=by, reason=reason)
    team.ccgs.set(list(ccgs))
    return team


@transaction.atomic
def shared_team_post_add(
    *, team: SharedTeam, band: str, wte: Decimal, function: Function | None = None, by: User
) -> SharedTeamPost:
    """Add whole-time equivalent staff of one band to a shared team."""
    _require(is_administrator(by), "Only a system administrator changes a shared team.")
    post = SharedTeamPost(team=team, band=band, wte=wte, function=function)
    save_audited(post, by=by, reason="Post added to the shared team")
    return post


# Reads -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShareTable:
    team: SharedTeam
    total_wte: Decimal
    total_population: int
    shares: list[Share]
    missing_population: list[CCG]


def share_table(team: SharedTeam) -> ShareTable:
    """The team's WTE shared among its CCGs by weighted population: the MoU's table (3 queries)."""
    ccgs = list(team.ccgs.order_by("name"))
    total_wte = sum((p.wte for p in team.posts.all()), Decimal("0"))
    counted = [c for c in ccgs if c.weighted_population]
    shares = (
        share_out({c.name: int(c.weighted_population or 0) for c in counted}, total_wte) if counted else []
    )
    return ShareTable(
        team=team,
        total_wte=total_wte,
        total_population=sum(int(c.weighted_population or 0) for c in counted),
        shares=shares,
        missing_population=[c for c in ccgs if not c.weighted_population],
    )


def readiness_grid(ccg: CCG) -> list[tuple[Function, ReadinessAssessment | None]]:
    """The 14 functions with the CCG's assessment of each (the heat map), in 2 queries."""
    assessments = {a.function_id: a for a in ccg.readiness_assessments.all()}
    return [(f, assessments.get(f.pk)) for f in Function.objects.order_by("number")]


def open_readiness_actions(ccg: CCG) -> list[ReadinessAction]:
    return list(
        ReadinessAction.objects.filter(assessment__ccg=ccg, done=False)
        .select_related("assessment__function")
        .order_by("due_on", "pk")
    )
