"""Request and response handling every page and the API share: Permissions-Policy, session limits."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase

# Session keys: when the session was first seen logged in, and when it last made a request.
STARTED = "cocomm_session_started"
LAST_SEEN = "cocomm_session_last_seen"
# The last-seen time is written at most this often, so reading pages does not save the session on
# every request; the idle limit is therefore honoured to within this many seconds.
TOUCH_EVERY_SECONDS = 60


def start_session_clock(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """On log-in (a `user_logged_in` receiver): both limits count from now.

    Done here, where the session is being saved anyway, so the first page after log-in does not
    save it again.
    """
    session = getattr(request, "session", None)
    if session is not None:
        session[STARTED] = session[LAST_SEEN] = time.time()


class PermissionsPolicyMiddleware:
    """Tells the browser that no page of cocomm may use the camera, microphone, location, payment…"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_FEATURES)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


class SessionTimeoutMiddleware:
    """Logs out a session left idle too long, or open too long since log-in, and says why.

    A page request then goes to the log-in page (which brings the user back afterwards); an API
    request simply carries on as an anonymous one, which the API answers as it answers anyone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.user.is_authenticated:
            expired = self._expired(request)
            if expired is not None:
                logout(request)
                if not request.path.startswith("/api/"):
                    messages.info(request, expired)
                    return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    @staticmethod
    def _expired(request: HttpRequest) -> str | None:
        """Why the session has expired, or None (and the session marked as used now)."""
        now = time.time()
        session = request.session
        started = session.get(STARTED)
        last_seen = session.get(LAST_SEEN)
        if not isinstance(started, int | float) or not isinstance(last_seen, int | float):
            # Logged in just now (or before these limits existed): the clocks start here.
            session[STARTED] = session[LAST_SEEN] = now
            return None
        idle_limit = settings.SESSION_IDLE_MINUTES * 60
        absolute_limit = settings.SESSION_ABSOLUTE_HOURS * 3600
        if now - started >= absolute_limit:
            hours = settings.SESSION_ABSOLUTE_HOURS
            return (
                f"You have been logged out because you logged in more than {hours} "
                f"hour{'s' if hours != 1 else ''} ago. Log in again to carry on; anything you were "
                "saving was not saved."
            )
        if now - last_seen >= idle_limit:
            minutes = settings.SESSION_IDLE_MINUTES
            return (
                f"You have been logged out after {minutes} minute{'s' if minutes != 1 else ''} without "
                "activity. Log in again to carry on; anything you were saving was not saved."
            )
        if now - last_seen >= TOUCH_EVERY_SECONDS:
            session[LAST_SEEN] = now
        return None
