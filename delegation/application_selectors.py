"""Reads about applications to move level, for the pages; query counts do not grow with the steps."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from cocomm.models import CCG
from delegation.models import (
    OPEN_APPLICATION_STATUSES,
    ApplicationEvidence,
    ApplicationStep,
    LevelApplication,
)


def _with_levels(queryset: QuerySet[LevelApplication]) -> QuerySet[LevelApplication]:
    return queryset.select_related("from_level", "to_level")


def applications_of(ccg: CCG) -> list[LevelApplication]:
    """A CCG's applications, the latest effective date first (one query)."""
    applications = list(
        _with_levels(LevelApplication.objects.filter(ccg=ccg)).order_by("-effective_from", "-pk")
    )
    for application in applications:
        application.ccg = ccg  # already loaded by the caller: spare a query per row
    return applications


def open_application_of(ccg: CCG) -> LevelApplication | None:
    """The CCG's application in progress, if any (one query; the database allows at most one)."""
    application = (
        _with_levels(LevelApplication.objects.filter(ccg=ccg, status__in=OPEN_APPLICATION_STATUSES))
        .order_by("-pk")
        .first()
    )
    if application is not None:
        application.ccg = ccg
    return application


def application_get(ccg: CCG, pk: int) -> LevelApplication:
    """One application of a CCG the caller has already selected for the user; another CCG's is a 404.

    Its steps (in the order done) and evidence are prefetched, with the NHS England decider.
    """
    application = (
        _with_levels(LevelApplication.objects.filter(ccg=ccg, pk=pk))
        .select_related("decided_by")
        .prefetch_related(
            Prefetch("steps", queryset=ApplicationStep.objects.order_by("done_on", "pk")),
            Prefetch("evidence", queryset=ApplicationEvidence.objects.order_by("kind", "received_on", "pk")),
        )
        .first()
    )
    if application is None:
        raise Http404("No such application.")
    application.ccg = ccg
    return application
