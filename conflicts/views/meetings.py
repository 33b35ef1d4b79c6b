"""At the meeting: the chair's pre-meeting checklist, declarations and rulings on an item, and referrals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cocomm.views import AuthenticatedRequest
from committees.choices import Purpose
from committees.models import AgendaItem, Meeting
from committees.selectors import item_quorum, meeting_get, meeting_started
from conflicts import permissions, selectors, services
from conflicts.forms.meetings import ItemDeclarationForm, ReferralForm
from conflicts.models import Ruling
from conflicts.views._common import _home, _not_found


def _meeting_crumbs(meeting: Meeting) -> list[tuple[str, str]]:
    return [
        _home(),
        ("Committees", reverse("committee-list")),
        (meeting.title, reverse("meeting-detail", args=[meeting.pk])),
    ]


@dataclass(frozen=True)
class LikelyConflict:
    name: str
    reason: str
    direct: bool


@dataclass(frozen=True)
class ChecklistRow:
    check: selectors.ItemCheck
    conflicts: list[LikelyConflict]


@login_required
def meeting_checklist(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Before the meeting: likely conflicts on each business item, and which items conflicts could
    leave inquorate."""
    meeting = meeting_get(request.user, pk)
    rows = [
        ChecklistRow(
            check,
            [
                LikelyConflict(check.names.get(f.person_id, "A member"), f.reason, f.direct)
                for f in check.flags
            ],
        )
        for check in selectors.meeting_checklist(meeting)
    ]
    return render(
        request,
        "conflicts/meeting_checklist.html",
        {
            "meeting": meeting,
            "rows": rows,
            "at_risk": sum(1 for r in rows if r.check.at_risk),
            "flagged": sum(1 for r in rows if r.conflicts),
            "crumbs": _meeting_crumbs(meeting),
        },
    )


def _item_url(item: AgendaItem, anchor: str = "") -> str:
    return reverse("item-declarations", args=[item.pk]) + (f"#{anchor}" if anchor else "")


def _ruling_form(item: AgendaItem, data: Any = None) -> ItemDeclarationForm:
    people = selectors.people_at_item(item)
    on = timezone.localtime(item.meeting.starts_at).date()
    interests = selectors.current_interests([p.pk for p in people], on).order_by("person__full_name", "pk")
    return ItemDeclarationForm(data, people=people, interests=interests, prefix="ruling")


def _item_page(
    request: AuthenticatedRequest,
    item: AgendaItem,
    *,
    ruling_form: ItemDeclarationForm | None = None,
    referral_form: ReferralForm | None = None,
) -> HttpResponse:
    assert item.committee is not None
    rules_here = permissions.can_rule(request.user, item.committee)
    quorum = item_quorum(item) if item.purpose == Purpose.DECISION else None
    referral = selectors.referral_of(item)
    if rules_here and ruling_form is None:
        ruling_form = _ruling_form(item)
    if (
        rules_here
        and referral_form is None
        and referral is None
        and quorum is not None
        and quorum.attendance_recorded
        and not quorum.quorate
    ):
        referral_form = ReferralForm(committees=selectors.referral_targets(item), prefix="refer")
    form_errors = bool((ruling_form and ruling_form.errors) or (referral_form and referral_form.errors))
    return render(
        request,
        "conflicts/item_declarations.html",
        {
            "item": item,
            "meeting": item.meeting,
            "declarations": selectors.item_declarations_of(item),
            "quorum": quorum,
            "referral": referral,
            "ruling_form": ruling_form if rules_here else None,
            "referral_form": referral_form if rules_here else None,
            # Before the meeting the chair may only withhold a member's papers (they leave the item).
            "before_start": not meeting_started(item.meeting),
            "leaves_label": Ruling.LEAVES.label,
            "form_errors": form_errors,
            "crumbs": [
                *_meeting_crumbs(item.meeting),
                ("Conflicts checklist", reverse("meeting-checklist", args=[item.meeting_id])),
            ],
        },
    )


@login_required
def item_declarations(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Declarations on an item and the chair's rulings; the item's live quorum."""
    item = selectors.agenda_item_for_rulings(request.user, pk)
    assert item.committee is not None
    if request.method != "POST":
        return _item_page(request, item)
    if not permissions.can_rule(request.user, item.committee):
        raise _not_found()
    form = _ruling_form(item, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            declaration = services.item_declaration_rule(
                item=item,
                person=data["person"],
                statement=data["statement"],
                ruling=data["ruling"],
                interest=data["interest"],
                papers_withheld=data["papers_withheld"],
                by=request.user,
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, f"{declaration.person}: {declaration.get_ruling_display().lower()}.")
            return redirect(_item_url(item, "rulings"))
    return _item_page(request, item, ruling_form=form)


@login_required
@require_POST
def item_refer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Refer an item that conflicts have left inquorate, after consulting the Guardian."""
    item = selectors.agenda_item_for_rulings(request.user, pk)
    assert item.committee is not None
    if not permissions.can_rule(request.user, item.committee) or item.purpose != Purpose.DECISION:
        raise _not_found()
    form = ReferralForm(request.POST, committees=selectors.referral_targets(item), prefix="refer")
    if form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_record(
                item=item,
                route=data["route"],
                guardian_consulted=data["guardian_consulted"],
                to_committee=data["to_committee"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(
                request,
                f"The item is referred to {referral.to_committee or referral.get_route_display().lower()}.",
            )
            return redirect(_item_url(item, "referral"))
    return _item_page(request, item, referral_form=form)
