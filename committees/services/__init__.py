"""Every change to committees, meetings and decisions: atomic, permission-checked, audited.

The rules that make a decision valid are checked here, each with a refusal that says why: the
committee must be the body the routing rule names for the CCG, function and date; its
membership must meet its composition rule; the item must be quorate when the vote closes; only
a chair approves; an approved decision never changes.

The services live in modules by sub-domain; import them from here (`from committees import services`).
"""

from committees.services._common import (
    require_attendance_open,
    require_item_open,
    require_meeting_started,
    require_record_open,
)
from committees.services.committees import (
    committee_create,
    committee_update,
    membership_add,
    membership_end,
    memberships_refresh,
    terms_approve,
    terms_draft,
)
from committees.services.decisions import (
    decision_approve,
    decision_propose,
    decision_supersede,
    virtual_decision_ratify,
    virtual_decision_take,
    vote_cast,
    vote_close,
    vote_open,
)
from committees.services.matters import deciding_committees, matter_raise, matter_schedule
from committees.services.meetings import (
    agenda_item_add,
    agenda_item_note,
    attendance_record,
    exclusion_lift,
    exclusion_record,
    meeting_schedule,
    paper_add,
)
from committees.services.minutes import (
    action_add,
    action_complete,
    erratum_record,
    minutes_approve,
    minutes_draft,
)

__all__ = [
    "action_add",
    "action_complete",
    "agenda_item_add",
    "agenda_item_note",
    "attendance_record",
    "committee_create",
    "committee_update",
    "deciding_committees",
    "decision_approve",
    "decision_propose",
    "decision_supersede",
    "erratum_record",
    "exclusion_lift",
    "exclusion_record",
    "matter_raise",
    "matter_schedule",
    "meeting_schedule",
    "membership_add",
    "membership_end",
    "memberships_refresh",
    "minutes_approve",
    "minutes_draft",
    "paper_add",
    "require_attendance_open",
    "require_item_open",
    "require_meeting_started",
    "require_record_open",
    "terms_approve",
    "terms_draft",
    "virtual_decision_ratify",
    "virtual_decision_take",
    "vote_cast",
    "vote_close",
    "vote_open",
]
