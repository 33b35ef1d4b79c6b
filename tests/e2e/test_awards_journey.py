"""The award of Greater Preston's demo procurement in Chromium: the register entry shows the red
flag in words to the area's reviewer, an administrator's empty award form answers with the error
summary, and the pages (public register included) pass axe-core against WCAG 2.2 AA."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from conflicts.models import ProcurementRecord
from tests.e2e.test_accessibility import log_in, violations

pytestmark = pytest.mark.browser


def test_the_flagged_award_reads_in_words_and_its_pages_are_accessible(
    axe_page: Page, live_server: LiveServer, transactional_db: None
) -> None:
    page = axe_page
    call_command("load_demo", stdout=StringIO())
    decision = ProcurementRecord.objects.get().decision_id
    problems = []

    log_in(page, live_server, "lancashire.reviewer")
    page.goto(f"{live_server.url}/conflicts/procurement/{decision}/")
    flags = page.locator(".cocomm-award-flags")
    assert "Not declared at the item" in flags.inner_text()
    assert "Declared and managed" in flags.inner_text()
    assert page.get_by_role("link", name="Record the award").count() == 0
    problems += [f"entry: {v}" for v in violations(page)]

    log_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/conflicts/procurement/{decision}/award/")
    page.get_by_role("button", name="Correct the award").click()
    page.wait_for_load_state()
    assert "Enter the reason for the change" in page.locator(".nhsuk-error-summary").inner_text()
    problems += [f"award form: {v}" for v in violations(page)]

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/public/ccgs/01E/procurement/")
    assert "Not declared at the item" in page.content()
    problems += [f"public register: {v}" for v in violations(page)]

    assert problems == []
