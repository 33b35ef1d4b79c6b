"""Readiness assessments and shared teams: audited writes, and the reads pages and packs share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404

from cocomm.audit import save_audited
from cocomm.history import HistoryEntry, history_entries
from cocomm.models import CCG, User
from cocomm.permissions import AnyUser, can_change_ccg, is_administrator
from cocomm.selectors import ccgs_visible_to
from delegation.application_rules import Share, share_out
from delegation.models import ReadinessAction, ReadinessAssessment, SharedTeam, SharedTeamPost
from functions.models import Function

POSITIONS = ("corporate", "finance", "primary_care", "contracts")
POSITION_LABELS = {
    "corporate": "Corporate and governance",
    "finance": "Finance",
    "primary_care": "Primary care team",
    "contracts": "Contracts and performance",
}

# Trafford CCG's co-commissioning principles, which each function's assessment maps to (seed 000).
PRINCIPLES = {
    1: "Greater integration of health and social care",
    2: (
        "Higher standards of quality in general practice: clinical effectiveness, patient "
        "experience, patient safety"
    ),
    3: "Less unwarranted variation in quality",
    4: "More patient and public involvement",
    5: "Fewer health inequalities",
    6: "Due diligence for each co-commissioning activity",
    7: "National guidance may change the assessment and call for revisions",
}


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
    reason: str = "Readiness action agreed",
) -> ReadinessAction:
    """Add an action the CCG must take before it is ready for the function."""
    _require(can_change_ccg(by, assessment.ccg), "Only the CCG's governance officers add readiness actions.")
    action = ReadinessAction(assessment=assessment, description=description, owner=owner, due_on=due_on)
    save_audited(action, by=by, reason=reason)
    return action


@transaction.atomic
def readiness_action_done(*, action: ReadinessAction, by: User, reason: str) -> ReadinessAction:
    """Mark a readiness action done; it leaves the open actions but stays on the record."""
    _require(
        can_change_ccg(by, action.assessment.ccg),
        "Only the CCG's governance officers close readiness actions.",
    )
    # Lock the row so two people closing the same action at once cannot both succeed.
    current = ReadinessAction.objects.select_for_update().get(pk=action.pk)
    if current.done:
        raise ValidationError("That action is already marked done.")
    current.done = True
    save_audited(current, by=by, reason=reason)
    return current


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
    *,
    team: SharedTeam,
    band: str,
    wte: Decimal,
    function: Function | None = None,
    by: User,
    reason: str = "Post added to the shared team",
) -> SharedTeamPost:
    """Add whole-time equivalent staff of one band to a shared team."""
    _require(is_administrator(by), "Only a system administrator changes a shared team.")
    post = SharedTeamPost(team=team, band=band, wte=wte, function=function)
    save_audited(post, by=by, reason=reason)
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
    """The CCG's actions not yet done, soonest due first, with their functions (1 query)."""
    return list(
        ReadinessAction.objects.filter(assessment__ccg=ccg, done=False)
        .select_related("assessment__function")
        .order_by("due_on", "pk")
    )


@dataclass(frozen=True)
class ReadinessLine:
    function: Function
    assessment: ReadinessAssessment | None
    actions: list[ReadinessAction]


def readiness_lines(ccg: CCG) -> list[ReadinessLine]:
    """Every function with the CCG's full assessment and all its actions, done or not (3 queries)."""
    actions = ReadinessAction.objects.order_by("done", "due_on", "pk")
    assessments = {
        a.function_id: a
        for a in ccg.readiness_assessments.prefetch_related(Prefetch("action_items", queryset=actions))
    }
    lines = []
    for function in Function.objects.order_by("number"):
        assessment = assessments.get(function.pk)
        lines.append(
            ReadinessLine(function, assessment, list(assessment.action_items.all()) if assessment else [])
        )
    return lines


def readiness_action_of(ccg: CCG, pk: int) -> ReadinessAction:
    """One of the CCG's readiness actions; another CCG's is as missing as one that does not exist."""
    action = (
        ReadinessAction.objects.select_related("assessment__ccg", "assessment__function")
        .filter(pk=pk, assessment__ccg=ccg)
        .first()
    )
    if action is None:
        raise Http404("No such action.")
    return action


def readiness_history(ccg: CCG) -> list[HistoryEntry]:
    """Every change to the CCG's readiness assessments and their actions, newest first."""
    # By the historical assessment ids, so actions of an assessment since deleted still show.
    assessment_ids = ReadinessAssessment.history.filter(ccg_id=ccg.pk).values("id")
    return history_entries(
        ReadinessAssessment.history.filter(ccg_id=ccg.pk),
        ReadinessAction.history.filter(assessment_id__in=assessment_ids),
    )


def shared_teams_of(ccg: CCG) -> list[SharedTeam]:
    """The shared teams the CCG belongs to (1 query)."""
    return list(ccg.shared_teams.order_by("name"))


def shared_team_posts(team: SharedTeam) -> list[SharedTeamPost]:
    """The team's posts, most senior band first (from the prefetch when there is one)."""
    # Agenda for Change bands from the most senior down (8d, 8c, 8b, 8a, 7), as the MoU lists
    # them; anything that is not a numbered band (admin, to be confirmed) comes after.
    posts = list(team.posts.all())
    numbered = sorted((p for p in posts if p.band[:1].isdigit()), key=lambda p: p.band.lower(), reverse=True)
    others = sorted((p for p in posts if not p.band[:1].isdigit()), key=lambda p: p.band.lower())
    return numbered + others


def shared_team_get(user: AnyUser, pk: int) -> SharedTeam:
    """A shared team, for anyone who may see at least one of its CCGs; otherwise as missing (3 queries)."""
    posts = SharedTeamPost.objects.select_related("function")
    team = SharedTeam.objects.prefetch_related(Prefetch("posts", queryset=posts)).filter(pk=pk).first()
    if team is None or not ccgs_visible_to(user, team.ccgs.all()).exists():
        raise Http404("No such team.")
    return team
