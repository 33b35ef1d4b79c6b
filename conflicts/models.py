"""Registers of interests, gifts and hospitality, procurement decisions and breaches; declaration
campaigns; declarations and rulings at meetings; referrals of items left inquorate."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from cocomm.audited_history import AuditedHistory
from cocomm.models import CCG, Organisation, Person, Practice
from committees.models import (
    AgendaItem,
    Committee,
    Decision,
    FrozenGuard,
    item_freeze,
    meeting_of_item,
    minutes_freeze,
)


class InterestType(models.TextChoices):
    FINANCIAL = "financial", "Financial"
    PROFESSIONAL = "professional", "Non-financial professional"
    PERSONAL = "personal", "Non-financial personal"
    INDIRECT = "indirect", "Indirect"


class Declaration(models.Model):
    """An entry on a CCG's register of interests (NHS England's template fields), or a nil return."""

    ccg = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="declarations", verbose_name="CCG")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="declarations")
    position = models.CharField(
        max_length=200, help_text="Position within, or relationship with, the CCG (or NHS England)."
    )
    for_nhs_england = models.BooleanField(
        "for NHS England", default=False, help_text="Declared as NHS England's member of a joint committee."
    )
    nil_return = models.BooleanField(default=False, help_text="The person has no interests to declare.")
    interest_type = models.CharField(max_length=15, choices=InterestType.choices, blank=True)
    description = models.TextField(blank=True)
    relationship = models.CharField(
        max_length=200, blank=True, help_text="For an indirect interest: the relationship with who holds it."
    )
    practice = models.ForeignKey(
        Practice, on_delete=models.PROTECT, null=True, blank=True, related_name="declarations"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="declarations"
    )
    organisation_name = models.CharField(
        max_length=200, blank=True, help_text="The body concerned, when it is not recorded in cocomm."
    )
    interest_from = models.DateField(null=True, blank=True)
    interest_to = models.DateField(null=True, blank=True)
    declared_on = models.DateField()
    mitigation = models.TextField("actions to mitigate risk", blank=True)
    mitigation_approved_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="approved_mitigations"
    )
    mitigation_approved_on = models.DateField(null=True, blank=True)
    consent_to_publish = models.BooleanField(default=True)
    withheld_reason = models.TextField(
        blank=True, help_text="Why the declarant does not consent to publication."
    )
    declared_by = models.ForeignKey("cocomm.User", on_delete=models.PROTECT, related_name="+")
    on_behalf = models.BooleanField(
        default=False, help_text="Entered by a governance officer for the declarant."
    )
    campaign = models.ForeignKey(
        "Campaign", on_delete=models.SET_NULL, null=True, blank=True, related_name="declarations"
    )
    history = AuditedHistory()

    class Meta:
        ordering = ["person__full_name", "-declared_on"]
        indexes = [models.Index(fields=["ccg", "person"], name="declaration_ccg_person")]
        constraints = [
            models.CheckConstraint(
                name="declaration_nil_or_interest",
                condition=Q(nil_return=True, interest_type="") | Q(nil_return=False) & ~Q(interest_type=""),
            ),
            models.CheckConstraint(
                name="declaration_indirect_names_relationship",
                condition=~Q(interest_type=InterestType.INDIRECT) | ~Q(relationship=""),
            ),
            models.CheckConstraint(
                name="declaration_withheld_has_reason",
                condition=Q(consent_to_publish=True) | ~Q(withheld_reason=""),
            ),
            models.CheckConstraint(
                name="declaration_ends_after_it_starts",
                condition=Q(interest_to__isnull=True)
                | Q(interest_from__isnull=True)
                | Q(interest_to__gte=models.F("interest_from")),
            ),
        ]

    def __str__(self) -> str:
        if self.nil_return:
            return f"{self.person}: nil return ({self.declared_on:%-d %b %Y})"
        return f"{self.person}: {self.get_interest_type_display().lower()} interest in {self.concerns}"

    @property
    def concerns(self) -> str:
        return str(self.practice or self.organisation or self.organisation_name or "—")


class ConflictSettings(models.Model):
    """A CCG's gifts and hospitality limits (NHS-wide defaults; configurable)."""

    ccg = models.OneToOneField(
        CCG, on_delete=models.CASCADE, related_name="conflict_settings", verbose_name="CCG"
    )
    supplier_gift_limit = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("6"))
    other_gift_limit = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("50"))
    hospitality_declare_from = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("25"))
    hospitality_approval_over = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("75"))
    history = AuditedHistory()

    class Meta:
        verbose_name_plural = "conflict settings"

    def __str__(self) -> str:
        return f"Gifts and hospitality limits of {self.ccg}"


class OfferKind(models.TextChoices):
    GIFT = "gift", "Gift"
    HOSPITALITY = "hospitality", "Hospitality"


class GiftOrHospitality(models.Model):
    """An offer of a gift or hospitality, accepted or declined, on the CCG's register."""

    ccg = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="gifts", verbose_name="CCG")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="gifts")
    position = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=12, choices=OfferKind.choices)
    description = models.TextField()
    value = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    offeror = models.CharField(max_length=200, help_text="Who offered it, and the nature of their business.")
    from_supplier = models.BooleanField(
        help_text="The offeror is a supplier or contractor, or may become one."
    )
    offered_on = models.DateField()
    accepted = models.BooleanField()
    reason = models.TextField("reason for accepting or declining", blank=True)
    senior_approver = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="approved_offers"
    )
    approved_on = models.DateField(null=True, blank=True)
    declared_by = models.ForeignKey("cocomm.User", on_delete=models.PROTECT, related_name="+")
    history = AuditedHistory()

    class Meta:
        ordering = ["-offered_on"]
        verbose_name = "gift or hospitality"
        verbose_name_plural = "gifts and hospitality"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.person} from {self.offeror} (£{self.value})"


class BreachStatus(models.TextChoices):
    REPORTED = "reported", "Reported"
    INVESTIGATED = "investigated", "Investigated"
    CLOSED = "closed", "Closed"


class NHSEReport(models.TextChoices):
    """Whether a breach must be reported to NHS England (statutory guidance: serious breaches are)."""

    UNDECIDED = "undecided", "Not yet decided"
    NOT_REQUIRED = "not_required", "Not required"
    REQUIRED = "required", "Required"


class Breach(models.Model):
    """A breach of the conflicts of interest policy: reported, investigated, then closed with its
    outcome and the lessons learned; reported to NHS England where it is serious enough."""

    # Transitions as a table: one step at a time, and a closed breach stays closed.
    TRANSITIONS = {
        BreachStatus.REPORTED: {BreachStatus.INVESTIGATED},
        BreachStatus.INVESTIGATED: {BreachStatus.CLOSED},
        BreachStatus.CLOSED: set(),
    }

    ccg = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="breaches", verbose_name="CCG")
    occurred_on = models.DateField()
    what_happened = models.TextField()
    reported_by = models.CharField(max_length=200)
    guardian_view = models.TextField("the Conflicts of Interest Guardian's view", blank=True)
    actions = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=BreachStatus.choices, default=BreachStatus.REPORTED)
    investigated_by = models.CharField(max_length=200, blank=True, help_text="Who investigated it.")
    investigated_on = models.DateField(null=True, blank=True)
    findings = models.TextField(blank=True)
    nhse_report = models.CharField(
        "report to NHS England",
        max_length=12,
        choices=NHSEReport.choices,
        default=NHSEReport.UNDECIDED,
    )
    reported_to_nhse_on = models.DateField("reported to NHS England on", null=True, blank=True)
    outcome = models.TextField(blank=True)
    lessons_learned = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    history = AuditedHistory()

    class Meta:
        ordering = ["-occurred_on"]
        verbose_name_plural = "breaches"
        constraints = [
            models.CheckConstraint(
                name="breach_closed_has_date",
                condition=~Q(status=BreachStatus.CLOSED) | Q(closed_on__isnull=False),
            ),
            models.CheckConstraint(
                name="breach_closed_reported_where_required",
                condition=~Q(status=BreachStatus.CLOSED, nhse_report=NHSEReport.REQUIRED)
                | Q(reported_to_nhse_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Breach of {self.occurred_on:%-d %B %Y} at {self.ccg}"


class Campaign(models.Model):
    """An annual declaration campaign: everyone in scope declares or confirms a nil return by a date."""

    ccg = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="campaigns", verbose_name="CCG")
    title = models.CharField(max_length=200)
    opened_on = models.DateField()
    deadline = models.DateField()
    closed = models.BooleanField(default=False)
    history = AuditedHistory()

    class Meta:
        ordering = ["-opened_on"]
        constraints = [
            models.CheckConstraint(
                name="campaign_deadline_after_opening", condition=Q(deadline__gte=models.F("opened_on"))
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CampaignRecipient(models.Model):
    """Someone asked to declare in a campaign, and the e-mails sent to them."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="campaigns")
    invited_at = models.DateTimeField(null=True, blank=True)
    reminded_days_before = models.JSONField(
        default=list, blank=True, help_text="Reminders sent, as days before the deadline."
    )
    history = AuditedHistory()

    class Meta:
        ordering = ["campaign", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="campaign_recipient_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.campaign}"


# At the meeting ----------------------------------------------------------------------------------------


class Ruling(models.TextChoices):
    NOTED = "noted", "Noted; may take part"
    NO_VOTE = "no_vote", "Stays for the discussion; does not vote"
    LEAVES = "leaves", "Leaves the meeting for the item"


class ItemDeclaration(FrozenGuard):
    """A member's declaration on an agenda item and the chair's ruling on it."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="declarations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="item_declarations")
    interest = models.ForeignKey(
        Declaration, on_delete=models.PROTECT, null=True, blank=True, related_name="item_declarations"
    )
    statement = models.TextField(help_text="What was declared at the meeting.")
    ruling = models.CharField(max_length=10, choices=Ruling.choices)
    ruling_reason = models.TextField(
        "reason for the ruling",
        blank=True,
        help_text="Why the chair ruled as they did; required when the person may take part.",
    )
    papers_withheld = models.BooleanField(default=False)
    ruled_by = models.ForeignKey("cocomm.User", on_delete=models.PROTECT, related_name="+")
    history = AuditedHistory()

    class Meta:
        ordering = ["item", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["item", "person"], name="item_declaration_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.item}: {self.get_ruling_display()}"

    def frozen_because(self, *, deleting: bool = False) -> str:
        return item_freeze(self.item_id)


class ItemChair(FrozenGuard):
    """Who chairs one item in the chair's place, because the chair has a conflict on it, and why."""

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="item_chair")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="items_chaired")
    reason = models.TextField(help_text="Why the chair does not chair this item.")
    named_by = models.ForeignKey("cocomm.User", on_delete=models.PROTECT, related_name="+")
    history = AuditedHistory()

    class Meta:
        verbose_name = "chair for an item"

    def __str__(self) -> str:
        return f"{self.person} chairs {self.item}"

    def frozen_because(self, *, deleting: bool = False) -> str:
        return item_freeze(self.item_id)


class ReferralRoute(models.TextChoices):
    OTHER_COMMITTEE = "other_committee", "Another committee"
    GOVERNING_BODY = "governing_body", "The governing body"
    NEIGHBOUR = "neighbour", "A neighbouring CCG's committee"
    CO_OPTION = "co_option", "Co-opted non-conflicted members"


class Referral(FrozenGuard):
    """An item left inquorate by conflicts, referred elsewhere after consulting the Guardian."""

    item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, related_name="referral")
    route = models.CharField(max_length=20, choices=ReferralRoute.choices)
    guardian_consulted = models.BooleanField("Conflicts of Interest Guardian consulted")
    to_committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals_received"
    )
    note = models.TextField(blank=True)
    new_item = models.OneToOneField(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="referred_from"
    )
    history = AuditedHistory()

    def __str__(self) -> str:
        return f"{self.item} referred to {self.to_committee or self.get_route_display()}"

    def frozen_because(self, *, deleting: bool = False) -> str:
        return minutes_freeze(meeting_of_item(self.item_id))


class ProcurementRecord(models.Model):
    """An entry on the register of procurement decisions, written when the decision is approved."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="procurement_record")
    service = models.CharField(max_length=300)
    supplier = models.CharField(max_length=200, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    conflicts_summary = models.TextField(
        blank=True, help_text="Conflicts declared and how they were managed."
    )
    history = AuditedHistory()

    class Meta:
        ordering = ["-decision__decided_on"]

    def __str__(self) -> str:
        return self.service


class ProcurementRoute(models.TextChoices):
    """The processes of the Provider Selection Regime (Health Care Services (Provider Selection
    Regime) Regulations 2023), by which a contract for health care services is awarded."""

    DIRECT_AWARD_A = "direct_a", "Direct award process A (the existing provider is the only one capable)"
    DIRECT_AWARD_B = "direct_b", "Direct award process B (patients choose their provider)"
    DIRECT_AWARD_C = (
        "direct_c",
        "Direct award process C (the existing provider continues: it performs well and the services "
        "do not change considerably)",
    )
    MOST_SUITABLE_PROVIDER = "most_suitable", "Most suitable provider process"
    COMPETITIVE = "competitive", "Competitive process"


class Award(models.Model):
    """The contract awarded after an approved procurement decision: a supplier that cocomm keeps (a
    practice or an organisation), its value, the route and the contract's dates."""

    record = models.OneToOneField(ProcurementRecord, on_delete=models.PROTECT, related_name="award")
    practice = models.ForeignKey(
        Practice, on_delete=models.PROTECT, null=True, blank=True, related_name="awards"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="awards"
    )
    value = models.DecimalField(
        max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))], help_text="In pounds."
    )
    route = models.CharField(max_length=15, choices=ProcurementRoute.choices)
    starts_on = models.DateField("contract start")
    ends_on = models.DateField("contract end")
    history = AuditedHistory()

    class Meta:
        ordering = ["-record__decision__decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="award_names_one_supplier",
                condition=Q(practice__isnull=False, organisation__isnull=True)
                | Q(practice__isnull=True, organisation__isnull=False),
            ),
            models.CheckConstraint(
                name="award_contract_ends_after_it_starts", condition=Q(ends_on__gt=models.F("starts_on"))
            ),
            models.CheckConstraint(name="award_value_not_negative", condition=Q(value__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.record.service}: awarded to {self.supplier_name}"

    @property
    def supplier(self) -> Practice | Organisation:
        supplier = self.practice or self.organisation
        assert supplier is not None  # the constraint names exactly one
        return supplier

    @property
    def supplier_name(self) -> str:
        return str(self.practice or self.organisation or "")

    @property
    def value_text(self) -> str:
        return f"£{self.value:,.2f}"
