"""The meetings endpoint: meetings and the agenda items the caller may see."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from cocomm.api import ApiErrorSerializer
from committees.api.audience import SessionReadOnly, decisions_seen_by, items_seen_by, meetings_seen_by
from committees.api.shared import (
    CommitteeFilterField,
    ListQueryErrorSerializer,
    Relation,
    _pk_from,
    _validated,
)
from committees.models import AgendaItem, Meeting


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
