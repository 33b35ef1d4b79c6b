"""What the conflicts pages share: the not-found answer, breadcrumbs, the form page, the keeper's CCG."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from cocomm.models import CCG
from cocomm.selectors import ccg_get
from cocomm.views import AuthenticatedRequest
from conflicts import permissions

NOT_FOUND = "No such page."


def _not_found() -> Http404:
    # Someone who may see a record but not act on it gets the same answer as for a missing page.
    return Http404(NOT_FOUND)


def _home() -> tuple[str, str]:
    return ("Home", reverse("home"))


def _register_crumbs(ccg: CCG) -> list[tuple[str, str]]:
    return [
        _home(),
        ("CCGs", reverse("ccg-list")),
        (ccg.name, reverse("ccg-detail", args=[ccg.ods_code])),
        ("Registers", reverse("register-detail", args=[ccg.ods_code])),
    ]


def _register_url(ccg: CCG, anchor: str = "") -> str:
    return reverse("register-detail", args=[ccg.ods_code]) + (f"#{anchor}" if anchor else "")


def _mine_crumbs() -> list[tuple[str, str]]:
    return [_home(), ("My declarations", reverse("my-declarations"))]


def _form_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, "conflicts/form_page.html", context)


def _keeper_ccg(request: AuthenticatedRequest, ods_code: str) -> CCG:
    """A CCG whose registers the user keeps; for anyone else, a 404."""
    ccg = ccg_get(request.user, ods_code)
    if not permissions.can_keep_registers(request.user, ccg):
        raise _not_found()
    return ccg
