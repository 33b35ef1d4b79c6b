"""The register of procurement decisions and the awards that follow them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from cocomm.audit import save_audited, system_user
from cocomm.models import Organisation, Practice, User
from committees.choices import DecisionStatus, MatterKind, Outcome
from committees.models import Decision
from conflicts import permissions
from conflicts.models import (
    Award,
    ItemDeclaration,
    ProcurementRecord,
    ProcurementRoute,
)
from conflicts.services._common import _require


def procurement_record_for(decision: Decision) -> ProcurementRecord | None:
    """Add an approved procurement decision to the register (called when a decision is approved)."""
    # Registered in `committees.hooks.decision_approved`: it runs inside the approval's transaction,
    # so an approved procurement decision is never without its entry, nor an entry without approval.
    if decision.status != DecisionStatus.APPROVED or decision.matter is None:
        return None
    if (
        decision.matter.kind != MatterKind.PROCUREMENT
        or ProcurementRecord.objects.filter(decision=decision).exists()
    ):
        return None
    declared = (
        ItemDeclaration.objects.filter(item=decision.item).select_related("person")
        if decision.item_id
        else []
    )
    summary = "; ".join(f"{d.person}: {d.statement} ({d.get_ruling_display()})" for d in declared)
    record = ProcurementRecord(
        decision=decision,
        service=decision.matter.title,
        conflicts_summary=summary or "No conflicts declared.",
    )
    save_audited(
        record,
        by=decision.approved_by or system_user(),
        reason="Added to the register of procurement decisions",
    )
    return record


@transaction.atomic
def procurement_record_complete(
    *, record: ProcurementRecord, supplier: str, value: Decimal | None, by: User, reason: str
) -> ProcurementRecord:
    """Add the supplier chosen and the contract's value to an entry on the procurement register."""
    # The approved decision creates the entry, but the award (who, for how much) often follows it.
    _require(
        permissions.can_keep_registers(by, record.decision.ccg),
        "Only the CCG's governance officers keep its procurement register.",
    )
    record.supplier, record.value = supplier.strip(), value
    save_audited(record, by=by, reason=reason)
    return record


@transaction.atomic
def award_record(
    *,
    decision: Decision,
    supplier: Practice | Organisation,
    value: Decimal,
    route: str,
    starts_on: dt.date,
    ends_on: dt.date,
    by: User,
    reason: str = "",
) -> Award:
    """Record the contract awarded after an approved procurement decision (or correct it, saying why)."""
    _require(
        permissions.can_keep_registers(by, decision.ccg),
        "Only the CCG's governance officers record the award that follows a procurement decision.",
    )
    decision = Decision.objects.select_related("matter", "ccg").get(pk=decision.pk)
    if decision.matter is None or decision.matter.kind != MatterKind.PROCUREMENT:
        raise ValidationError(
            "Only a procurement decision is followed by an award; this decision is not one."
        )
    if decision.status != DecisionStatus.APPROVED:
        raise ValidationError(
            "An award follows an approved procurement decision; this one is "
            f"{decision.get_status_display().lower()}. The chair must approve it first"
            + (
                ", or record the award against the decision that superseded it."
                if decision.status == DecisionStatus.SUPERSEDED
                else "."
            )
        )
    if decision.outcome != Outcome.CARRIED:
        raise ValidationError("The resolution was not carried, so no contract follows from this decision.")
    if route not in ProcurementRoute.values:
        raise ValidationError(
            {"route": "Choose the Provider Selection Regime process the contract was awarded by."}
        )
    if value < 0:
        raise ValidationError({"value": "The contract's value cannot be less than £0."})
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": "The contract must end after it starts."})
    record = ProcurementRecord.objects.filter(decision=decision).first() or procurement_record_for(decision)
    assert record is not None  # an approved procurement decision always has its entry
    award = Award.objects.filter(record=record).first()
    if award is not None and not reason.strip():
        raise ValidationError({"reason": "Say why the award is being changed."})
    award = award or Award(record=record)
    award.practice = supplier if isinstance(supplier, Practice) else None
    award.organisation = supplier if isinstance(supplier, Organisation) else None
    award.value, award.route, award.starts_on, award.ends_on = value, route, starts_on, ends_on
    changed = award.pk is not None
    save_audited(award, by=by, reason=reason.strip() or "Award recorded")
    # The register's own supplier and value follow the award, so every reader of the entry agrees.
    record.supplier = award.practice.name if award.practice else str(award.organisation)
    record.value = value
    save_audited(record, by=by, reason="Award corrected" if changed else "Award recorded")
    return award
