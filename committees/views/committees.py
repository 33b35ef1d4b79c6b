"""Committee pages: the list, setting one up, its page and history, terms of reference and membership."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from cocomm.history import history_entries
from cocomm.text import in_sentence
from cocomm.views import AuthenticatedRequest
from committees import permissions, selectors, services
from committees.choices import CastingVote, CommitteeKind, CompositionRule, ToRStatus
from committees.forms.committees import (
    CommitteeCreateForm,
    MembershipAddForm,
    MembershipEndForm,
    TermsApproveForm,
    TermsDraftForm,
)
from committees.models import Committee, Membership, MembershipStatus, TermsOfReference
from committees.views._common import _committee_crumbs, _crumbs, _form_page, _not_found


@dataclass(frozen=True)
class CommitteeRow:
    committee: Committee
    composition: selectors.Composition


@login_required
def committee_list(request: AuthenticatedRequest) -> HttpResponse:
    """The committees the user may see, by kind, each with its CCGs, reporting line and composition."""
    committees = list(selectors.committees_for_list(request.user))
    compositions = selectors.compositions_of(committees)
    groups = []
    for kind in CommitteeKind:
        rows = [CommitteeRow(c, compositions[c.pk]) for c in committees if c.kind == kind]
        if rows:
            groups.append((kind, rows))
    governed = selectors.ccgs_governed_by(request.user)
    return render(
        request,
        "committees/committee_list.html",
        {
            "groups": groups,
            "can_create": governed.exists(),
            "awaiting": selectors.decisions_awaiting_approval(request.user).count(),
            "matters": list(selectors.matters_waiting_for(request.user)[:20]),
            "crumbs": [("Home", reverse("home"))],
        },
    )


@login_required
def committee_create(request: AuthenticatedRequest) -> HttpResponse:
    governed = selectors.ccgs_governed_by(request.user)
    if not governed.exists():
        raise _not_found()
    form = CommitteeCreateForm(
        request.POST or None, ccgs=governed, committees=selectors.committees_visible_to(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            committee = services.committee_create(
                name=data["name"],
                short_name=data["short_name"],
                kind=data["kind"],
                ccgs=data["ccgs"],
                area_team=data["area_team"],
                reports_to=data["reports_to"],
                functions=data["functions"],
                by=request.user,
                reason=data["reason"],
            )
        except ValidationError as error:
            form.attach(error)
        except PermissionDenied as error:
            form.add_error("ccgs", str(error))
        else:
            messages.success(request, f"{committee} has been set up. Next, draft its terms of reference.")
            return redirect("committee-detail", pk=committee.pk)
    return _form_page(
        request,
        {
            "form": form,
            "title": "Set up a committee",
            "intro": "A committee, group or governing body serving one or more of your CCGs. It may take "
            "decisions once it has approved terms of reference and members that meet them.",
            "button": "Set up the committee",
            "cancel": ("the committees", reverse("committee-list")),
            "crumbs": _crumbs(),
        },
    )


@login_required
def committee_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    committee = selectors.committee_get(request.user, pk)
    overview = selectors.committee_overview(committee)
    terms = overview.approved
    manages = permissions.can_manage_committee(request.user, committee)
    chairs = permissions.is_chair(request.user, committee)
    # The committees it reports to and from are named to all, linked only for those who may open them.
    related = [g.pk for g in overview.reporting] + (
        [committee.reports_to_id] if committee.reports_to_id else []
    )
    return render(
        request,
        "committees/committee_detail.html",
        {
            "committee": committee,
            "overview": overview,
            "openable_committees": set(
                selectors.committees_visible_to(request.user)
                .filter(pk__in=related)
                .values_list("pk", flat=True)
            ),
            "terms": terms,
            "quorum": selectors.quorum_rule(terms).describe() if terms else "",
            "composition": selectors.composition_of(committee),
            "manages": manages,
            "chairs": chairs,
            "may_take_chairs_action": chairs and terms is not None and terms.allows_virtual_decisions,
            "awaiting": (
                selectors.decisions_awaiting_approval(request.user).filter(committee=committee).count()
                if chairs
                else 0
            ),
            "today": timezone.localdate(),
            "crumbs": _crumbs(),
        },
    )


@login_required
def committee_history(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    committee = selectors.committee_get(request.user, pk)
    entries = history_entries(
        committee.history.all(),
        TermsOfReference.history.filter(committee_id=committee.pk),
        Membership.history.filter(committee_id=committee.pk),
    )
    return render(
        request,
        "committees/committee_history.html",
        {"committee": committee, "entries": entries, "crumbs": _committee_crumbs(committee)},
    )


# Terms of reference -------------------------------------------------------------------------------------

DEFAULT_RULES = {
    CommitteeKind.PCCC: CompositionRule.PCCC,
    CommitteeKind.JOINT_COMMITTEE: CompositionRule.JOINT,
    CommitteeKind.CO_COMMISSIONING_GROUP: CompositionRule.CO_CHAIRED,
}


def _terms_initial(committee: Committee) -> dict[str, Any]:
    """Start from the approved version, or from the defaults for the kind of committee."""
    current = selectors.approved_terms(committee)
    if current is not None:
        initial: dict[str, Any] = {
            "composition_rule": current.composition_rule,
            "quorum_minimum": current.quorum_minimum,
            "casting_vote": current.casting_vote,
            "meets_in_public": current.meets_in_public,
            "allows_virtual_decisions": current.allows_virtual_decisions,
            "review_on": current.review_on,
        }
        for category, count in (current.quorum_categories or {}).items():
            initial[TermsDraftForm.category_field(category)] = count
        return initial
    joint = committee.kind == CommitteeKind.JOINT_COMMITTEE
    return {
        "version": "v1",
        "composition_rule": DEFAULT_RULES.get(CommitteeKind(committee.kind), CompositionRule.CHAIRED),
        "casting_vote": CastingVote.NHS_ENGLAND if joint else CastingVote.CHAIR,
        "meets_in_public": committee.kind == CommitteeKind.PCCC,
    }


@login_required
def terms_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    committee = selectors.committee_get(request.user, pk)
    if not permissions.can_manage_committee(request.user, committee):
        raise _not_found()
    form = TermsDraftForm(request.POST or None, initial=_terms_initial(committee))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            terms = services.terms_draft(
                committee=committee,
                version=data["version"],
                composition_rule=data["composition_rule"],
                quorum_minimum=data["quorum_minimum"],
                quorum_categories=data["quorum_categories"],
                casting_vote=data["casting_vote"],
                meets_in_public=data["meets_in_public"],
                allows_virtual_decisions=data["allows_virtual_decisions"],
                review_on=data["review_on"],
                by=request.user,
                reason=data["reason"],
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, f"Version {terms.version} has been drafted. It applies once approved.")
            return redirect("terms-detail", pk=terms.pk)
    return render(
        request,
        "committees/terms_form.html",
        {"committee": committee, "form": form, "crumbs": _committee_crumbs(committee)},
    )


@login_required
def terms_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    terms = selectors.terms_get(request.user, pk)
    committee = terms.committee
    return render(
        request,
        "committees/terms_detail.html",
        {
            "terms": terms,
            "committee": committee,
            "quorum": selectors.quorum_rule(terms).describe(),
            "versions": list(committee.terms_of_reference.order_by("-id")),
            "may_approve": terms.status == ToRStatus.DRAFT
            and permissions.can_manage_committee(request.user, committee),
            "crumbs": _committee_crumbs(committee),
        },
    )


@login_required
def terms_approve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    terms = selectors.terms_get(request.user, pk)
    committee = terms.committee
    if terms.status != ToRStatus.DRAFT or not permissions.can_manage_committee(request.user, committee):
        raise _not_found()
    form = TermsApproveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.terms_approve(
                terms=terms,
                approved_by=form.cleaned_data["approved_by"],
                approved_on=form.cleaned_data["approved_on"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, f"Version {terms.version} of the terms of reference is now in force.")
            return redirect("committee-detail", pk=committee.pk)
    return _form_page(
        request,
        {
            "form": form,
            "caption": committee.name,
            "title": f"Approve version {terms.version} of the terms of reference",
            "intro": "Once approved, these terms apply: their quorum and composition rule are checked at "
            "every decision. The version in force now, if any, becomes superseded.",
            "button": "Approve the terms of reference",
            "cancel": (f"version {terms.version}", reverse("terms-detail", args=[terms.pk])),
            "crumbs": _committee_crumbs(committee),
        },
    )


# Membership ---------------------------------------------------------------------------------------------


@login_required
def membership_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    committee = selectors.committee_get(request.user, pk)
    if not permissions.can_manage_committee(request.user, committee):
        raise _not_found()
    form = MembershipAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = services.membership_add(
                committee=committee,
                person=data["person"],
                category=data["category"],
                voting=data["voting"],
                office=data["office"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                by=request.user,
                reason=data["reason"],
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, f"{membership.person} now has a seat on {committee}.")
            return redirect(reverse("committee-detail", args=[committee.pk]) + "#members")
    return _form_page(
        request,
        {
            "form": form,
            "caption": committee.name,
            "title": "Add a member",
            "intro": "A chair's seat lets them approve the committee's decisions and minutes from the day it "
            "starts. If the person is not listed, a system administrator adds them first.",
            "button": "Add the member",
            "cancel": (committee.name, reverse("committee-detail", args=[committee.pk])),
            "crumbs": _committee_crumbs(committee),
        },
    )


@login_required
def membership_end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    membership = selectors.membership_get(request.user, pk)
    committee = membership.committee
    if membership.status == MembershipStatus.ENDED or not permissions.can_manage_committee(
        request.user, committee
    ):
        raise _not_found()
    form = MembershipEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(
                membership=membership,
                ends_on=form.cleaned_data["ends_on"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, f"{membership.person}'s seat on {committee} has been ended.")
            return redirect(reverse("committee-detail", args=[committee.pk]) + "#members")
    return _form_page(
        request,
        {
            "form": form,
            "caption": committee.name,
            "title": f"End {membership.person}'s seat",
            "intro": f"{membership.person} sits as {in_sentence(membership.get_category_display())} "
            f"({membership.get_office_display().lower()}) since {membership.starts_on:%-d %B %Y}. "
            "Their permissions on the committee end with the seat.",
            "button": "End the seat",
            "button_class": "nhsuk-button--warning",
            "cancel": (committee.name, reverse("committee-detail", args=[committee.pk])),
            "crumbs": _committee_crumbs(committee),
        },
    )
