"""How an application's way to approval reads on its page: the steps in order, each done, next,
still to come or never reached, and the checklist of the seven documents. No database access:
the view passes in what it has loaded."""

from __future__ import annotations

from dataclasses import dataclass, field

from delegation.models import (
    APPLICATION_PATH,
    CLOSED_APPLICATION_STATUSES,
    ApplicationEvidence,
    ApplicationStatus,
    ApplicationStep,
    EvidenceKind,
    LevelApplication,
)

# What each step on the way means (seed 002), shown under its name on the application page.
STEP_HINTS: dict[str, str] = {
    ApplicationStatus.DRAFT: "The CCG starts the application and gathers the seven documents it rests on.",
    ApplicationStatus.EVIDENCE_GATHERED: (
        "The constitution, scheme of delegation and conflicts policy have been reviewed and the "
        "other documents are ready."
    ),
    ApplicationStatus.MEMBER_VOTE: "The member practices vote on the move.",
    ApplicationStatus.GOVERNING_BODY: "The governing body decides whether the CCG applies.",
    ApplicationStatus.SUBMITTED: "The CCG sends the application to NHS England.",
    ApplicationStatus.NHSE_DECISION: "NHS England's area team considers the application.",
    ApplicationStatus.APPROVED: "NHS England approves it, and the new level takes effect from its date.",
    ApplicationStatus.DECLINED: "NHS England declined the application.",
    ApplicationStatus.WITHDRAWN: "The CCG withdrew the application.",
}
STEP_NAMES: dict[str, str] = {
    ApplicationStatus.DRAFT: "Application started",
    ApplicationStatus.EVIDENCE_GATHERED: "Evidence gathered",
    ApplicationStatus.MEMBER_VOTE: "Member practices' vote",
    ApplicationStatus.GOVERNING_BODY: "Governing body's decision",
    ApplicationStatus.SUBMITTED: "Submitted to NHS England",
    ApplicationStatus.NHSE_DECISION: "Considered by NHS England",
    ApplicationStatus.APPROVED: "Approved by NHS England",
    ApplicationStatus.DECLINED: "Declined by NHS England",
    ApplicationStatus.WITHDRAWN: "Withdrawn by the CCG",
}


def title_of(application: LevelApplication) -> str:
    """The application's heading, such as "Application to move to level 3 from 1 April 2017"."""
    level, effective_from = application.to_level.number, application.effective_from
    return f"Application to move to level {level} from {effective_from:%-d %B %Y}"


@dataclass(frozen=True)
class TimelineStep:
    """One row of the application's way to approval, as the page shows it."""

    status: str
    name: str
    hint: str
    # done | next | waiting (still to come) | not_reached (the application closed first)
    # | declined | withdrawn
    state: str
    record: ApplicationStep | None = None


def timeline(application: LevelApplication, steps: list[ApplicationStep]) -> list[TimelineStep]:
    """The steps of APPLICATION_PATH in order, each done, next, still to come or never reached."""
    recorded = {step.step: step for step in steps}
    status = application.status
    if status in APPLICATION_PATH:
        reached = APPLICATION_PATH.index(ApplicationStatus(status))
    elif status == ApplicationStatus.DECLINED:
        reached = APPLICATION_PATH.index(ApplicationStatus.NHSE_DECISION)
    else:
        # Withdrawn: as far as the steps it had recorded.
        reached = max((APPLICATION_PATH.index(s) for s in recorded if s in APPLICATION_PATH), default=0)
    is_open = status not in CLOSED_APPLICATION_STATUSES
    rows = []
    for index, step in enumerate(APPLICATION_PATH):
        if step == ApplicationStatus.APPROVED and status == ApplicationStatus.DECLINED:
            step = ApplicationStatus.DECLINED
            state = "declined"
        elif index <= reached:
            state = "done"
        elif is_open and index == reached + 1:
            state = "next"
        else:
            state = "waiting" if is_open else "not_reached"
        rows.append(TimelineStep(step, STEP_NAMES[step], STEP_HINTS[step], state, recorded.get(step)))
    if status == ApplicationStatus.WITHDRAWN:
        step = ApplicationStatus.WITHDRAWN
        rows.append(TimelineStep(step, STEP_NAMES[step], STEP_HINTS[step], "withdrawn"))
    return rows


@dataclass(frozen=True)
class EvidenceLine:
    kind: EvidenceKind
    received: list[ApplicationEvidence] = field(default_factory=list)


def evidence_checklist(evidence: list[ApplicationEvidence]) -> list[EvidenceLine]:
    """The seven documents in their usual order, each with what has been received (oldest first)."""
    lines = {kind: EvidenceLine(kind) for kind in EvidenceKind}
    for item in evidence:
        lines[EvidenceKind(item.kind)].received.append(item)
    return list(lines.values())
