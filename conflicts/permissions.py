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
    """Who reads a CCG's registers, the internal register of interests included: its governance
    officers, NHS England reviewers of its area, administrators, and its Conflicts of Interest Guardian
    (whose role gives them sight of the CCG)."""
    return core.can_view_ccg(user, ccg) or core.is_conflicts_guardian(user, ccg)


def can_handle_breaches(user: AnyUser, ccg: CCG) -> bool:
    """Governance officers of the CCG (and administrators) and its Conflicts of Interest Guardian
    record breaches and take them through investigation to closure (statutory guidance 2017: the
    Guardian is told of every breach)."""
    return can_keep_registers(user, ccg) or core.is_conflicts_guardian(user, ccg)


def can_view_breaches(user: AnyUser, ccg: CCG) -> bool:
    return can_view_registers(user, ccg) or can_handle_breaches(user, ccg)


def can_view_referrals(user: AnyUser, ccg: CCG) -> bool:
    """Items referred because conflicts left them inquorate: the Guardian is consulted on each, and
    those who read the CCG's registers see them too."""
    return can_view_registers(user, ccg)


def can_view_guardian_page(user: AnyUser, ccg: CCG) -> bool:
    """The Guardian's overview of the CCG: the Guardian, and the officers who work with them."""
    return core.is_conflicts_guardian(user, ccg) or can_keep_registers(user, ccg)


def can_rule(user: AnyUser, committee: Committee) -> bool:
    """The chair rules on declarations at a meeting; the clerk may record the ruling."""
    return committee_permissions.can_run_vote(user, committee)


def can_refer_to(user: AnyUser, committee: Committee, target: Committee) -> bool:
    """Who may put an item of `committee` on `target`'s agenda by referring it: the committee's chair,
    whose referral is the authority for the move (the CCG's office carries it out), or a clerk or
    administrator who may record the referral and also manages the target committee."""
    if committee_permissions.is_chair(user, committee):
        return True
    return can_rule(user, committee) and committee_permissions.can_manage_committee(user, target)
