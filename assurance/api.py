"""JSON API for assurance packs: metadata, the review inside each pack, and the PDF itself.

Packs are not public: the API answers for the logged-in session (the web app's own) and shows only
the packs the caller may see (`selectors.packs_visible_to`). An anonymous caller gets 403; a pack
the caller may not see answers 404 exactly as a missing one.

Like the other apps' API modules, the module doubles as a URLconf that `cocomm.api_urls` includes.
"""

from __future__ import annotations

import json
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.urls import URLPattern, URLResolver, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, renderers, serializers, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.routers import SimpleRouter

from assurance.models import AssurancePack, PackReview, PackStatus, ReviewOutcome
from assurance.selectors import packs_visible_to
from cocomm.api import ApiErrorSerializer, CCGFilterField


class PDFRenderer(renderers.BaseRenderer):
    """Lets a caller ask for `application/pdf`; errors still come as JSON text."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        return data if isinstance(data, bytes) else json.dumps(data).encode()


class PackReviewSerializer(serializers.ModelSerializer[PackReview]):
    reviewer = serializers.StringRelatedField(help_text="The NHS England reviewer.")  # type: ignore[var-annotated]
    responded_by = serializers.StringRelatedField(  # type: ignore[var-annotated]
        allow_null=True, help_text="The CCG's governance officer who responded."
    )

    class Meta:
        model = PackReview
        fields = [
            "outcome",
            "comments",
            "actions",
            "reviewed_on",
            "reviewer",
            "response",
            "responded_by",
            "responded_on",
        ]
        read_only_fields = fields


class AssurancePackSerializer(serializers.ModelSerializer[AssurancePack]):
    ccg = serializers.SlugRelatedField(read_only=True, slug_field="ods_code", help_text="The CCG's ODS code.")  # type: ignore[var-annotated]
    contents = serializers.DictField(
        child=serializers.IntegerField(), read_only=True, help_text="Counts per section of the pack."
    )
    review = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField()

    class Meta:
        model = AssurancePack
        fields = [
            "id",
            "ccg",
            "period_start",
            "period_end",
            "version",
            "status",
            "data_as_of",
            "sha256",
            "content_sha256",
            "page_count",
            "error",
            "contents",
            "created_at",
            "finished_at",
            "review",
            "download",
        ]
        read_only_fields = fields

    @extend_schema_field(PackReviewSerializer(allow_null=True))
    def get_review(self, pack: AssurancePack) -> dict[str, Any] | None:
        review = getattr(pack, "review", None)
        return dict(PackReviewSerializer(review).data) if review is not None else None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download(self, pack: AssurancePack) -> str | None:
        if pack.status != PackStatus.READY:
            return None
        request = self.context.get("request")
        path = reverse("api-assurance-pack-download", args=[pack.pk])
        return request.build_absolute_uri(path) if request is not None else path


class PackQuerySerializer(serializers.Serializer[Any]):
    ccg = CCGFilterField(help_text="Only this CCG's packs, by ODS code (any case).")


class PackQueryErrorSerializer(serializers.Serializer[Any]):
    """The body of a 400 from the packs list: the wrong filter with what is wrong with it."""

    ccg = serializers.ListField(child=serializers.CharField(), required=False)


PACK_NOT_FOUND = OpenApiResponse(ApiErrorSerializer, "No such assurance pack (or not one you may see).")
NOT_LOGGED_IN = OpenApiResponse(ApiErrorSerializer, "Not logged in.")


@extend_schema(tags=["Assurance packs"])
@extend_schema_view(
    list=extend_schema(
        summary="List assurance packs",
        description=(
            "The packs you may see, latest period and version first: administrators all, governance "
            "officers their CCG's, NHS England reviewers their area team's CCGs'. Needs a logged-in session."
        ),
        parameters=[PackQuerySerializer],
        responses={
            200: AssurancePackSerializer(many=True),
            400: OpenApiResponse(PackQueryErrorSerializer, "An unknown CCG; the body names it."),
            403: NOT_LOGGED_IN,
        },
    ),
    retrieve=extend_schema(
        summary="One assurance pack, with its review",
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="The pack's id.")],
        responses={200: AssurancePackSerializer, 403: NOT_LOGGED_IN, 404: PACK_NOT_FOUND},
    ),
)
class AssurancePackViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[AssurancePack]
):
    """Assurance packs' metadata; the PDF at `download/`."""

    authentication_classes = (SessionAuthentication,)
    permission_classes = (IsAuthenticated,)
    serializer_class = AssurancePackSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[AssurancePack]:
        packs = packs_visible_to(self.request.user).select_related("review__reviewer", "review__responded_by")
        if self.action == "list":
            query = PackQuerySerializer(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            if ccg := query.validated_data.get("ccg"):
                packs = packs.filter(ccg__ods_code=ccg)
        return packs.order_by("ccg__name", "-period_end", "-period_start", "-version", "pk")

    def get_object(self) -> AssurancePack:
        pack = self.get_queryset().filter(pk=int(self.kwargs["pk"])).first()
        if pack is None:
            raise exceptions.NotFound("No such assurance pack.")
        return pack

    @extend_schema(
        summary="Download an assurance pack's PDF",
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="The pack's id.")],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, "The PDF."),
            403: NOT_LOGGED_IN,
            404: PACK_NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[renderers.JSONRenderer, PDFRenderer])
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        pack = self.get_object()
        if pack.status != PackStatus.READY:
            raise exceptions.NotFound("The pack is not ready.")
        name = pack.file.name.rsplit("/", 1)[-1]
        return FileResponse(pack.file.open("rb"), content_type="application/pdf", filename=name)


class ReviewListSerializer(PackReviewSerializer):
    pack = serializers.PrimaryKeyRelatedField(read_only=True, help_text="The reviewed pack's id.")  # type: ignore[var-annotated]
    ccg = serializers.CharField(source="pack.ccg.ods_code", read_only=True, help_text="The CCG's ODS code.")
    period_start = serializers.DateField(source="pack.period_start", read_only=True)
    period_end = serializers.DateField(source="pack.period_end", read_only=True)
    version = serializers.IntegerField(source="pack.version", read_only=True)

    class Meta(PackReviewSerializer.Meta):
        fields = ["pack", "ccg", "period_start", "period_end", "version", *PackReviewSerializer.Meta.fields]
        read_only_fields = fields


class ReviewQuerySerializer(serializers.Serializer[Any]):
    ccg = CCGFilterField(help_text="Only this CCG's reviews, by ODS code (any case).")
    outcome = serializers.ChoiceField(
        choices=ReviewOutcome.choices, required=False, help_text="Only reviews with this outcome."
    )


class ReviewQueryErrorSerializer(serializers.Serializer[Any]):
    """The body of a 400 from the reviews list: each wrong filter with what is wrong with it."""

    ccg = serializers.ListField(child=serializers.CharField(), required=False)
    outcome = serializers.ListField(child=serializers.CharField(), required=False)


@extend_schema(tags=["Assurance packs"])
@extend_schema_view(
    list=extend_schema(
        summary="List NHS England's reviews of assurance packs",
        description=(
            "The reviews of the packs you may see, newest first, with the CCG's response. "
            "Needs a logged-in session."
        ),
        parameters=[ReviewQuerySerializer],
        responses={
            200: ReviewListSerializer(many=True),
            400: OpenApiResponse(ReviewQueryErrorSerializer, "An unknown CCG or outcome; the body names it."),
            403: NOT_LOGGED_IN,
        },
    ),
)
class PackReviewViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[PackReview]):
    """Reviews of the packs the caller may see, for an area team's overview."""

    authentication_classes = (SessionAuthentication,)
    permission_classes = (IsAuthenticated,)
    serializer_class = ReviewListSerializer

    def get_queryset(self) -> QuerySet[PackReview]:
        query = ReviewQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        reviews = PackReview.objects.filter(pack__in=packs_visible_to(self.request.user)).select_related(
            "pack__ccg", "reviewer", "responded_by"
        )
        if ccg := query.validated_data.get("ccg"):
            reviews = reviews.filter(pack__ccg__ods_code=ccg)
        if outcome := query.validated_data.get("outcome"):
            reviews = reviews.filter(outcome=outcome)
        return reviews.order_by("-reviewed_on", "-pk")


router = SimpleRouter()
router.register("assurance-packs", AssurancePackViewSet, basename="api-assurance-pack")
router.register("assurance-reviews", PackReviewViewSet, basename="api-assurance-review")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
