"""Accessibility: the main pages of each role, checked in Chromium with axe-core against WCAG 2.2 AA.

NHS services must meet WCAG 2.2 AA. axe-core (an npm development package, pinned in package.json)
is injected into each page after it loads; any violation fails the test with what and where.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from assurance.models import AssurancePack
from cocomm import demo as core_demo
from committees.choices import CommitteeKind, DecisionStatus, MinutesStatus, Purpose
from committees.models import AgendaItem, Committee, Decision, Meeting
from conflicts.models import Breach
from delegation.models import LevelApplication, SharedTeam

pytestmark = pytest.mark.browser

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found: list[list[str]] = page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: tags})).violations.map(
            v => [v.id, v.help, v.nodes.map(n => n.target.join(' ')).slice(0, 3).join('; ')])""",
        RULES,
    )
    return [f"{rule} ({why}) at {where}" for rule, why, where in found]


def log_in(page: Page, live_server: LiveServer, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(core_demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def test_each_roles_main_pages_have_no_accessibility_violations(
    axe_page: Page, live_server: LiveServer, transactional_db: None
) -> None:
    page = axe_page
    call_command("load_demo", stdout=StringIO())
    camden_application = LevelApplication.objects.get(ccg__ods_code="07R")
    blackpool_pack = AssurancePack.objects.get(ccg__ods_code="00R")
    blackpool_pccc = Committee.objects.get(ccgs__ods_code="00R", kind=CommitteeKind.PCCC)
    approved_at_blackpool = list(
        Decision.objects.filter(committee=blackpool_pccc, status=DecisionStatus.APPROVED).values_list(
            "pk", flat=True
        )
    )
    # The next meeting, before it starts: quorum "not recorded yet", forms that open at the start.
    upcoming = Meeting.objects.get(committees=blackpool_pccc, starts_at__gt=timezone.now())
    list_closure = AgendaItem.objects.get(meeting=upcoming, purpose=Purpose.DECISION)
    # A past meeting whose minutes are approved: the record is frozen, and the chair is offered the
    # erratum form on the minutes page.
    frozen = Meeting.objects.filter(minutes__status=MinutesStatus.APPROVED).order_by("starts_at").first()
    assert frozen is not None
    journeys = {
        "trafford.go": ["/ccgs/02A/", "/ccgs/02A/readiness/", "/ccgs/02A/readiness/history/"],
        "camden.go": [
            "/ccgs/07R/applications/",
            f"/ccgs/07R/applications/{camden_application.pk}/",
        ],
        "lancashire.reviewer": [
            "/ccgs/",
            "/assurance/",
            f"/ccgs/shared-teams/{SharedTeam.objects.get().pk}/",
            f"/assurance/packs/{blackpool_pack.pk}/",
        ],
        "blackpool.go": [
            "/assurance/ccgs/00R/",
            "/conflicts/ccgs/00R/",
            reverse("meeting-detail", args=[upcoming.pk]),
            reverse("agenda-item-detail", args=[list_closure.pk]),
        ],
        "blackpool.chair": [
            "/committees/",
            f"/committees/{blackpool_pccc.pk}/",
            *[f"/committees/decisions/{pk}/supersede/" for pk in approved_at_blackpool[:1]],
        ],
        "lancashire.jc.chair": [
            reverse("minutes-detail", args=[frozen.pk]),
            reverse("meeting-detail", args=[frozen.pk]),
        ],
        "blackpool.guardian": [
            "/conflicts/ccgs/00R/guardian/",
            "/conflicts/ccgs/00R/late/",
            "/conflicts/ccgs/00R/referrals/",
            f"/conflicts/breaches/{Breach.objects.get(ccg__ods_code='00R').pk}/",
        ],
    }
    problems = []
    for username, paths in journeys.items():
        log_in(page, live_server, username)
        for path in paths:
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None and response.status == 200, path
            problems += [f"{username} {path}: {v}" for v in violations(page)]
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/public/ccgs/")
    problems += [f"public /public/ccgs/: {v}" for v in violations(page)]

    assert problems == []
