"""Records as they stood at the end of a pack's period, whenever the pack is made.

A pack for 2016/17 made in 2019 must show what a pack made on 1 April 2017 would have shown, save
for past records corrected since. So every read here is cut at the period's end by the dates the
records carry: a seat held on the last day counts though it has ended since, a decision superseded
or ratified after the period shows as it stood, a breach shows the stage it had reached. Records
with no date of their own (readiness) are read from their audited history as it stood at the end of
the last day.

Shown records that differ from the stored ones are copies, changed for display and never saved.
"""

from __future__ import annotations

import copy
import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from cocomm.models import CCG
from committees.choices import DecisionStatus
from committees.models import Committee, Decision, Meeting, Membership, TermsOfReference
from conflicts.models import Breach, BreachStatus, NHSEReport
from delegation.models import ReadinessAction, ReadinessAssessment
from functions.models import Function


def day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The period as moments: from the start of its first day to the start of the day after its last."""
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def sat_between(start: dt.date, end: dt.date) -> Q:
    """Seats held on any day of the period (`ends_on` is the first day off the committee)."""
    return Q(starts_on__lte=end) & (Q(ends_on__isnull=True) | Q(ends_on__gt=start))


def committees_serving(ccg: CCG, start: dt.date, end: dt.date) -> list[Committee]:
    """The CCG's committees that served it in the period: someone sat on them, they met, or their
    terms of reference had been approved by its end. A committee set up later is not in the pack."""
    since, until = day_bounds(start, end)
    seated = Membership.objects.filter(sat_between(start, end), committee=OuterRef("pk"))
    met = Meeting.objects.filter(committees=OuterRef("pk"), starts_at__gte=since, starts_at__lt=until)
    approved = TermsOfReference.objects.filter(committee=OuterRef("pk"), approved_on__lte=end)
    return list(
        Committee.objects.filter(ccgs=ccg)
        .filter(Exists(seated) | Exists(met) | Exists(approved))
        .order_by("name", "pk")
    )


def seats_in_period(committees: list[Committee], start: dt.date, end: dt.date) -> list[Membership]:
    """Every seat held on the committees on some day of the period, whatever has become of it since."""
    return list(
        Membership.objects.filter(sat_between(start, end), committee__in=committees)
        .select_related("person", "committee")
        .order_by("committee__name", "office", "person__full_name", "pk")
    )


def decision_as_it_stood(decision: Decision, end: dt.date) -> Decision:
    """A decision as it stood at the end of the period: not yet superseded by a later decision, not
    yet ratified at a later meeting. Needs `superseded_by` (and `ratified_at`, if set) joined."""
    successor = getattr(decision, "superseded_by", None)
    superseded_later = decision.status == DecisionStatus.SUPERSEDED and (
        successor is None or successor.decided_on > end
    )
    ratified_later = (
        decision.ratified_at_id is not None
        and decision.ratified_at is not None
        and timezone.localtime(decision.ratified_at.starts_at).date() > end
    )
    if not (superseded_later or ratified_later):
        return decision
    shown = copy.copy(decision)
    if superseded_later:
        shown.status = DecisionStatus.APPROVED
    if ratified_later:
        shown.ratified_at = None
    return shown


def breach_as_it_stood(breach: Breach, end: dt.date) -> Breach:
    """A breach at the stage it had reached by the end of the period, by the dates of each stage."""
    if breach.closed_on is not None and breach.closed_on <= end:
        status = BreachStatus.CLOSED
    elif breach.investigated_on is not None and breach.investigated_on <= end:
        status = BreachStatus.INVESTIGATED
    else:
        status = BreachStatus.REPORTED
    reported_later = breach.reported_to_nhse_on is not None and breach.reported_to_nhse_on > end
    if status == breach.status and not reported_later:
        return breach
    shown = copy.copy(breach)
    shown.status = status
    if status == BreachStatus.REPORTED:
        # Whether NHS England must be told is decided at the investigation.
        shown.nhse_report = NHSEReport.UNDECIDED
    if reported_later:
        shown.reported_to_nhse_on = None
    return shown


def readiness_as_it_stood(
    ccg: CCG, until: dt.datetime
) -> tuple[list[tuple[Function, ReadinessAssessment | None]], list[ReadinessAction]]:
    """The readiness grid and the actions open at a moment, from their history (3 queries).

    Readiness assessments carry no date: they are kept current. Their audited history says what
    they were at any moment, so a past pack shows them as they were at the end of its period."""
    functions = list(Function.objects.order_by("number"))
    by_function = {f.pk: f for f in functions}
    assessments: dict[int, ReadinessAssessment] = {}
    for assessment in ReadinessAssessment.history.as_of(until).filter(ccg=ccg):
        assessment.function = by_function[assessment.function_id]
        assessments[assessment.pk] = assessment
    actions = []
    for action in (
        ReadinessAction.history.as_of(until)
        .filter(assessment_id__in=list(assessments), done=False)
        .order_by("due_on", "id")
    ):
        action.assessment = assessments[action.assessment_id]
        actions.append(action)
    grid = {a.function_id: a for a in assessments.values()}
    return [(f, grid.get(f.pk)) for f in functions], actions
