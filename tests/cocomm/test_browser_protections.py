"""What every response tells the browser (CSP without inline script, Permissions-Policy), the
templates that make that policy hold, and the idle and absolute limits on a logged-in session."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from cocomm.models import CCG, RoleKind, User

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
# Rendered only into PDFs by WeasyPrint, never served to a browser, so the CSP does not apply.
PDF_ONLY = {"pdf", "assurance/pack_sections.html", "assurance/includes/bars.html"}
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


# --- Content-Security-Policy and Permissions-Policy -----------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/login/", "/public/ccgs/", "/api/v1/functions/", "/api/docs/", "/nowhere/"])
def test_every_response_carries_a_policy_without_inline_script(url: str) -> None:
    response = Client().get(url)

    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert not any("unsafe" in value for values in policy.values() for value in values)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/login/", "/api/v1/functions/"])
def test_every_response_switches_off_the_browser_features_cocomm_never_uses(url: str) -> None:
    header = Client().get(url)["Permissions-Policy"]

    features = dict(item.strip().split("=") for item in header.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"
    assert set(features.values()) == {"()"}


def served_templates() -> list[Path]:
    paths = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        relative = path.relative_to(TEMPLATES).as_posix()
        if relative.split("/")[0] in PDF_ONLY or relative in PDF_ONLY:
            continue
        paths.append(path)
    return paths


@pytest.mark.parametrize("path", served_templates(), ids=lambda p: p.relative_to(TEMPLATES).as_posix())
def test_no_page_template_has_inline_script_handlers_or_styles(path: Path) -> None:
    html = path.read_text()

    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == [], "inline <script>"
    assert re.findall(r"\son[a-z]+\s*=", html) == [], "inline event handler"
    assert re.findall(r"javascript:", html, re.IGNORECASE) == [], "javascript: URL"
    assert "<style" not in html, "inline <style>"
    assert re.findall(r"\sstyle\s*=", html) == [], "inline style attribute"


@pytest.mark.django_db
def test_the_page_template_loads_its_scripts_from_files() -> None:
    html = Client().get("/login/").content.decode()

    assert '<script src="/static/cocomm/js-enabled.js"></script>' in html
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []


# --- idle and absolute session limits -------------------------------------------------------------


@pytest.fixture
def officer(make_user: Callable[..., User], level2_ccg: CCG) -> User:
    return make_user(RoleKind.GOVERNANCE_OFFICER, ccg=level2_ccg)


def test_the_session_cookie_lasts_no_longer_than_the_absolute_limit() -> None:
    assert settings.SESSION_IDLE_MINUTES == 30
    assert settings.SESSION_ABSOLUTE_HOURS == 8
    assert settings.SESSION_COOKIE_AGE == 8 * 3600


@pytest.mark.django_db
def test_a_session_used_within_the_idle_limit_stays_logged_in(officer: User) -> None:
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(officer)
        assert client.get(reverse("ccg-list")).status_code == 200
        clock.shift(dt.timedelta(minutes=29, seconds=59))

        response = client.get(reverse("ccg-list"))

        assert response.status_code == 200
        assert client.session.get("_auth_user_id") == str(officer.pk)


@pytest.mark.django_db
def test_a_session_idle_for_30_minutes_is_logged_out_and_sent_to_log_in_with_a_reason(officer: User) -> None:
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(officer)
        client.get(reverse("ccg-list"))
        clock.shift(dt.timedelta(minutes=30))

        response = client.get(reverse("ccg-list") + "?page=2")
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next=/ccgs/%3Fpage%3D2"
        assert "_auth_user_id" not in client.session

        login_page = client.get(response["Location"]).content.decode()

    assert "You have been logged out after 30 minutes without activity" in login_page
    assert "Important" in login_page


@pytest.mark.django_db
def test_an_idle_form_post_is_not_saved_and_says_so(officer: User, level2_ccg: CCG) -> None:
    client = Client()
    url = reverse("ccg-edit", args=[level2_ccg.ods_code])
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(officer)
        client.get(url)
        clock.shift(dt.timedelta(hours=1))

        response = client.post(url, {"name": "Renamed", "weighted_population": "1", "reason": "test"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    level2_ccg.refresh_from_db()
    assert level2_ccg.name != "Renamed"


@pytest.mark.django_db
def test_a_busy_session_still_ends_8_hours_after_log_in(officer: User) -> None:
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(officer)
        for _ in range(23):  # a request every 20 minutes: never idle, 7 h 40 min in all
            assert client.get(reverse("ccg-list")).status_code == 200
            clock.shift(dt.timedelta(minutes=20))
        assert client.get(reverse("ccg-list")).status_code == 200
        clock.shift(dt.timedelta(minutes=20))  # 8 hours since log-in

        response = client.get(reverse("ccg-list"))
        message = client.get(response["Location"]).content.decode()

    assert response.status_code == 302
    assert "because you logged in more than 8 hours ago" in message


@pytest.mark.django_db
def test_an_expired_api_session_is_answered_as_anonymous_not_redirected(officer: User) -> None:
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(officer)
        assert client.get("/api/v1/assurance-packs/").status_code == 200
        clock.shift(dt.timedelta(minutes=31))

        response = client.get("/api/v1/assurance-packs/")

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_the_limits_come_from_the_settings(officer: User, settings: object) -> None:
    settings.SESSION_IDLE_MINUTES = 5  # type: ignore[attr-defined]
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(officer)
        client.get(reverse("ccg-list"))
        clock.shift(dt.timedelta(minutes=5))

        response = client.get(reverse("ccg-list"))

    assert response.status_code == 302
    assert "after 5 minutes without activity" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_anonymous_visitors_are_untouched(level2_ccg: CCG) -> None:
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        client.get("/public/ccgs/")
        clock.shift(dt.timedelta(hours=9))

        response = client.get("/public/ccgs/")

    assert response.status_code == 200
