"""Demonstration data: readiness assessments and shared teams."""

from __future__ import annotations

from cocomm.models import User


def load(*, by: User) -> None:
    """Nothing yet."""
