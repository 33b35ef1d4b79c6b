"""Who may declare, rule and keep the registers. The only place this policy lives."""

from __future__ import annotations

from cocomm import permissions as core
from cocomm.models import CCG, Person
from cocomm.permissions import AnyUser
from committees import permissions as committee_permissions
from committees.models import Committee


def is_declarant(user: AnyUser, person: Person) -> bool:
    return user.is_authenticated and person.user_id is not None and person.user_id == user.pk


def can_declare_for(user: AnyUser, person: Person, ccg: CCG) -> bool:
    """The declarant themselves, or a governance officer of the CCG on their behalf."""
    return is_declarant(user, person) or core.can_change_ccg(user, ccg)


def can_keep_registers(user: AnyUser, ccg: CCG) -> bool:
    """Governance officers of the CCG (and administrators) keep its registers and campaigns."""
    return core.can_change_ccg(user, ccg)


def can_view_registers(user: AnyUser, ccg: CCG) -> bool:
    return core.can_view_ccg(user, ccg)


def can_rule(user: AnyUser, committee: Committee) -> bool:
    """The chair rules on declarations at a meeting; the clerk may record the ruling."""
    return committee_permissions.can_run_vote(user, committee)
