"""Every change to the registers and to conflicts at meetings: atomic, permission-checked, audited.

One module per sub-domain; the public services are re-exported here, so `from conflicts import
services` reads as before.
"""

from conflicts.services.breaches import (
    breach_close,
    breach_investigate,
    breach_record,
)
from conflicts.services.campaigns import (
    campaign_close,
    campaign_invite,
    campaign_open,
    campaign_reminders,
)
from conflicts.services.declarations import (
    declaration_end,
    declaration_make,
    mitigation_approve,
)
from conflicts.services.gifts import (
    offer_record,
    thresholds_of,
    thresholds_set,
)
from conflicts.services.meetings import (
    item_chair_name,
    item_declaration_rule,
    referral_record,
)
from conflicts.services.procurement import (
    award_record,
    procurement_record_complete,
    procurement_record_for,
)

__all__ = [
    "award_record",
    "breach_close",
    "breach_investigate",
    "breach_record",
    "campaign_close",
    "campaign_invite",
    "campaign_open",
    "campaign_reminders",
    "declaration_end",
    "declaration_make",
    "item_chair_name",
    "item_declaration_rule",
    "mitigation_approve",
    "offer_record",
    "procurement_record_complete",
    "procurement_record_for",
    "referral_record",
    "thresholds_of",
    "thresholds_set",
]
