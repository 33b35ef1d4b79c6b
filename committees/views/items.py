"""Agenda item pages: the item with its quorum and decision, its discussion note, and its papers."""

from __future__ import annotations

import os
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from cocomm.models import Person
from cocomm.views import AuthenticatedRequest
from committees import hooks, permissions, selectors, services
from committees.choices import DecisionStatus, MinutesStatus, Purpose, Session
from committees.forms.decisions import DecisionProposeForm, ExclusionForm, VoteForm
from committees.forms.items import NoteForm, PaperForm
from committees.models import AgendaItem, Decision, DecisionVoter, Meeting, Vote
from committees.views._common import QuorumPanel, _form_page, _manages_any, _meeting_crumbs, _not_found


def _voter_rows(voters: list[DecisionVoter], votes: list[Vote]) -> list[tuple[DecisionVoter, Vote | None]]:
    by_person = {v.person_id: v for v in votes}
    return [(voter, by_person.get(voter.person_id)) for voter in voters]


def _item_decision(item: AgendaItem) -> Decision | None:
    linked = Decision.objects.select_related("approved_by", "supersedes", "superseded_by")
    return linked.filter(item=item).first()


def _voters_for(user: Any, item: AgendaItem, quorum: selectors.ItemQuorum) -> list[Person]:
    """Whose votes the user may record: every eligible member for the chair or clerk, else their own."""
    assert item.committee is not None
    eligible = [m.person for m in quorum.counted if m.voting]
    if permissions.can_run_vote(user, item.committee):
        return eligible
    if permissions.is_member(user, item.committee):
        return [p for p in eligible if p.user_id == user.pk]
    return []


def _item_page(
    request: AuthenticatedRequest, item: AgendaItem, *, refusal: list[str] | None = None, **forms: Any
) -> HttpResponse:
    meeting = item.meeting
    committee = item.committee
    user = request.user
    manages = _manages_any(user, meeting.committees.all())
    frozen = meeting_frozen(meeting)
    # What happens at the meeting (the discussion, rulings, the resolution, the vote, approvals) is
    # offered from its start; papers may be added before it.
    started = selectors.meeting_started(meeting)
    runs_vote = committee is not None and permissions.can_run_vote(user, committee)
    # Why what could otherwise be changed here no longer can: said in place of the forms.
    frozen_reason = selectors.record_frozen_because(meeting) if frozen and (manages or runs_vote) else ""
    # What fed a closed vote (its rulings and exclusions) stays as it was, though the minutes are open.
    item_reason = (
        selectors.item_frozen_because(item)
        if runs_vote and not frozen and item.purpose == Purpose.DECISION
        else ""
    )
    quorum = (
        selectors.item_quorum(item) if committee is not None and item.purpose == Purpose.DECISION else None
    )
    decision = _item_decision(item)
    voters: list[DecisionVoter] = []
    votes: list[Vote] = []
    if decision is not None:
        voters, votes = selectors.decision_detail_of(decision)
    context: dict[str, Any] = {
        "item": item,
        "meeting": meeting,
        "committee": committee,
        "papers": selectors.papers_visible_to(user, item),
        "reads_private": permissions.can_read_papers(user, item),
        "exclusions": list(item.exclusions.select_related("person")),
        "quorum": quorum,
        "panel": QuorumPanel(quorum) if quorum is not None else None,
        "decision": decision,
        "voters": voters,
        "votes": votes,
        "voter_rows": _voter_rows(voters, votes),
        "manages": manages and not frozen,
        "started": started,
        "rules_before_start": runs_vote and not frozen and not started,
        "runs_vote": runs_vote and not frozen and started,
        "may_approve": started
        and decision is not None
        and decision.status == DecisionStatus.RECORDED
        and committee is not None
        and permissions.can_approve(user, committee),
        "may_ratify": started
        and item.ratifies is not None
        and item.ratifies.ratified_at_id is None
        and permissions.can_run_vote(user, item.ratifies.committee),
        "refusal": refusal,
        "frozen_reason": frozen_reason,
        "item_reason": item_reason,
        "flagged": hooks.flagged_people(item) if committee is not None and not item.standard else [],
        "crumbs": _meeting_crumbs(meeting),
    }
    if (
        runs_vote
        and not frozen
        and quorum is not None
        and (decision is None or decision.status == DecisionStatus.DRAFT)
    ):
        # Said before the chair tries, not only as a refusal after.
        context["vote_blocked"] = hooks.reasons_not_to_vote(item)
    if context["manages"] and (started or forms.get("note_form")):
        context["note_form"] = forms.get("note_form") or NoteForm(
            initial={"discussion_note": item.discussion_note}, prefix="note"
        )
    if context["runs_vote"] and quorum is not None:
        if decision is None:
            context["propose_form"] = forms.get("propose_form") or DecisionProposeForm(prefix="propose")
        if decision is None or decision.status in (DecisionStatus.DRAFT, DecisionStatus.VOTING):
            context["exclusion_form"] = forms.get("exclusion_form") or ExclusionForm(
                people=_members_on_item(item), prefix="exclusion"
            )
    if started and decision is not None and decision.status == DecisionStatus.VOTING and quorum is not None:
        people = _voters_for(user, item, quorum)
        if people:
            current = {v.person_id: v.choice for v in votes}
            context["vote_form"] = forms.get("vote_form") or VoteForm(
                voters=people, current=current, prefix="vote"
            )
    bound = next((f for f in forms.values() if f is not None), None)
    if bound is not None:
        context["form"] = bound
    return render(request, "committees/agenda_item_detail.html", context)


def meeting_frozen(meeting: Meeting) -> bool:
    minutes = getattr(meeting, "minutes", None)
    return minutes is not None and minutes.status == MinutesStatus.APPROVED


def _members_on_item(item: AgendaItem) -> QuerySet[Person]:
    assert item.committee is not None
    on = timezone.localtime(item.meeting.starts_at).date()
    ids = [m.person_id for m in selectors.seats_on(item.committee, on)]
    return Person.objects.filter(pk__in=ids).order_by("full_name")


@login_required
def agenda_item_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _item_page(request, selectors.agenda_item_get(request.user, pk))


def _item_url(item: AgendaItem, anchor: str = "") -> str:
    return reverse("agenda-item-detail", args=[item.pk]) + (f"#{anchor}" if anchor else "")


@login_required
def agenda_item_note(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = selectors.agenda_item_get(request.user, pk)
    if not _manages_any(request.user, item.meeting.committees.all()):
        raise _not_found()
    if request.method != "POST":
        return redirect(_item_url(item, "discussion"))
    form = NoteForm(request.POST, prefix="note")
    if form.is_valid():
        try:
            services.agenda_item_note(
                item=item,
                discussion_note=form.cleaned_data["discussion_note"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, "The discussion note has been saved.")
            return redirect(_item_url(item, "discussion"))
    return _item_page(request, item, note_form=form)


@login_required
def paper_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = selectors.agenda_item_get(request.user, pk)
    if not _manages_any(request.user, item.meeting.committees.all()):
        raise _not_found()
    if request.method != "POST" and meeting_frozen(item.meeting):
        # No form that cannot be used: the item's page says why its papers no longer change.
        return redirect(_item_url(item, "papers"))
    form = PaperForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            paper = services.paper_add(
                item=item,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, f"The paper {paper.title} has been added.")
            return redirect(_item_url(item, "papers"))
    private = (
        " It is in the private session, so only the committee's members and those who manage it can read it."
    )
    return _form_page(
        request,
        {
            "form": form,
            "caption": f"Item {item.number}: {item.title}",
            "title": "Add a paper",
            "intro": "The paper goes with the item's summary sheet."
            + (private if item.session == Session.PRIVATE else ""),
            "button": "Upload the paper",
            "multipart": True,
            "cancel": (f"item {item.number}", _item_url(item)),
            "crumbs": _meeting_crumbs(item.meeting),
        },
    )


@login_required
def paper_download(request: AuthenticatedRequest, pk: int) -> FileResponse:
    paper = selectors.paper_get(request.user, pk)
    try:
        handle = paper.file.open("rb")
    except FileNotFoundError:
        raise Http404("The paper's file is missing.") from None
    return FileResponse(handle, as_attachment=True, filename=os.path.basename(paper.file.name))
