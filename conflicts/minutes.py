"""What the conflicts app adds to a meeting's minutes: every declaration with the chair's ruling,
and any referral of an item left inquorate (statutory guidance: conflicts are managed and minuted)."""

from __future__ import annotations

from committees.minutes import DeclarationLines
from committees.models import Meeting
from conflicts.models import ItemChair, ItemDeclaration, Referral

NO_PERSON = -1


def declaration_lines(meeting: Meeting) -> DeclarationLines:
    lines: DeclarationLines = {}
    for chair in ItemChair.objects.filter(item__meeting=meeting).select_related("person"):
        lines.setdefault(chair.item_id, []).append(
            (NO_PERSON, f"Chaired for this item by {chair.person}. {chair.reason}")
        )
    for declaration in (
        ItemDeclaration.objects.filter(item__meeting=meeting)
        .select_related("person")
        .order_by("item_id", "person__full_name")
    ):
        withheld = " Papers were withheld." if declaration.papers_withheld else ""
        why = f" Reason: {declaration.ruling_reason.rstrip('.')}." if declaration.ruling_reason else ""
        lines.setdefault(declaration.item_id, []).append(
            (
                declaration.person_id,
                f"Declaration: {declaration.person}: {declaration.statement}. "
                f"Ruling: {declaration.get_ruling_display()}.{why}{withheld}",
            )
        )
    for referral in Referral.objects.filter(item__meeting=meeting).select_related("to_committee"):
        where = referral.to_committee or referral.get_route_display().lower()
        guardian = (
            "after consulting the Conflicts of Interest Guardian" if referral.guardian_consulted else ""
        )
        note = f" {referral.note}" if referral.note else ""
        lines.setdefault(referral.item_id, []).append(
            (NO_PERSON, f"Referred to {where} {guardian}: the item was inquorate because of conflicts.{note}")
        )
    return lines
