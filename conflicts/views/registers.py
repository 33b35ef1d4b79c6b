"""A CCG's registers: interests, who is overdue, campaigns, gifts and hospitality, breaches, procurement."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from cocomm import csv_export
from cocomm.models import CCG
from cocomm.selectors import ccg_get
from cocomm.views import AuthenticatedRequest
from committees.models import Committee
from conflicts import permissions, selectors, services
from conflicts.views._common import _not_found, _register_crumbs


@dataclass(frozen=True)
class CommitteeStatus:
    """Who must declare on one committee, with each person's declaration status."""

    committee: Committee
    statuses: list[selectors.PersonStatus]

    @property
    def overdue(self) -> int:
        return sum(1 for s in self.statuses if s.overdue)


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
    by_committee: dict[int, CommitteeStatus] = {}
    for seat in selectors.people_in_scope(ccg, today):
        group = by_committee.setdefault(seat.committee_id, CommitteeStatus(seat.committee, []))
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
            "gifts": list(selectors.public_gifts(ccg)),
            "limits": services.thresholds_of(ccg),
            "breaches": list(selectors.breaches_of(ccg)),
            "procurement": procurement,
            "procurement_flagged": sum(1 for e in procurement if e.not_declared),
            "can_keep": permissions.can_keep_registers(request.user, ccg),
            "can_handle_breaches": permissions.can_handle_breaches(request.user, ccg),
            "crumbs": _register_crumbs(ccg)[:-1],
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
