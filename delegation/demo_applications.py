"""Demonstration data: level applications.

NHS Camden CCG, one of the five North Central London CCGs weighing delegated commissioning in 2016
(seed 002), is part-way through applying to move from joint commissioning (level 2) to delegated
commissioning (level 3) from 1 April 2017: its evidence is in, its member practices have voted,
and its governing body's decision is the next step. Every change goes through the services as
Camden's governance officer, so the application's history reads as the officer's work.

Each step looks for what is already there, so loading twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cocomm.audit import Reason
from cocomm.models import CCG, User
from delegation import application_rules, applications
from delegation.models import ApplicationStatus, EvidenceKind, LevelApplication
from delegation.selectors import scheme_of

CAMDEN = "07R"
CAMDEN_OFFICER = "camden.go"
TO_LEVEL = 3
EFFECTIVE_FROM = dt.date(2017, 4, 1)

# When each document reached the governance team, autumn 2016.
EVIDENCE_RECEIVED = {
    EvidenceKind.CONSTITUTION_AMENDMENT: dt.date(2016, 9, 12),
    EvidenceKind.SCHEME_OF_DELEGATION: dt.date(2016, 9, 12),
    EvidenceKind.CONFLICTS_POLICY: dt.date(2016, 9, 19),
    EvidenceKind.COMMITTEE_TERMS: dt.date(2016, 9, 26),
    EvidenceKind.DUE_DILIGENCE: dt.date(2016, 10, 3),
    EvidenceKind.IG_TOOLKIT: dt.date(2016, 10, 5),
    EvidenceKind.STAFFING_APPRAISAL: dt.date(2016, 10, 10),
}

# Illustrative figures, not Camden's real result. They describe the CCG's whole membership of
# practices, which is larger than the two practices the demonstration data holds for Camden.
VOTE_FOR, VOTE_AGAINST, VOTE_ABSTAINING = 27, 4, 3


@dataclass(frozen=True)
class Step:
    done_on: dt.date
    by_body: str
    signed_off_by: str
    note: str


# The two steps signed off so far; the governing body meets next.
STEPS = {
    ApplicationStatus.EVIDENCE_GATHERED: Step(
        dt.date(2016, 10, 14),
        "Primary care co-commissioning steering group",
        "Director of primary care",
        "The seven documents checked against NHS England's application checklist.",
    ),
    ApplicationStatus.MEMBER_VOTE: Step(
        dt.date(2016, 10, 27),
        "Members' meeting of the CCG's practices",
        "Clinical chair",
        "Practices voted in person or by proxy; the board secretary checked the count.",
    ),
}


def load(*, by: User) -> None:
    """Camden's application to move to level 3, with the governing body's decision still to come.

    `by` is the account loading the demonstration; the changes are made as Camden's officer.
    """
    ccg = CCG.objects.select_related("area_team").filter(ods_code=CAMDEN).first()
    officer = User.objects.filter(username=CAMDEN_OFFICER).first()
    scheme = scheme_of(ccg) if ccg is not None else None
    if ccg is None or officer is None or scheme is None:
        return  # the core demonstration data is not loaded
    to_level = scheme.levels.get(number=TO_LEVEL)
    application = LevelApplication.objects.filter(
        ccg=ccg, to_level=to_level, effective_from=EFFECTIVE_FROM
    ).first()
    if application is None:
        application = applications.application_start(
            ccg=ccg, to_level=to_level, effective_from=EFFECTIVE_FROM, by=officer, reason=Reason.DEMO_DATA
        )
    received = set(application.evidence.values_list("kind", flat=True))
    for kind, received_on in EVIDENCE_RECEIVED.items():
        if kind not in received and application.status in applications.EVIDENCE_OPEN:
            applications.evidence_add(
                application=application,
                kind=kind,
                received_on=received_on,
                by=officer,
                reason=Reason.DEMO_DATA,
            )
    _step(application, ApplicationStatus.EVIDENCE_GATHERED, officer)
    application.refresh_from_db()
    if not application.vote_recorded and application.status == ApplicationStatus.EVIDENCE_GATHERED:
        applications.member_vote_record(
            application=application,
            practices_for=VOTE_FOR,
            practices_against=VOTE_AGAINST,
            practices_abstaining=VOTE_ABSTAINING,
            by=officer,
            reason=Reason.DEMO_DATA,
        )
    _step(application, ApplicationStatus.MEMBER_VOTE, officer)


def _step(application: LevelApplication, step: ApplicationStatus, officer: User) -> None:
    """Record a step if the application stands just before it (so never twice, never out of order)."""
    application.refresh_from_db()
    if application_rules.next_step(application.status) != step:
        return
    details = STEPS[step]
    applications.step_record(
        application=application,
        done_on=details.done_on,
        by_body=details.by_body,
        signed_off_by=details.signed_off_by,
        note=details.note,
        by=officer,
        reason=Reason.DEMO_DATA,
    )
