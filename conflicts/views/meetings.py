"""At the meeting: the chair's pre-meeting checklist, declarations and rulings on an item, and referrals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cocomm.models import Person
from cocomm.views import AuthenticatedRequest
from committees import permissions as committee_permissions
from committees.choices import Purpose
from committees.models import AgendaItem, Meeting
from committees.selectors import item_frozen_because, item_quorum, meeting_get, meeting_started
from conflicts import permissions, selectors, services
from conflicts.forms.meetings import ChoosePersonForm, ItemChairForm, ItemDeclarationForm, ReferralForm
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
    status: selectors.FlagStatus | None = None

    @property
    def record_url(self) -> str:
        """The ruling form, pre-filled with the person and the register entry behind the flag."""
        if self.status is None:
            return ""
        flag = self.status.flag
        query = f"?person={flag.person_id}" + (f"&interest={flag.interest_id}" if flag.interest_id else "")
        return reverse("item-declarations", args=[flag.item_id]) + query + "#record"


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
            [LikelyConflict(st.name, st.flag.reason, st.flag.direct, st) for st in check.statuses],
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


def _chosen_person(item: AgendaItem, raw: str | None) -> Person | None:
    if not raw or not raw.isdigit():
        return None
    return selectors.people_at_item(item).filter(pk=int(raw)).first()


def _ruling_form(
    item: AgendaItem, data: Any = None, *, person: Person | None = None, interest_id: str | None = None
) -> ItemDeclarationForm:
    """The ruling form for one person: their register entries declared by the meeting, and no one else's."""
    people = selectors.people_at_item(item)
    interests = selectors.interests_for_ruling(item, person)
    initial: dict[str, Any] = {}
    if person is not None:
        initial["person"] = person.pk
        chosen = (
            interests.filter(pk=int(interest_id)).first() if interest_id and interest_id.isdigit() else None
        )
        if chosen is not None:
            initial["interest"] = chosen.pk
            initial["statement"] = f"{chosen.get_interest_type_display()} interest in {chosen.concerns}: " + (
                chosen.description
            )
    return ItemDeclarationForm(
        data,
        people=people,
        interests=interests,
        fixed_person=person is not None,
        initial=initial,
        prefix="ruling",
    )


def _may_rule(user: Any, item: AgendaItem) -> bool:
    assert item.committee is not None
    return permissions.can_rule(user, item.committee) or committee_permissions.can_rule_on_item(user, item)


def _item_page(
    request: AuthenticatedRequest,
    item: AgendaItem,
    *,
    ruling_form: ItemDeclarationForm | None = None,
    referral_form: ReferralForm | None = None,
    chair_form: ItemChairForm | None = None,
) -> HttpResponse:
    assert item.committee is not None
    # Once the item's vote has closed or the minutes are approved, its declarations and rulings are
    # shown as recorded and the page says why they can no longer change, instead of offering forms.
    frozen_reason = item_frozen_because(item)
    rules_here = _may_rule(request.user, item) and not frozen_reason
    quorum = item_quorum(item) if item.purpose == Purpose.DECISION else None
    referral = selectors.referral_of(item)
    check = selectors.item_check(item)
    choose_form = None
    if rules_here and ruling_form is None:
        person = _chosen_person(item, request.GET.get("person"))
        if person is not None:
            ruling_form = _ruling_form(item, person=person, interest_id=request.GET.get("interest"))
        else:
            choose_form = ChoosePersonForm(people=selectors.people_at_item(item))
    if (
        rules_here
        and referral_form is None
        and referral is None
        and quorum is not None
        and quorum.attendance_recorded
        and not quorum.quorate
    ):
        referral_form = ReferralForm(committees=selectors.referral_targets(item), prefix="refer")
    names_chair = (
        not frozen_reason
        and check is not None
        and check.chair_flagged
        and check.vice_chair is None
        and permissions.can_rule(request.user, item.committee)
    )
    if names_chair and chair_form is None:
        chair_form = ItemChairForm(people=selectors.people_to_chair(item), prefix="chair")
    form_errors = bool(
        (ruling_form and ruling_form.errors)
        or (referral_form and referral_form.errors)
        or (chair_form and chair_form.errors)
    )
    return render(
        request,
        "conflicts/item_declarations.html",
        {
            "item": item,
            "meeting": item.meeting,
            "declarations": selectors.item_declarations_of(item),
            "check": check,
            "quorum": quorum,
            "referral": referral,
            "ruling_form": ruling_form if rules_here else None,
            "choose_form": choose_form,
            "declarant": _chosen_person(item, str(ruling_form["person"].value()))
            if ruling_form is not None and ruling_form["person"].is_hidden
            else None,
            "referral_form": referral_form if rules_here else None,
            # Before the meeting the chair may only withhold a member's papers (they leave the item).
            "before_start": not meeting_started(item.meeting),
            "leaves_label": Ruling.LEAVES.label,
            "chair_form": chair_form if names_chair else None,
            "form_errors": form_errors,
            "frozen_reason": frozen_reason if _may_rule(request.user, item) else "",
            # A refused post is shown with its errors, though the form is no longer offered.
            "refused": next(
                (f for f in (ruling_form, referral_form, chair_form) if f is not None and f.errors), None
            )
            if frozen_reason
            else None,
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
    if not _may_rule(request.user, item):
        raise _not_found()
    person = _chosen_person(item, request.POST.get("ruling-person"))
    form = _ruling_form(item, request.POST, person=person)
    if form.is_valid():
        data = form.cleaned_data
        try:
            declaration = services.item_declaration_rule(
                item=item,
                person=data["person"],
                statement=data["statement"],
                ruling=data["ruling"],
                ruling_reason=data["ruling_reason"],
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
        except PermissionDenied as refused:
            # The referrer may not send the item to the committee chosen: say so beside the choice.
            form.add_error("to_committee", str(refused))
        else:
            messages.success(
                request,
                f"The item is referred to {referral.to_committee or referral.get_route_display().lower()}.",
            )
            return redirect(_item_url(item, "referral"))
    return _item_page(request, item, referral_form=form)


@login_required
@require_POST
def item_chair_name(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Name the member who chairs an item because the chair is conflicted and no vice-chair is free."""
    item = selectors.agenda_item_for_rulings(request.user, pk)
    assert item.committee is not None
    if not permissions.can_rule(request.user, item.committee):
        raise _not_found()
    form = ItemChairForm(request.POST, people=selectors.people_to_chair(item), prefix="chair")
    if form.is_valid():
        try:
            chair = services.item_chair_name(
                item=item,
                person=form.cleaned_data["person"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(
                request, f"{chair.person} chairs item {item.number} and rules on its declarations."
            )
            return redirect(_item_url(item, "item-chair"))
    return _item_page(request, item, chair_form=form)
