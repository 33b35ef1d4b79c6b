"""URL map of cocomm: the one place (with settings) that names every app."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("cocomm.api_urls")),
    path("ccgs/", include("delegation.urls")),
    path("functions/", include("functions.urls")),
    path("", include("cocomm.web_urls")),
]
