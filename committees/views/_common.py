"""What the committee pages share: the not-found answer, breadcrumbs, the quorum panel, the form page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from cocomm.views import AuthenticatedRequest
from committees import permissions, selectors
from committees.models import Committee, Meeting, Membership

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
