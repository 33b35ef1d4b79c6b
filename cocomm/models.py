"""The core of cocomm: NHS England area teams, CCGs, practices, other bodies, people and roles.

Every model here records its history (django-simple-history); writes go through the services
in `cocomm.services`, which name the acting user and the reason.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from guardian.mixins import GuardianUserMixin
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history import register as register_history

from cocomm.audited_history import AuditedHistory

ods_ccg_code = RegexValidator(r"^[0-9]{2}[A-Z0-9]$", "A CCG's ODS code is three characters, such as 02A.")
ods_org_code = RegexValidator(r"^[A-Z0-9]{3,6}$", "An ODS code is 3 to 6 capital letters and digits.")


class User(GuardianUserMixin, AbstractUser):
    """A login. Users are deactivated, never deleted, so history keeps its authors."""

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


def anonymous_user_for_guardian(user_model: type[User]) -> User:
    """Build django-guardian's anonymous user for our custom user model."""
    from cocomm.audit import Reason, system_user  # the audit helper imports this module

    user = user_model(username="AnonymousUser", is_active=False)
    # guardian saves it; its history row then names the automatic account as author.
    user._history_user = system_user()  # type: ignore[attr-defined]
    user._change_reason = Reason.ANONYMOUS_PLACEHOLDER  # type: ignore[attr-defined]
    return user


class AreaTeam(models.Model):
    """An NHS England area (local) team, which oversees the CCGs of its area."""

    ods_code = models.CharField("ODS code", max_length=5, unique=True, validators=[ods_org_code])
    name = models.CharField(max_length=200, unique=True)
    history = AuditedHistory()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CCG(models.Model):
    """A clinical commissioning group."""

    ods_code = models.CharField("ODS code", max_length=3, unique=True, validators=[ods_ccg_code])
    name = models.CharField(max_length=200, unique=True)
    area_team = models.ForeignKey(
        AreaTeam, on_delete=models.PROTECT, related_name="ccgs", verbose_name="NHS England area team"
    )
    weighted_population = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The CCG's weighted population, used to share out common resources.",
    )
    history = AuditedHistory()

    class Meta:
        ordering = ["name"]
        verbose_name = "CCG"
        verbose_name_plural = "CCGs"
        # Held on a CCG by its Conflicts of Interest Guardians' group (see `cocomm.roles`).
        permissions = [("guard_conflicts", "Act as the CCG's Conflicts of Interest Guardian")]

    def __str__(self) -> str:
        return self.name


class CCGUserObjectPermission(UserObjectPermissionBase):
    """Object permissions on CCGs held by a user (direct foreign key, fast to filter)."""

    content_object = models.ForeignKey(CCG, on_delete=models.CASCADE)


class CCGGroupObjectPermission(GroupObjectPermissionBase):
    """Object permissions on CCGs held by a role group (direct foreign key, fast to filter)."""

    content_object = models.ForeignKey(CCG, on_delete=models.CASCADE)


class Locality(models.Model):
    """A locality (neighbourhood) within a CCG, such as one of Trafford's four."""

    ccg = models.ForeignKey(CCG, on_delete=models.CASCADE, verbose_name="CCG", related_name="localities")
    name = models.CharField(max_length=200)
    history = AuditedHistory()

    class Meta:
        ordering = ["ccg", "name"]
        verbose_name_plural = "localities"
        constraints = [models.UniqueConstraint(fields=["ccg", "name"], name="locality_unique_name_per_ccg")]

    def __str__(self) -> str:
        return f"{self.name} ({self.ccg.name})"


class ContractType(models.TextChoices):
    GMS = "GMS", "GMS (General Medical Services)"
    PMS = "PMS", "PMS (Personal Medical Services)"
    APMS = "APMS", "APMS (Alternative Provider Medical Services)"


class Practice(models.Model):
    """A GP practice holding a GMS, PMS or APMS contract."""

    ods_code = models.CharField("ODS code", max_length=6, unique=True, validators=[ods_org_code])
    name = models.CharField(max_length=200)
    ccg = models.ForeignKey(CCG, on_delete=models.PROTECT, verbose_name="CCG", related_name="practices")
    locality = models.ForeignKey(
        Locality, on_delete=models.SET_NULL, null=True, blank=True, related_name="practices"
    )
    contract_type = models.CharField(max_length=4, choices=ContractType.choices)
    list_size = models.PositiveIntegerField(
        "list size",
        null=True,
        blank=True,
        help_text="Registered patients.",
        validators=[MinValueValidator(0)],
    )
    history = AuditedHistory()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.ods_code})"


class OrganisationKind(models.TextChoices):
    PROVIDER = "provider", "Provider"
    GP_FEDERATION = "gp_federation", "GP federation"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    HEALTHWATCH = "healthwatch", "Healthwatch"
    HEALTH_AND_WELLBEING_BOARD = "hwb", "Health and Wellbeing Board"
    LMC = "lmc", "Local Medical Committee"
    CSU = "csu", "Commissioning support unit"
    OTHER = "other", "Other"


class Organisation(models.Model):
    """Any other body: providers, GP federations, local authorities, Healthwatch, LMCs."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    ods_code = models.CharField("ODS code", max_length=6, blank=True, validators=[ods_org_code])
    ccgs = models.ManyToManyField(
        CCG, blank=True, related_name="organisations", help_text="CCGs it works with."
    )
    history = AuditedHistory(m2m_fields=[ccgs])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """Someone who sits on committees or declares interests; they may or may not log in."""

    title = models.CharField(max_length=20, blank=True, help_text="Dr, Mrs, Mr, …")
    full_name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    user = models.OneToOneField(
        "cocomm.User", on_delete=models.PROTECT, null=True, blank=True, related_name="person"
    )
    history = AuditedHistory()

    class Meta:
        ordering = ["full_name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return f"{self.title} {self.full_name}".strip()


class RoleKind(models.TextChoices):
    GOVERNANCE_OFFICER = "governance_officer", "Governance officer"
    NHSE_REVIEWER = "nhse_reviewer", "NHS England reviewer"
    SYSTEM_ADMINISTRATOR = "system_administrator", "System administrator"
    # Statutory guidance on managing conflicts of interest (NHS England, 2016/2017): each CCG names a
    # Guardian, usually the lay member who chairs audit, who sees breaches and advises on conflicts.
    CONFLICTS_GUARDIAN = "conflicts_guardian", "Conflicts of Interest Guardian"


class RoleStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Starts later"
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"


class Role(models.Model):
    """A role a user holds, from one date to another; permissions follow from active roles."""

    # Transitions as a table: a role starts, ends, or is withdrawn before it starts.
    TRANSITIONS = {
        RoleStatus.SCHEDULED: {RoleStatus.ACTIVE, RoleStatus.ENDED},
        RoleStatus.ACTIVE: {RoleStatus.ENDED},
        RoleStatus.ENDED: set(),
    }

    user = models.ForeignKey("cocomm.User", on_delete=models.PROTECT, related_name="roles")
    kind = models.CharField(max_length=30, choices=RoleKind.choices)
    ccg = models.ForeignKey(
        CCG, on_delete=models.PROTECT, verbose_name="CCG", null=True, blank=True, related_name="roles"
    )
    area_team = models.ForeignKey(
        AreaTeam, on_delete=models.PROTECT, null=True, blank=True, related_name="roles"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(
        null=True, blank=True, help_text="The first day without the role; empty while it goes on."
    )
    status = models.CharField(max_length=10, choices=RoleStatus.choices, default=RoleStatus.SCHEDULED)
    history = AuditedHistory()

    class Meta:
        ordering = ["user", "kind", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                name="role_scope_matches_kind",
                condition=(
                    Q(
                        kind__in=[RoleKind.GOVERNANCE_OFFICER, RoleKind.CONFLICTS_GUARDIAN],
                        ccg__isnull=False,
                        area_team__isnull=True,
                    )
                    | Q(kind=RoleKind.NHSE_REVIEWER, ccg__isnull=True, area_team__isnull=False)
                    | Q(kind=RoleKind.SYSTEM_ADMINISTRATOR, ccg__isnull=True, area_team__isnull=True)
                ),
            ),
            models.CheckConstraint(
                name="role_ends_after_it_starts",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} of {self.scope}"

    @property
    def scope(self) -> Any:
        return self.ccg or self.area_team or "cocomm"


# The user model is swappable, so its history is registered rather than declared (fields.E300).
# Password hashes and log-in times are not governance facts and stay out of the history.
# Log-ins save last_login alone, which AuditedHistory therefore does not record (no authorless rows).
register_history(User, records_class=AuditedHistory, excluded_fields=["password", "last_login"], app="cocomm")


class AuditCheck(models.Model):
    """One run of the audit chain check (`audit_verify`): when, whether it held, and where not.

    Written by the nightly task and read by administrators and NHS England reviewers. Each run is
    a new row, never changed; its history row puts the run itself into the audit chain.
    """

    checked_at = models.DateTimeField()
    ok = models.BooleanField()
    database = models.CharField(max_length=20, help_text="postgresql, or sqlite for a local demo.")
    guarded = models.BooleanField(help_text="Whether every history table refused UPDATE and DELETE.")
    rows_checked = models.PositiveIntegerField(default=0)
    rows_per_table = models.JSONField(default=dict, blank=True)
    failure_table = models.CharField(max_length=100, blank=True)
    failure_row_id = models.CharField(max_length=40, blank=True)
    failure_reason = models.TextField(blank=True)
    problems = models.JSONField(default=list, blank=True, help_text="Every problem found, in order.")
    duration_ms = models.PositiveIntegerField(default=0)
    checked_by = models.ForeignKey("cocomm.User", on_delete=models.PROTECT, related_name="+")
    history = AuditedHistory()

    class Meta:
        ordering = ["-checked_at", "-pk"]
        get_latest_by = ["checked_at", "pk"]

    def __str__(self) -> str:
        return f"Audit check of {self.checked_at:%Y-%m-%d %H:%M}: {'passed' if self.ok else 'failed'}"
