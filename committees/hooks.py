"""Seams through which apps above committees take part in its rules, without committees importing them.

Committees sit below conflicts and assurance in the layers, so a rule that needs the registers (a
flagged conflict with no ruling blocks the vote) or a record that other apps keep (the register of
procurement decisions) reaches committees through these lists. Each app appends its callables once,
in its `AppConfig.ready()`; the committees services call every one of them inside their own
transaction, so what a hook refuses or writes is part of the same change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cocomm.models import CCG
from cocomm.permissions import AnyUser
from committees.models import AgendaItem, Committee, Decision, Matter
from functions.models import Function

# Before a resolution is proposed on an item or its vote opened: each blocker returns the reasons the
# item may not go to a vote yet (empty when nothing stands in the way). The service refuses with them.
vote_blockers: list[Callable[[AgendaItem], list[str]]] = []

# Before the chair takes a decision by chair's action: each check returns the reasons the chair may
# not take it (empty when none), given the committee, the CCG and function decided for, the matter (if
# any) and the chair's user id.
chairs_action_blockers: list[Callable[[Committee, CCG, Function, Matter | None, int], list[str]]] = []

# Who chairs an item in the chair's place (the vice-chair, or a member named at the meeting, when the
# chair has a conflict on it): each returns the user ids of those people, who may then rule on the item.
item_chairs: list[Callable[[AgendaItem], set[int]]] = []


@dataclass(frozen=True)
class FlaggedPerson:
    """Someone the conflicts checklist flags on an item, and where the ruling on them stands."""

    name: str
    reason: str
    ruling: str  # the ruling in words, or "" when there is none yet
    ruled_by: str
    takes_part: bool  # not away from the meeting: a ruling is needed before the vote


# Who is flagged on an item and where each ruling stands, for the item's page.
flagged_on_item: list[Callable[[AgendaItem], list[FlaggedPerson]]] = []

# When a decision is approved, inside the approval's transaction: each hook records what follows from
# it (such as the entry on the register of procurement decisions). What a hook returns is ignored.
decision_approved: list[Callable[[Decision], object]] = []


def reasons_not_to_vote(item: AgendaItem) -> list[str]:
    """Every reason the registered blockers give for not putting an item to the vote yet."""
    return [reason for blocker in vote_blockers for reason in blocker(item)]


@dataclass(frozen=True)
class DecisionNote:
    """A line that an app above adds to a decision's page, such as the award that followed it and
    the check of that award against the decision-makers' interests."""

    text: str
    tag: str = ""  # a status in words, shown as a tag before the text
    warning: bool = False  # the tag is red; the words say why, so colour is never the only sign
    link_text: str = ""
    link_url: str = ""


# For a decision's page: each provider returns the notes it has about the decision for this user
# (empty when it has none). Providers decide what the user may follow a link to.
decision_notes: list[Callable[[Decision, AnyUser], list[DecisionNote]]] = []


def notes_for_decision(decision: Decision, user: AnyUser) -> list[DecisionNote]:
    """Every note the registered providers add to a decision's page."""
    return [note for provider in decision_notes for note in provider(decision, user)]


def reasons_not_to_take_chairs_action(
    committee: Committee, ccg: CCG, function: Function, matter: Matter | None, user_id: int
) -> list[str]:
    """Every reason the registered checks give for the chair not to take this decision alone."""
    return [
        reason
        for blocker in chairs_action_blockers
        for reason in blocker(committee, ccg, function, matter, user_id)
    ]


def chairs_item(user_id: int, item: AgendaItem) -> bool:
    """Whether the user chairs this item in the chair's place."""
    return any(user_id in provider(item) for provider in item_chairs)


def flagged_people(item: AgendaItem) -> list[FlaggedPerson]:
    """Everyone the registered providers flag on an item."""
    return [person for provider in flagged_on_item for person in provider(item)]
