"""Seams through which apps above committees take part in its rules, without committees importing them.

Committees sit below conflicts and assurance in the layers, so a rule that needs the registers (a
flagged conflict with no ruling blocks the vote) or a record that other apps keep (the register of
procurement decisions) reaches committees through these lists. Each app appends its callables once,
in its `AppConfig.ready()`; the committees services call every one of them inside their own
transaction, so what a hook refuses or writes is part of the same change.
"""

from __future__ import annotations

from collections.abc import Callable

from committees.models import AgendaItem, Committee, Decision, Matter

# Before a resolution is proposed on an item or its vote opened: each blocker returns the reasons the
# item may not go to a vote yet (empty when nothing stands in the way). The service refuses with them.
vote_blockers: list[Callable[[AgendaItem], list[str]]] = []

# Before the chair takes a decision by chair's action: each check returns the reasons the chair may
# not take it (empty when none), given the committee, the matter (if any) and the chair's user id.
chairs_action_blockers: list[Callable[[Committee, Matter | None, int], list[str]]] = []

# When a decision is approved, inside the approval's transaction: each hook records what follows from
# it (such as the entry on the register of procurement decisions). What a hook returns is ignored.
decision_approved: list[Callable[[Decision], object]] = []


def reasons_not_to_vote(item: AgendaItem) -> list[str]:
    """Every reason the registered blockers give for not putting an item to the vote yet."""
    return [reason for blocker in vote_blockers for reason in blocker(item)]
