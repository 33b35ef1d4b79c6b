"""Gifts and hospitality: the CCG's limits and the offers recorded against them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cocomm.audit import save_audited
from cocomm.models import CCG, Person, User
from conflicts import permissions, rules
from conflicts.models import (
    ConflictSettings,
    GiftOrHospitality,
)
from conflicts.services._common import _require


def thresholds_of(ccg: CCG) -> rules.Thresholds:
    own = ConflictSettings.objects.filter(ccg=ccg).first()
    if own is None:
        return rules.Thresholds()
    return rules.Thresholds(
        supplier_gift_limit=own.supplier_gift_limit,
        other_gift_limit=own.other_gift_limit,
        hospitality_declare_from=own.hospitality_declare_from,
        hospitality_approval_over=own.hospitality_approval_over,
    )


@transaction.atomic
def offer_record(
    *,
    ccg: CCG,
    person: Person,
    kind: str,
    description: str,
    value: Decimal,
    offeror: str,
    from_supplier: bool,
    offered_on: dt.date,
    accepted: bool,
    reason: str = "",
    position: str = "",
    senior_approver: Person | None = None,
    by: User,
) -> GiftOrHospitality:
    """Record an offer of a gift or hospitality, declined or accepted, within the CCG's limits."""
    _require(permissions.can_declare_for(by, person, ccg), "You may not record offers for this person.")
    verdict = rules.offer_verdict(
        rules.OfferKind(kind), value, from_supplier=from_supplier, limits=thresholds_of(ccg)
    )
    if accepted and verdict.must_decline:
        raise ValidationError({"accepted": f"This offer must be declined: {verdict.reason}"})
    if accepted and verdict.needs_senior_approval and senior_approver is None:
        raise ValidationError(
            {"senior_approver": f"Name the senior manager who approved it: {verdict.reason}"}
        )
    offer = GiftOrHospitality(
        ccg=ccg,
        person=person,
        position=position,
        kind=kind,
        description=description,
        value=value,
        offeror=offeror,
        from_supplier=from_supplier,
        offered_on=offered_on,
        accepted=accepted,
        reason=reason or verdict.reason,
        senior_approver=senior_approver if accepted else None,
        approved_on=timezone.localdate() if accepted and senior_approver else None,
        declared_by=by,
    )
    save_audited(offer, by=by, reason="Offer declared" if accepted else "Declined offer recorded")
    return offer


@transaction.atomic
def thresholds_set(*, ccg: CCG, limits: rules.Thresholds, by: User, reason: str) -> ConflictSettings:
    """Change a CCG's gifts and hospitality limits."""
    _require(permissions.can_keep_registers(by, ccg), "You may not change this CCG's limits.")
    own = ConflictSettings.objects.filter(ccg=ccg).first() or ConflictSettings(ccg=ccg)
    own.supplier_gift_limit = limits.supplier_gift_limit
    own.other_gift_limit = limits.other_gift_limit
    own.hospitality_declare_from = limits.hospitality_declare_from
    own.hospitality_approval_over = limits.hospitality_approval_over
    save_audited(own, by=by, reason=reason)
    return own
