"""Public JSON API for the reference data: the 14 functions and the levels of each scheme.

Anyone may read it (it is published reference data), so no login is asked for. The module also
serves as a URLconf: `cocomm.api_urls` includes it by dotted path, which keeps the core package
from importing the apps above it.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import URLPattern, URLResolver
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.routers import SimpleRouter

from cocomm.api import PublicReadOnly
from functions.models import Function, Level
from functions.selectors import functions_all, levels_all


class FunctionSerializer(serializers.ModelSerializer[Function]):
    class Meta:
        model = Function
        fields = ["number", "name", "description"]
        read_only_fields = fields


class LevelSerializer(serializers.ModelSerializer[Level]):
    scheme = serializers.CharField(source="scheme.code", read_only=True, help_text="The level scheme's code.")

    class Meta:
        model = Level
        fields = ["scheme", "number", "name"]
        read_only_fields = fields


@extend_schema(tags=["Reference data"])
@extend_schema_view(list=extend_schema(summary="List the 14 functions"))
class FunctionViewSet(PublicReadOnly, mixins.ListModelMixin, viewsets.GenericViewSet[Function]):
    """The 14 primary care functions a CCG may take on, by number."""

    serializer_class = FunctionSerializer

    def get_queryset(self) -> QuerySet[Function]:
        return functions_all()


@extend_schema(tags=["Reference data"])
@extend_schema_view(list=extend_schema(summary="List the levels of every scheme"))
class LevelViewSet(PublicReadOnly, mixins.ListModelMixin, viewsets.GenericViewSet[Level]):
    """The levels of every scheme (national 1-3, Greater Manchester 1-4)."""

    serializer_class = LevelSerializer

    def get_queryset(self) -> QuerySet[Level]:
        return levels_all()


router = SimpleRouter()
router.register("functions", FunctionViewSet, basename="api-function")
router.register("levels", LevelViewSet, basename="api-level")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
