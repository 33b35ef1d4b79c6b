"""URL map of the public JSON API, mounted under /api/ by `cocomm.urls`.

The apps' API modules are included by dotted path, not imported: the core sits at the bottom
of the layers and must not import the apps above it (the import-linter contract).
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/", include("functions.api")),
    path("v1/", include("delegation.api")),
    path("v1/", include("committees.api")),
    path("v1/", include("conflicts.api")),
    path("v1/", include("assurance.api")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
