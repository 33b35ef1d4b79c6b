"""Each CCG's co-commissioning level over time."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from cocomm.audited_history import AuditedHistory
from cocomm.models import CCG
from functions.models import Function, Level


class LevelAssignment(models.Model):
    """A CCG holds a level from a date (usually 1 April) until its next assignment."""

    ccg = models.ForeignKey(
        CCG, on_delete=models.CASCADE, verbose_name="CCG", related_name="level_assignments"
    )
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="assignments")
    effective_from = models.DateField("effective from")
    note = models.TextField(blank=True, help_text="The approval behind it, such as NHS England's letter.")
    history = AuditedHistory()

    class Meta:
        ordering = ["ccg", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["ccg", "effective_from"], name="one_level_per_ccg_per_date"),
        ]
        indexes = [models.Index(fields=["ccg", "-effective_from"], name="level_assignment_latest")]

    def __str__(self) -> str:
        return f"{self.ccg}: level {self.level.number} from {self.effective_from:%d %b %Y}"


# Applications to move level (seed 002) ------------------------------------------------------------


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    EVIDENCE_GATHERED = "evidence_gathered", "Evidence gathered"
    MEMBER_VOTE = "member_vote", "Member practices have voted"
    GOVERNING_BODY = "governing_body", "Governing body has decided"
    SUBMITTED = "submitted", "Submitted to NHS England"
    NHSE_DECISION = "nhse_decision", "With NHS England for decision"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The steps on the way to approval, in order (seed 002).
APPLICATION_PATH = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.EVIDENCE_GATHERED,
    ApplicationStatus.MEMBER_VOTE,
    ApplicationStatus.GOVERNING_BODY,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.NHSE_DECISION,
    ApplicationStatus.APPROVED,
)
CLOSED_APPLICATION_STATUSES = frozenset(
    {ApplicationStatus.APPROVED, ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN}
)
OPEN_APPLICATION_STATUSES = tuple(s for s in ApplicationStatus if s not in CLOSED_APPLICATION_STATUSES)


class EvidenceKind(models.TextChoices):
    CONSTITUTION_AMENDMENT = "constitution_amendment", "Constitution amendment"
    SCHEME_OF_DELEGATION = "scheme_of_delegation", "Scheme of delegation"
    CONFLICTS_POLICY = "conflicts_policy", "Conflicts of interest policy"
    COMMITTEE_TERMS = "committee_terms", "Committee terms of reference"
    DUE_DILIGENCE = "due_diligence", "Due diligence report on contracts and finances"
    IG_TOOLKIT = "ig_toolkit", "Information governance toolkit"
    STAFFING_APPRAISAL = "staffing_appraisal", "Staffing options appraisal"


class LevelApplication(models.Model):
    """A CCG's application to NHS England to move from one level to another from a date."""

    # Transitions as a table: each step leads to the next; the CCG may withdraw an open application,
    # and only NHS England declines, so only what it has received can be declined.
    TRANSITIONS: dict[str, frozenset[str]] = {
        ApplicationStatus.DRAFT: frozenset(
            {ApplicationStatus.EVIDENCE_GATHERED, ApplicationStatus.WITHDRAWN}
        ),
        ApplicationStatus.EVIDENCE_GATHERED: frozenset(
            {ApplicationStatus.MEMBER_VOTE, ApplicationStatus.WITHDRAWN}
        ),
        ApplicationStatus.MEMBER_VOTE: frozenset(
            {ApplicationStatus.GOVERNING_BODY, ApplicationStatus.WITHDRAWN}
        ),
        ApplicationStatus.GOVERNING_BODY: frozenset(
            {ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN}
        ),
        ApplicationStatus.SUBMITTED: frozenset(
            {ApplicationStatus.NHSE_DECISION, ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN}
        ),
        ApplicationStatus.NHSE_DECISION: frozenset(
            {ApplicationStatus.APPROVED, ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN}
        ),
        ApplicationStatus.APPROVED: frozenset(),
        ApplicationStatus.DECLINED: frozenset(),
        ApplicationStatus.WITHDRAWN: frozenset(),
    }

    ccg = models.ForeignKey(
        CCG, on_delete=models.PROTECT, verbose_name="CCG", related_name="level_applications"
    )
    from_level = models.ForeignKey(
        Level,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications_from",
        help_text="The level held the day before the new one would start; empty if none.",
    )
    to_level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="applications_to")
    effective_from = models.DateField("effective from", help_text="Usually 1 April.")
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    practices_for = models.PositiveSmallIntegerField("member practices for", null=True, blank=True)
    practices_against = models.PositiveSmallIntegerField("member practices against", null=True, blank=True)
    practices_abstaining = models.PositiveSmallIntegerField(
        "member practices abstaining", null=True, blank=True
    )
    decided_by = models.ForeignKey(
        "cocomm.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="level_application_decisions",
        help_text="The NHS England reviewer who approved or declined it.",
    )
    decided_on = models.DateField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    history = AuditedHistory()

    class Meta:
        ordering = ["ccg", "-effective_from"]
        constraints = [
            # One application in progress per CCG at a time.
            models.UniqueConstraint(
                fields=["ccg"],
                condition=Q(status__in=OPEN_APPLICATION_STATUSES),
                name="one_open_level_application_per_ccg",
            ),
            models.CheckConstraint(
                name="level_application_changes_level",
                condition=Q(from_level__isnull=True) | ~Q(to_level=F("from_level")),
            ),
            models.CheckConstraint(
                name="level_application_decision_recorded",
                condition=(
                    Q(
                        status__in=[ApplicationStatus.APPROVED, ApplicationStatus.DECLINED],
                        decided_by__isnull=False,
                        decided_on__isnull=False,
                    )
                    | (
                        ~Q(status__in=[ApplicationStatus.APPROVED, ApplicationStatus.DECLINED])
                        & Q(decided_by__isnull=True)
                    )
                ),
            ),
            models.CheckConstraint(
                name="level_application_vote_all_or_nothing",
                condition=Q(
                    practices_for__isnull=True,
                    practices_against__isnull=True,
                    practices_abstaining__isnull=True,
                )
                | Q(
                    practices_for__isnull=False,
                    practices_against__isnull=False,
                    practices_abstaining__isnull=False,
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ccg}: to level {self.to_level.number} from {self.effective_from:%d %b %Y}"

    def clean(self) -> None:
        super().clean()
        if (
            self.from_level is not None
            and self.to_level_id is not None
            and self.from_level.scheme_id != self.to_level.scheme_id
        ):
            raise ValidationError({"to_level": "Both levels must belong to the same scheme."})

    @property
    def vote_recorded(self) -> bool:
        return self.practices_for is not None


class ApplicationStep(models.Model):
    """A step of an application, dated and signed off by a named body."""

    application = models.ForeignKey(LevelApplication, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=20, choices=ApplicationStatus.choices)
    done_on = models.DateField()
    by_body = models.CharField(
        "by body", max_length=200, help_text="Such as the governing body or the membership council."
    )
    signed_off_by = models.CharField("signed off by", max_length=200)
    document = models.FileField(upload_to="level-applications/steps/", blank=True)
    note = models.TextField(blank=True)
    history = AuditedHistory()

    class Meta:
        ordering = ["application", "done_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "step"], name="one_record_per_application_step"),
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()} on {self.done_on:%d %b %Y} by {self.by_body}"


class ApplicationEvidence(models.Model):
    """A document the application rests on, such as the amended constitution."""

    application = models.ForeignKey(LevelApplication, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=30, choices=EvidenceKind.choices)
    document = models.FileField(upload_to="level-applications/evidence/", blank=True)
    received_on = models.DateField()
    history = AuditedHistory()

    class Meta:
        ordering = ["application", "kind", "received_on"]
        verbose_name_plural = "application evidence"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.received_on:%d %b %Y})"


# Readiness assessments (seed 000) -----------------------------------------------------------------

# Trafford's seven co-commissioning principles, numbered as in its readiness assessment.
PRINCIPLE_NUMBERS = range(1, 8)


def validate_principles(value: object) -> None:
    """A list of distinct principle numbers, 1 to 7."""
    if not isinstance(value, list) or not all(type(n) is int for n in value):
        raise ValidationError("Principles are a list of numbers.")
    if any(n not in PRINCIPLE_NUMBERS for n in value) or len(set(value)) != len(value):
        raise ValidationError("Principles are distinct numbers from 1 to 7.")


class RAG(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class Stance(models.TextChoices):
    DOING = "doing", "Currently doing"
    INTERESTED = "interested", "Interested in taking on"
    NOT_WANTED = "not_wanted", "Would not want to take on"


class ReadinessAssessment(models.Model):
    """How ready a CCG is to take on one function, seen by four teams."""

    ccg = models.ForeignKey(
        CCG, on_delete=models.CASCADE, verbose_name="CCG", related_name="readiness_assessments"
    )
    function = models.ForeignKey(Function, on_delete=models.PROTECT, related_name="readiness_assessments")
    corporate_position = models.TextField("corporate and governance position", blank=True)
    corporate_rag = models.CharField("corporate and governance RAG", max_length=5, choices=RAG.choices)
    finance_position = models.TextField(blank=True)
    finance_rag = models.CharField("finance RAG", max_length=5, choices=RAG.choices)
    primary_care_position = models.TextField("primary care team position", blank=True)
    primary_care_rag = models.CharField("primary care team RAG", max_length=5, choices=RAG.choices)
    contracts_position = models.TextField("contracts and performance position", blank=True)
    contracts_rag = models.CharField("contracts and performance RAG", max_length=5, choices=RAG.choices)
    actions = models.TextField("actions needed", blank=True)
    resource_implications = models.TextField(blank=True)
    patient_involvement = models.TextField(blank=True)
    principles = models.JSONField(
        default=list, blank=True, validators=[validate_principles], help_text="Principle numbers, 1 to 7."
    )
    stance = models.CharField(max_length=12, choices=Stance.choices)
    history = AuditedHistory()

    class Meta:
        ordering = ["ccg", "function__number"]
        constraints = [
            models.UniqueConstraint(fields=["ccg", "function"], name="one_readiness_assessment_per_function"),
        ]

    def __str__(self) -> str:
        return f"{self.ccg}: readiness for {self.function}"


class ReadinessAction(models.Model):
    """Something to do before a CCG is ready for a function."""

    assessment = models.ForeignKey(ReadinessAssessment, on_delete=models.CASCADE, related_name="action_items")
    description = models.TextField()
    owner = models.CharField(max_length=200, blank=True)
    due_on = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)
    history = AuditedHistory()

    class Meta:
        ordering = ["assessment", "done", "due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:80]


# Shared resources (seed 003 §4) -------------------------------------------------------------------


class SharedTeam(models.Model):
    """A team shared by several CCGs, such as Lancashire's GP commissioning team."""

    name = models.CharField(max_length=200, unique=True)
    ccgs = models.ManyToManyField(CCG, related_name="shared_teams", verbose_name="CCGs")
    history = AuditedHistory(m2m_fields=[ccgs])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SharedTeamPost(models.Model):
    """Whole-time equivalent staff of one Agenda for Change band in a shared team."""

    team = models.ForeignKey(SharedTeam, on_delete=models.CASCADE, related_name="posts")
    band = models.CharField(max_length=20, help_text="Such as 8a, or Admin (4&3).")
    function = models.ForeignKey(
        Function, on_delete=models.PROTECT, null=True, blank=True, related_name="shared_team_posts"
    )
    wte = models.DecimalField("WTE", max_digits=6, decimal_places=2)
    history = AuditedHistory()

    class Meta:
        ordering = ["team", "band"]
        verbose_name = "shared team post"
        constraints = [
            models.CheckConstraint(name="shared_team_post_wte_positive", condition=Q(wte__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.team}: band {self.band}, {self.wte} WTE"
