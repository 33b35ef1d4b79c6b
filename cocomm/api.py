"""Shared pieces of the JSON API."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with every error answering as JSON that says what went wrong."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "Not found.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or "You may not do that.")
    return drf_exception_handler(exc, context)


class PublicReadOnly(APIView):
    """Public reference data: no login and no session lookup, so every caller sees the same answer."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
