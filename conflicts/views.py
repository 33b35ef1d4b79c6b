"""The conflicts of interest pages: my declarations, a CCG's registers, declaration campaigns, the
chair's pre-meeting checklist, declarations and rulings on an item, and the published registers.

Views are thin: select what the user may see (a hidden record is a 404, and so is a page the user
may see but not act on), validate a form, call a service, redirect. A service's refusal (a
ValidationError that says why) is shown on the page. The published registers need no login.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cocomm.history import history_entries
from cocomm.models import CCG
from cocomm.pdf import render_pdf
from cocomm.selectors import ccg_get
from cocomm.views import AuthenticatedRequest
from committees.choices import Purpose
from committees.models import AgendaItem, Committee, Meeting
from committees.selectors import item_quorum, meeting_get
from conflicts import permissions, rules, selectors, services
from conflicts.forms import (
    BreachForm,
    CampaignForm,
    DeclarationEndForm,
    DeclarationForm,
    ItemDeclarationForm,
    MitigationApproveForm,
    OfferForm,
    ReferralForm,
    ThresholdsForm,
)
from conflicts.models import Campaign, Declaration

NOT_FOUND = "No such page."


def _not_found() -> Http404:
    # Someone who may see a record but not act on it gets the same answer as for a missing page.
    return Http404(NOT_FOUND)


def _home() -> tuple[str, str]:
    return ("Home", reverse("home"))


def _register_crumbs(ccg: CCG) -> list[tuple[str, str]]:
    return [
        _home(),
        ("CCGs", reverse("ccg-list")),
        (ccg.name, reverse("ccg-detail", args=[ccg.ods_code])),
        ("Registers", reverse("register-detail", args=[ccg.ods_code])),
    ]


def _register_url(ccg: CCG, anchor: str = "") -> str:
    return reverse("register-detail", args=[ccg.ods_code]) + (f"#{anchor}" if anchor else "")


def _mine_crumbs() -> list[tuple[str, str]]:
    return [_home(), ("My declarations", reverse("my-declarations"))]


def _form_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, "conflicts/form_page.html", context)


def _keeper_ccg(request: AuthenticatedRequest, ods_code: str) -> CCG:
    """A CCG whose registers the user keeps; for anyone else, a 404."""
    ccg = ccg_get(request.user, ods_code)
    if not permissions.can_keep_registers(request.user, ccg):
        raise _not_found()
    return ccg


# My declarations --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterGroup:
    """One CCG's register as a declarant sees their part of it."""

    ccg: CCG
    declarations: list[Declaration]
    campaign: Campaign | None
    sits_on: bool


@login_required
def my_declarations(request: AuthenticatedRequest) -> HttpResponse:
    person = selectors.person_of(request.user)
    groups: list[RegisterGroup] = []
    if person is not None:
        declarations = list(selectors.declarations_of(person))
        current = list(selectors.ccgs_sat_on(person, timezone.localdate()))
        earlier = {d.ccg.pk: d.ccg for d in declarations if d.ccg not in current}
        for ccg in [*current, *sorted(earlier.values(), key=lambda c: c.name)]:
            groups.append(
                RegisterGroup(
                    ccg=ccg,
                    declarations=[d for d in declarations if d.ccg_id == ccg.pk],
                    campaign=selectors.open_campaign(ccg) if ccg in current else None,
                    sits_on=ccg in current,
                )
            )
    return render(
        request,
        "conflicts/my_declarations.html",
        {
            "person": person,
            "groups": groups,
            "may_declare": any(g.sits_on for g in groups),
            "crumbs": [_home()],
        },
    )


@login_required
def declaration_create(request: AuthenticatedRequest) -> HttpResponse:
    """The user declares an interest, or a nil return, to the register of a CCG they serve."""
    person = selectors.person_of(request.user)
    if person is None:
        raise _not_found()
    ccgs = selectors.ccgs_sat_on(person, timezone.localdate())
    if not ccgs.exists():
        raise _not_found()
    form = DeclarationForm(request.POST or None, ccgs=ccgs, initial={"position": person.job_title})
    if request.method == "POST" and form.is_valid():
        try:
            declaration = services.declaration_make(
                ccg=form.cleaned_data["ccg"], person=person, by=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            form.attach(error)
        else:
            what = "nil return" if declaration.nil_return else "declaration"
            messages.success(request, f"Your {what} is on the register of {declaration.ccg.name}.")
            return redirect("my-declarations")
    return render(
        request,
        "conflicts/declaration_form.html",
        {
            "form": form,
            "title": "Declare an interest",
            "caption": str(person),
            "yours": True,
            "cancel": ("My declarations", reverse("my-declarations")),
            "crumbs": _mine_crumbs(),
        },
    )


def _back_from_declaration(user: Any, declaration: Declaration) -> tuple[list[tuple[str, str]], str]:
    """Where a declaration's pages lead back to: the declarant's own page, or the CCG's register."""
    if permissions.is_declarant(user, declaration.person):
        return _mine_crumbs(), reverse("my-declarations")
    return _register_crumbs(declaration.ccg), _register_url(declaration.ccg, "interests")


@login_required
def declaration_end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    declaration = selectors.declaration_get(request.user, pk)
    if declaration.nil_return or not permissions.can_declare_for(
        request.user, declaration.person, declaration.ccg
    ):
        raise _not_found()
    crumbs, back = _back_from_declaration(request.user, declaration)
    form = DeclarationEndForm(
        request.POST or None, initial={"interest_to": declaration.interest_to or timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.declaration_end(
                declaration=declaration,
                interest_to=form.cleaned_data["interest_to"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(
                request,
                f"The interest in {declaration.concerns} is recorded as ended on "
                f"{form.cleaned_data['interest_to']:%-d %B %Y}.",
            )
            return redirect(back)
    return _form_page(
        request,
        {
            "form": form,
            "title": "Record that an interest has ended",
            "caption": f"{declaration.person}, {declaration.ccg.name}",
            "summary": [
                ("Interest", f"{declaration.get_interest_type_display()}: {declaration.description}"),
                ("Concerns", declaration.concerns),
            ],
            "button": "Record the end",
            "cancel": ("go back", back),
            "crumbs": crumbs,
        },
    )


@login_required
def declaration_history(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    declaration = selectors.declaration_get(request.user, pk)
    crumbs, _ = _back_from_declaration(request.user, declaration)
    return render(
        request,
        "conflicts/declaration_history.html",
        {
            "declaration": declaration,
            "entries": history_entries(declaration.history.all()),
            "crumbs": crumbs,
        },
    )


# A CCG's registers ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommitteeStatus:
    """Who must declare on one committee, with each person's declaration status."""

    committee: Committee
    statuses: list[selectors.PersonStatus]

    @property
    def overdue(self) -> int:
        return sum(1 for s in self.statuses if s.overdue)


@login_required
def register_detail(request: AuthenticatedRequest, ods_code: str) -> HttpResponse:
    """Everything a CCG keeps about conflicts: interests, who is overdue, campaigns, gifts and
    hospitality, breaches and procurement decisions (a fixed number of queries)."""
    ccg = ccg_get(request.user, ods_code)
    if not permissions.can_view_registers(request.user, ccg):
        raise _not_found()
    today = timezone.localdate()
    campaign = selectors.open_campaign(ccg)
    statuses = selectors.declaration_status(ccg, today, campaign)
    by_person = {s.person.pk: s for s in statuses}
    by_committee: dict[int, CommitteeStatus] = {}
    for seat in selectors.people_in_scope(ccg, today):
        group = by_committee.setdefault(seat.committee_id, CommitteeStatus(seat.committee, []))
        group.statuses.append(by_person[seat.person_id])  # one current seat per committee and person
    return render(
        request,
        "conflicts/register_detail.html",
        {
            "ccg": ccg,
            "today": today,
            "entries": selectors.register_of_interests(ccg, today),
            "statuses": statuses,
            "overdue": [s for s in statuses if s.overdue],
            "committees": sorted(by_committee.values(), key=lambda g: g.committee.name),
            "campaign": campaign,
            "campaigns": list(selectors.campaigns_of(ccg)),
            "gifts": list(selectors.public_gifts(ccg)),
            "limits": services.thresholds_of(ccg),
            "breaches": list(selectors.breaches_of(ccg)),
            "procurement": list(selectors.public_procurement(ccg)),
            "can_keep": permissions.can_keep_registers(request.user, ccg),
            "crumbs": _register_crumbs(ccg)[:-1],
        },
    )


@login_required
def declaration_create_for(request: AuthenticatedRequest, ods_code: str) -> HttpResponse:
    """A governance officer enters a declaration on someone's behalf (the register says so)."""
    ccg = _keeper_ccg(request, ods_code)
    people = selectors.persons_in_scope(ccg, timezone.localdate())
    form = DeclarationForm(request.POST or None, ccg=ccg, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            declaration = services.declaration_make(
                ccg=ccg, person=form.cleaned_data["person"], by=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(
                request, f"{declaration.person}'s entry is on the register, entered by you for them."
            )
            return redirect(_register_url(ccg, "interests"))
    return render(
        request,
        "conflicts/declaration_form.html",
        {
            "form": form,
            "title": "Declare on someone's behalf",
            "caption": ccg.name,
            "yours": False,
            "cancel": ("the registers", _register_url(ccg, "interests")),
            "crumbs": _register_crumbs(ccg),
        },
    )


@login_required
def mitigation_approve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    declaration = selectors.declaration_get(request.user, pk)
    ccg = declaration.ccg
    if not permissions.can_keep_registers(request.user, ccg) or not declaration.mitigation.strip():
        raise _not_found()
    form = MitigationApproveForm(
        request.POST or None, people=selectors.persons_in_scope(ccg, timezone.localdate())
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.mitigation_approve(
                declaration=declaration, approver=form.cleaned_data["approver"], by=request.user
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(
                request, f"The actions on {declaration.person}'s interest are recorded as agreed."
            )
            return redirect(_register_url(ccg, "interests"))
    return _form_page(
        request,
        {
            "form": form,
            "title": "Approve the actions to mitigate an interest",
            "caption": f"{declaration.person}, {ccg.name}",
            "summary": [
                ("Interest", f"{declaration.get_interest_type_display()}: {declaration.description}"),
                ("Concerns", declaration.concerns),
                ("Actions to mitigate the risk", declaration.mitigation),
            ],
            "button": "Record the approval",
            "cancel": ("the registers", _register_url(ccg, "interests")),
            "crumbs": _register_crumbs(ccg),
        },
    )


@login_required
def offer_create(request: AuthenticatedRequest, ods_code: str) -> HttpResponse:
    ccg = _keeper_ccg(request, ods_code)
    people = selectors.persons_in_scope(ccg, timezone.localdate())
    form = OfferForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            offer = services.offer_record(
                ccg=ccg,
                person=data["person"],
                position=data["position"],
                kind=data["kind"],
                description=data["description"],
                value=data["value"],
                offeror=data["offeror"],
                from_supplier=data["from_supplier"],
                offered_on=data["offered_on"],
                accepted=data["accepted"],
                reason=data["reason"],
                senior_approver=data["senior_approver"],
                by=request.user,
            )
        except ValidationError as error:
            form.attach(error)
        else:
            state = "accepted" if offer.accepted else "declined"
            messages.success(
                request, f"The {offer.get_kind_display().lower()} {state} by {offer.person} is recorded."
            )
            return redirect(_register_url(ccg, "gifts"))
    limits = services.thresholds_of(ccg)
    return _form_page(
        request,
        {
            "form": form,
            "title": "Record a gift or hospitality",
            "caption": ccg.name,
            "intro": "Record offers that were declined as well as those accepted.",
            "inset": [
                f"Gifts from suppliers or contractors over £{limits.supplier_gift_limit} must be declined.",
                f"Other gifts over £{limits.other_gift_limit} are declared.",
                f"Hospitality from £{limits.hospitality_declare_from} is declared; over "
                f"£{limits.hospitality_approval_over} it needs a senior manager's approval.",
            ],
            "button": "Record the offer",
            "cancel": ("the registers", _register_url(ccg, "gifts")),
            "crumbs": _register_crumbs(ccg),
        },
    )


@login_required
def thresholds_edit(request: AuthenticatedRequest, ods_code: str) -> HttpResponse:
    ccg = _keeper_ccg(request, ods_code)
    current = services.thresholds_of(ccg)
    form = ThresholdsForm(
        request.POST or None,
        initial={
            "supplier_gift_limit": current.supplier_gift_limit,
            "other_gift_limit": current.other_gift_limit,
            "hospitality_declare_from": current.hospitality_declare_from,
            "hospitality_approval_over": current.hospitality_approval_over,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.thresholds_set(
                ccg=ccg,
                limits=rules.Thresholds(
                    supplier_gift_limit=data["supplier_gift_limit"],
                    other_gift_limit=data["other_gift_limit"],
                    hospitality_declare_from=data["hospitality_declare_from"],
                    hospitality_approval_over=data["hospitality_approval_over"],
                ),
                by=request.user,
                reason=data["reason"],
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, f"The gifts and hospitality limits of {ccg.name} have been changed.")
            return redirect(_register_url(ccg, "gifts"))
    return _form_page(
        request,
        {
            "form": form,
            "title": "Change the gifts and hospitality limits",
            "caption": ccg.name,
            "intro": "NHS England's guidance sets the defaults: supplier gifts over £6 declined, other gifts "
            "over £50 declared, hospitality from £25 declared and over £75 only with a senior manager's "
            "approval. New offers are judged against the limits in force when they are recorded.",
            "button": "Save the limits",
            "cancel": ("the registers", _register_url(ccg, "gifts")),
            "crumbs": _register_crumbs(ccg),
        },
    )


@login_required
def breach_create(request: AuthenticatedRequest, ods_code: str) -> HttpResponse:
    ccg = _keeper_ccg(request, ods_code)
    form = BreachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.breach_record(ccg=ccg, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, "The breach is on the register.")
            return redirect(_register_url(ccg, "breaches"))
    return _form_page(
        request,
        {
            "form": form,
            "title": "Record a breach of the conflicts of interest policy",
            "caption": ccg.name,
            "intro": "Breaches are reported to the Conflicts of Interest Guardian and to NHS England in the "
            "assurance pack.",
            "button": "Record the breach",
            "cancel": ("the registers", _register_url(ccg, "breaches")),
            "crumbs": _register_crumbs(ccg),
        },
    )


# Campaigns --------------------------------------------------------------------------------------------------


@login_required
def campaign_create(request: AuthenticatedRequest, ods_code: str) -> HttpResponse:
    ccg = _keeper_ccg(request, ods_code)
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_open(
                ccg=ccg,
                title=form.cleaned_data["title"],
                deadline=form.cleaned_data["deadline"],
                by=request.user,
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, f"{campaign.title} is open. Invitations are being e-mailed.")
            return redirect("campaign-detail", pk=campaign.pk)
    return _form_page(
        request,
        {
            "form": form,
            "title": "Open a declaration campaign",
            "caption": ccg.name,
            "intro": "Everyone who sits on a committee serving the CCG is e-mailed an invitation to declare "
            "their interests, or confirm a nil return, by the deadline.",
            "button": "Open the campaign",
            "cancel": ("the registers", _register_url(ccg, "campaigns")),
            "crumbs": _register_crumbs(ccg),
        },
    )


@login_required
def campaign_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(request.user, pk)
    progress = selectors.campaign_progress(campaign)
    counts = {answer: sum(1 for p in progress if p.answer == answer) for answer in selectors.Answer}
    return render(
        request,
        "conflicts/campaign_detail.html",
        {
            "campaign": campaign,
            "progress": progress,
            "counts": counts,
            "may_close": not campaign.closed and permissions.can_keep_registers(request.user, campaign.ccg),
            "crumbs": _register_crumbs(campaign.ccg),
        },
    )


@login_required
@require_POST
def campaign_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(request.user, pk)
    if campaign.closed or not permissions.can_keep_registers(request.user, campaign.ccg):
        raise _not_found()
    services.campaign_close(campaign=campaign, by=request.user)
    messages.success(request, f"{campaign.title} is closed.")
    return redirect("campaign-detail", pk=campaign.pk)


# The chair's checklist and rulings at the meeting -----------------------------------------------------------


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


# Published registers (no login) -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A published register as headers and rows of text: one source for the page, the CSV and the PDF."""

    headers: list[str]
    rows: list[list[str]]

    @property
    def cells(self) -> list[list[tuple[str, str]]]:
        return [list(zip(self.headers, row, strict=True)) for row in self.rows]


def _day(value: dt.date | None, machine: bool) -> str:
    if value is None:
        return ""
    return value.isoformat() if machine else f"{value:%-d %B %Y}"


def _pounds(value: Decimal | None, machine: bool) -> str:
    if value is None:
        return ""
    return f"{value:.2f}" if machine else f"£{value:,.2f}"


def _interests_table(entries: list[Declaration], *, machine: bool = False) -> Table:
    headers = [
        "Name",
        "Position",
        "Type of interest",
        "Description",
        "Organisation concerned",
        "From",
        "To",
        "Actions to mitigate the risk",
    ]
    rows = []
    for d in entries:
        description = d.description
        if d.relationship:
            description = f"{description} (relationship: {d.relationship})"
        concerns = d.concerns if d.concerns != "—" else ""
        rows.append(
            [
                str(d.person),
                d.position,
                d.get_interest_type_display(),
                description,
                concerns,
                _day(d.interest_from, machine),
                _day(d.interest_to, machine),
                d.mitigation,
            ]
        )
    return Table(headers, rows)


def _gifts_table(ccg: CCG, *, machine: bool = False) -> Table:
    headers = [
        "Name",
        "Position",
        "Gift or hospitality",
        "Description",
        "Value",
        "Offered by",
        "Offered on",
        "Accepted or declined",
        "Reason",
    ]
    rows = [
        [
            str(g.person),
            g.position,
            g.get_kind_display(),
            g.description,
            _pounds(g.value, machine),
            g.offeror,
            _day(g.offered_on, machine),
            ("Accepted" if g.accepted else "Declined")
            + (f", approved by {g.senior_approver}" if g.senior_approver else ""),
            g.reason,
        ]
        for g in selectors.public_gifts(ccg)
    ]
    return Table(headers, rows)


def _procurement_table(ccg: CCG, *, machine: bool = False) -> Table:
    headers = [
        "Decided on",
        "Service",
        "Decided by",
        "Supplier",
        "Value",
        "Conflicts and how they were managed",
    ]
    rows = [
        [
            _day(r.decision.decided_on, machine),
            r.service,
            str(r.decision.committee),
            r.supplier,
            _pounds(r.value, machine),
            r.conflicts_summary,
        ]
        for r in selectors.public_procurement(ccg)
    ]
    return Table(headers, rows)


@dataclass(frozen=True)
class PublicRegister:
    slug: str
    title: str
    intro: str
    pdf_template: str


INTERESTS = PublicRegister(
    "interests",
    "Register of interests",
    "The interests declared by the people who take decisions for the CCG: the voting members of its "
    "governing body, its primary care commissioning committee and its joint committees with NHS England. "
    "An interest stays here for 6 months after it ends.",
    "pdf/register_interests.html",
)
GIFTS = PublicRegister(
    "gifts",
    "Register of gifts and hospitality",
    "Gifts and hospitality offered to the CCG's members and staff, including those declined.",
    "pdf/register_gifts.html",
)
PROCUREMENT = PublicRegister(
    "procurement",
    "Register of procurement decisions",
    "The CCG's procurement decisions: the service, who decided, the supplier and value, and the conflicts "
    "of interest declared and how they were managed.",
    "pdf/register_procurement.html",
)


def _public_crumbs(ccg: CCG | None = None) -> list[tuple[str, str]]:
    crumbs = [("Published registers", reverse("public-ccg-list"))]
    if ccg is not None:
        crumbs.append((ccg.name, reverse("public-ccg", args=[ccg.ods_code])))
    return crumbs


def public_ccg_list(request: HttpRequest) -> HttpResponse:
    return render(request, "conflicts/public_ccg_list.html", {"ccgs": list(selectors.public_ccgs())})


def public_ccg(request: HttpRequest, ods_code: str) -> HttpResponse:
    ccg = selectors.ccg_public_get(ods_code)
    return render(
        request,
        "conflicts/public_ccg.html",
        {"ccg": ccg, "registers": [INTERESTS, GIFTS, PROCUREMENT], "crumbs": _public_crumbs()},
    )


def _filename(ccg: CCG, register: PublicRegister, extension: str) -> str:
    return f"{ccg.ods_code}-{register.slug}-{timezone.localdate().isoformat()}.{extension}"


# Spreadsheets run formulas in cells that start with these; a register must print as typed.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _csv_response(ccg: CCG, register: PublicRegister, table: Table) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(ccg, register, "csv")}"'
    writer = csv.writer(response)
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_safe_cell(cell) for cell in row])
    return response


def _pdf_response(ccg: CCG, register: PublicRegister, table: Table, **extra: Any) -> HttpResponse:
    today = timezone.localdate()
    pdf = render_pdf(
        register.pdf_template, {"ccg": ccg, "register": register, "table": table, "today": today, **extra}
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(ccg, register, "pdf")}"'
    return response


def _page(
    request: HttpRequest, ccg: CCG, register: PublicRegister, table: Table, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "conflicts/public_register.html",
        {
            "ccg": ccg,
            "register": register,
            "table": table,
            "today": timezone.localdate(),
            "csv_url": reverse(f"public-{register.slug}-csv", args=[ccg.ods_code]),
            "pdf_url": reverse(f"public-{register.slug}-pdf", args=[ccg.ods_code]),
            "crumbs": _public_crumbs(ccg),
            **extra,
        },
    )


def _published_interests(ods_code: str, machine: bool) -> tuple[CCG, Table, int]:
    ccg = selectors.ccg_public_get(ods_code)
    register = selectors.public_register_of_interests(ccg)
    return ccg, _interests_table(register.entries, machine=machine), register.withheld


def public_interests(request: HttpRequest, ods_code: str) -> HttpResponse:
    ccg, table, withheld = _published_interests(ods_code, machine=False)
    return _page(request, ccg, INTERESTS, table, withheld=withheld)


def public_interests_csv(request: HttpRequest, ods_code: str) -> HttpResponse:
    ccg, table, _ = _published_interests(ods_code, machine=True)
    return _csv_response(ccg, INTERESTS, table)


def public_interests_pdf(request: HttpRequest, ods_code: str) -> HttpResponse:
    ccg, table, withheld = _published_interests(ods_code, machine=False)
    return _pdf_response(ccg, INTERESTS, table, withheld=withheld)


def public_gifts(request: HttpRequest, ods_code: str) -> HttpResponse:
    ccg = selectors.ccg_public_get(ods_code)
    return _page(request, ccg, GIFTS, _gifts_table(ccg))


def public_gifts_csv(request: HttpRequest, ods_code: str) -> HttpResponse:
    ccg = selectors.ccg_public_get(ods_code)
    return _csv_response(ccg, GIFTS, _gifts_table(ccg, machine=True))


def public_gifts_pdf(request: HttpRequest, ods_code: str) -> HttpResponse:
    ccg = selectors.ccg_public_get(ods_code)
    return _pdf_response(ccg, GIFTS, _gifts_table(ccg))


def public_procurement(request: HttpRequest, ods_code: str) -> HttpResponse:
    ccg = selectors.ccg_public_get(ods_code)
    return _page(request, ccg, PROCUREMENT, _procurement_table(ccg))


def public_procurement_csv(request: HttpRequest, ods_code: str) -> HttpResponse:
    ccg = selectors.ccg_public_get(ods_code)
    return _csv_response(ccg, PROCUREMENT, _procurement_table(ccg, machine=True))


def public_procurement_pdf(request: HttpRequest, ods_code: str) -> HttpResponse:
    ccg = selectors.ccg_public_get(ods_code)
    return _pdf_response(ccg, PROCUREMENT, _procurement_table(ccg))
