"""Every change to the registers and to conflicts at meetings: atomic, permission-checked, audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from cocomm.audit import save_audited, system_user
from cocomm.models import CCG, Organisation, Person, Practice, User
from committees import permissions as committee_permissions
from committees import rules as committee_rules
from committees import services as committee_services
from committees.choices import DecisionStatus, ExclusionScope, MatterKind, Outcome
from committees.models import AgendaItem, Committee, Decision
from committees.selectors import item_quorum, next_meeting_of
from conflicts import permissions, rules, selectors
from conflicts.models import (
    Award,
    Breach,
    BreachStatus,
    Campaign,
    CampaignRecipient,
    ConflictSettings,
    Declaration,
    GiftOrHospitality,
    InterestType,
    ItemChair,
    ItemDeclaration,
    NHSEReport,
    ProcurementRecord,
    ProcurementRoute,
    Referral,
    ReferralRoute,
    Ruling,
)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# Declarations ----------------------------------------------------------------------------------------


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


# Gifts, hospitality and breaches ---------------------------------------------------------------------------


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


@transaction.atomic
def breach_record(
    *,
    ccg: CCG,
    occurred_on: dt.date,
    what_happened: str,
    reported_by: str,
    guardian_view: str = "",
    actions: str = "",
    by: User,
) -> Breach:
    """Record a breach of the conflicts policy for the breaches register; it starts as reported."""
    _require(
        permissions.can_handle_breaches(by, ccg),
        "Only the CCG's governance officers and its Conflicts of Interest Guardian record breaches.",
    )
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": "The date cannot be in the future"})
    breach = Breach(
        ccg=ccg,
        occurred_on=occurred_on,
        what_happened=what_happened,
        reported_by=reported_by,
        guardian_view=guardian_view,
        actions=actions,
    )
    save_audited(breach, by=by, reason="Breach reported")
    return breach


# What each refused step needs instead, by the breach's status now.
_BREACH_STEP_REFUSALS = {
    BreachStatus.REPORTED: "The breach has not been investigated yet: record the investigation first.",
    BreachStatus.INVESTIGATED: "The breach has been investigated already: what remains is to close it.",
    BreachStatus.CLOSED: "The breach is closed: nothing more is recorded on it.",
}


def _breach_locked(breach: Breach, by: User) -> Breach:
    breach = Breach.objects.select_for_update().select_related("ccg").get(pk=breach.pk)
    _require(
        permissions.can_handle_breaches(by, breach.ccg),
        "Only the CCG's governance officers and its Conflicts of Interest Guardian take a breach further.",
    )
    return breach


def _breach_move(breach: Breach, status: BreachStatus, *, by: User, reason: str) -> None:
    """The one way a breach changes step: anything the transition table does not allow is refused."""
    current = BreachStatus(breach.status)
    if status not in Breach.TRANSITIONS[current]:
        raise ValidationError(_BREACH_STEP_REFUSALS[current])
    breach.status = status
    save_audited(breach, by=by, reason=reason)


def _report_required(nhse_report: str) -> bool | None:
    if nhse_report not in NHSEReport.values:
        raise ValidationError({"nhse_report": "Say whether the breach must be reported to NHS England"})
    return None if nhse_report == NHSEReport.UNDECIDED else nhse_report == NHSEReport.REQUIRED


def _raise_if(problems: dict[str, str]) -> None:
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def breach_investigate(
    *,
    breach: Breach,
    investigated_by: str,
    investigated_on: dt.date,
    findings: str,
    nhse_report: str,
    reported_to_nhse_on: dt.date | None = None,
    guardian_view: str = "",
    by: User,
) -> Breach:
    """Record the investigation of a reported breach: who, when, what they found, and whether NHS
    England must be told (which may still be open until closure)."""
    breach = _breach_locked(breach, by)
    if breach.status != BreachStatus.REPORTED:
        raise ValidationError(_BREACH_STEP_REFUSALS[BreachStatus(breach.status)])
    today = timezone.localdate()
    if not investigated_by.strip():
        raise ValidationError({"investigated_by": "Enter who investigated the breach"})
    if not findings.strip():
        raise ValidationError({"findings": "Enter what the investigation found"})
    required = _report_required(nhse_report)
    _raise_if(
        rules.breach_step_date_problem(
            "investigated_on",
            investigated_on,
            not_before=breach.occurred_on,
            what_before="the day the breach happened",
            today=today,
        )
    )
    _raise_if(
        rules.breach_report_problems(
            occurred_on=breach.occurred_on,
            report_required=required,
            reported_on=reported_to_nhse_on,
            today=today,
        )
    )
    breach.investigated_by, breach.investigated_on = investigated_by.strip(), investigated_on
    breach.findings = findings
    breach.nhse_report, breach.reported_to_nhse_on = nhse_report, reported_to_nhse_on
    if guardian_view.strip():
        breach.guardian_view = guardian_view
    _breach_move(breach, BreachStatus.INVESTIGATED, by=by, reason="Breach investigated")
    return breach


@transaction.atomic
def breach_close(
    *,
    breach: Breach,
    outcome: str,
    lessons_learned: str,
    closed_on: dt.date,
    nhse_report: str,
    reported_to_nhse_on: dt.date | None = None,
    by: User,
) -> Breach:
    """Close an investigated breach with its outcome and the lessons learned. A breach that must be
    reported to NHS England is closed only once the report's date is recorded."""
    breach = _breach_locked(breach, by)
    if breach.status != BreachStatus.INVESTIGATED:
        raise ValidationError(_BREACH_STEP_REFUSALS[BreachStatus(breach.status)])
    today = timezone.localdate()
    if not outcome.strip():
        raise ValidationError({"outcome": "Enter the outcome"})
    if not lessons_learned.strip():
        raise ValidationError({"lessons_learned": "Enter the lessons learned (or say there are none)"})
    required = _report_required(nhse_report)
    _raise_if(
        rules.breach_step_date_problem(
            "closed_on",
            closed_on,
            not_before=breach.investigated_on or breach.occurred_on,
            what_before="the investigation" if breach.investigated_on else "the day the breach happened",
            today=today,
        )
    )
    _raise_if(
        rules.breach_report_problems(
            occurred_on=breach.occurred_on,
            report_required=required,
            reported_on=reported_to_nhse_on,
            today=today,
        )
    )
    _raise_if(rules.breach_closure_problems(report_required=required, reported_on=reported_to_nhse_on))
    breach.outcome, breach.lessons_learned, breach.closed_on = outcome, lessons_learned, closed_on
    breach.nhse_report, breach.reported_to_nhse_on = nhse_report, reported_to_nhse_on
    _breach_move(breach, BreachStatus.CLOSED, by=by, reason="Breach closed")
    return breach


# Campaigns ------------------------------------------------------------------------------------------------


def _mail(person: Person, subject: str, body: str) -> None:
    if person.email:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])


@transaction.atomic
def campaign_open(*, ccg: CCG, title: str, deadline: dt.date, by: User) -> Campaign:
    """Open a declaration campaign for everyone who sits on the CCG's committees; invitations follow."""
    _require(permissions.can_keep_registers(by, ccg), "Only the CCG's governance officers open campaigns.")
    today = timezone.localdate()
    if deadline < today:
        raise ValidationError({"deadline": "The deadline cannot be in the past."})
    if selectors.open_campaign(ccg) is not None:
        raise ValidationError("The CCG already has an open campaign; close it first.")
    campaign = Campaign(ccg=ccg, title=title, opened_on=today, deadline=deadline)
    save_audited(campaign, by=by, reason="Campaign opened")
    for person_id in sorted({seat.person_id for seat in selectors.people_in_scope(ccg, today)}):
        recipient = CampaignRecipient(campaign=campaign, person_id=person_id)
        save_audited(recipient, by=by, reason="In scope of the campaign")
    from conflicts.tasks import campaign_invite_task

    transaction.on_commit(lambda: campaign_invite_task.delay(campaign.pk))
    return campaign


def campaign_invite(*, campaign: Campaign) -> int:
    """E-mail every recipient not yet invited. Safe to run twice: each is invited once."""
    sent = 0
    actor = system_user()
    # People with no e-mail address on record are left uninvited; the dashboard shows them.
    waiting = (
        campaign.recipients.select_related("person").filter(invited_at__isnull=True).exclude(person__email="")
    )
    for recipient in waiting:
        with transaction.atomic():
            locked = CampaignRecipient.objects.select_for_update().get(pk=recipient.pk)
            if locked.invited_at is not None:
                continue
            _mail(
                recipient.person,
                f"{campaign.title}: please declare your interests by {campaign.deadline:%-d %B %Y}",
                f"Dear {recipient.person},\n\n{campaign.ccg} asks everyone who sits on its committees to "
                f"declare their interests, or confirm they have none, by {campaign.deadline:%-d %B %Y}.\n",
            )
            locked.invited_at = timezone.now()
            save_audited(locked, by=actor, reason="Invitation e-mailed")
            sent += 1
    return sent


def campaign_reminders(*, today: dt.date | None = None) -> int:
    """Remind those who have not answered, a week before the deadline and on it. Safe to run twice."""
    today = today or timezone.localdate()
    actor = system_user()
    sent = 0
    for campaign in Campaign.objects.filter(closed=False).select_related("ccg"):
        days = rules.reminder_due(today=today, deadline=campaign.deadline)
        if days is None:
            continue
        answered = set(campaign.declarations.values_list("person_id", flat=True))
        unanswered = campaign.recipients.select_related("person").exclude(person_id__in=answered)
        for recipient in unanswered.exclude(person__email=""):
            with transaction.atomic():
                locked = CampaignRecipient.objects.select_for_update().get(pk=recipient.pk)
                if days in locked.reminded_days_before:
                    continue
                when = "today" if days == 0 else f"in {days} days, on {campaign.deadline:%-d %B %Y}"
                _mail(
                    recipient.person,
                    f"Reminder: {campaign.title} closes {when}",
                    f"Dear {recipient.person},\n\nYour declaration of interests for {campaign.ccg} is due "
                    f"{when}. If you have no interests, confirm a nil return.\n",
                )
                locked.reminded_days_before = [*locked.reminded_days_before, days]
                save_audited(locked, by=actor, reason=f"Reminder e-mailed, {days} days before the deadline")
                sent += 1
    return sent


@transaction.atomic
def campaign_close(*, campaign: Campaign, by: User) -> Campaign:
    _require(permissions.can_keep_registers(by, campaign.ccg), "You may not close this campaign.")
    campaign.closed = True
    save_audited(campaign, by=by, reason="Campaign closed")
    return campaign


# At the meeting ---------------------------------------------------------------------------------------


def _require_may_rule(item: AgendaItem, person: Person, by: User) -> selectors.ItemCheck | None:
    """Who may record a ruling on an item: the chair (or the clerk on the chair's word); when the chair
    has a conflict on the item, whoever chairs it in their place (or the clerk on their word). Nobody
    rules on their own declaration (statutory guidance 2017)."""
    committee = item.committee
    _require(
        committee is not None
        and (permissions.can_rule(by, committee) or committee_permissions.can_rule_on_item(by, item)),
        "Only the chair rules on declarations.",
    )
    assert committee is not None
    check = selectors.item_check(item)
    acting = check.acting_chair if check is not None else None
    if person.user_id is not None and person.user_id == by.pk:
        who = acting[1] if acting is not None else "the vice-chair, or a member named to chair the item"
        raise ValidationError(f"You cannot rule on your own declaration: {who} rules on it.")
    if check is not None and check.chair_flagged:
        if acting is None:
            raise ValidationError(
                "The chair has a conflict on this item and cannot rule on it: name a voting member without "
                "a conflict to chair the item first."
            )
        if committee_permissions.is_chair(by, committee) and not committee_permissions.can_manage_committee(
            by, committee
        ):
            raise ValidationError(
                f"The chair has a conflict on this item, so {acting[1]} chairs it and records its rulings."
            )
        acting_user = Person.objects.filter(pk=acting[0]).values_list("user_id", flat=True).first()
        _require(
            by.pk == acting_user or committee_permissions.can_manage_committee(by, committee),
            f"{acting[1]} chairs this item and records its rulings.",
        )
    return check


def _require_interest_fits(item: AgendaItem, person: Person, interest: Declaration | None) -> None:
    if interest is None:
        return
    if interest.person_id != person.pk:
        raise ValidationError({"interest": f"That register entry is {interest.person}'s, not {person}'s."})
    on = timezone.localtime(item.meeting.starts_at).date()
    if interest.declared_on > on:
        raise ValidationError(
            {
                "interest": f"That register entry was declared on {interest.declared_on:%-d %B %Y}, "
                f"after the meeting of {on:%-d %B %Y}: a ruling rests on what was declared by the meeting."
            }
        )


@transaction.atomic
def item_declaration_rule(
    *,
    item: AgendaItem,
    person: Person,
    statement: str,
    ruling: str,
    by: User,
    interest: Declaration | None = None,
    papers_withheld: bool = False,
    ruling_reason: str = "",
) -> ItemDeclaration:
    """Record a declaration on an item and the chair's ruling; a ruling out removes them from the
    item's vote and quorum (through the committee's exclusions)."""
    check = _require_may_rule(item, person, by)
    committee_services.require_meeting_started(
        item.meeting,
        "declarations and the chair's rulings can be recorded",
        before=committee_rules.PRE_MEETING_RULING,
        allowed_early=committee_rules.ruling_allowed_before_meeting(
            leaves_item=ruling == Ruling.LEAVES, papers_withheld=papers_withheld
        ),
    )
    if ruling not in Ruling.values:
        raise ValidationError({"ruling": "Choose the chair's ruling."})
    if not statement.strip():
        raise ValidationError({"statement": "Record what was declared."})
    # "No conflict in practice" is itself a decision, so it is recorded with its reason.
    if ruling == Ruling.NOTED and not ruling_reason.strip():
        raise ValidationError({"ruling_reason": "Say why they may take part despite the interest."})
    _require_interest_fits(item, person, interest)
    declaration = ItemDeclaration.objects.filter(item=item, person=person).first() or ItemDeclaration(
        item=item, person=person
    )
    declaration.interest, declaration.statement, declaration.ruling = interest, statement, ruling
    declaration.papers_withheld, declaration.ruled_by = papers_withheld, by
    declaration.ruling_reason = ruling_reason.strip()
    save_audited(declaration, by=by, reason=f"Chair's ruling: {Ruling(ruling).label}")
    if check is not None and check.chair_flagged and check.item_chair is None and check.acting_chair:
        # The vice-chair took the item: record it, so the minutes say who chaired it and why.
        acting_id, _, why = check.acting_chair
        save_audited(
            ItemChair(item=item, person_id=acting_id, reason=why, named_by=by),
            by=by,
            reason="The vice-chair chairs the item",
        )
    if ruling in (Ruling.NO_VOTE, Ruling.LEAVES):
        scope = ExclusionScope.NO_VOTE if ruling == Ruling.NO_VOTE else ExclusionScope.LEAVES
        committee_services.exclusion_record(
            item=item, person=person, scope=scope, reason=statement, by=by, papers_withheld=papers_withheld
        )
    else:
        committee_services.exclusion_lift(
            item=item, person=person, by=by, reason="Ruled that they may take part"
        )
    return declaration


@transaction.atomic
def item_chair_name(*, item: AgendaItem, person: Person, by: User, reason: str = "") -> ItemChair:
    """Name the voting member who chairs an item because the chair has a conflict on it and no
    vice-chair is free to."""
    committee = item.committee
    _require(
        committee is not None and permissions.can_rule(by, committee),
        "Only the chair or the meeting's governance officer names who chairs an item.",
    )
    check = selectors.item_check(item)
    if check is None or not check.chair_flagged:
        raise ValidationError("The chair has no conflict flagged on this item, so the chair chairs it.")
    if check.vice_chair is not None:
        raise ValidationError(f"The vice-chair, {check.vice_chair.person}, chairs this item.")
    seat = next((s for s in check.seats if s.person_id == person.pk), None)
    if seat is None or not seat.voting:
        raise ValidationError({"person": f"{person} is not a voting member of {committee}."})
    if seat.person_id in check.flagged_ids:
        raise ValidationError({"person": f"{person} is flagged on this item too, so cannot chair it."})
    if not check.may_chair_item(seat):
        raise ValidationError(
            {"person": f"{person} cannot chair the item: they are the chair or not present."}
        )
    why = "The chair has a conflict on the item and no vice-chair is free to chair it."
    chair = ItemChair.objects.filter(item=item).first() or ItemChair(item=item)
    chair.person, chair.named_by = person, by
    chair.reason = f"{why} {reason.strip()}".strip()
    save_audited(chair, by=by, reason=f"{person} named to chair the item")
    return chair


@transaction.atomic
def referral_record(
    *,
    item: AgendaItem,
    route: str,
    guardian_consulted: bool,
    by: User,
    to_committee: Committee | None = None,
    note: str = "",
) -> Referral:
    """Refer an item that conflicts left inquorate; it moves to the next meeting of the body named."""
    committee = item.committee
    _require(committee is not None and permissions.can_rule(by, committee), "Only the chair refers items.")
    committee_services.require_meeting_started(item.meeting, "an item left inquorate can be referred")
    quorum = item_quorum(item)
    if not quorum.attendance_recorded:
        raise ValidationError(
            "The meeting's attendance has not been recorded, so nobody can yet say the item is inquorate: "
            "the clerk records who is present first."
        )
    if quorum.quorate:
        raise ValidationError("The item is quorate: it is decided here, not referred.")
    if not guardian_consulted:
        raise ValidationError(
            {"guardian_consulted": "Consult the Conflicts of Interest Guardian before referring the item."}
        )
    if route not in ReferralRoute.values:
        raise ValidationError({"route": "Choose where the item goes."})
    if route != ReferralRoute.CO_OPTION and to_committee is None:
        raise ValidationError({"to_committee": "Name the committee the item goes to."})
    if hasattr(item, "referral"):
        raise ValidationError("This item has been referred already.")
    new_item = None
    if to_committee is not None:
        upcoming = next_meeting_of(to_committee, item.meeting.starts_at)
        if upcoming is None:
            raise ValidationError(
                {"to_committee": f"{to_committee} has no meeting scheduled after this one."}
            )
        new_item = committee_services.agenda_item_add(
            meeting=upcoming,
            committee=to_committee,
            title=f"Referred from {committee}: {item.title}",
            purpose=item.purpose,
            session=item.session,
            ccg=item.ccg,
            function=item.function,
            practices=item.practices.all(),
            organisations=item.organisations.all(),
            matter=item.matter,
            summary=item.summary,
            # The chair's referral is the authority for the move, which the CCG's office carries out.
            by=system_user(),
            reason=f"Referred by {by}: the item was inquorate because of conflicts of interest",
        )
    referral = Referral(
        item=item,
        route=route,
        guardian_consulted=guardian_consulted,
        to_committee=to_committee,
        note=note,
        new_item=new_item,
    )
    save_audited(referral, by=by, reason="Item referred")
    return referral


# Procurement register ----------------------------------------------------------------------------------


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
