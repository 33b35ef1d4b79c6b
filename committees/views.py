"""The committee pages: committees and their terms of reference, members, meetings, agendas, papers,
quorum, votes, decisions, chair's actions, matters and minutes.

Views are thin: select what the user may see (a hidden record is a 404), check what they may do
(a page they may see but not act on is a 404 too), validate a form, call a service, redirect. A
service's refusal (a ValidationError that says why) is shown on the page, never as an error page.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cocomm.history import history_entries
from cocomm.models import Person
from cocomm.text import in_sentence
from cocomm.views import AuthenticatedRequest
from committees import permissions, selectors, services
from committees.choices import (
    AttendanceStatus,
    CastingVote,
    CommitteeKind,
    CompositionRule,
    DecisionStatus,
    MinutesStatus,
    Purpose,
    Session,
    ToRStatus,
)
from committees.forms import (
    ActionForm,
    AgendaItemForm,
    AttendanceForm,
    CommitteeCreateForm,
    DecisionProposeForm,
    ExclusionForm,
    MatterForm,
    MatterScheduleForm,
    MeetingScheduleForm,
    MembershipAddForm,
    MembershipEndForm,
    MinutesApproveForm,
    MinutesForm,
    NoteForm,
    PaperForm,
    TermsApproveForm,
    TermsDraftForm,
    VirtualDecisionForm,
    VoteForm,
)
from committees.minutes import compose_minutes
from committees.models import (
    AgendaItem,
    Committee,
    Decision,
    DecisionVoter,
    Meeting,
    Membership,
    MembershipStatus,
    TermsOfReference,
    Vote,
)

NOT_FOUND = "No such page."


def _not_found() -> Http404:
    # Someone who may see a record but not act on it gets the same answer as for a missing page.
    return Http404(NOT_FOUND)


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Home", reverse("home")), ("Committees", reverse("committee-list")), *extra]


def _committee_crumbs(committee: Committee) -> list[tuple[str, str]]:
    return _crumbs((committee.name, reverse("committee-detail", args=[committee.pk])))


def _meeting_crumbs(meeting: Meeting) -> list[tuple[str, str]]:
    committees = list(meeting.committees.all())
    crumbs = _committee_crumbs(committees[0]) if len(committees) == 1 else _crumbs()
    return [*crumbs, (meeting.title, reverse("meeting-detail", args=[meeting.pk]))]


def _manages_any(user: Any, committees: Iterable[Committee]) -> bool:
    return any(permissions.can_manage_committee(user, c) for c in committees)


@dataclass(frozen=True)
class QuorumPanel:
    """An item's live quorum as its panel shows it: voting members counted, others present apart."""

    quorum: selectors.ItemQuorum

    @property
    def voting(self) -> list[Membership]:
        return [m for m in self.quorum.counted if m.voting]

    @property
    def without_vote(self) -> list[Membership]:
        return [m for m in self.quorum.counted if not m.voting]


def _refusal(error: ValidationError) -> list[str]:
    return list(error.messages)


def _form_page(request: AuthenticatedRequest, context: dict[str, Any]) -> HttpResponse:
    """A page holding one form: title, caption, intro, the fields, a button and a way back."""
    return render(request, "committees/form_page.html", context)


# Committees ---------------------------------------------------------------------------------------------


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
    return render(
        request,
        "committees/committee_detail.html",
        {
            "committee": committee,
            "overview": overview,
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


# Meetings -----------------------------------------------------------------------------------------------


def _partners(user: Any, committee: Committee) -> QuerySet[Committee]:
    """Committees the user manages serving the same area: those that may meet in common with it."""
    area_teams = {ccg.area_team_id for ccg in committee.ccgs.all()}
    candidates = (
        selectors.committees_visible_to(user)
        .filter(ccgs__area_team__in=area_teams)
        .exclude(pk=committee.pk)
        .prefetch_related("ccgs")
    )
    managed = [c.pk for c in candidates if permissions.can_manage_committee(user, c)]
    return Committee.objects.filter(pk__in=managed).order_by("name")


@login_required
def meeting_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    committee = selectors.committee_get(request.user, pk)
    if not permissions.can_manage_committee(request.user, committee):
        raise _not_found()
    form = MeetingScheduleForm(
        request.POST or None,
        partners=_partners(request.user, committee),
        initial={"title": f"{committee.short_name or committee.name} meeting", "at": "14:00"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_schedule(
                committees=[committee, *data.get("in_common", [])],
                title=data["title"],
                starts_at=data["starts_at"],
                place=data["place"],
                has_public_session=data["has_public_session"],
                has_private_session=data["has_private_session"],
                by=request.user,
                reason=data["reason"],
            )
        except ValidationError as error:
            form.attach(error)
        except PermissionDenied as error:
            form.add_error("in_common" if "in_common" in form.fields else None, str(error))
        else:
            messages.success(request, f"{meeting} has been scheduled with the standard opening items.")
            return redirect("meeting-detail", pk=meeting.pk)
    return _form_page(
        request,
        {
            "form": form,
            "caption": committee.name,
            "title": "Schedule a meeting",
            "intro": "The agenda starts with the standard items: apologies, quoracy, declarations of "
            "interest, the minutes of the last meeting and the action log. Chair's actions waiting for "
            "ratification are added too.",
            "button": "Schedule the meeting",
            "cancel": (committee.name, reverse("committee-detail", args=[committee.pk])),
            "crumbs": _committee_crumbs(committee),
        },
    )


def _attendance_form(
    record: selectors.MeetingRecord, data: Any = None
) -> tuple[AttendanceForm, dict[int, str]]:
    current = {pid: a.status for pid, a in record.attendance.items()}
    members = [m for c in record.committees for m in record.members_of(c)]
    return AttendanceForm(data, members=members, current=current, prefix="attendance"), current


def _action_people(record: selectors.MeetingRecord) -> QuerySet[Person]:
    ids = {m.person_id for seats in record.members.values() for m in seats} | set(record.attendance)
    return Person.objects.filter(pk__in=ids).order_by("full_name")


def _meeting_page(request: AuthenticatedRequest, meeting: Meeting, **forms: Any) -> HttpResponse:
    record = selectors.meeting_record(meeting)
    manages = _manages_any(request.user, record.committees)
    frozen = record.minutes is not None and record.minutes.status == MinutesStatus.APPROVED
    context: dict[str, Any] = {
        "meeting": meeting,
        "record": record,
        "agenda": [
            (item, record.decisions.get(item.pk), record.quorums.get(item.pk)) for item in record.items
        ],
        "decision_items": [
            (item, QuorumPanel(record.quorums[item.pk])) for item in record.items if item.pk in record.quorums
        ],
        "attendance": [
            (c, [(m, record.attendance.get(m.person_id)) for m in record.members_of(c)])
            for c in record.committees
        ],
        "manages": manages,
        "frozen": frozen,
        "in_common": len(record.committees) > 1,
        "crumbs": _meeting_crumbs(meeting),
    }
    if manages and not frozen:
        attendance_form = forms.get("attendance_form") or _attendance_form(record)[0]
        names = {c.pk: c.short_name or c.name for c in record.committees}
        sits_on: dict[int, list[str]] = {}
        for committee_id, seats in record.members.items():
            for seat in seats:
                sits_on.setdefault(seat.person_id, []).append(names[committee_id])
        context["attendance_form"] = attendance_form
        context["attendance_rows"] = [
            (membership, field, ", ".join(sits_on.get(membership.person_id, [])))
            for membership, field in attendance_form.member_rows()
        ]
        context["action_form"] = forms.get("action_form") or ActionForm(
            people=_action_people(record), items=record.items, prefix="action"
        )
    bound = forms.get("attendance_form") or forms.get("action_form")
    if bound is not None:
        context["form"] = bound  # the error summary and the page title show its errors
    return render(request, "committees/meeting_detail.html", context)


@login_required
def meeting_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, selectors.meeting_get(request.user, pk))


@login_required
def attendance_record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Record each member's attendance (and anyone else in attendance) in one go."""
    meeting = selectors.meeting_get(request.user, pk)
    if not _manages_any(request.user, meeting.committees.all()):
        raise _not_found()
    if request.method != "POST":
        return redirect(reverse("meeting-detail", args=[meeting.pk]) + "#attendance")
    record = selectors.meeting_record(meeting)
    form, current = _attendance_form(record, request.POST)
    if form.is_valid():
        changes = form.changes(current)
        guest = form.cleaned_data["guest"]
        if not changes and guest is None:
            form.add_error(None, "Change at least one member's attendance, or add someone in attendance")
        else:
            reason = form.cleaned_data["reason"]
            try:
                with transaction.atomic():  # all of the sheet or none of it
                    for person, status in changes:
                        services.attendance_record(
                            meeting=meeting, person=person, status=status, by=request.user, reason=reason
                        )
                    if guest is not None:
                        services.attendance_record(
                            meeting=meeting,
                            person=guest,
                            status=AttendanceStatus.IN_ATTENDANCE,
                            note=form.cleaned_data["guest_note"],
                            by=request.user,
                            reason=reason,
                        )
            except ValidationError as error:
                form.attach(error)
            else:
                messages.success(request, "The attendance has been recorded.")
                return redirect(reverse("meeting-detail", args=[meeting.pk]) + "#attendance")
    return _meeting_page(request, meeting, attendance_form=form)


@login_required
def action_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(request.user, pk)
    if not _manages_any(request.user, meeting.committees.all()):
        raise _not_found()
    if request.method != "POST":
        return redirect(reverse("meeting-detail", args=[meeting.pk]) + "#actions")
    record = selectors.meeting_record(meeting)
    form = ActionForm(request.POST, people=_action_people(record), items=record.items, prefix="action")
    if form.is_valid():
        try:
            services.action_add(
                meeting=meeting,
                description=form.cleaned_data["description"],
                owner=form.cleaned_data["owner"],
                due_on=form.cleaned_data["due_on"],
                item=form.cleaned_data["item"],
                by=request.user,
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, "The action has been added to the log.")
            return redirect(reverse("meeting-detail", args=[meeting.pk]) + "#actions")
    return _meeting_page(request, meeting, action_form=form)


@login_required
def agenda_item_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(request.user, pk)
    managed = [c for c in meeting.committees.all() if permissions.can_manage_committee(request.user, c)]
    if not managed:
        raise _not_found()
    form = AgendaItemForm(request.POST or None, meeting=meeting, committees=managed)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.agenda_item_add(
                meeting=meeting,
                committee=data["committee"],
                title=data["title"],
                purpose=data["purpose"],
                session=data["session"],
                ccg=data["ccg"],
                function=data["function"],
                practices=data["practices"],
                by=request.user,
                reason=data["reason"],
                reference=data["reference"],
                author=data["author"],
                lead_director=data["lead_director"],
                summary=data["summary"],
                financial_implications=data["financial_implications"],
                risk_implications=data["risk_implications"],
                legal_implications=data["legal_implications"],
                equality_implications=data["equality_implications"],
                action_asked=data["action_asked"],
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, f"Item {item.number}, {item.title}, has been added to the agenda.")
            return redirect("agenda-item-detail", pk=item.pk)
    return render(
        request,
        "committees/agenda_item_form.html",
        {"meeting": meeting, "form": form, "crumbs": _meeting_crumbs(meeting)},
    )


# Agenda items: papers, exclusions, the discussion note, the decision and its vote -----------------------


def _voter_rows(voters: list[DecisionVoter], votes: list[Vote]) -> list[tuple[DecisionVoter, Vote | None]]:
    by_person = {v.person_id: v for v in votes}
    return [(voter, by_person.get(voter.person_id)) for voter in voters]


def _item_decision(item: AgendaItem) -> Decision | None:
    return Decision.objects.filter(item=item).select_related("approved_by").first()


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
    runs_vote = committee is not None and permissions.can_run_vote(user, committee)
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
        "runs_vote": runs_vote and not frozen,
        "may_approve": decision is not None
        and decision.status == DecisionStatus.RECORDED
        and committee is not None
        and permissions.can_approve(user, committee),
        "may_ratify": item.ratifies is not None
        and item.ratifies.ratified_at_id is None
        and permissions.can_run_vote(user, item.ratifies.committee),
        "refusal": refusal,
        "crumbs": _meeting_crumbs(meeting),
    }
    if context["manages"]:
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
    if decision is not None and decision.status == DecisionStatus.VOTING and quorum is not None:
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
    if not _manages_any(request.user, item.meeting.committees.all()) or meeting_frozen(item.meeting):
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
    if not _manages_any(request.user, item.meeting.committees.all()) or meeting_frozen(item.meeting):
        raise _not_found()
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


def _runs_item_vote(user: Any, item: AgendaItem) -> bool:
    return (
        item.committee is not None
        and item.purpose == Purpose.DECISION
        and permissions.can_run_vote(user, item.committee)
        and not meeting_frozen(item.meeting)
    )


@login_required
def exclusion_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The chair's ruling on a declared interest: the member stays without voting, or leaves."""
    item = selectors.agenda_item_get(request.user, pk)
    if not _runs_item_vote(request.user, item):
        raise _not_found()
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
    superseded_by = Decision.objects.filter(supersedes=decision).first()
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
            and permissions.can_approve(request.user, decision.committee),
            "refusal": refusal,
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
    terms = selectors.approved_terms(committee)
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
            "by you now, and the next meeting of the committee is asked to ratify it.",
            "button": "Take the decision",
            "cancel": (committee.name, reverse("committee-detail", args=[committee.pk])),
            "crumbs": _committee_crumbs(committee),
        },
    )


# Matters ------------------------------------------------------------------------------------------------


@login_required
def matter_create(request: AuthenticatedRequest) -> HttpResponse:
    governed = selectors.ccgs_governed_by(request.user)
    if not governed.exists():
        raise _not_found()
    form = MatterForm(request.POST or None, ccgs=governed)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            matter = services.matter_raise(
                ccg=data["ccg"],
                function=data["function"],
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                practices=data["practices"],
                by=request.user,
                reason=data["reason"],
            )
        except ValidationError as error:
            form.attach(error)
        except PermissionDenied as error:
            form.add_error("ccg", str(error))
        else:
            messages.success(request, "The matter has been raised. Now put it on the deciding body's agenda.")
            return redirect("matter-detail", pk=matter.pk)
    return _form_page(
        request,
        {
            "form": form,
            "title": "Raise a matter",
            "intro": "Something a CCG must decide under one of the 14 functions, such as a practice applying "
            "to close its list. cocomm works out which body decides it from the CCG's level.",
            "button": "Raise the matter",
            "cancel": ("the committees", reverse("committee-list")),
            "crumbs": _crumbs(),
        },
    )


def _schedulable_meetings(user: Any, bodies: list[Committee]) -> QuerySet[Meeting]:
    managed = [c.pk for c in bodies if permissions.can_manage_committee(user, c)]
    return selectors.upcoming_meetings_of(managed)


@login_required
def matter_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    matter = selectors.matter_get(request.user, pk)
    today = timezone.localdate()
    decided_by, bodies = services.deciding_committees(matter, today)
    meetings = _schedulable_meetings(request.user, bodies)
    return render(
        request,
        "committees/matter_detail.html",
        {
            "matter": matter,
            "today": today,
            "decided_by": decided_by,
            "bodies": bodies,
            "meetings": selectors.upcoming_meetings_of([c.pk for c in bodies]),
            "schedule_form": (
                MatterScheduleForm(meetings=meetings, prefix="schedule") if meetings.exists() else None
            ),
            "items": list(
                matter.agenda_items.select_related("meeting", "committee").order_by("meeting__starts_at")
            ),
            "decisions": list(matter.decisions.select_related("committee").order_by("-decided_on")),
            "crumbs": _crumbs(),
        },
    )


@login_required
def matter_schedule(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    matter = selectors.matter_get(request.user, pk)
    _, bodies = services.deciding_committees(matter, timezone.localdate())
    meetings = _schedulable_meetings(request.user, bodies)
    if not meetings.exists():
        raise _not_found()
    form = MatterScheduleForm(request.POST or None, meetings=meetings, prefix="schedule")
    if request.method == "POST" and form.is_valid():
        try:
            item = services.matter_schedule(
                matter=matter,
                meeting=form.cleaned_data["meeting"],
                session=form.cleaned_data["session"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.attach(error)
        except PermissionDenied as error:
            form.add_error("meeting", str(error))
        else:
            messages.success(request, f"The matter is item {item.number} of {item.meeting}.")
            return redirect("agenda-item-detail", pk=item.pk)
    return _form_page(
        request,
        {
            "form": form,
            "caption": matter.title,
            "title": "Put the matter on an agenda",
            "intro": "Only meetings of the body that decides the matter are listed. It is added as an item "
            "for decision.",
            "button": "Add to the agenda",
            "cancel": ("the matter", reverse("matter-detail", args=[matter.pk])),
            "crumbs": _crumbs(),
        },
    )


# Minutes ------------------------------------------------------------------------------------------------


def _chairs_any(user: Any, meeting: Meeting) -> bool:
    return any(permissions.can_approve(user, c) for c in meeting.committees.all())


@login_required
def minutes_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The minutes: drafted from the record, edited, then approved by the chair and frozen."""
    meeting = selectors.meeting_get(request.user, pk)
    minutes = selectors.minutes_of(meeting)
    frozen = minutes is not None and minutes.status == MinutesStatus.APPROVED
    manages = _manages_any(request.user, meeting.committees.all()) and not frozen
    form = None
    if manages:
        if request.method == "POST":
            form = MinutesForm(request.POST)
            if form.is_valid():
                try:
                    services.minutes_draft(meeting=meeting, text=form.cleaned_data["text"], by=request.user)
                except ValidationError as error:
                    form.attach(error)
                else:
                    messages.success(request, "The draft minutes have been saved.")
                    return redirect("minutes-detail", pk=meeting.pk)
        else:
            if minutes is None or "regenerate" in request.GET:
                text = compose_minutes(meeting)
            else:
                text = minutes.text
            form = MinutesForm(initial={"text": text})
    elif request.method == "POST":
        raise _not_found()
    approve_form = None
    if minutes is not None and not frozen and _chairs_any(request.user, meeting):
        approve_form = MinutesApproveForm(meetings=selectors.later_meetings_of(meeting))
    return render(
        request,
        "committees/minutes_detail.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "frozen": frozen,
            "form": form,
            "approve_form": approve_form,
            "regenerated": "regenerate" in request.GET,
            "crumbs": _meeting_crumbs(meeting),
        },
    )


@login_required
def minutes_approve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(request.user, pk)
    minutes = selectors.minutes_of(meeting)
    if minutes is None or minutes.status != MinutesStatus.DRAFT or not _chairs_any(request.user, meeting):
        raise _not_found()
    form = MinutesApproveForm(request.POST or None, meetings=selectors.later_meetings_of(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_approve(
                minutes=minutes, at_meeting=form.cleaned_data["at_meeting"], by=request.user
            )
        except ValidationError as error:
            form.attach(error)
        except PermissionDenied:
            raise _not_found() from None
        else:
            messages.success(request, "The minutes have been approved. They are now frozen.")
            return redirect("minutes-detail", pk=meeting.pk)
    return _form_page(
        request,
        {
            "form": form,
            "caption": str(meeting),
            "title": "Approve the minutes",
            "intro": "Minutes are approved at a later meeting of the same committee. Once approved they "
            "cannot be changed, and neither can the meeting's record.",
            "button": "Approve the minutes",
            "cancel": ("the minutes", reverse("minutes-detail", args=[meeting.pk])),
            "crumbs": _meeting_crumbs(meeting),
        },
    )
