"""The functions and decision-rights pages, mounted at /functions/ by `cocomm.urls`."""

from django.urls import URLPattern, URLResolver, path

from functions import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.function_list, name="function-list"),
    path("matrix/<slug:scheme_code>/", views.matrix_detail, name="matrix-detail"),
    path("matrix/<slug:scheme_code>/history/", views.matrix_history, name="matrix-history"),
    path("rights/<int:pk>/edit/", views.decision_right_edit, name="decision-right-edit"),
]
