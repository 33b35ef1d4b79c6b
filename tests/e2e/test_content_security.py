"""The Content-Security-Policy in a real browser: pages and the API docs work under it, and Chromium
reports no blocked script, style or other resource on them (apart from the NHS.UK web fonts, which
the tests keep offline)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

pytestmark = pytest.mark.browser


def csp_reports(page: Page) -> list[str]:
    reports: list[str] = []
    page.on(
        "console",
        lambda message: reports.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return reports


def test_pages_run_their_scripts_under_the_policy_with_nothing_blocked(
    log_in: Callable[[str], Page], live_server: LiveServer, page: Page
) -> None:
    reports = csp_reports(page)

    log_in("blackpool.go")
    for path in ["/ccgs/00R/", "/committees/", "/public/ccgs/"]:
        page.goto(f"{live_server.url}{path}")
        # The start-up script (a file now) ran before the page was drawn, and the NHS.UK modules ran.
        assert "js-enabled" in (page.evaluate("document.body.className") or "")
        assert "nhsuk-frontend-supported" in (page.evaluate("document.body.className") or "")

    assert reports == []


def test_the_api_docs_render_the_schema_under_the_policy(live_server: LiveServer, page: Page) -> None:
    reports = csp_reports(page)

    page.goto(f"{live_server.url}/api/docs/")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("cocomm API")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    assert reports == []


def test_the_policy_refuses_an_injected_inline_script(live_server: LiveServer, page: Page) -> None:
    reports = csp_reports(page)
    page.goto(f"{live_server.url}/login/")

    with pytest.raises(Exception, match=r"Content Security Policy|Refused"):
        page.add_script_tag(content="window.injected = true;")

    assert page.evaluate("window.injected === undefined")
    assert any("script-src" in report for report in reports)
