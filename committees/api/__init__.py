"""JSON API for committees, their meetings and their decisions.

Committees, with their terms of reference and whether their membership keeps to them, are public
governance information: everyone gets the same answer. Meetings and decisions are answered for
the caller. Anonymous callers see the public record: the public-session items of meetings that
have a public session, and approved (or since superseded) decisions taken on such items or, by
chair's action, for a committee whose terms say it meets in public. A logged-in session adds the
private items and the unapproved decisions of the committees the user may see
(`committees_visible_to`). Something hidden answers 404 exactly as something missing does.

Like `delegation.api`, the package doubles as a URLconf that `cocomm.api_urls` includes by path.
Its modules are split by resource: `committees`, `meetings` and `decisions`, with who sees what
in `audience` and what the endpoints share in `shared`.
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from committees.api.audience import (
    PUBLISHED,
    Audience,
    SessionReadOnly,
    decisions_seen_by,
    items_seen_by,
    meetings_seen_by,
)
from committees.api.committees import (
    NO_APPROVED_TERMS,
    CommitteeSerializer,
    CommitteeViewSet,
    CompositionSerializer,
    QuorumSerializer,
    TermsSummarySerializer,
    committees_for_api,
)
from committees.api.decisions import DecisionQuerySerializer, DecisionSerializer, DecisionViewSet
from committees.api.meetings import (
    AgendaItemSerializer,
    MeetingQuerySerializer,
    MeetingSerializer,
    MeetingViewSet,
)
from committees.api.shared import (
    COMMITTEE_FILTER_MESSAGE,
    CommitteeFilterField,
    ListQueryErrorSerializer,
    Relation,
)

__all__ = [
    "COMMITTEE_FILTER_MESSAGE",
    "NO_APPROVED_TERMS",
    "PUBLISHED",
    "AgendaItemSerializer",
    "Audience",
    "CommitteeFilterField",
    "CommitteeSerializer",
    "CommitteeViewSet",
    "CompositionSerializer",
    "DecisionQuerySerializer",
    "DecisionSerializer",
    "DecisionViewSet",
    "ListQueryErrorSerializer",
    "MeetingQuerySerializer",
    "MeetingSerializer",
    "MeetingViewSet",
    "QuorumSerializer",
    "Relation",
    "SessionReadOnly",
    "TermsSummarySerializer",
    "committees_for_api",
    "decisions_seen_by",
    "items_seen_by",
    "meetings_seen_by",
    "router",
    "urlpatterns",
]

router = SimpleRouter()
router.register("committees", CommitteeViewSet, basename="api-committee")
router.register("meetings", MeetingViewSet, basename="api-meeting")
router.register("decisions", DecisionViewSet, basename="api-decision")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
