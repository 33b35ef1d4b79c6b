"""The conflicts rules that committees must pass before a vote or a chair's action.

Registered in `ConflictsConfig.ready()` on the lists in `committees.hooks`, so the committees services
refuse, inside their own transaction, what these checks refuse. Statutory guidance 2017 (managing
conflicts of interest): every interest is declared and managed before the person takes part in the
decision, the management is recorded, and a chair does not rule on their own conflict.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from cocomm.models import CCG, Person
from committees.choices import Office
from committees.hooks import FlaggedPerson
from committees.models import AgendaItem, Committee, Matter, Membership
from conflicts import rules, selectors
from functions.models import Function


def _who_acts(check: selectors.ItemCheck, unruled: list[selectors.FlagStatus]) -> str:
    chair = next((s for s in check.seats if s.office == Office.CHAIR), None)
    chair_name = f"the chair, {chair.person}," if chair is not None else "the chair"
    the_chair = f"The chair, {chair.person}," if chair is not None else "The chair"
    if not check.chair_flagged:
        return (
            f"Record them from the conflicts checklist: {chair_name} rules "
            "(the meeting's governance officer may record the ruling)."
        )
    acting = check.acting_chair
    if acting is not None:
        return (
            f"{the_chair[:-1]} has a conflict on this item and cannot rule on it: "
            f"{acting[1]} chairs the item in the chair's place and rules."
        )
    return (
        f"{the_chair[:-1]} has a conflict on this item and cannot rule on it, and no "
        "vice-chair is free to: name a voting member without a conflict to chair the item, on the "
        "item's declarations page; they rule."
    )


def unruled_conflicts(item: AgendaItem) -> list[str]:
    """Why the item may not go to the vote: people flagged on it who have no ruling yet."""
    check = selectors.item_check(item)
    if check is None:
        return []
    unruled = check.unruled
    if not unruled:
        return []
    return [
        rules.unruled_refusal(
            f"Item {item.number}, {item.title},", [s.name for s in unruled], _who_acts(check, unruled)
        )
    ]


def item_chair_user_ids(item: AgendaItem) -> set[int]:
    """The login of whoever chairs the item in the chair's place, if anyone does."""
    check = selectors.item_check(item)
    acting = check.acting_chair if check is not None else None
    if acting is None:
        return set()
    user_id = Person.objects.filter(pk=acting[0]).values_list("user_id", flat=True).first()
    return {user_id} if user_id is not None else set()


def _vice_chair(committee: Committee, on: dt.date) -> Membership | None:
    return (
        committee.memberships.filter(office=Office.VICE_CHAIR, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        .select_related("person")
        .first()
    )


def chairs_action_conflicts(
    committee: Committee, ccg: CCG, function: Function, matter: Matter | None, user_id: int
) -> list[str]:
    """Why the chair may not take this decision alone: an interest of theirs touches it, unmanaged.

    Managed here means the register entry's mitigating actions have been agreed with a manager; a
    chair's action has no meeting at which the conflict could be ruled on.
    """
    person = Person.objects.filter(user_id=user_id).first()
    if person is None:
        return []
    today = timezone.localdate()
    fact = rules.ItemFact(
        item_id=0,
        title=matter.title if matter is not None else "",
        ccg_id=ccg.pk,
        function_number=function.number,
        practice_ids=frozenset(matter.practices.values_list("pk", flat=True)) if matter else frozenset(),
        organisation_ids=frozenset(matter.organisations.values_list("pk", flat=True))
        if matter
        else frozenset(),
    )
    interests = list(selectors.current_interests([person.pk], today))
    by_id = {d.pk: d for d in interests}
    flags = rules.detect([fact], [selectors.interest_fact(d) for d in interests])
    unmanaged = [
        f for f in flags if f.interest_id is None or by_id[f.interest_id].mitigation_approved_by_id is None
    ]
    if not unmanaged:
        return []
    vice = _vice_chair(committee, today)
    instead = (
        f"The vice-chair, {vice.person}, may take it instead at a meeting of the committee, "
        "where the conflict is ruled on."
        if vice is not None
        else "Bring it to a meeting of the committee, where a member without the conflict chairs the item."
    )
    return [
        f"You may not take this decision by chair's action: {flag.reason.rstrip('.')}. "
        f"No mitigation of this interest has been agreed on the register. {instead}"
        for flag in unmanaged
    ]


def flagged_people(item: AgendaItem) -> list[FlaggedPerson]:
    """Who the checklist flags on an item and the ruling on each, for the committees' item page."""
    check = selectors.item_check(item)
    if check is None:
        return []
    rows = []
    for status in check.statuses:
        ruling, ruled_by = "", ""
        if status.ruling is not None:
            ruling, ruled_by = status.ruling.get_ruling_display(), str(status.ruling.ruled_by)
        elif status.exclusion is not None:
            ruling = status.exclusion.get_scope_display()
        rows.append(FlaggedPerson(status.name, status.flag.reason, ruling, ruled_by, status.takes_part))
    return rows
