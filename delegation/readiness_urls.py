"""Readiness assessments and shared teams: pages under /ccgs/."""

from django.urls import URLPattern, URLResolver, path

from delegation import readiness_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    # Two segments: the CCG page's "<ods_code>/" matches one only, so it cannot take this page for
    # a CCG called "shared-teams" (the tests check the address resolves here).
    path("shared-teams/<int:pk>/", views.shared_team_detail, name="shared-team-detail"),
    path("<str:ods_code>/readiness/", views.ccg_readiness, name="ccg-readiness"),
    path("<str:ods_code>/readiness/history/", views.readiness_history, name="readiness-history"),
    path(
        "<str:ods_code>/readiness/functions/<int:number>/",
        views.readiness_record,
        name="readiness-record",
    ),
    path(
        "<str:ods_code>/readiness/functions/<int:number>/actions/new/",
        views.readiness_action_add,
        name="readiness-action-add",
    ),
    path(
        "<str:ods_code>/readiness/actions/<int:pk>/done/",
        views.readiness_action_done,
        name="readiness-action-done",
    ),
]
