"""Public JSON API for CCGs, their levels over time, and who decides a function on a date.

Like `functions.api`, this module doubles as a URLconf that `cocomm.api_urls` includes by path.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, generics, mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cocomm.api import ApiErrorSerializer, PublicReadOnly
from cocomm.models import CCG, AreaTeam
from delegation.models import LevelAssignment
from delegation.rules import DECIDED_BY_LABELS, MatrixCellMissing
from delegation.selectors import ccgs_with_levels, level_history, level_on, routing_for, scheme_of, scheme_on
from functions.choices import Right
from functions.models import FUNCTION_COUNT
from functions.selectors import functions_all

ISO_DATE = "%Y-%m-%d"
NO_CCG_RESPONSE = "No CCG has that ODS code."


def no_ccg(ods_code: str) -> exceptions.NotFound:
    return exceptions.NotFound(f"No CCG with ODS code '{ods_code}'.")


def ccg_by_ods_code(ods_code: str) -> CCG:
    """The CCG with this ODS code, ignoring case (people type 01k as often as 01K), levels loaded."""
    ccg = ccgs_with_levels().filter(ods_code__iexact=ods_code).first()
    if ccg is None:
        raise no_ccg(ods_code)
    return ccg


class RoutingQueryErrorSerializer(serializers.Serializer[Any]):
    """The body of a 400 from routing: each wrong parameter with what is wrong with it."""

    ccg = serializers.ListField(child=serializers.CharField(), required=False)
    function = serializers.ListField(child=serializers.CharField(), required=False)
    on = serializers.ListField(child=serializers.CharField(), required=False)


# --- CCGs ---------------------------------------------------------------------------------------


class AreaTeamSummarySerializer(serializers.ModelSerializer[AreaTeam]):
    class Meta:
        model = AreaTeam
        fields = ["ods_code", "name"]
        read_only_fields = fields


class LevelSummarySerializer(serializers.Serializer[Any]):
    """The level of a level assignment, as a number and a name."""

    number = serializers.IntegerField(source="level.number")
    name = serializers.CharField(source="level.name")


class LevelHistoryEntrySerializer(serializers.ModelSerializer[LevelAssignment]):
    level = serializers.IntegerField(source="level.number", help_text="The level's number in the scheme.")
    level_name = serializers.CharField(source="level.name")

    class Meta:
        model = LevelAssignment
        fields = ["level", "level_name", "effective_from"]
        read_only_fields = fields


class CCGSerializer(serializers.ModelSerializer[CCG]):
    """A CCG with its scheme, its level today and every level it has held.

    Reads only what `with_levels` has loaded, so a page of CCGs costs the same queries as one.
    """

    area_team = AreaTeamSummarySerializer(read_only=True)
    scheme = serializers.SerializerMethodField(help_text="The code of the area team's level scheme.")
    current_level = serializers.SerializerMethodField(help_text="The level in force today, if any.")
    level_history = serializers.SerializerMethodField(help_text="Every level the CCG has held, oldest first.")

    class Meta:
        model = CCG
        fields = [
            "ods_code",
            "name",
            "area_team",
            "scheme",
            "current_level",
            "weighted_population",
            "level_history",
        ]
        read_only_fields = fields

    def _today(self) -> dt.date:
        # The view fixes "today" once per request so every CCG on a page is judged on the same date.
        today: dt.date | None = self.context.get("today")
        return today if today is not None else timezone.localdate()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_scheme(self, ccg: CCG) -> str | None:
        scheme = scheme_of(ccg)
        return scheme.code if scheme is not None else None

    @extend_schema_field(LevelSummarySerializer(allow_null=True))
    def get_current_level(self, ccg: CCG) -> dict[str, Any] | None:
        assignment = level_on(ccg, self._today())
        return LevelSummarySerializer(assignment).data if assignment is not None else None

    @extend_schema_field(LevelHistoryEntrySerializer(many=True))
    def get_level_history(self, ccg: CCG) -> list[dict[str, Any]]:
        return list(LevelHistoryEntrySerializer(level_history(ccg), many=True).data)


@extend_schema(tags=["CCGs"])
@extend_schema_view(
    list=extend_schema(summary="List CCGs", description="Every CCG, by name, a page at a time."),
    retrieve=extend_schema(
        summary="One CCG",
        description="One CCG, found by its ODS code in any case (01k finds 01K).",
        parameters=[OpenApiParameter("ods_code", str, OpenApiParameter.PATH, description="Such as 01K.")],
        responses={200: CCGSerializer, 404: OpenApiResponse(ApiErrorSerializer, NO_CCG_RESPONSE)},
    ),
)
class CCGViewSet(
    PublicReadOnly, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[CCG]
):
    """CCGs with their area team, scheme, level today and every level they have held."""

    serializer_class = CCGSerializer
    lookup_field = "ods_code"

    def get_queryset(self) -> QuerySet[CCG]:
        return ccgs_with_levels()

    def get_object(self) -> CCG:
        ccg = ccg_by_ods_code(self.kwargs[self.lookup_field])
        self.check_object_permissions(self.request, ccg)
        return ccg

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": timezone.localdate()}


# --- Routing ------------------------------------------------------------------------------------

FUNCTION_MESSAGE = f"Function must be a whole number from 1 to {FUNCTION_COUNT}."


class RoutingQuerySerializer(serializers.Serializer[Any]):
    """The question: which CCG, which function, on which date."""

    ccg = serializers.CharField(max_length=10, help_text="The CCG's ODS code, such as 01K (any case).")
    function = serializers.IntegerField(
        min_value=1,
        max_value=FUNCTION_COUNT,
        help_text=f"The function's number, 1 to {FUNCTION_COUNT}.",
        # One message for every way of getting it wrong, so callers see the rule rather than a parse error.
        error_messages={
            "required": FUNCTION_MESSAGE,
            "null": FUNCTION_MESSAGE,
            "invalid": FUNCTION_MESSAGE,
            "min_value": FUNCTION_MESSAGE,
            "max_value": FUNCTION_MESSAGE,
            "max_string_length": FUNCTION_MESSAGE,
        },
    )
    on = serializers.DateField(
        required=False,
        input_formats=[ISO_DATE],
        help_text="The date to answer for, YYYY-MM-DD; today when left out.",
        error_messages={"invalid": "Date must be a real date in the form YYYY-MM-DD."},
    )


class RoutingSerializer(serializers.Serializer[Any]):
    """The answer: the level in force, the right it gives, and who decides."""

    ccg = serializers.CharField(help_text="The CCG's ODS code.")
    function = serializers.IntegerField()
    on = serializers.DateField()
    scheme = serializers.CharField(
        allow_null=True,
        help_text="The code of the scheme the level in force was granted under; before any level, the "
        "area team's scheme.",
    )
    level = serializers.IntegerField(allow_null=True, help_text="The level in force; null before any level.")
    right = serializers.ChoiceField(choices=Right.choices)
    decided_by = serializers.ChoiceField(
        choices=[(str(key), label) for key, label in DECIDED_BY_LABELS.items()]
    )
    nhse_casting_vote = serializers.BooleanField(help_text="NHS England holds the casting vote.")
    nhse_veto = serializers.BooleanField(help_text="NHS England may veto the decision.")


class MatrixIncomplete(exceptions.APIException):
    """The CCG holds a level for which the decision-rights matrix has no cell for this function.

    That is a gap in the reference data rather than a fault in the request or the code, so it is
    reported as a conflict with the stored data, naming what is missing, instead of a bare 500.
    """

    status_code = status.HTTP_409_CONFLICT
    default_code = "matrix_incomplete"


class RoutingView(PublicReadOnly, generics.GenericAPIView[Any]):
    """Who decides a function for a CCG on a date, under the CCG's level then."""

    serializer_class = RoutingSerializer

    @extend_schema(
        tags=["Routing"],
        summary="Who decides",
        description=(
            "Who decides a function for a CCG on a date: the level the CCG held that day (in the scheme "
            "it was granted under), the right the decision-rights matrix gave that level as it stood that "
            "day, and the body that decides. Before the CCG held any level, NHS England decides alone "
            "(level null). Later changes to the matrix or to the area team's scheme do not change the "
            "answer for an earlier date."
        ),
        parameters=[RoutingQuerySerializer],
        responses={
            200: RoutingSerializer,
            400: OpenApiResponse(
                RoutingQueryErrorSerializer, "A parameter is missing or wrong; the body names it."
            ),
            404: OpenApiResponse(ApiErrorSerializer, NO_CCG_RESPONSE),
            409: OpenApiResponse(
                ApiErrorSerializer,
                "The decision-rights matrix lacked the cell needed; the message names the function, the "
                "level and the scheme.",
            ),
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = RoutingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        ods_code: str = query.validated_data["ccg"]
        number: int = query.validated_data["function"]
        on: dt.date = query.validated_data.get("on") or timezone.localdate()

        ccg = ccg_by_ods_code(ods_code)
        function = functions_all().filter(number=number).first()
        if function is None:
            raise exceptions.NotFound(f"No function numbered {number} is recorded.")
        try:
            routing = routing_for(ccg, function, on)
        except MatrixCellMissing as error:
            raise MatrixIncomplete(
                f"Cannot route function {number} for {ccg.ods_code} on {on}: {error}"
            ) from error

        scheme = scheme_on(ccg, on)
        answer = {
            "ccg": ccg.ods_code,
            "function": function.number,
            "on": on,
            "scheme": scheme.code if scheme is not None else None,
            "level": routing.level,
            "right": routing.right,
            "decided_by": routing.decided_by,
            "nhse_casting_vote": routing.nhse_casting_vote,
            "nhse_veto": routing.nhse_veto,
        }
        return Response(self.get_serializer(answer).data)


router = SimpleRouter()
router.register("ccgs", CCGViewSet, basename="api-ccg")

urlpatterns: list[URLPattern | URLResolver] = [
    *router.urls,
    path("routing/", RoutingView.as_view(), name="api-routing"),
]
