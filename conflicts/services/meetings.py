"""At the meeting: declarations on items and the rulings on them, who chairs a conflicted chair's
item, and referrals."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cocomm.audit import save_audited, system_user
from cocomm.models import Person, User
from committees import permissions as committee_permissions
from committees import rules as committee_rules
from committees import services as committee_services
from committees.choices import CommitteeKind, ExclusionScope
from committees.models import AgendaItem, Committee
from committees.selectors import item_quorum, next_meeting_of
from conflicts import permissions, selectors
from conflicts.models import (
    Declaration,
    ItemChair,
    ItemDeclaration,
    Referral,
    ReferralRoute,
    Ruling,
)
from conflicts.services._common import _require


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
    # Once the item's vote has closed (or the minutes are approved) no declaration or ruling on it changes.
    committee_services.require_item_open(item)
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
    committee_services.require_item_open(item)
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


def _require_referral_target(
    item: AgendaItem, committee: Committee, target: Committee, route: str, by: User
) -> None:
    """The body an item is referred to, checked here whoever calls (the form offers the same list): one
    the item may go to, of the kind the route names, that the person referring may send it to."""
    if target.pk == committee.pk:
        raise ValidationError(
            {"to_committee": f"The item is inquorate at {committee}: refer it to another body."}
        )
    if not selectors.referral_targets(item).filter(pk=target.pk).exists():
        # The target is not named: whoever called may not be allowed to see it.
        ccgs = ", ".join(ccg.name for ccg in committee.ccgs.order_by("name"))
        raise ValidationError(
            {"to_committee": f"An item is referred only to another body serving {ccgs}; that one does not."}
        )
    if route == ReferralRoute.GOVERNING_BODY and target.kind != CommitteeKind.GOVERNING_BODY:
        raise ValidationError(
            {
                "to_committee": f"{target} is not a governing body: choose the governing body, or refer the "
                "item to another committee."
            }
        )
    _require(
        permissions.can_refer_to(by, committee, target),
        f"Only the chair of {committee} refers its items to {target}, or a governance officer who manages "
        f"{target} on the chair's word.",
    )


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
    assert committee is not None
    committee_services.require_meeting_started(item.meeting, "an item left inquorate can be referred")
    committee_services.require_record_open(item.meeting)
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
    if route == ReferralRoute.CO_OPTION and to_committee is not None:
        raise ValidationError(
            {"to_committee": "Co-opted members join this committee for the item: name no other committee."}
        )
    if hasattr(item, "referral"):
        raise ValidationError("This item has been referred already.")
    new_item = None
    if to_committee is not None:
        _require_referral_target(item, committee, to_committee, route, by)
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
