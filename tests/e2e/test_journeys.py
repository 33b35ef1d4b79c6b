"""One journey per role, in a real browser against the live server with the demo data."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def ask_who_decides(page: Page, *, function: str, day: str, month: str, year: str) -> None:
    section = page.locator("section.cocomm-who-decides")
    section.get_by_label("Function").select_option(function)
    section.get_by_label("Day").fill(day)
    section.get_by_label("Month").fill(month)
    section.get_by_label("Year").fill(year)
    section.get_by_role("button", name="Find who decides").click()


def test_a_governance_officer_finds_who_decides_for_their_ccg(log_in: Callable[[str], Page]) -> None:
    page = log_in("trafford.go")

    # Lands on Trafford's own page.
    expect(page).to_have_url(re.compile(r"/ccgs/02A/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("NHS Trafford CCG")
    expect(page.locator("header")).to_contain_text("Priya Shah")

    ask_who_decides(page, function="3", day="1", month="6", year="2016")

    answer = page.locator("#who-decides-answer")
    expect(answer).to_contain_text("Level 4: Managing a devolved primary care budget")
    expect(answer).to_contain_text("The CCG's own committee")
    # The question stays in the form, so it can be changed and asked again.
    expect(page.get_by_label("Year")).to_have_value("2016")


def test_an_nhs_england_reviewer_sees_their_area_and_the_casting_vote(log_in: Callable[[str], Page]) -> None:
    page = log_in("lancashire.reviewer")

    main = page.locator("main")
    expect(main).to_contain_text("NHS England Lancashire")
    expect(main).to_contain_text("NHS Blackpool CCG")
    expect(main).not_to_contain_text("NHS Camden CCG")
    expect(main).not_to_contain_text("London")

    main.get_by_role("link", name="NHS Lancashire North CCG").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("NHS Lancashire North CCG")
    expect(page.get_by_role("link", name="Edit the CCG's details")).to_have_count(0)

    ask_who_decides(page, function="3", day="1", month="6", year="2016")

    answer = page.locator("#who-decides-answer")
    expect(answer).to_contain_text("Level 2: Joint commissioning")
    expect(answer).to_contain_text("A joint committee with NHS England")
    expect(answer).to_contain_text("NHS England has the casting vote")


def test_an_administrator_edits_a_ccg_and_finds_the_change_in_its_history(
    log_in: Callable[[str], Page],
) -> None:
    page = log_in("admin")

    page.locator("main").get_by_role("link", name="NHS Blackpool CCG").click()
    page.get_by_role("link", name="Edit the CCG's details").click()
    page.get_by_label("Weighted population").fill("192500")
    page.get_by_role("button", name="Save changes").click()

    # Saving without a reason is refused, and the error summary takes the user to the field.
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter the reason for the change")
    summary.get_by_role("link", name="Enter the reason for the change").click()
    expect(page.get_by_label("Reason for the change")).to_be_focused()

    page.get_by_label("Reason for the change").fill("Corrected from the 2016 MoU")
    page.get_by_role("button", name="Save changes").click()

    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("have been saved")
    expect(page.locator("main")).to_contain_text("192,500")

    page.get_by_role("link", name="History of changes").click()
    latest = page.locator("table.cocomm-history tbody tr").first
    expect(latest).to_contain_text("Alex Morgan")
    expect(latest).to_contain_text("Corrected from the 2016 MoU")
    expect(latest).to_contain_text("192487")
    expect(latest).to_contain_text("192500")
