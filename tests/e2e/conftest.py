"""Browser journeys: one Chromium for the whole session, a fresh context (cookies) per test.

Playwright's sync API is driven directly (no pytest-playwright plugin); the system Chromium is
used, never a downloaded one. The live server runs in another thread, so each test loads the
demonstration data itself, committed, where that server can see it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from cocomm import demo as core_demo
from cocomm.audit import system_user
from delegation import demo as delegation_demo
from functions import demo as functions_demo

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
# The NHS.UK stylesheet asks for its web fonts from assets.nhs.uk; the tests never go online.
OFFLINE_HOSTS = "https://**/*"

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
# body are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.route(OFFLINE_HOSTS, lambda route: route.abort())
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def axe_page(browser: Browser) -> Iterator[Page]:
    """As `page`, but the pages' Content-Security-Policy is set aside: the accessibility checks inject
    axe-core as a script of their own, which the policy rightly refuses. Only those checks use it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", bypass_csp=True)
    context.route(OFFLINE_HOSTS, lambda route: route.abort())
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo_data(transactional_db: None) -> None:
    """The demonstration data, loaded as `manage.py load_demo` does (lowest layer first)."""
    by = system_user()
    core_demo.load(by=by)
    functions_demo.load(by=by)
    delegation_demo.load(by=by)


@pytest.fixture
def log_in(live_server: LiveServer, page: Page, demo_data: None) -> Callable[[str], Page]:
    def log_in(username: str) -> Page:
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(core_demo.DEMO_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        return page

    return log_in
