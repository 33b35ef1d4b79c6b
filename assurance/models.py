"""Assurance packs for NHS England: a versioned PDF of a CCG's governance over a period, and its review.

Every model keeps its history; writes go through `assurance.services`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from cocomm.audited_history import AuditedHistory
from cocomm.models import CCG

sha256_hex = RegexValidator(r"^[0-9a-f]{64}$", "A SHA-256 is 64 lower-case hexadecimal characters.")


class PackStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    GENERATING = "generating", "Being generated"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class AssurancePack(models.Model):
    """One version of a CCG's assurance pack for a period; once ready it never changes."""

    # A failed pack may be queued again (a retry); a ready pack is final.
    TRANSITIONS = {
        PackStatus.QUEUED: {PackStatus.GENERATING, PackStatus.FAILED},
        PackStatus.GENERATING: {PackStatus.READY, PackStatus.FAILED},
        PackStatus.FAILED: {PackStatus.QUEUED},
        PackStatus.READY: set(),
    }

    ccg = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="assurance_packs", verbose_name="CCG")
    period_start = models.DateField()
    period_end = models.DateField()
    version = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=PackStatus.choices, default=PackStatus.QUEUED)
    # Set when generation reads the data, never when the pack is asked for: a pack may wait in the
    # queue, and a retry reads again (each reading is a `PackRead`).
    data_as_of = models.DateTimeField(
        "data read at",
        null=True,
        blank=True,
        help_text="When generation last read the data; the PDF is labelled with this moment.",
    )
    file = models.FileField(upload_to="assurance-packs/%Y/", blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True, validators=[sha256_hex])
    content_sha256 = models.CharField(
        "content SHA-256",
        max_length=64,
        blank=True,
        validators=[sha256_hex],
        help_text=(
            "Hash of the rendered sections, which show the records as they stood at the end of the period "
            "(not the cover, which says when they were read): the same in every version until a past "
            "record is corrected."
        ),
    )
    page_count = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    contents = models.JSONField(
        default=dict, blank=True, help_text="Counts per section, to compare versions."
    )
    requested_by = models.ForeignKey("cocomm.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was last queued (asked for, or retried)."
    )
    # The pack row is the outbox of its generation task: `sent_at` stays empty until the task has
    # reached the broker, so a pack asked for while the broker was down is sent later, never lost.
    sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When its generation task last reached the broker."
    )
    started_at = models.DateTimeField(null=True, blank=True, help_text="When its generation last started.")
    attempts = models.PositiveSmallIntegerField(
        default=0,
        help_text="Generation runs started since it was last queued (a killed worker's run counts).",
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    history = AuditedHistory()

    class Meta:
        ordering = ["ccg", "-period_end", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["ccg", "period_start", "period_end", "version"], name="pack_unique_version"
            ),
            models.CheckConstraint(
                name="pack_period_in_order", condition=Q(period_end__gte=models.F("period_start"))
            ),
            models.CheckConstraint(
                name="pack_ready_has_file",
                condition=~Q(status=PackStatus.READY)
                | (~Q(file="") & ~Q(sha256="") & Q(page_count__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        period = f"{self.period_start:%-d %b %Y} to {self.period_end:%-d %b %Y}"
        return f"{self.ccg} assurance pack {period}, v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The last line of defence: whatever path reaches save(), a ready pack stays as it was made.
        if self.pk is not None:
            stored: Any = AssurancePack.objects.filter(pk=self.pk).values().first()
            if stored and stored["status"] == PackStatus.READY:
                changed = [
                    f.attname
                    for f in self._meta.concrete_fields
                    if getattr(self, f.attname) != stored[f.attname]
                ]
                if changed:
                    raise ValidationError("A ready assurance pack cannot be changed; generate a new version.")
        super().save(*args, **kwargs)

    @property
    def waiting_for_broker(self) -> bool:
        """Queued, but its task has not reached the broker yet (it did not answer when asked)."""
        return self.status == PackStatus.QUEUED and self.sent_at is None

    def move(self, to: str) -> None:
        """Change status along the table; anything else is refused."""
        if to not in self.TRANSITIONS[PackStatus(self.status)]:
            raise ValidationError(f"A {self.get_status_display().lower()} pack cannot become {to}.")
        self.status = to


class ReviewOutcome(models.TextChoices):
    FULL = "full", "Full assurance"
    SUBSTANTIAL = "substantial", "Substantial assurance"
    LIMITED = "limited", "Limited assurance"
    NONE = "none", "No assurance"


class PackReview(models.Model):
    """NHS England's review of a pack, and the CCG governance officer's response to it."""

    pack = models.OneToOneField(AssurancePack, on_delete=models.PROTECT, related_name="review")
    reviewer = models.ForeignKey("cocomm.User", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=12, choices=ReviewOutcome.choices)
    comments = models.TextField()
    actions = models.TextField("actions for the CCG", blank=True)
    reviewed_on = models.DateField()
    response = models.TextField("the CCG's response", blank=True)
    responded_by = models.ForeignKey(
        "cocomm.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_on = models.DateField(null=True, blank=True)
    history = AuditedHistory()

    class Meta:
        ordering = ["-reviewed_on"]
        constraints = [
            models.CheckConstraint(
                name="pack_review_response_has_author",
                condition=Q(response="") | Q(responded_by__isnull=False, responded_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} for {self.pack}"


class PackRead(models.Model):
    """One reading of a pack's data by its generation, kept so that a retry says when the first
    attempt read it; the reading a ready pack was made from also keeps what each record showed,
    so that the next version can name the records that changed."""

    pack = models.ForeignKey(AssurancePack, on_delete=models.PROTECT, related_name="reads")
    read_at = models.DateTimeField()
    records = models.JSONField(
        default=list,
        blank=True,
        help_text="Each record the pack showed, with what it showed (empty for a failed attempt).",
    )
    history = AuditedHistory()

    class Meta:
        ordering = ["pack", "read_at", "pk"]

    def __str__(self) -> str:
        return f"{self.pack}: data read at {self.read_at:%-d %b %Y %H:%M:%S}"
