"""A CCG's registers: interests, who is overdue, who declared late, campaigns, gifts and hospitality,
breaches, procurement."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from cocomm import csv_export
from cocomm.models import CCG
from cocomm.selectors import ccg_get
from cocomm.views import AuthenticatedRequest
from committees.models import Committee
from conflicts import permissions, rules, selectors, services
from conflicts.views._common import _not_found, _register_crumbs

LATE_PER_PAGE = 25


@dataclass(frozen=True)
class CommitteeStatus:
    """Who must declare on one committee, with each person's declaration status and how many of
    their entries were declared late."""

    committee: Committee
    statuses: list[selectors.PersonStatus]
    late: dict[int, int]

    @property
    def overdue(self) -> int:
        return sum(1 for s in self.statuses if s.overdue)

    @property
    def rows(self) -> list[tuple[selectors.PersonStatus, int]]:
        return [(s, self.late.get(s.person.pk, 0)) for s in self.statuses]


@login_required
def register_detail(request: AuthenticatedRequest, ods_code: str) -> HttpResponse:
    """Everything a CCG keeps about conflicts: interests, who is overdue, campaigns, gifts and
    hospitality, breaches and procurement decisions (a fixed number of queries)."""
    ccg = ccg_get(request.user, ods_code)
    if not permissions.can_view_registers(request.user, ccg):
        raise _not_found()
    today = timezone.localdate()
    campaign = selectors.open_campaign(ccg)
    statuses = selectors.declaration_status(ccg, today, campaign)
    by_person = {s.person.pk: s for s in statuses}
    late = selectors.late_counts(ccg)
    by_committee: dict[int, CommitteeStatus] = {}
    for seat in selectors.people_in_scope(ccg, today):
        group = by_committee.setdefault(seat.committee_id, CommitteeStatus(seat.committee, [], late))
        group.statuses.append(by_person[seat.person_id])  # one current seat per committee and person
    procurement = selectors.procurement_entries(list(selectors.procurement_records(ccg)))
    return render(
        request,
        "conflicts/register_detail.html",
        {
            "ccg": ccg,
            "today": today,
            "entries": selectors.register_of_interests(ccg, today),
            "statuses": statuses,
            "overdue": [s for s in statuses if s.overdue],
            "committees": sorted(by_committee.values(), key=lambda g: g.committee.name),
            "campaign": campaign,
            "campaigns": list(selectors.campaigns_of(ccg)),
            "late_total": sum(late.values()),
            "late_offers": selectors.late_offers(ccg).count(),
            "gifts": list(selectors.gifts_of(ccg)),
            "limits": services.thresholds_of(ccg),
            "breaches": list(selectors.breaches_of(ccg)),
            "procurement": procurement,
            "procurement_flagged": sum(1 for e in procurement if e.not_declared),
            "can_keep": permissions.can_keep_registers(request.user, ccg),
            "can_handle_breaches": permissions.can_handle_breaches(request.user, ccg),
            "crumbs": _register_crumbs(ccg)[:-1],
        },
    )


@login_required
def late_declarations(request: AuthenticatedRequest, ods_code: str) -> HttpResponse:
    """Entries declared more than 28 days after the interest arose, and offers of gifts and
    hospitality declared more than 28 days after they were made, latest first, a page at a time."""
    ccg = ccg_get(request.user, ods_code)
    if not permissions.can_view_registers(request.user, ccg):
        raise _not_found()
    entries = Paginator(selectors.late_declarations(ccg), LATE_PER_PAGE).get_page(request.GET.get("page"))
    offers = Paginator(selectors.late_offers(ccg), LATE_PER_PAGE).get_page(request.GET.get("offers"))
    crumbs = _register_crumbs(ccg)
    if permissions.can_view_guardian_page(request.user, ccg):
        crumbs = [
            *crumbs,
            ("Conflicts of Interest Guardian", reverse("guardian-overview", args=[ccg.ods_code])),
        ]
    return render(
        request,
        "conflicts/late_declarations.html",
        {
            "ccg": ccg,
            "entries": entries,
            "offers": offers,
            "within": rules.DECLARE_WITHIN_DAYS,
            "crumbs": crumbs,
        },
    )


def _registers_ccg(request: AuthenticatedRequest, ods_code: str) -> CCG:
    """A CCG whose registers the user may see; for anyone else, a 404."""
    ccg = ccg_get(request.user, ods_code)
    if not permissions.can_view_registers(request.user, ccg):
        raise _not_found()
    return ccg


def _filename(ccg: CCG, register: str) -> str:
    return f"{ccg.ods_code}-{register}-register-{timezone.localdate().isoformat()}.csv"


@login_required
def register_interests_csv(request: AuthenticatedRequest, ods_code: str) -> StreamingHttpResponse:
    """Every entry on the register of interests, nil returns and withheld ones included, streamed."""
    ccg = _registers_ccg(request, ods_code)
    blocks = csv_export.stream(selectors.register_interests_export(ccg))
    return csv_export.csv_response(blocks, _filename(ccg, "interests"))


@login_required
def register_gifts_csv(request: AuthenticatedRequest, ods_code: str) -> StreamingHttpResponse:
    """Every gift and hospitality offered, with what only the register's keepers see, streamed."""
    ccg = _registers_ccg(request, ods_code)
    blocks = csv_export.stream(selectors.register_gifts_export(ccg))
    return csv_export.csv_response(blocks, _filename(ccg, "gifts"))
