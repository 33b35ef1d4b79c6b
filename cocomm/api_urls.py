"""URL map of the public JSON API, mounted under /api/ by `cocomm.urls`.

The apps' API modules are included by dotted path, not imported: the core sits at the bottom
of the layers and must not import the apps above it (the import-linter contract).
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/", include("functions.api")),
    path("v1/", include("delegation.api")),
    path("v1/", include("committees.api")),
    path("v1/", include("conflicts.api")),
    path("v1/", include("assurance.api")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves the page's start-up script as a file of its own (`?script`), so the
    # Content-Security-Policy needs no inline script.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="cocomm/api_docs.html"),
        name="api-docs",
    ),
]
