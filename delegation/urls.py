"""The CCG pages, mounted at /ccgs/ by `cocomm.urls`."""

from django.urls import URLPattern, URLResolver, include, path

from cocomm import views as core_views
from delegation import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.ccg_list, name="ccg-list"),
    path("<str:ods_code>/", views.ccg_detail, name="ccg-detail"),
    # Editing a CCG's profile touches only the core records, so its view lives in the core.
    path("<str:ods_code>/edit/", core_views.ccg_edit, name="ccg-edit"),
    path("<str:ods_code>/levels/new/", views.level_record, name="ccg-level-record"),
    path("<str:ods_code>/history/", views.ccg_history, name="ccg-history"),
    path("", include("delegation.application_urls")),
    path("", include("delegation.readiness_urls")),
]
