"""The assurance pages, mounted at /assurance/ by `cocomm.urls`."""

from django.urls import URLPattern, URLResolver, path

from assurance import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.pack_overview, name="pack-overview"),
    path("ccgs/<str:ods_code>/", views.pack_list, name="pack-list"),
    path("packs/<int:pk>/", views.pack_detail, name="pack-detail"),
    path("packs/<int:pk>/download/", views.pack_download, name="pack-download"),
    path("packs/<int:pk>/retry/", views.pack_retry, name="pack-retry"),
]
