"""The demonstration CCGs' levels over time."""

from __future__ import annotations

import datetime as dt

from cocomm.audit import Reason
from cocomm.models import CCG, User
from delegation import demo_applications, demo_readiness, services
from delegation.models import LevelAssignment
from delegation.selectors import scheme_of

APRIL_2015 = dt.date(2015, 4, 1)
APRIL_2016 = dt.date(2016, 4, 1)
APRIL_2017 = dt.date(2017, 4, 1)

# ODS code -> [(level number, effective from)].
LEVELS = {
    "02A": [(4, APRIL_2015)],
    "99N": [(1, APRIL_2015)],
    **{code: [(2, APRIL_2015)] for code in ("07M", "07R", "07X", "07Y", "08H")},
    **{code: [(2, APRIL_2015), (3, APRIL_2016)] for code in ("00Q", "00R", "00X", "01A", "02M", "01E")},
    "01K": [(2, APRIL_2015)],
    "02G": [(1, APRIL_2015), (3, APRIL_2017)],
}


def load(*, by: User) -> None:
    """Record each demo CCG's levels, then the applications, readiness assessments and shared teams."""
    _levels(by)
    demo_applications.load(by=by)
    demo_readiness.load(by=by)


def _levels(by: User) -> None:
    for ccg in CCG.objects.filter(ods_code__in=LEVELS).select_related("area_team"):
        scheme = scheme_of(ccg)
        if scheme is None:
            continue
        recorded = set(LevelAssignment.objects.filter(ccg=ccg).values_list("effective_from", flat=True))
        for number, effective_from in LEVELS[ccg.ods_code]:
            if effective_from in recorded:
                continue
            services.level_assignment_record(
                ccg=ccg,
                level=scheme.levels.get(number=number),
                effective_from=effective_from,
                note="Demonstration level.",
                by=by,
                reason=Reason.DEMO_DATA,
            )
