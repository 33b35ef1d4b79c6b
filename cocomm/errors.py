"""What errors outside a view answer: JSON under /api/, a page elsewhere; 503 when the database is away.

Django calls `server_error` (the project's handler500) from inside its `except` block, so the fault
being handled is `sys.exc_info()`. Faults inside an API view are answered by DRF through
`cocomm.api.exception_handler`; this handler catches the rest, such as a session that cannot be
read or saved by middleware while the database is down.
"""

from __future__ import annotations

import sys

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

from cocomm.api import DATABASE_UNAVAILABLE, RETRY_AFTER_SECONDS, is_database_unavailable

API_PREFIX = "/api/"
SERVER_ERROR = "Sorry, there is a problem with the service. Try again later."


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """An unknown address under /api/ answers like an unknown record, not with the HTML page."""
    if _is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": "Bad request."}, status=400)
    return defaults.bad_request(request, exception)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": str(exception) or "You may not do that."}, status=403)
    return defaults.permission_denied(request, exception)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    fault = sys.exc_info()[1]
    unavailable = fault is not None and is_database_unavailable(fault)
    status = 503 if unavailable else 500
    response: HttpResponse
    if _is_api(request):
        response = JsonResponse(
            {"detail": DATABASE_UNAVAILABLE if unavailable else SERVER_ERROR}, status=status
        )
    else:
        # Rendered without the request's context: its processors may need the database or the session.
        template = loader.get_template("503.html" if unavailable else "500.html")
        response = HttpResponse(template.render(), status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
