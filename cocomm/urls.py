"""URL map of cocomm: the one place (with settings) that names every app."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("cocomm.api_urls")),
    path("ccgs/", include("delegation.urls")),
    path("functions/", include("functions.urls")),
    path("committees/", include("committees.urls")),
    path("conflicts/", include("conflicts.urls")),
    path("assurance/", include("assurance.urls")),
    # Published registers: open to the public, no login.
    path("public/", include("conflicts.public_urls")),
    path("", include("cocomm.web_urls")),
]

# Errors answer JSON under /api/ and a page elsewhere; a fault is 503 if the database is away.
handler400 = "cocomm.errors.bad_request"
handler403 = "cocomm.errors.permission_denied"
handler404 = "cocomm.errors.page_not_found"
handler500 = "cocomm.errors.server_error"
