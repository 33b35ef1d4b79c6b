"""Template helpers for the conflicts pages."""

from __future__ import annotations

from django import template

from conflicts import rules

register = template.Library()


@register.filter
def late_by(days: int | None) -> str:
    """ "Late by 12 days" for a declaration made 40 days after its interest arose; empty when on time."""
    return rules.late_text(days).capitalize() if days else ""
