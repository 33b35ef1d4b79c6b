"""JSON API for committees, their meetings and their decisions.

Committees, with their terms of reference and whether their membership keeps to them, are public
governance information: everyone gets the same answer. Meetings and decisions are answered for
the caller. Anonymous callers see the public record: the public-session items of meetings that
have a public session, and approved (or since superseded) decisions taken on such items or, by
chair's action, for a committee whose terms say it meets in public. A logged-in session adds the
private items and the unapproved decisions of the committees the user may see
(`committees_visible_to`). Something hidden answers 404 exactly as something missing does.

Like `delegation.api`, the module doubles as a URLconf that `cocomm.api_urls` includes by path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.urls import URLPattern, URLResolver
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from cocomm.api import PublicReadOnly
from cocomm.models import CCG
from cocomm.permissions import AnyUser
from committees import rules
from committees.choices import DecisionStatus, Outcome, Session, ToRStatus
from committees.models import AgendaItem, Committee, Decision, Meeting, Membership, TermsOfReference
from committees.selectors import as_seat, committees_visible_to, quorum_rule
from delegation.api import ApiErrorSerializer

# DRF hands back a ManyRelatedField for `many=True`, which its stubs can only express as a union.
Relation: TypeAlias = "serializers.RelatedField[Any, Any, Any] | serializers.ManyRelatedField"

# Once approved a decision is part of the record; superseding it later does not take it back.
PUBLISHED = (DecisionStatus.APPROVED, DecisionStatus.SUPERSEDED)
# The words `selectors.composition_of` uses, so the API and the pages agree.
NO_APPROVED_TERMS = "The committee has no approved terms of reference."


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


def _pk_from(raw: str, thing: str) -> int:
    """The id in the URL, or the same 404 a missing record gives (never a 500 for `abc`)."""
    if not raw.isdigit() or len(raw) > 18:
        raise exceptions.NotFound(f"No {thing} with id {raw}.")
    return int(raw)


# --- Who sees what --------------------------------------------------------------------------------


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
    meets_in_public = TermsOfReference.objects.filter(
        committee=OuterRef("committee"), status=ToRStatus.APPROVED, meets_in_public=True
    )
    public_chairs_action = Q(virtual=True, item__isnull=True) & Q(Exists(meets_in_public))
    seen = Q(status__in=PUBLISHED) & (_public_item("item__") | public_chairs_action)
    if audience.committee_ids:
        seen |= Q(committee_id__in=list(audience.committee_ids))
    return Decision.objects.filter(seen)


# --- Shared bodies ----------------------------------------------------------------------------------


class ListQueryErrorSerializer(serializers.Serializer[Any]):
    """The body of a 400 from a list: each wrong filter with what is wrong with it."""

    committee = serializers.ListField(child=serializers.CharField(), required=False)
    ccg = serializers.ListField(child=serializers.CharField(), required=False)


COMMITTEE_FILTER_MESSAGE = "Committee must be a committee's id, a whole number."


class CommitteeFilterField(serializers.IntegerField):
    """`?committee=` : the id of a committee that exists."""

    def __init__(self, **kwargs: Any) -> None:
        message = COMMITTEE_FILTER_MESSAGE
        super().__init__(
            required=False,
            min_value=1,
            max_value=2**31 - 1,
            help_text="Only those of this committee (its id).",
            error_messages={
                "invalid": message,
                "min_value": message,
                "max_value": message,
                "max_string_length": message,
                "null": message,
            },
            **kwargs,
        )

    def run_validation(self, data: Any = serializers.empty) -> Any:
        value = super().run_validation(data)
        if value is not None and not Committee.objects.filter(pk=value).exists():
            raise serializers.ValidationError(f"No committee with id {value}.")
        return value


def _validated(query_class: type[serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    query = query_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


# --- Committees -------------------------------------------------------------------------------------


class QuorumSerializer(serializers.Serializer[Any]):
    minimum = serializers.IntegerField(help_text="How many voting members make the quorum.")
    categories = serializers.DictField(
        child=serializers.IntegerField(),
        help_text='How many of each member category the quorum must include, e.g. {"lay": 1}.',
    )
    description = serializers.CharField(help_text="The quorum in words.")


class TermsSummarySerializer(serializers.ModelSerializer[TermsOfReference]):
    """The approved version of a committee's terms of reference: the rules cocomm enforces."""

    quorum = serializers.SerializerMethodField()

    class Meta:
        model = TermsOfReference
        fields = [
            "version",
            "approved_by",
            "approved_on",
            "quorum",
            "casting_vote",
            "composition_rule",
            "meets_in_public",
            "allows_virtual_decisions",
        ]
        read_only_fields = fields

    @extend_schema_field(QuorumSerializer)
    def get_quorum(self, terms: TermsOfReference) -> dict[str, Any]:
        rule = quorum_rule(terms)
        return {"minimum": rule.minimum, "categories": dict(rule.categories), "description": rule.describe()}


class CompositionSerializer(serializers.Serializer[Any]):
    ok = serializers.BooleanField(help_text="Whether today's members keep to the approved terms.")
    problems = serializers.ListField(
        child=serializers.CharField(), help_text="Each way the membership breaks the terms, in words."
    )


def _composition_problems(committee: Committee) -> list[str]:
    """`selectors.composition_of` for today, over what the committee list has prefetched."""
    approved: list[TermsOfReference] = committee.approved_terms  # type: ignore[attr-defined]
    if not approved:
        return [NO_APPROVED_TERMS]
    terms = approved[0]
    seats: list[Membership] = committee.seats_today  # type: ignore[attr-defined]
    return rules.composition_problems(
        rules.CompositionRule(terms.composition_rule),
        [as_seat(m) for m in seats],
        rules.CastingVote(terms.casting_vote),
    )


class CommitteeSerializer(serializers.ModelSerializer[Committee]):
    """A committee, its approved terms of reference, and whether its members keep to them today."""

    ccgs: Relation = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="ods_code", help_text="The ODS codes of the CCGs it serves."
    )
    area_team: Relation = serializers.SlugRelatedField(
        read_only=True,
        allow_null=True,
        slug_field="ods_code",
        help_text="The NHS England area team's ODS code, if it sits.",
    )
    reports_to: Relation = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The committee it reports to."
    )
    functions: Relation = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="number",
        help_text="The numbers of the functions it may decide.",
    )
    terms_of_reference = serializers.SerializerMethodField(
        help_text="The approved terms of reference; null when none is approved."
    )
    composition = serializers.SerializerMethodField()

    class Meta:
        model = Committee
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "ccgs",
            "area_team",
            "reports_to",
            "functions",
            "terms_of_reference",
            "composition",
        ]
        read_only_fields = fields

    @extend_schema_field(TermsSummarySerializer(allow_null=True))
    def get_terms_of_reference(self, committee: Committee) -> dict[str, Any] | None:
        approved: list[TermsOfReference] = committee.approved_terms  # type: ignore[attr-defined]
        return TermsSummarySerializer(approved[0]).data if approved else None

    @extend_schema_field(CompositionSerializer)
    def get_composition(self, committee: Committee) -> dict[str, Any]:
        problems = _composition_problems(committee)
        return {"ok": not problems, "problems": problems}


def committees_for_api(today: dt.date) -> QuerySet[Committee]:
    """Every committee with what the serializer reads loaded: a page costs the same as one."""
    seats = (
        Membership.objects.filter(starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today))
        .select_related("person")
        .order_by("office", "person__full_name")
    )
    return (
        Committee.objects.select_related("area_team")
        .prefetch_related(
            "ccgs",
            "functions",
            Prefetch(
                "terms_of_reference",
                queryset=TermsOfReference.objects.filter(status=ToRStatus.APPROVED),
                to_attr="approved_terms",
            ),
            Prefetch("memberships", queryset=seats, to_attr="seats_today"),
        )
        .order_by("name", "pk")
    )


@extend_schema(tags=["Committees"])
@extend_schema_view(
    list=extend_schema(
        summary="List committees",
        description=(
            "Every committee, governing body and group, by name, with its approved terms of reference "
            "and whether today's members keep to them (and if not, why). Public governance information."
        ),
    ),
    retrieve=extend_schema(
        summary="One committee",
        responses={200: CommitteeSerializer, 404: OpenApiResponse(ApiErrorSerializer, "No such committee.")},
    ),
)
class CommitteeViewSet(
    PublicReadOnly, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Committee]
):
    """Committees with their reporting line, functions, terms of reference and composition."""

    serializer_class = CommitteeSerializer

    def get_queryset(self) -> QuerySet[Committee]:
        return committees_for_api(timezone.localdate())

    def get_object(self) -> Committee:
        pk = _pk_from(self.kwargs["pk"], "committee")
        committee = self.get_queryset().filter(pk=pk).first()
        if committee is None:
            raise exceptions.NotFound(f"No committee with id {pk}.")
        return committee


# --- Meetings ----------------------------------------------------------------------------------------


class AgendaItemSerializer(serializers.ModelSerializer[AgendaItem]):
    committee: Relation = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="The committee that takes the item (null for the opening items).",
    )
    ccg: Relation = serializers.SlugRelatedField(
        read_only=True, allow_null=True, slug_field="ods_code", help_text="The CCG's ODS code."
    )
    function: Relation = serializers.SlugRelatedField(
        read_only=True, allow_null=True, slug_field="number", help_text="The function's number."
    )
    decision = serializers.SerializerMethodField(help_text="The decision on the item, if you may see it.")

    class Meta:
        model = AgendaItem
        fields = [
            "number",
            "title",
            "reference",
            "session",
            "purpose",
            "committee",
            "ccg",
            "function",
            "decision",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_decision(self, item: AgendaItem) -> int | None:
        decisions: dict[int, int] = self.context.get("decisions", {})
        return decisions.get(item.pk)


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    """A meeting and the agenda items the caller may see, in order."""

    committees: Relation = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="The committees meeting (several when they meet in common)."
    )
    items = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = ["id", "title", "starts_at", "place", "committees", "items"]
        read_only_fields = fields

    @extend_schema_field(AgendaItemSerializer(many=True))
    def get_items(self, meeting: Meeting) -> list[dict[str, Any]]:
        items: list[AgendaItem] = meeting.seen_items  # type: ignore[attr-defined]
        return list(AgendaItemSerializer(items, many=True, context=self.context).data)


class MeetingQuerySerializer(serializers.Serializer[Any]):
    committee = CommitteeFilterField()


@extend_schema(tags=["Meetings"])
@extend_schema_view(
    list=extend_schema(
        summary="List meetings",
        description=(
            "Meetings, latest first, with the agenda items you may see: the public session's items for "
            "everyone; a logged-in member or officer also sees the private items of their committees."
        ),
        parameters=[MeetingQuerySerializer],
        responses={
            200: MeetingSerializer(many=True),
            400: OpenApiResponse(ListQueryErrorSerializer, "A filter is wrong; the body names it."),
        },
    ),
    retrieve=extend_schema(
        summary="One meeting",
        responses={200: MeetingSerializer, 404: OpenApiResponse(ApiErrorSerializer, "No such meeting.")},
    ),
)
class MeetingViewSet(
    SessionReadOnly,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Meeting],
):
    """Meetings with their committees and agenda."""

    serializer_class = MeetingSerializer

    def get_queryset(self) -> QuerySet[Meeting]:
        items = items_seen_by(self.audience).select_related("ccg", "function").order_by("number")
        return (
            meetings_seen_by(self.audience)
            .prefetch_related("committees", Prefetch("items", queryset=items, to_attr="seen_items"))
            .order_by("-starts_at", "-pk")
        )

    def _context(self, meetings: Sequence[Meeting]) -> dict[str, Any]:
        # One query for the decisions on the page's items, scoped as the decisions endpoint scopes them.
        decisions = dict(
            decisions_seen_by(self.audience)
            .filter(item__meeting__in=[m.pk for m in meetings])
            .values_list("item_id", "pk")
        )
        return {**self.get_serializer_context(), "decisions": decisions}

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        committee = _validated(MeetingQuerySerializer, request).get("committee")
        queryset = self.get_queryset()
        if committee is not None:
            queryset = queryset.filter(pk__in=Meeting.objects.filter(committees=committee).values("pk"))
        page = self.paginate_queryset(queryset)
        meetings = list(page if page is not None else queryset)
        data = MeetingSerializer(meetings, many=True, context=self._context(meetings)).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        pk = _pk_from(self.kwargs["pk"], "meeting")
        meeting = self.get_queryset().filter(pk=pk).first()
        if meeting is None:
            raise exceptions.NotFound(f"No meeting with id {pk}.")
        return Response(MeetingSerializer(meeting, context=self._context([meeting])).data)


# --- Decisions ---------------------------------------------------------------------------------------


class DecisionSerializer(serializers.ModelSerializer[Decision]):
    """A decision, its vote and approval, and where it was taken."""

    committee: Relation = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="The committee that decided."
    )
    ccg: Relation = serializers.SlugRelatedField(
        read_only=True, slug_field="ods_code", help_text="The CCG's ODS code."
    )
    function: Relation = serializers.SlugRelatedField(
        read_only=True, slug_field="number", help_text="The function's number."
    )
    outcome = serializers.SerializerMethodField(help_text="Null until the vote has closed.")
    virtual = serializers.BooleanField(
        read_only=True, help_text="Taken by chair's action between meetings, for ratification."
    )
    supersedes = serializers.SerializerMethodField(
        help_text="The decision this one replaced, if you may see it."
    )
    superseded_by = serializers.SerializerMethodField(
        help_text="The decision that replaced this one, if you may see it."
    )
    meeting = serializers.SerializerMethodField(
        help_text="The meeting it was taken at; null for chair's action."
    )
    item = serializers.SerializerMethodField(help_text="The number of its item on that meeting's agenda.")

    class Meta:
        model = Decision
        fields = [
            "id",
            "committee",
            "ccg",
            "function",
            "resolution",
            "decided_on",
            "status",
            "outcome",
            "vote_summary",
            "casting_vote_used",
            "virtual",
            "approved_at",
            "supersedes",
            "superseded_by",
            "meeting",
            "item",
        ]
        read_only_fields = fields

    def _seen(self, pk: int | None) -> int | None:
        visible: set[int] = self.context.get("visible_decisions", set())
        return pk if pk in visible else None

    @extend_schema_field(serializers.ChoiceField(choices=Outcome.choices, allow_null=True))
    def get_outcome(self, decision: Decision) -> str | None:
        return decision.outcome or None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_supersedes(self, decision: Decision) -> int | None:
        return self._seen(decision.supersedes_id)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_superseded_by(self, decision: Decision) -> int | None:
        return self._seen(decision.successor_id)  # type: ignore[attr-defined]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_meeting(self, decision: Decision) -> int | None:
        return decision.item.meeting_id if decision.item is not None else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_item(self, decision: Decision) -> int | None:
        return decision.item.number if decision.item is not None else None


class DecisionQuerySerializer(serializers.Serializer[Any]):
    committee = CommitteeFilterField()
    ccg = serializers.CharField(
        required=False, max_length=10, help_text="Only those for this CCG (its ODS code, any case)."
    )

    def validate_ccg(self, value: str) -> str:
        ccg = CCG.objects.filter(ods_code__iexact=value).first()
        if ccg is None:
            raise serializers.ValidationError(f"No CCG with ODS code '{value}'.")
        return ccg.ods_code


@extend_schema(tags=["Decisions"])
@extend_schema_view(
    list=extend_schema(
        summary="List decisions",
        description=(
            "Decisions, latest first. Everyone sees approved decisions taken in a public session (and "
            "chair's actions of committees that meet in public); a logged-in member or officer also sees "
            "their committees' private and not yet approved decisions."
        ),
        parameters=[DecisionQuerySerializer],
        responses={
            200: DecisionSerializer(many=True),
            400: OpenApiResponse(ListQueryErrorSerializer, "A filter is wrong; the body names it."),
        },
    ),
    retrieve=extend_schema(
        summary="One decision",
        responses={200: DecisionSerializer, 404: OpenApiResponse(ApiErrorSerializer, "No such decision.")},
    ),
)
class DecisionViewSet(
    SessionReadOnly,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Decision],
):
    """Decisions with their vote, approval and what superseded them."""

    serializer_class = DecisionSerializer

    def get_queryset(self) -> QuerySet[Decision]:
        return (
            decisions_seen_by(self.audience)
            .select_related("ccg", "function", "item")
            .annotate(successor_id=F("superseded_by__id"))
            .order_by("-decided_on", "-pk")
        )

    def _context(self, decisions: Sequence[Decision]) -> dict[str, Any]:
        # Links to other decisions are shown only where the caller could follow them.
        linked = {
            pk
            for d in decisions
            for pk in (d.supersedes_id, d.successor_id)  # type: ignore[attr-defined]
            if pk is not None
        }
        visible = (
            set(decisions_seen_by(self.audience).filter(pk__in=linked).values_list("pk", flat=True))
            if linked
            else set()
        )
        return {**self.get_serializer_context(), "visible_decisions": visible}

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = _validated(DecisionQuerySerializer, request)
        queryset = self.get_queryset()
        if query.get("committee") is not None:
            queryset = queryset.filter(committee_id=query["committee"])
        if query.get("ccg"):
            queryset = queryset.filter(ccg__ods_code=query["ccg"])
        page = self.paginate_queryset(queryset)
        decisions = list(page if page is not None else queryset)
        data = DecisionSerializer(decisions, many=True, context=self._context(decisions)).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        pk = _pk_from(self.kwargs["pk"], "decision")
        decision = self.get_queryset().filter(pk=pk).first()
        if decision is None:
            raise exceptions.NotFound(f"No decision with id {pk}.")
        return Response(DecisionSerializer(decision, context=self._context([decision])).data)


router = SimpleRouter()
router.register("committees", CommitteeViewSet, basename="api-committee")
router.register("meetings", MeetingViewSet, basename="api-meeting")
router.register("decisions", DecisionViewSet, basename="api-decision")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
