"""Declarations to the register of interests, their ending and the mitigations agreed."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cocomm.audit import save_audited
from cocomm.models import CCG, Organisation, Person, Practice, User
from conflicts import permissions, selectors
from conflicts.models import (
    Declaration,
    InterestType,
)
from conflicts.services._common import _require


@transaction.atomic
def declaration_make(
    *,
    ccg: CCG,
    person: Person,
    position: str,
    by: User,
    nil_return: bool = False,
    interest_type: str = "",
    description: str = "",
    relationship: str = "",
    practice: Practice | None = None,
    organisation: Organisation | None = None,
    organisation_name: str = "",
    interest_from: dt.date | None = None,
    interest_to: dt.date | None = None,
    mitigation: str = "",
    consent_to_publish: bool = True,
    withheld_reason: str = "",
    for_nhs_england: bool = False,
    declared_on: dt.date | None = None,
) -> Declaration:
    """Declare an interest (or a nil return) to a CCG's register: by the declarant, or for them."""
    _require(
        permissions.can_declare_for(by, person, ccg),
        "Only the declarant, or a governance officer of the CCG for them, may declare.",
    )
    on_behalf = not permissions.is_declarant(by, person)
    if nil_return and (interest_type or description):
        raise ValidationError("A nil return declares no interest; leave the interest fields empty.")
    if not nil_return:
        if interest_type not in InterestType.values:
            raise ValidationError({"interest_type": "Choose the type of interest."})
        if not description.strip():
            raise ValidationError({"description": "Describe the interest."})
        if interest_type == InterestType.INDIRECT and not relationship.strip():
            raise ValidationError(
                {"relationship": "Say who holds the interest and how they are related to you."}
            )
    if not consent_to_publish and not withheld_reason.strip():
        raise ValidationError({"withheld_reason": "Give the reason for not consenting to publication."})
    campaign = selectors.open_campaign(ccg)
    in_campaign = campaign is not None and campaign.recipients.filter(person=person).exists()
    declaration = Declaration(
        ccg=ccg,
        person=person,
        position=position,
        for_nhs_england=for_nhs_england,
        nil_return=nil_return,
        interest_type=interest_type,
        description=description,
        relationship=relationship,
        practice=practice,
        organisation=organisation,
        organisation_name=organisation_name,
        interest_from=interest_from,
        interest_to=interest_to,
        declared_on=declared_on or timezone.localdate(),
        mitigation=mitigation,
        consent_to_publish=consent_to_publish,
        withheld_reason=withheld_reason,
        declared_by=by,
        on_behalf=on_behalf,
        campaign=campaign if in_campaign else None,
    )
    reason = "Declared on the declarant's behalf" if on_behalf else "Declared by the declarant"
    save_audited(declaration, by=by, reason=("Nil return: " if nil_return else "") + reason)
    return declaration


@transaction.atomic
def declaration_end(*, declaration: Declaration, interest_to: dt.date, by: User, reason: str) -> Declaration:
    """Record that an interest has ended; it stays on the published register for 6 months more."""
    _require(
        permissions.can_declare_for(by, declaration.person, declaration.ccg), "You may not change this entry."
    )
    if declaration.interest_from and interest_to < declaration.interest_from:
        raise ValidationError({"interest_to": "An interest cannot end before it began."})
    declaration.interest_to = interest_to
    save_audited(declaration, by=by, reason=reason)
    return declaration


@transaction.atomic
def mitigation_approve(*, declaration: Declaration, approver: Person, by: User) -> Declaration:
    """A named manager agrees the actions that mitigate the risk of an interest."""
    _require(permissions.can_keep_registers(by, declaration.ccg), "You may not approve mitigations here.")
    if not declaration.mitigation.strip():
        raise ValidationError("There are no mitigating actions to approve.")
    declaration.mitigation_approved_by, declaration.mitigation_approved_on = approver, timezone.localdate()
    save_audited(declaration, by=by, reason=f"Mitigation agreed with {approver}")
    return declaration
