"""Who may see and do what with committees, meetings and decisions. The only place this policy lives.

Governance officers of a CCG the committee serves manage it (terms of reference, members,
meetings, agendas, attendance); NHS England reviewers of its area read it; members read it and
vote; its chair approves decisions and minutes. Administrators may do everything but vote and
approve, which belong to members and chairs alone.
"""

from __future__ import annotations

from cocomm import permissions as core
from cocomm.models import CCG
from cocomm.permissions import AnyUser
from committees import hooks
from committees.choices import Session
from committees.models import AgendaItem, Committee


def _ccgs(committee: Committee) -> list[CCG]:
    return list(committee.ccgs.all())


def is_member(user: AnyUser, committee: Committee) -> bool:
    return user.is_active and user.has_perm("committees.sit_on_committee", committee)


def is_chair(user: AnyUser, committee: Committee) -> bool:
    return user.is_active and user.has_perm("committees.chair_committee", committee)


def can_manage_committee(user: AnyUser, committee: Committee) -> bool:
    """Governance officers of a CCG it serves (and administrators)."""
    if core.is_administrator(user):
        return True
    return any(core.can_change_ccg(user, ccg) for ccg in _ccgs(committee))


def can_view_committee(user: AnyUser, committee: Committee) -> bool:
    if not user.is_authenticated:
        return False
    if can_manage_committee(user, committee) or is_member(user, committee):
        return True
    return any(core.can_view_ccg(user, ccg) for ccg in _ccgs(committee))


def can_create_committee_for(user: AnyUser, ccgs: list[CCG]) -> bool:
    """A committee may be set up by administrators, or by governance officers of every CCG it serves."""
    return core.is_administrator(user) or (bool(ccgs) and all(core.can_change_ccg(user, c) for c in ccgs))


def can_approve(user: AnyUser, committee: Committee) -> bool:
    """Only a chair (or co-chair) approves the committee's decisions and minutes."""
    return is_chair(user, committee)


def can_supersede(user: AnyUser, committee: Committee) -> bool:
    """Only the chair puts a decision that replaces an approved one (it is approved in their name)."""
    return is_chair(user, committee)


def can_run_vote(user: AnyUser, committee: Committee) -> bool:
    """The chair runs the vote; the governance officer clerking the meeting may record it."""
    return is_chair(user, committee) or can_manage_committee(user, committee)


def can_rule_on_item(user: AnyUser, item: AgendaItem) -> bool:
    """Who records exclusions on an item: the chair or clerk, or whoever chairs it in the chair's place."""
    if item.committee is None:
        return False
    if can_run_vote(user, item.committee):
        return True
    return user.is_active and user.pk is not None and hooks.chairs_item(user.pk, item)


def can_read_papers(user: AnyUser, item: AgendaItem) -> bool:
    """Who reads an item's papers, among those who may see its meeting.

    Papers of a private session go only to the members of the committee taking the item and to
    those who manage it; papers withheld from a member by the chair's ruling on their conflict are
    withheld whatever the session (statutory guidance: papers may be withheld from the conflicted).
    """
    person_id = getattr(getattr(user, "person", None), "pk", None)
    if person_id is not None and item.exclusions.filter(person_id=person_id, papers_withheld=True).exists():
        return False
    if item.session != Session.PRIVATE:
        return True
    committees = [item.committee] if item.committee is not None else list(item.meeting.committees.all())
    return any(is_member(user, c) or can_manage_committee(user, c) for c in committees)
