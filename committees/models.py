"""Committees, their terms of reference and members; meetings, agendas and papers; matters,
decisions and votes; minutes and actions. Every model keeps its history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from cocomm.audited_history import AuditedHistory
from cocomm.models import CCG, AreaTeam, Organisation, Person, Practice
from committees import rules
from committees.choices import (
    AttendanceStatus,
    CastingVote,
    CommitteeKind,
    CompositionRule,
    DecisionStatus,
    ExclusionScope,
    MatterKind,
    MemberCategory,
    MinutesStatus,
    Office,
    Outcome,
    Purpose,
    Session,
    StandardItem,
    ToRStatus,
    VoteChoice,
)
from functions.models import Function


class FrozenGuard(models.Model):
    """The last line of defence for records that freeze: whatever path reaches `save()` or `delete()`
    (a service, the admin, a task, a shell), a frozen record refuses, saying why.

    Each model says when it is frozen in `frozen_because`, which returns the refusal, or "" while the
    record may change. The services check the same thing first, so users meet the refusal on a form.
    """

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        refusal = self.frozen_because()
        if refusal:
            raise ValidationError(refusal)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        refusal = self.frozen_because(deleting=True)
        if refusal:
            raise ValidationError(refusal)
        return super().delete(*args, **kwargs)

    def frozen_because(self, *, deleting: bool = False) -> str:
        return ""


class Committee(models.Model):
    """A governing body, committee or group that serves one or more CCGs."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=30, blank=True, help_text="Such as PCCC or CCFC.")
    kind = models.CharField(max_length=30, choices=CommitteeKind.choices)
    ccgs = models.ManyToManyField(CCG, related_name="committees", verbose_name="CCGs")
    area_team = models.ForeignKey(
        AreaTeam,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committees",
        verbose_name="NHS England area team",
    )
    reports_to = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reporting_committees"
    )
    functions = models.ManyToManyField(
        Function, blank=True, related_name="committees", help_text="The functions it may decide."
    )
    history = AuditedHistory(m2m_fields=[ccgs, functions])

    class Meta:
        ordering = ["name"]
        permissions = [
            ("chair_committee", "Chair the committee"),
            ("sit_on_committee", "Sit on the committee"),
        ]

    def __str__(self) -> str:
        return self.name


class CommitteeUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Committee, on_delete=models.CASCADE)


class CommitteeGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Committee, on_delete=models.CASCADE)


class TermsOfReference(models.Model):
    """One version of a committee's terms of reference; the approved version's rules are enforced."""

    TRANSITIONS = {
        ToRStatus.DRAFT: {ToRStatus.APPROVED},
        ToRStatus.APPROVED: {ToRStatus.SUPERSEDED},
        ToRStatus.SUPERSEDED: set(),
    }

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="terms_of_reference")
    version = models.CharField(max_length=20, help_text="Such as v1 or v5.")
    status = models.CharField(max_length=12, choices=ToRStatus.choices, default=ToRStatus.DRAFT)
    approved_by = models.CharField(
        "approved by", max_length=200, blank=True, help_text="The body that approved it."
    )
    approved_on = models.DateField(null=True, blank=True)  # in force from this day
    superseded_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day the next version was approved: these terms were in force until the day before.",
    )
    review_on = models.DateField("review date", null=True, blank=True)
    document = models.FileField(upload_to="terms-of-reference/", blank=True)
    composition_rule = models.CharField(max_length=12, choices=CompositionRule.choices)
    quorum_minimum = models.PositiveSmallIntegerField(
        "quorum: voting members", help_text="How many voting members make the quorum."
    )
    quorum_categories = models.JSONField(
        "quorum: members by category",
        default=dict,
        blank=True,
        help_text='How many of each category the quorum must include, e.g. {"lay": 1, "clinical": 1}.',
    )
    casting_vote = models.CharField(
        "casting vote", max_length=12, choices=CastingVote.choices, default=CastingVote.CHAIR
    )
    meets_in_public = models.BooleanField(default=False)
    allows_virtual_decisions = models.BooleanField(
        "allows virtual decisions",
        default=False,
        help_text="Whether the chair may take urgent decisions between meetings, for ratification later.",
    )
    # `superseded_on` is the next version's `approved_on`, written with the supersession; the history
    # records that version's approval and the supersession (its reason names the date), so the copy is
    # kept out of it and the history tables' sealed rows keep their shape (see docs/adr/0002).
    history = AuditedHistory(excluded_fields=["superseded_on"])

    class Meta:
        ordering = ["committee", "-id"]
        verbose_name = "terms of reference"
        verbose_name_plural = "terms of reference"
        indexes = [models.Index(fields=["committee", "approved_on"], name="tor_in_force")]
        constraints = [
            models.UniqueConstraint(fields=["committee", "version"], name="tor_unique_version"),
            models.UniqueConstraint(
                fields=["committee"],
                condition=Q(status=ToRStatus.APPROVED),
                name="tor_one_approved_per_committee",
            ),
            # In force from approval until superseded: a version is never superseded before it began.
            models.CheckConstraint(
                name="tor_superseded_after_approval",
                condition=Q(superseded_on__isnull=True) | Q(superseded_on__gte=models.F("approved_on")),
            ),
            models.CheckConstraint(
                name="tor_superseded_has_date",
                condition=~Q(status=ToRStatus.SUPERSEDED) | Q(superseded_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee} terms of reference {self.version} ({self.get_status_display().lower()})"

    @property
    def last_day_in_force(self) -> dt.date | None:
        """The day before the next version took effect; None while still in force (or never approved)."""
        return self.superseded_on - dt.timedelta(days=1) if self.superseded_on is not None else None

    def clean(self) -> None:
        categories = self.quorum_categories or {}
        if not isinstance(categories, dict):
            raise ValidationError({"quorum_categories": "Give the quorum's categories as category: count."})
        unknown = sorted(set(categories) - set(MemberCategory.values))
        if unknown:
            raise ValidationError({"quorum_categories": f"Unknown member categories: {', '.join(unknown)}."})
        if any(not isinstance(v, int) or v < 0 for v in categories.values()):
            raise ValidationError({"quorum_categories": "Each category needs a whole number of 0 or more."})
        if sum(categories.values()) > self.quorum_minimum:
            raise ValidationError(
                {"quorum_minimum": "The quorum must be at least the members its categories require."}
            )


class MembershipStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Starts later"
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"


class Membership(models.Model):
    """A person's seat on a committee, from one date to another."""

    TRANSITIONS = {
        MembershipStatus.SCHEDULED: {MembershipStatus.ACTIVE, MembershipStatus.ENDED},
        MembershipStatus.ACTIVE: {MembershipStatus.ENDED},
        MembershipStatus.ENDED: set(),
    }

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    category = models.CharField(max_length=20, choices=MemberCategory.choices)
    voting = models.BooleanField(default=True)
    office = models.CharField(max_length=12, choices=Office.choices, default=Office.MEMBER)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="The first day off the committee.")
    status = models.CharField(
        max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.SCHEDULED
    )
    history = AuditedHistory()

    class Meta:
        ordering = ["committee", "office", "person__full_name"]
        constraints = [
            models.CheckConstraint(
                name="membership_ends_after_it_starts",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
            ),
            models.UniqueConstraint(
                fields=["committee", "person"],
                condition=~Q(status=MembershipStatus.ENDED),
                name="membership_one_current_seat_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_category_display()}, {self.get_office_display().lower()})"


# Meetings ----------------------------------------------------------------------------------------


class Meeting(FrozenGuard):
    """A meeting of one committee, or of several meeting in common (each takes its own decisions)."""

    title = models.CharField(max_length=200)
    committees = models.ManyToManyField(Committee, related_name="meetings")
    starts_at = models.DateTimeField()
    place = models.CharField(max_length=300, blank=True)
    has_public_session = models.BooleanField(default=True)
    has_private_session = models.BooleanField(default=False)
    history = AuditedHistory(m2m_fields=[committees])

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["starts_at"], name="meeting_starts_at")]

    def __str__(self) -> str:
        return f"{self.title}, {self.starts_at:%-d %B %Y}"

    def frozen_because(self, *, deleting: bool = False) -> str:
        return minutes_freeze(self.pk) if self.pk is not None else ""


class AgendaItem(FrozenGuard):
    """An item on a meeting's agenda, with the fields of the paper summary sheet."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    standard = models.CharField(max_length=20, choices=StandardItem.choices, blank=True)
    committee = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        help_text="Which of the meeting's committees takes the item (for committees in common).",
    )
    title = models.CharField(max_length=300)
    reference = models.CharField(max_length=40, blank=True, help_text="Such as GOV/14/07/17.")
    author = models.CharField(max_length=200, blank=True)
    lead_director = models.CharField(max_length=200, blank=True)
    session = models.CharField(max_length=10, choices=Session.choices, default=Session.PUBLIC)
    purpose = models.CharField(max_length=12, choices=Purpose.choices, default=Purpose.NOTING)
    summary = models.TextField("executive summary", blank=True)
    financial_implications = models.TextField(blank=True)
    risk_implications = models.TextField(blank=True)
    legal_implications = models.TextField(blank=True)
    equality_implications = models.TextField(blank=True)
    action_asked = models.TextField("action asked of the committee", blank=True)
    ccg = models.ForeignKey(
        CCG, on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_items", verbose_name="CCG"
    )
    function = models.ForeignKey(
        Function, on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )
    practices = models.ManyToManyField(Practice, blank=True, related_name="agenda_items")
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="agenda_items")
    matter = models.ForeignKey(
        "Matter", on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_items"
    )
    ratifies = models.ForeignKey(
        "Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ratification_items",
        help_text="The chair's action this item brings for ratification.",
    )
    discussion_note = models.TextField(blank=True, help_text="What was said, for the minutes.")
    history = AuditedHistory(m2m_fields=[practices, organisations])

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agenda_item_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def frozen_because(self, *, deleting: bool = False) -> str:
        # An item added to, changed at or taken off a meeting whose minutes are approved.
        return minutes_freeze(self.meeting_id)


class Paper(FrozenGuard):
    """A paper for an agenda item; who may read it follows the item's session."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=300)
    file = models.FileField(upload_to="papers/%Y/%m/")
    history = AuditedHistory()

    class Meta:
        ordering = ["item", "id"]

    def __str__(self) -> str:
        return self.title

    def frozen_because(self, *, deleting: bool = False) -> str:
        return minutes_freeze(meeting_of_item(self.item_id))


class Attendance(FrozenGuard):
    """Who came: members present, apologies or absent, and others in attendance."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendances")
    status = models.CharField(max_length=15, choices=AttendanceStatus.choices)
    note = models.CharField(max_length=200, blank=True, help_text="Such as the organisation they came from.")
    history = AuditedHistory()

    class Meta:
        ordering = ["meeting", "person__full_name"]
        verbose_name_plural = "attendance"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_one_row_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_status_display()}"

    def frozen_because(self, *, deleting: bool = False) -> str:
        # Attendance is kept for the whole meeting, so it fed every item voted on there.
        return minutes_freeze(self.meeting_id) or closed_vote_at_meeting(self.meeting_id)


class Exclusion(FrozenGuard):
    """A member stepping back from one item: out of its vote and its quorum, and why."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="exclusions")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="exclusions")
    scope = models.CharField(max_length=10, choices=ExclusionScope.choices)
    reason = models.TextField()
    papers_withheld = models.BooleanField(
        default=False, help_text="The item's papers are withheld from them."
    )
    history = AuditedHistory()

    class Meta:
        ordering = ["item", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["item", "person"], name="exclusion_one_per_person_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_scope_display()}"

    def frozen_because(self, *, deleting: bool = False) -> str:
        return item_freeze(self.item_id)


# Matters and decisions ------------------------------------------------------------------------------


class Matter(models.Model):
    """Something a CCG must decide under a function, such as a practice's list-closure application."""

    ccg = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="matters", verbose_name="CCG")
    function = models.ForeignKey(Function, on_delete=models.PROTECT, related_name="matters")
    kind = models.CharField(max_length=30, choices=MatterKind.choices)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    raised_on = models.DateField()
    practices = models.ManyToManyField(Practice, blank=True, related_name="matters")
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="matters")
    history = AuditedHistory(m2m_fields=[practices, organisations])

    class Meta:
        ordering = ["-raised_on", "title"]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    """A decision on an agenda item (or the chair's action between meetings), its vote and approval.

    Once approved it never changes; a later decision supersedes it.
    """

    TRANSITIONS = {
        DecisionStatus.DRAFT: {DecisionStatus.VOTING, DecisionStatus.RECORDED},
        DecisionStatus.VOTING: {DecisionStatus.RECORDED, DecisionStatus.DRAFT},
        DecisionStatus.RECORDED: {DecisionStatus.APPROVED},
        DecisionStatus.APPROVED: {DecisionStatus.SUPERSEDED},
        DecisionStatus.SUPERSEDED: set(),
    }

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="decisions")
    item = models.OneToOneField(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="decision"
    )
    ccg = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="decisions", verbose_name="CCG")
    function = models.ForeignKey(Function, on_delete=models.PROTECT, related_name="decisions")
    matter = models.ForeignKey(
        Matter, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    resolution = models.TextField(help_text="What the committee is asked to resolve.")
    decided_on = models.DateField()
    status = models.CharField(max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    vote_summary = models.TextField(blank=True, help_text="How the vote went, in words, frozen at its close.")
    casting_vote_used = models.BooleanField(default=False)
    quorum_note = models.TextField(blank=True, help_text="The quorum when the vote closed.")
    virtual = models.BooleanField(
        "chair's action", default=False, help_text="Taken between meetings, for ratification."
    )
    urgency_reason = models.TextField(blank=True)
    chair_declaration = models.TextField(
        "the chair's declaration",
        blank=True,
        help_text="For a chair's action: the chair's interest in the matter, or that they have none.",
    )
    ratified_at = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="ratified_decisions"
    )
    approved_by = models.ForeignKey(
        "cocomm.User", on_delete=models.PROTECT, null=True, blank=True, related_name="approved_decisions"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    history = AuditedHistory()

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["committee", "status"], name="decision_committee_status")]
        constraints = [
            models.CheckConstraint(
                name="decision_virtual_has_reason",
                condition=Q(virtual=False) | ~Q(urgency_reason=""),
            ),
            models.CheckConstraint(
                name="decision_approved_has_approver",
                condition=~Q(status__in=[DecisionStatus.APPROVED, DecisionStatus.SUPERSEDED])
                | Q(approved_by__isnull=False, approved_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee}: {self.resolution[:60]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The last line of defence: whatever path reaches save(), an approved decision stays as approved,
        # a closed vote keeps its count, and a meeting whose minutes are approved keeps its decisions.
        refusal = minutes_freeze(meeting_of_item(self.item_id)) if self.item_id is not None else ""
        if self.pk is None:
            if refusal:
                raise ValidationError(refusal)
            super().save(*args, **kwargs)
            return
        stored: Any = Decision.objects.filter(pk=self.pk).values().first()
        if stored:
            changed = {
                f.attname for f in self._meta.concrete_fields if getattr(self, f.attname) != stored[f.attname]
            }
            if stored["status"] in (DecisionStatus.APPROVED, DecisionStatus.SUPERSEDED):
                # Two facts may be added later: that a later decision superseded it, and that a
                # meeting ratified a chair's action. Nothing else ever changes.
                allowed = set()
                if self.status == DecisionStatus.SUPERSEDED:
                    allowed.add("status")
                if stored["ratified_at_id"] is None:
                    allowed.add("ratified_at_id")
                if changed - allowed:
                    raise ValidationError(
                        "An approved decision cannot be changed; record a new one that supersedes it."
                    )
                # Superseding is recorded at the later meeting, so the earlier meeting's approved
                # minutes do not stand in its way.
                refusal = ""
            elif stored["status"] == DecisionStatus.RECORDED and changed - self.CHANGES_AFTER_THE_VOTE:
                raise ValidationError(
                    "The vote on this decision has closed: what it resolved and how the vote went no "
                    "longer change; the chair approves it as recorded."
                )
        if refusal:
            raise ValidationError(refusal)
        super().save(*args, **kwargs)

    # What the chair's approval writes once the vote has closed (a resolution that did not carry
    # supersedes nothing, so that link is dropped as it is approved).
    CHANGES_AFTER_THE_VOTE = frozenset({"status", "approved_by_id", "approved_at", "supersedes_id"})

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        stored = Decision.objects.filter(pk=self.pk).values_list("status", flat=True).first()
        if stored in CLOSED_VOTE:
            raise ValidationError("A decision whose vote has closed is never deleted.")
        refusal = minutes_freeze(meeting_of_item(self.item_id)) if self.item_id is not None else ""
        if refusal:
            raise ValidationError(refusal)
        return super().delete(*args, **kwargs)


class DecisionVoter(FrozenGuard):
    """Who could vote and who could not, frozen when the vote closed."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="voters")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=20, choices=MemberCategory.choices)
    eligible = models.BooleanField()
    reason = models.CharField(max_length=300, blank=True, help_text="Why they could not vote.")
    history = AuditedHistory()

    class Meta:
        ordering = ["decision", "-eligible", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "person"], name="decision_voter_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {'could vote' if self.eligible else self.reason or 'could not vote'}"

    def frozen_because(self, *, deleting: bool = False) -> str:
        # Written as the vote closes (the decision is still open then); never changed after.
        return decision_freeze(self.decision_id)


class Vote(FrozenGuard):
    """One member's vote on a decision."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(max_length=8, choices=VoteChoice.choices)
    recorded_by = models.ForeignKey("cocomm.User", on_delete=models.PROTECT, related_name="+")
    history = AuditedHistory()

    class Meta:
        ordering = ["decision", "person__full_name"]
        constraints = [models.UniqueConstraint(fields=["decision", "person"], name="vote_once_per_person")]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_choice_display()}"

    def frozen_because(self, *, deleting: bool = False) -> str:
        return decision_freeze(self.decision_id)


# Minutes and actions ------------------------------------------------------------------------------


class Minutes(FrozenGuard):
    """A meeting's minutes: drafted from the record, approved at the next meeting, then frozen."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    status = models.CharField(max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    text = models.TextField()
    approved_at_meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="minutes_approved"
    )
    approved_by = models.ForeignKey(
        "cocomm.User", on_delete=models.PROTECT, null=True, blank=True, related_name="approved_minutes"
    )
    history = AuditedHistory()

    class Meta:
        verbose_name_plural = "minutes"

    def __str__(self) -> str:
        return f"Minutes of {self.meeting}"

    def frozen_because(self, *, deleting: bool = False) -> str:
        # Approving is the last change: the stored row is read, not the one about to be saved.
        return minutes_freeze(self.meeting_id) if self.pk is not None else ""


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class Action(FrozenGuard):
    """An action from a meeting, with its owner and due date: the action log."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    description = models.TextField()
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="actions")
    due_on = models.DateField()
    status = models.CharField(max_length=6, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    history = AuditedHistory()

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description[:80]

    def frozen_because(self, *, deleting: bool = False) -> str:
        refusal = minutes_freeze(self.meeting_id)
        if not refusal or deleting or self.pk is None:
            return refusal
        # Marking an action done happens after the meeting, so it is the one change still allowed.
        stored: Any = Action.objects.filter(pk=self.pk).values().first()
        if stored is None:
            return refusal
        changed = {
            f.attname for f in self._meta.concrete_fields if getattr(self, f.attname) != stored[f.attname]
        }
        done = stored["status"] == ActionStatus.OPEN and self.status == ActionStatus.DONE
        return "" if changed <= ({"status"} if done else set()) else refusal


class Erratum(FrozenGuard):
    """A correction to approved minutes, agreed at a later meeting of the same committee.

    Approved minutes are never edited: the correction is a record of its own, with its reason and the
    item of the later meeting at which it was raised, and is shown with the minutes it corrects.
    """

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="errata")
    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.PROTECT,
        related_name="errata_raised",
        verbose_name="raised at",
        help_text="The item of the later meeting at which the correction was agreed.",
    )
    correction = models.TextField(help_text="What the minutes should say.")
    reason = models.TextField(help_text="Why the minutes are corrected.")
    recorded_by = models.ForeignKey("cocomm.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    history = AuditedHistory()

    class Meta:
        ordering = ["minutes", "recorded_at", "id"]
        verbose_name_plural = "errata"

    def __str__(self) -> str:
        return f"Erratum to the minutes of {self.minutes.meeting}"

    def frozen_because(self, *, deleting: bool = False) -> str:
        if self.pk is not None:
            return "An erratum is never changed or removed; record a further erratum to correct it."
        if not Minutes.objects.filter(pk=self.minutes_id, status=MinutesStatus.APPROVED).exists():
            return "An erratum corrects approved minutes; until they are approved, correct the draft."
        # Raised at a later meeting, it is part of that meeting's record, which freezes in its turn.
        return minutes_freeze(meeting_of_item(self.item_id))


# Frozen records: the lookups behind each model's refusal -------------------------------------------

# A vote has closed once its decision is recorded; approval and supersession come after.
CLOSED_VOTE = (DecisionStatus.RECORDED, DecisionStatus.APPROVED, DecisionStatus.SUPERSEDED)


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def meeting_of_item(item_id: int | None) -> int | None:
    """The meeting an agenda item belongs to, by id."""
    if item_id is None:
        return None
    return AgendaItem.objects.filter(pk=item_id).values_list("meeting_id", flat=True).first()


def minutes_freeze(meeting_id: int | None) -> str:
    """Why nothing recorded at a meeting may change (its minutes are approved), or "" while it may."""
    if meeting_id is None:
        return ""
    minutes = (
        Minutes.objects.filter(meeting_id=meeting_id, status=MinutesStatus.APPROVED)
        .select_related("meeting", "approved_at_meeting")
        .first()
    )
    if minutes is None:
        return ""
    approving = minutes.approved_at_meeting
    return rules.minutes_approved_refusal(
        meeting_on=_local_date(minutes.meeting.starts_at),
        approved_on=_local_date(approving.starts_at) if approving is not None else None,
    )


def _vote_refusal(decision: Decision | None) -> str:
    if decision is None or decision.item is None:
        return ""
    return rules.vote_closed_refusal(
        item_number=decision.item.number, item_title=decision.item.title, closed_on=decision.decided_on
    )


def closed_vote_on_item(item_id: int | None) -> str:
    """Why what fed an item's vote may not change (the vote has closed), or "" while it may."""
    if item_id is None:
        return ""
    closed = Decision.objects.filter(item_id=item_id, status__in=CLOSED_VOTE).select_related("item")
    return _vote_refusal(closed.first())


def closed_vote_at_meeting(meeting_id: int | None) -> str:
    """Why a meeting's attendance may not change (a vote there has closed), or "" while it may."""
    if meeting_id is None:
        return ""
    closed = Decision.objects.filter(item__meeting_id=meeting_id, status__in=CLOSED_VOTE)
    return _vote_refusal(closed.select_related("item").order_by("item__number").first())


def item_freeze(item_id: int | None) -> str:
    """Why a record on an item (a declaration, ruling, exclusion or item chair) may not change."""
    return minutes_freeze(meeting_of_item(item_id)) or closed_vote_on_item(item_id)


def decision_freeze(decision_id: int | None) -> str:
    """Why a decision's votes and voters may not change (the vote has closed, or the minutes of its
    meeting are approved), or "" while they may."""
    if decision_id is None:
        return ""
    decision = Decision.objects.filter(pk=decision_id).select_related("item").first()
    if decision is None:
        return ""
    if decision.item is not None:
        refusal = minutes_freeze(decision.item.meeting_id)
        if refusal:
            return refusal
    if decision.status in CLOSED_VOTE:
        return _vote_refusal(decision) or "The vote on this decision has closed; its votes no longer change."
    return ""
