"""The decisions endpoint: decisions, their vote and approval, and what superseded them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import F, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from cocomm.api import ApiErrorSerializer
from cocomm.models import CCG
from committees.api.audience import SessionReadOnly, decisions_seen_by
from committees.api.shared import (
    CommitteeFilterField,
    ListQueryErrorSerializer,
    Relation,
    _pk_from,
    _validated,
)
from committees.choices import Outcome
from committees.models import Decision


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
        help_text="The decision that replaces this one, if you may see it: the status says superseded once "
        "the chair has approved it; until then this decision stands."
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
