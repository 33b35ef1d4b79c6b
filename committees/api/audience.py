"""Who sees what: the public record for everyone, the private business of the caller's committees."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from cocomm.permissions import AnyUser
from committees.choices import DecisionStatus, Session
from committees.models import AgendaItem, Decision, Meeting, TermsOfReference
from committees.selectors import committees_visible_to, in_force_on

# Once approved a decision is part of the record; superseding it later does not take it back.
PUBLISHED = (DecisionStatus.APPROVED, DecisionStatus.SUPERSEDED)


class SessionReadOnly(APIView):
    """Read-only, answered for the caller: anonymous callers get the public record, a logged-in
    session (the web app's own) also gets the private business of its committees."""

    authentication_classes = (SessionAuthentication,)
    permission_classes = (AllowAny,)

    @property
    def audience(self) -> Audience:
        # Worked out once per request: it costs a query or two for a logged-in caller.
        cached: Audience | None = getattr(self, "_audience", None)
        if cached is None:
            cached = Audience.of(self.request.user)
            self._audience = cached
        return cached


@dataclass(frozen=True)
class Audience:
    """The committees whose private business the caller may see; none for anonymous callers."""

    committee_ids: frozenset[int]

    @classmethod
    def of(cls, user: AnyUser) -> Audience:
        if not user.is_authenticated:
            return cls(frozenset())
        return cls(frozenset(committees_visible_to(user).values_list("pk", flat=True)))


def _public_item(prefix: str = "") -> Q:
    """An agenda item taken in the public session of a meeting that has one."""
    return Q(**{f"{prefix}session": Session.PUBLIC, f"{prefix}meeting__has_public_session": True})


def _meetings_of(committee_ids: Iterable[int]) -> QuerySet[Meeting, Any]:
    return Meeting.objects.filter(committees__in=list(committee_ids)).values("pk")


def meetings_seen_by(audience: Audience) -> QuerySet[Meeting]:
    """Meetings with a public session, and every meeting of the caller's committees."""
    seen = Q(has_public_session=True)
    if audience.committee_ids:
        seen |= Q(pk__in=_meetings_of(audience.committee_ids))
    return Meeting.objects.filter(seen)


def items_seen_by(audience: Audience) -> QuerySet[AgendaItem]:
    """Public-session items, and every item the caller's committees take (or that opens their meetings)."""
    seen = _public_item()
    if audience.committee_ids:
        ids = list(audience.committee_ids)
        seen |= Q(committee_id__in=ids) | Q(committee__isnull=True, meeting_id__in=_meetings_of(ids))
    return AgendaItem.objects.filter(seen)


def decisions_seen_by(audience: Audience) -> QuerySet[Decision]:
    """Approved decisions of the public record, and every decision of the caller's committees."""
    # A chair's action is public where the terms in force on the day it was taken say the committee
    # meets in public (later terms do not publish or withdraw it).
    meets_in_public = TermsOfReference.objects.filter(
        in_force_on(OuterRef("decided_on")), committee=OuterRef("committee"), meets_in_public=True
    )
    public_chairs_action = Q(virtual=True, item__isnull=True) & Q(Exists(meets_in_public))
    seen = Q(status__in=PUBLISHED) & (_public_item("item__") | public_chairs_action)
    if audience.committee_ids:
        seen |= Q(committee_id__in=list(audience.committee_ids))
    return Decision.objects.filter(seen)
