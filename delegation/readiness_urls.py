"""Readiness assessments and shared teams: pages under /ccgs/."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
