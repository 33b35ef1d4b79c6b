"""Who may change the reference data."""

from __future__ import annotations

from cocomm.permissions import AnyUser, is_administrator


def can_change_decision_rights(user: AnyUser) -> bool:
    return is_administrator(user)


def can_set_area_team_scheme(user: AnyUser) -> bool:
    return is_administrator(user)
