"""Decision pages: exclusions, the resolution, the vote, ratification, approval and the chair's action."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cocomm.history import history_entries
from cocomm.views import AuthenticatedRequest
from committees import hooks, permissions, selectors, services
from committees.choices import DecisionStatus, Purpose
from committees.forms.decisions import (
    DecisionProposeForm,
    DecisionSupersedeForm,
    ExclusionForm,
    VirtualDecisionForm,
    VoteForm,
)
from committees.models import AgendaItem, Decision, DecisionVoter, Vote
from committees.views._common import (
    _committee_crumbs,
    _crumbs,
    _form_page,
    _meeting_crumbs,
    _not_found,
    _refusal,
)
from committees.views.items import (
    _item_page,
    _item_url,
    _members_on_item,
    _voter_rows,
    _voters_for,
    meeting_frozen,
)


def _runs_item_vote(user: Any, item: AgendaItem) -> bool:
    return (
        item.committee is not None
        and item.purpose == Purpose.DECISION
        and permissions.can_run_vote(user, item.committee)
    )


@login_required
def exclusion_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The chair's ruling on a declared interest: the member stays without voting, or leaves."""
    item = selectors.agenda_item_get(request.user, pk)
    if not _runs_item_vote(request.user, item):
        raise _not_found()
    if request.method != "POST" and selectors.item_frozen_because(item):
        # No form that cannot be used: the item's page says why its rulings no longer change.
        return redirect(_item_url(item, "exclusions"))
    form = ExclusionForm(request.POST or None, people=_members_on_item(item), prefix="exclusion")
    if request.method == "POST" and form.is_valid():
        try:
            exclusion = services.exclusion_record(
                item=item,
                person=form.cleaned_data["person"],
                scope=form.cleaned_data["scope"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, f"{exclusion.person}: {exclusion.get_scope_display().lower()}.")
            return redirect(_item_url(item, "exclusions"))
    return _form_page(
        request,
        {
            "form": form,
            "caption": f"Item {item.number}: {item.title}",
            "title": "Record a declared interest and the chair's ruling",
            "intro": "A member who stays without voting or leaves the meeting for the item does not count "
            "towards its quorum.",
            "button": "Record the ruling",
            "cancel": (f"item {item.number}", _item_url(item)),
            "crumbs": _meeting_crumbs(item.meeting),
        },
    )


@login_required
def decision_propose(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = selectors.agenda_item_get(request.user, pk)
    if not _runs_item_vote(request.user, item) or Decision.objects.filter(item=item).exists():
        raise _not_found()
    if request.method != "POST" and meeting_frozen(item.meeting):
        return redirect(_item_url(item, "decision"))
    form = DecisionProposeForm(request.POST or None, prefix="propose")
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_propose(
                item=item,
                resolution=form.cleaned_data["resolution"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, "The resolution has been put to the committee.")
            return redirect(_item_url(item, "decision"))
    return _form_page(
        request,
        {
            "form": form,
            "caption": f"Item {item.number}: {item.title}",
            "title": "Propose a resolution",
            "intro": "The committee votes on the resolution once the vote is opened.",
            "button": "Propose the resolution",
            "cancel": (f"item {item.number}", _item_url(item)),
            "crumbs": _meeting_crumbs(item.meeting),
        },
    )


def _decision_item(request: AuthenticatedRequest, pk: int) -> tuple[Decision, AgendaItem]:
    decision = selectors.decision_get(request.user, pk)
    if decision.item_id is None:
        raise _not_found()
    return decision, selectors.agenda_item_get(request.user, decision.item_id)


@require_POST
@login_required
def vote_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    decision, item = _decision_item(request, pk)
    if not permissions.can_run_vote(request.user, decision.committee):
        raise _not_found()
    try:
        services.vote_open(decision=decision, by=request.user)
    except ValidationError as error:
        return _item_page(request, item, refusal=_refusal(error))
    except PermissionDenied:
        raise _not_found() from None
    messages.success(request, "The vote is open. Record each member's vote, then close the vote.")
    return redirect(_item_url(item, "decision"))


@login_required
def vote_cast(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    decision, item = _decision_item(request, pk)
    assert item.committee is not None
    people = _voters_for(request.user, item, selectors.item_quorum(item))
    if not people:
        raise _not_found()
    if request.method != "POST":
        return redirect(_item_url(item, "decision"))
    current = {v.person_id: v.choice for v in decision.votes.all()}
    form = VoteForm(request.POST, voters=people, current=current, prefix="vote")
    if not form.is_valid():
        return _item_page(request, item, vote_form=form)
    try:
        with transaction.atomic():  # every vote on the sheet, or none of them
            for person, choice in form.chosen():
                services.vote_cast(decision=decision, person=person, choice=choice, by=request.user)
    except ValidationError as error:
        return _item_page(request, item, refusal=_refusal(error))
    except PermissionDenied:
        raise _not_found() from None
    count = len(form.chosen())
    messages.success(
        request, "1 vote has been recorded." if count == 1 else f"{count} votes have been recorded."
    )
    return redirect(_item_url(item, "decision"))


@require_POST
@login_required
def vote_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    decision, item = _decision_item(request, pk)
    if not permissions.can_run_vote(request.user, decision.committee):
        raise _not_found()
    try:
        decision = services.vote_close(decision=decision, by=request.user)
    except ValidationError as error:
        return _item_page(request, item, refusal=_refusal(error))
    except PermissionDenied:
        raise _not_found() from None
    messages.success(
        request,
        f"The vote has closed: {decision.get_outcome_display().lower()}. It awaits the chair's approval.",
    )
    return redirect(_item_url(item, "decision"))


@login_required
def virtual_decision_ratify(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Record that this meeting ratified the chair's action its item brings."""
    item = selectors.agenda_item_get(request.user, pk)
    if item.ratifies is None or not permissions.can_run_vote(request.user, item.ratifies.committee):
        raise _not_found()
    if request.method != "POST":
        return redirect(_item_url(item))
    try:
        services.virtual_decision_ratify(decision=item.ratifies, meeting=item.meeting, by=request.user)
    except ValidationError as error:
        return _item_page(request, item, refusal=_refusal(error))
    except PermissionDenied:
        raise _not_found() from None
    messages.success(request, "The chair's action has been ratified.")
    return redirect(_item_url(item))


# Decisions ----------------------------------------------------------------------------------------------


def _decision_page(
    request: AuthenticatedRequest, decision: Decision, refusal: list[str] | None = None
) -> HttpResponse:
    voters, votes = selectors.decision_detail_of(decision)
    # The successor, once proposed: it replaces this decision only when the chair approves it.
    superseded_by = getattr(decision, "superseded_by", None)
    entries = history_entries(
        decision.history.all(),
        Vote.history.filter(decision_id=decision.pk),
        DecisionVoter.history.filter(decision_id=decision.pk),
    )
    return render(
        request,
        "committees/decision_detail.html",
        {
            "decision": decision,
            "voters": voters,
            "votes": votes,
            "voter_rows": _voter_rows(voters, votes),
            "superseded_by": superseded_by,
            "entries": entries,
            "may_approve": decision.status == DecisionStatus.RECORDED
            and permissions.can_approve(request.user, decision.committee)
            and (decision.item is None or selectors.meeting_started(decision.item.meeting)),
            "may_supersede": _may_supersede(request.user, decision),
            "refusal": refusal,
            "notes": hooks.notes_for_decision(decision, request.user),
            "crumbs": _committee_crumbs(decision.committee),
        },
    )


@login_required
def decision_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(request.user, pk)
    return _decision_page(request, decision)


@require_POST
@login_required
def decision_approve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(request.user, pk)
    if not permissions.can_approve(request.user, decision.committee):
        raise _not_found()
    try:
        services.decision_approve(decision=decision, by=request.user)
    except ValidationError as error:
        return _decision_page(request, selectors.decision_get(request.user, pk), _refusal(error))
    except PermissionDenied:
        raise _not_found() from None
    messages.success(request, "The decision has been approved. It cannot now be changed, only superseded.")
    if request.POST.get("next") == "awaiting":
        return redirect("decisions-awaiting")
    return redirect("decision-detail", pk=decision.pk)


def _may_supersede(user: Any, decision: Decision) -> bool:
    return (
        decision.status == DecisionStatus.APPROVED
        and getattr(decision, "superseded_by", None) is None
        and permissions.can_supersede(user, decision.committee)
    )


@login_required
def decision_supersede(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The chair proposes a new decision on a later item; approved, it supersedes this one."""
    decision = selectors.decision_get(request.user, pk)
    if not _may_supersede(request.user, decision):
        raise _not_found()
    items = selectors.items_to_supersede_on(decision)
    form = DecisionSupersedeForm(request.POST or None, items=items, prefix="supersede")
    if request.method == "POST" and form.is_valid():
        try:
            new = services.decision_supersede(
                decision=decision,
                item=form.cleaned_data["item"],
                resolution=form.cleaned_data["resolution"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.attach(error)
        except PermissionDenied:
            raise _not_found() from None
        else:
            messages.success(
                request,
                "The new resolution has been put to the committee. Once it is voted on and you approve "
                "it, it supersedes the earlier decision.",
            )
            assert new.item is not None
            return redirect(_item_url(new.item, "decision"))
    return render(
        request,
        "committees/decision_supersede.html",
        {
            "form": form,
            "decision": decision,
            "has_items": items.exists(),
            "crumbs": _committee_crumbs(decision.committee),
        },
    )


@login_required
def decisions_awaiting(request: AuthenticatedRequest) -> HttpResponse:
    """The chair's list: recorded decisions of the committees they chair."""
    return render(
        request,
        "committees/decisions_awaiting.html",
        {
            "decisions": list(selectors.decisions_awaiting_approval(request.user)),
            "crumbs": _crumbs(),
        },
    )


@login_required
def virtual_decision_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The chair's action: an urgent decision between meetings, which the next meeting ratifies."""
    committee = selectors.committee_get(request.user, pk)
    # A chair's action is taken today, under the terms of reference in force today.
    terms = selectors.terms_in_force(committee, timezone.localdate())
    if (
        not permissions.is_chair(request.user, committee)
        or terms is None
        or not terms.allows_virtual_decisions
    ):
        raise _not_found()
    form = VirtualDecisionForm(request.POST or None, committee=committee)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.virtual_decision_take(
                committee=committee,
                ccg=form.cleaned_data["ccg"],
                function=form.cleaned_data["function"],
                resolution=form.cleaned_data["resolution"],
                urgency_reason=form.cleaned_data["urgency_reason"],
                chair_declaration=form.cleaned_data["chair_declaration"],
                by=request.user,
            )
        except ValidationError as error:
            form.attach(error)
        else:
            item = decision.ratification_items.select_related("meeting").first()
            where = (
                f" It is on the agenda of {item.meeting} for ratification."
                if item
                else (" It goes for ratification to the next meeting scheduled.")
            )
            messages.success(request, "Your chair's action has been recorded and approved." + where)
            return redirect("decision-detail", pk=decision.pk)
    return _form_page(
        request,
        {
            "form": form,
            "caption": committee.name,
            "title": "Take a decision by chair's action",
            "intro": "Only for a decision that cannot wait for the next meeting. It is recorded as approved "
            "by you now, and the next meeting of the committee is asked to ratify it. You declare your own "
            "interest in it first: where an interest of yours on the register touches it and no mitigation "
            "has been agreed, the decision is for someone without the conflict.",
            "button": "Take the decision",
            "cancel": (committee.name, reverse("committee-detail", args=[committee.pk])),
            "crumbs": _committee_crumbs(committee),
        },
    )
