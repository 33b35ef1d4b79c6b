"""URL map of cocomm: the one place (with settings) that names every app."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
]
