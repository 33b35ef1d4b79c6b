"""Readiness pages: the CCG page's heat map and open actions, recording an assessment, actions,
history, the shared team's share-out page, who may see what, query counts, and the demo data."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone

import cocomm.demo
import delegation.demo_readiness
import functions.demo
from cocomm.audit import Reason, system_user
from cocomm.models import CCG, AreaTeam, RoleKind, User
from delegation import readiness, readiness_views
from delegation.models import ReadinessAction, ReadinessAssessment, SharedTeam, Stance
from functions.models import Function
from tests.factories.cocomm import CCGFactory

pytestmark = pytest.mark.django_db

POSITIONS = ("corporate", "finance", "primary_care", "contracts")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def record(
    ccg: CCG, number: int, by: User, rags: tuple[str, str, str, str] = ("amber", "green", "green", "red")
) -> ReadinessAssessment:
    return readiness.readiness_record(
        ccg=ccg,
        function=Function.objects.get(number=number),
        stance=Stance.INTERESTED,
        positions={
            name: (f"{name} view of {number}", rag) for name, rag in zip(POSITIONS, rags, strict=True)
        },
        actions="Revise the constitution",
        principles=[2, 6],
        by=by,
        reason="Assessment of September 2014",
    )


def row_of(html: str, row_id: str) -> str:
    """The HTML of one table row, found by its id."""
    match = re.search(rf'<tr[^>]*id="{row_id}".*?</tr>', html, re.S)
    assert match, f"no row {row_id}"
    return match.group(0)


def section(html: str, start: str, end: str) -> str:
    return html[html.index(start) : html.index(end, html.index(start))]


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.fixture
def officer(make_user: Callable[..., User], level2_ccg: CCG) -> User:
    return make_user(RoleKind.GOVERNANCE_OFFICER, ccg=level2_ccg)


@pytest.fixture
def reviewer(make_user: Callable[..., User], national_area: AreaTeam) -> User:
    return make_user(RoleKind.NHSE_REVIEWER, area_team=national_area)


# The CCG page ------------------------------------------------------------------------------------


def test_the_ccg_page_shows_each_teams_rating_in_words_and_the_open_actions(
    officer: User, reviewer: User, level2_ccg: CCG
) -> None:
    assessment = record(level2_ccg, 3, officer)
    today = timezone.localdate()
    readiness.readiness_action_add(
        assessment=assessment,
        description="Agree legal support",
        owner="Finance",
        due_on=dt.date(2015, 3, 1),
        by=officer,
    )
    readiness.readiness_action_add(
        assessment=assessment,
        description="Survey the estate",
        due_on=today + dt.timedelta(days=30),
        by=officer,
    )
    finished = readiness.readiness_action_add(
        assessment=assessment, description="Already finished", by=officer
    )
    readiness.readiness_action_done(action=finished, by=officer, reason="Done at the March meeting")

    html = logged_in(reviewer).get(reverse("ccg-detail", args=[level2_ccg.ods_code])).content.decode()

    grid = section(html, 'id="readiness"', 'id="readiness-actions"')
    assert '<th class="nhsuk-table__header" scope="col">Corporate and governance</th>' in grid
    row = row_of(grid, "readiness-function-3")
    assert '<th class="nhsuk-table__header" scope="row">3. Decisions on mergers' in row
    cells = re.findall(r"cocomm-rag-cell--(\w+)\">(\w+)</td>", row)
    assert cells == [("amber", "Amber"), ("green", "Green"), ("green", "Green"), ("red", "Red")]
    assert "Interested in taking on" in row
    assert "Not assessed" in row_of(grid, "readiness-function-1")
    assert grid.count("Not assessed") == 13
    assert "1 of 14 functions assessed" in grid

    actions = section(html, 'id="readiness-actions"', "</section>")
    assert "Already finished" not in actions
    overdue = actions[actions.index("Agree legal support") :]
    assert overdue.index("1 March 2015") < overdue.index("Overdue") < overdue.index("Survey the estate")
    assert actions.count("Overdue") == 1
    assert "3. Decisions on mergers" in actions and "Not named" in actions


def test_a_ccg_with_nothing_assessed_says_so(officer: User, level2_ccg: CCG) -> None:
    html = logged_in(officer).get(reverse("ccg-detail", args=[level2_ccg.ods_code])).content.decode()

    assert "No function has been assessed for NHS Lancashire North CCG yet." in html
    assert "There are no open readiness actions." in html
    assert "shared-teams" not in html


def test_the_ccg_pages_readiness_part_costs_the_same_queries_however_much_is_recorded(
    officer: User, administrator: User, level2_ccg: CCG
) -> None:
    def readiness_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            readiness_views.ccg_page_context(officer, level2_ccg)
        return len(queries.captured_queries)

    client = logged_in(officer)
    url = reverse("ccg-detail", args=[level2_ccg.ods_code])
    client.get(url)
    few = readiness_queries(), queries_for(client, url)
    assert few[0] == 4  # functions, assessments, open actions with their functions, shared teams

    for number in range(1, 15):
        assessment = record(level2_ccg, number, officer)
        for n in range(3):
            readiness.readiness_action_add(assessment=assessment, description=f"Step {n}", by=officer)
    readiness.shared_team_create(name="Team A", ccgs=[level2_ccg], by=administrator, reason="Test")
    readiness.shared_team_create(name="Team B", ccgs=[level2_ccg], by=administrator, reason="Test")
    many = readiness_queries(), queries_for(client, url)

    assert few == many
    assert client.get(url).content.decode().count("Step 2") == 14


# Who may see and change ----------------------------------------------------------------------------


def test_another_ccgs_officer_and_another_areas_reviewer_get_not_found(
    make_user: Callable[..., User], officer: User, level2_ccg: CCG, other_ccg: CCG
) -> None:
    assessment = record(level2_ccg, 3, officer)
    action = readiness.readiness_action_add(assessment=assessment, description="Step", by=officer)
    strangers = [
        make_user(RoleKind.GOVERNANCE_OFFICER, ccg=other_ccg),
        make_user(RoleKind.NHSE_REVIEWER, area_team=other_ccg.area_team),
    ]
    code = level2_ccg.ods_code
    urls = [
        reverse("ccg-readiness", args=[code]),
        reverse("readiness-history", args=[code]),
        reverse("readiness-record", args=[code, 3]),
        reverse("readiness-action-add", args=[code, 3]),
        reverse("readiness-action-done", args=[code, action.pk]),
    ]
    for stranger in strangers:
        client = logged_in(stranger)
        for url in urls:
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"reason": "x", "description": "y"}).status_code == 404, url
    # Someone else's action cannot be reached through their own CCG's address either.
    other_officer = logged_in(strangers[0])
    url = reverse("readiness-action-done", args=[other_ccg.ods_code, action.pk])
    assert other_officer.post(url, {"reason": "Closing it"}).status_code == 404
    action.refresh_from_db()
    assert not action.done
    assert assessment.action_items.count() == 1


def test_a_reviewer_of_the_area_reads_the_assessment_but_may_not_change_it(
    reviewer: User, officer: User, level2_ccg: CCG
) -> None:
    record(level2_ccg, 3, officer)
    client = logged_in(reviewer)

    page = client.get(reverse("ccg-readiness", args=[level2_ccg.ods_code]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "corporate view of 3" in html
    assert reverse("readiness-record", args=[level2_ccg.ods_code, 3]) not in html
    response = client.post(
        reverse("readiness-record", args=[level2_ccg.ods_code, 3]), record_form(stance="doing")
    )
    assert response.status_code == 404
    assert ReadinessAssessment.objects.get(ccg=level2_ccg).stance == Stance.INTERESTED


# Recording an assessment through the form ---------------------------------------------------------


def record_form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "stance": "interested",
        "corporate_position": "Constitution to be revised",
        "corporate_rag": "amber",
        "finance_position": "Budget risk not yet known",
        "finance_rag": "red",
        "primary_care_position": "Team in place",
        "primary_care_rag": "green",
        "contracts_position": "",
        "contracts_rag": "green",
        "actions": "Due diligence",
        "resource_implications": "An extra band 7",
        "patient_involvement": "PRAP oversight",
        "principles": ["5", "2"],
        "reason": "Assessment agreed by the senior management team",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_governance_officer_records_an_assessment_through_the_form(
    officer: User, level2_ccg: CCG
) -> None:
    client = logged_in(officer)
    url = reverse("readiness-record", args=[level2_ccg.ods_code, 8])
    assert client.get(url).status_code == 200

    response = client.post(url, record_form())

    assert response.status_code == 302
    assert response["Location"] == reverse("ccg-readiness", args=[level2_ccg.ods_code]) + "#function-8"
    saved = ReadinessAssessment.objects.get(ccg=level2_ccg, function__number=8)
    assert (saved.corporate_rag, saved.finance_rag, saved.primary_care_rag, saved.contracts_rag) == (
        "amber",
        "red",
        "green",
        "green",
    )
    assert saved.finance_position == "Budget risk not yet known"
    assert saved.principles == [2, 5]
    latest = saved.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        officer,
        "Assessment agreed by the senior management team",
    )
    page = client.get(reverse("ccg-readiness", args=[level2_ccg.ods_code])).content.decode()
    assert "Budget risk not yet known" in page
    assert "5. Fewer health inequalities" in page
    history = client.get(reverse("readiness-history", args=[level2_ccg.ods_code])).content.decode()
    assert "Assessment agreed by the senior management team" in history
    assert officer.get_full_name() in history

    # Revising it shows what was recorded and replaces it.
    form_html = client.get(url).content.decode()
    assert "Budget risk not yet known</textarea>" in form_html
    assert client.post(url, record_form(finance_rag="amber", reason="Funding confirmed")).status_code == 302
    saved.refresh_from_db()
    assert saved.finance_rag == "amber"
    assert ReadinessAssessment.objects.filter(ccg=level2_ccg).count() == 1


def test_a_form_missing_ratings_and_a_reason_is_refused_with_errors_and_nothing_saved(
    officer: User, level2_ccg: CCG
) -> None:
    client = logged_in(officer)
    url = reverse("readiness-record", args=[level2_ccg.ods_code, 8])

    response = client.post(
        url, record_form(finance_rag=None, contracts_rag="purple", reason="", principles=["9"])
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in html
    assert "Select the finance rating: red, amber or green" in html
    assert 'href="#id_finance_rag_0"' in html
    assert "Select the contracts and performance rating: red, amber or green" in html
    assert "Select principles from the list" in html
    assert "Enter the reason for the change" in html
    assert not ReadinessAssessment.objects.filter(ccg=level2_ccg).exists()


def test_revising_with_a_bad_form_leaves_the_recorded_assessment_alone(
    officer: User, level2_ccg: CCG
) -> None:
    before = record(level2_ccg, 8, officer)
    url = reverse("readiness-record", args=[level2_ccg.ods_code, 8])

    response = logged_in(officer).post(url, record_form(stance="", finance_rag="red"))

    assert response.status_code == 200
    assert "Select the CCG&#x27;s stance on the function" in response.content.decode()
    after = ReadinessAssessment.objects.get(pk=before.pk)
    assert (after.stance, after.finance_rag, after.history.count()) == (Stance.INTERESTED, "green", 1)


def test_an_unknown_function_is_not_found(officer: User, level2_ccg: CCG) -> None:
    assert (
        logged_in(officer).get(reverse("readiness-record", args=[level2_ccg.ods_code, 15])).status_code == 404
    )


# Actions -------------------------------------------------------------------------------------------


def test_the_officer_adds_an_action_and_marks_it_done(officer: User, level2_ccg: CCG) -> None:
    record(level2_ccg, 5, officer)
    client = logged_in(officer)
    add_url = reverse("readiness-action-add", args=[level2_ccg.ods_code, 5])

    bad = client.post(
        add_url,
        {"description": "", "due_on_day": "31", "due_on_month": "2", "due_on_year": "2015", "reason": "x"},
    )
    assert bad.status_code == 200
    assert "Enter what needs doing" in bad.content.decode()
    assert "Enter a real date" in bad.content.decode()
    assert not ReadinessAction.objects.exists()

    response = client.post(
        add_url,
        {
            "description": "Join the resilience group",
            "owner": "Head of the PCIT",
            "due_on_day": "1",
            "due_on_month": "4",
            "due_on_year": "2015",
            "reason": "Agreed at the steering group",
        },
    )
    assert response.status_code == 302
    action = ReadinessAction.objects.get()
    assert (action.owner, action.due_on, action.done) == ("Head of the PCIT", dt.date(2015, 4, 1), False)
    assert action.history.get().history_change_reason == "Agreed at the steering group"

    done_url = reverse("readiness-action-done", args=[level2_ccg.ods_code, action.pk])
    assert client.post(done_url, {"reason": ""}).status_code == 200
    action.refresh_from_db()
    assert not action.done
    assert client.post(done_url, {"reason": "Joined in March"}).status_code == 302
    action.refresh_from_db()
    assert action.done
    assert action.history.latest().history_change_reason == "Joined in March"
    # Closing it again (a second tab, say) is refused on the page, not a crash, and changes nothing.
    again = client.post(done_url, {"reason": "Joined in March"})
    assert again.status_code == 200
    assert "That action is already marked done." in again.content.decode()
    assert action.history.count() == 2
    page = client.get(reverse("ccg-detail", args=[level2_ccg.ods_code])).content.decode()
    assert "There are no open readiness actions." in page


def test_an_action_needs_an_assessment_first(officer: User, level2_ccg: CCG) -> None:
    assert (
        logged_in(officer).get(reverse("readiness-action-add", args=[level2_ccg.ods_code, 5])).status_code
        == 404
    )


def test_only_the_ccgs_officers_close_its_actions(officer: User, reviewer: User, level2_ccg: CCG) -> None:
    action = readiness.readiness_action_add(
        assessment=record(level2_ccg, 5, officer), description="x", by=officer
    )
    with pytest.raises(PermissionDenied):
        readiness.readiness_action_done(action=action, by=reviewer, reason="Not theirs")
    action.refresh_from_db()
    assert not action.done


# The shared team page -----------------------------------------------------------------------------

# Seed 003 §4: weighted population, share (%) and notional WTE of a 5.08 WTE team.
LANCASHIRE = {
    "00Q": ("Blackburn with Darwen", 174645, "10.97", "0.56"),
    "00R": ("Blackpool", 192487, "12.09", "0.61"),
    "00X": ("Chorley & South Ribble", 175829, "11.04", "0.56"),
    "01A": ("East Lancashire", 391888, "24.61", "1.25"),
    "02M": ("Fylde and Wyre", 163096, "10.24", "0.52"),
    "01E": ("Greater Preston", 211102, "13.26", "0.67"),
    "01K": ("Lancashire North", 164092, "10.30", "0.52"),
    "02G": ("West Lancashire", 118654, "7.45", "0.38"),
}


def new_ccg(**fields: Any) -> CCG:
    # factory_boy's call is typed as returning the factory; say what it really returns.
    return cast(CCG, CCGFactory(**fields))


def share_rows(html: str) -> dict[str, tuple[str, str, str]]:
    """CCG name -> (population, %, WTE) as the share-out table shows them."""
    table = section(html, 'id="share-table"', "</tbody>")
    rows = re.findall(
        r'scope="row">([^<]+)</th>\s*<td[^>]*>([\d,]+)</td>\s*<td[^>]*>([\d.]+)</td>\s*<td[^>]*>([\d.]+)</td>',
        table,
    )
    return {html_lib.unescape(name): (population, percent, wte) for name, population, percent, wte in rows}


def test_the_shared_team_page_shows_posts_and_the_share_out_with_totals(
    administrator: User, make_user: Callable[..., User], national_area: AreaTeam
) -> None:
    ccgs = [
        new_ccg(name=name, area_team=national_area, weighted_population=pop)
        for name, pop, _, _ in LANCASHIRE.values()
    ]
    unrecorded = new_ccg(name="NHS Newcomer CCG", area_team=national_area, weighted_population=None)
    team = readiness.shared_team_create(
        name="Lancashire GP team", ccgs=[*ccgs, unrecorded], by=administrator, reason="MoU"
    )
    for band, wte in (("7", "2.08"), ("8a", "1.00"), ("Admin", "1.00"), ("8b", "1.00")):
        readiness.shared_team_post_add(team=team, band=band, wte=Decimal(wte), by=administrator)
    officer = make_user(RoleKind.GOVERNANCE_OFFICER, ccg=ccgs[1])

    html = logged_in(officer).get(reverse("shared-team-detail", args=[team.pk])).content.decode()

    assert share_rows(html) == {
        name: (f"{pop:,}", percent, wte) for name, pop, percent, wte in LANCASHIRE.values()
    }
    totals = section(html, 'id="share-table"', "</tfoot>")
    # The MoU prints 1,591,797 as the total, but its eight populations add up to 1,591,793; the page
    # gives the sum of what it shares out. The shares agree with the MoU's to two places either way.
    assert "1,591,793" in totals and "100.00" in totals and "5.08" in totals
    posts = section(html, 'id="posts"', "</table>")
    assert re.findall(r'scope="row">([^<]+)</th>', posts) == ["8b", "8a", "7", "Admin"]
    assert "<strong>5.08</strong>" in section(posts, "<tfoot>", "</tfoot>")
    not_counted = section(html, 'id="not-counted"', "</ul>")
    assert "NHS Newcomer CCG" in not_counted
    assert "NHS Newcomer CCG" not in share_rows(html)
    # The CCG page links to the team.
    page = logged_in(officer).get(reverse("ccg-detail", args=[ccgs[1].ods_code])).content.decode()
    assert reverse("shared-team-detail", args=[team.pk]) in page


def test_the_shared_team_page_is_for_those_who_see_one_of_its_ccgs(
    administrator: User, make_user: Callable[..., User], level2_ccg: CCG, other_ccg: CCG
) -> None:
    team = readiness.shared_team_create(name="Team", ccgs=[level2_ccg], by=administrator, reason="Test")
    url = reverse("shared-team-detail", args=[team.pk])

    assert logged_in(make_user(RoleKind.GOVERNANCE_OFFICER, ccg=level2_ccg)).get(url).status_code == 200
    assert (
        logged_in(make_user(RoleKind.NHSE_REVIEWER, area_team=level2_ccg.area_team)).get(url).status_code
        == 200
    )
    assert logged_in(make_user(RoleKind.GOVERNANCE_OFFICER, ccg=other_ccg)).get(url).status_code == 404
    assert (
        logged_in(make_user(RoleKind.NHSE_REVIEWER, area_team=other_ccg.area_team)).get(url).status_code
        == 404
    )
    assert logged_in(make_user()).get(url).status_code == 404
    assert (
        logged_in(administrator).get(reverse("shared-team-detail", args=[team.pk + 1000])).status_code == 404
    )
    assert Client().get(url).status_code == 302


def test_the_shared_team_address_is_not_taken_for_a_ccg() -> None:
    assert resolve("/ccgs/shared-teams/7/").url_name == "shared-team-detail"


def test_the_shared_team_page_costs_the_same_queries_for_3_or_12_ccgs(
    administrator: User, national_area: AreaTeam
) -> None:
    team = readiness.shared_team_create(name="Team", ccgs=[], by=administrator, reason="Test")

    def grow(ccgs: int, posts: int) -> None:
        team.ccgs.add(*[new_ccg(area_team=national_area) for _ in range(ccgs)])
        for n in range(posts):
            readiness.shared_team_post_add(
                team=team, band=f"8{'abcd'[n % 4]}", wte=Decimal("1"), by=administrator
            )

    client = logged_in(administrator)
    url = reverse("shared-team-detail", args=[team.pk])
    grow(3, 2)
    client.get(url)
    few = queries_for(client, url)
    grow(9, 6)
    many = queries_for(client, url)

    assert few == many
    assert len(share_rows(client.get(url).content.decode())) == 12


def test_the_readiness_page_costs_the_same_queries_however_much_is_recorded(
    officer: User, level2_ccg: CCG
) -> None:
    client = logged_in(officer)
    url = reverse("ccg-readiness", args=[level2_ccg.ods_code])
    record(level2_ccg, 1, officer)
    client.get(url)
    few = queries_for(client, url)
    for number in range(2, 15):
        assessment = record(level2_ccg, number, officer)
        for n in range(3):
            readiness.readiness_action_add(assessment=assessment, description=f"Step {n}", by=officer)
    many = queries_for(client, url)

    assert few == many


def test_the_readiness_history_costs_the_same_queries_as_changes_pile_up(
    officer: User, level2_ccg: CCG
) -> None:
    client = logged_in(officer)
    url = reverse("readiness-history", args=[level2_ccg.ods_code])
    first, second = record(level2_ccg, 1, officer), record(level2_ccg, 2, officer)
    readiness.readiness_action_add(assessment=first, description="Step", by=officer)
    readiness.readiness_action_add(assessment=second, description="Step", by=officer)
    client.get(url)
    few = queries_for(client, url)
    for n in range(10):
        record(
            level2_ccg, 1 + n % 2, officer, rags=("red", "red", "amber", "green") if n % 2 else ("green",) * 4
        )
        action = readiness.readiness_action_add(assessment=first, description=f"More {n}", by=officer)
        readiness.readiness_action_done(action=action, by=officer, reason=f"Closed {n}")
    many = queries_for(client, url)
    # More functions assessed, each with an action: each record's name is loaded with its parents.
    for number in range(3, 9):
        assessment = record(level2_ccg, number, officer)
        readiness.readiness_action_add(assessment=assessment, description="Step", by=officer)
    more_functions = queries_for(client, url)

    assert few == many == more_functions
    assert "Closed 9" in client.get(url).content.decode()


# The demonstration data ----------------------------------------------------------------------------


def load_demo() -> None:
    # delegation.demo calls demo_readiness after the levels and applications; the readiness data
    # needs only the core and reference data beneath it, so load just those.
    for module in (cocomm.demo, functions.demo, delegation.demo_readiness):
        module.load(by=system_user())


def test_the_demo_has_traffords_assessment_and_lancashires_team_as_the_seeds_give_them() -> None:
    load_demo()
    counts = (
        ReadinessAssessment.objects.count(),
        ReadinessAction.objects.count(),
        SharedTeam.objects.count(),
        ReadinessAssessment.history.count(),
    )
    load_demo()
    assert counts == (
        ReadinessAssessment.objects.count(),
        ReadinessAction.objects.count(),
        SharedTeam.objects.count(),
        ReadinessAssessment.history.count(),
    )

    trafford = CCG.objects.get(ods_code="02A")
    assessments = {a.function.number: a for a in trafford.readiness_assessments.select_related("function")}
    # Seed 000 assesses all 14 functions.
    assert sorted(assessments) == list(range(1, 15))
    # Seed 004: what Trafford would not take on, and what it already does.
    assert {n for n, a in assessments.items() if a.stance == Stance.NOT_WANTED} == {2, 8}
    assert {n for n, a in assessments.items() if a.stance == Stance.DOING} == {13}
    # Seed 000's principle mapping, for two functions.
    assert assessments[4].principles == [2, 5]
    assert assessments[7].principles == [2, 4]
    assert all(a.patient_involvement for n, a in assessments.items() if n in {1, 2, 3, 4, 6, 7, 8, 13})
    officer = User.objects.get(username="trafford.go")
    first = assessments[1].history.earliest()
    assert (first.history_user, first.history_change_reason) == (officer, Reason.DEMO_DATA)
    due = ReadinessAction.objects.filter(assessment=assessments[1], due_on=dt.date(2015, 4, 1))
    assert {a.owner for a in due} == {"Finance team", "Corporate and governance team"}
    assert ReadinessAction.objects.filter(assessment=assessments[5], owner="Head of the PCIT").exists()

    team = SharedTeam.objects.get(name="Lancashire general practice commissioning team")
    assert set(team.ccgs.values_list("ods_code", flat=True)) == set(LANCASHIRE)
    html = (
        logged_in(User.objects.get(username="lancashire.reviewer"))
        .get(reverse("shared-team-detail", args=[team.pk]))
        .content.decode()
    )
    names = {c.ods_code: c.name for c in team.ccgs.all()}
    assert share_rows(html) == {
        names[code]: (f"{pop:,}", percent, wte) for code, (_, pop, percent, wte) in LANCASHIRE.items()
    }
    assert "5.08" in section(html, 'id="share-table"', "</tfoot>")
    trafford_page = logged_in(officer).get(reverse("ccg-detail", args=["02A"])).content.decode()
    assert "14 of 14 functions assessed" in trafford_page
