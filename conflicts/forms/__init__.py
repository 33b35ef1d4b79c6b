"""Forms for the conflicts pages. They check what people type; the services in `conflicts.services`
make every change and apply the policy (28 days, gifts and hospitality limits, rulings, referrals).

Choices are narrowed to what the user may act on: the CCGs whose committees they sit on, the
people in scope of a CCG, the members and attendees of an item's committee.
"""
