"""A breach's lifecycle: reported, investigated, closed with its outcome and lessons learned; reported
to NHS England where required. Rules at their edges, the services' effects and history, the page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cocomm.models import CCG, RoleKind, User
from conflicts import rules, services
from conflicts.models import Breach, BreachStatus, NHSEReport

TODAY = dt.date(2017, 3, 1)
DAY = dt.timedelta(days=1)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def html_of(response: Any) -> str:
    return str(response.content.decode())


# Rules --------------------------------------------------------------------------------------------------


def test_a_report_date_belongs_only_to_a_breach_that_must_be_reported() -> None:
    happened = TODAY - 10 * DAY
    for required in (None, False):
        problems = rules.breach_report_problems(
            occurred_on=happened, report_required=required, reported_on=TODAY, today=TODAY
        )
        assert set(problems) == {"reported_to_nhse_on"}
    assert not rules.breach_report_problems(
        occurred_on=happened, report_required=None, reported_on=None, today=TODAY
    )


def test_the_report_date_lies_between_the_breach_and_today() -> None:
    happened = TODAY - 10 * DAY

    def problems(day: dt.date) -> dict[str, str]:
        return rules.breach_report_problems(
            occurred_on=happened, report_required=True, reported_on=day, today=TODAY
        )

    assert problems(happened) == {} and problems(TODAY) == {}
    assert "before the breach" in problems(happened - DAY)["reported_to_nhse_on"]
    assert "future" in problems(TODAY + DAY)["reported_to_nhse_on"]


def test_a_step_is_dated_between_the_step_before_and_today() -> None:
    before = TODAY - 5 * DAY

    def problem(day: dt.date) -> dict[str, str]:
        return rules.breach_step_date_problem(
            "closed_on", day, not_before=before, what_before="the investigation", today=TODAY
        )

    assert problem(before) == {} and problem(TODAY) == {}
    assert "before the investigation" in problem(before - DAY)["closed_on"]
    assert "future" in problem(TODAY + DAY)["closed_on"]


def test_closing_needs_the_report_question_settled_and_a_required_report_made() -> None:
    assert set(rules.breach_closure_problems(report_required=None, reported_on=None)) == {"nhse_report"}
    assert (
        "before it is closed"
        in (rules.breach_closure_problems(report_required=True, reported_on=None)["reported_to_nhse_on"])
    )
    assert rules.breach_closure_problems(report_required=True, reported_on=TODAY) == {}
    assert rules.breach_closure_problems(report_required=False, reported_on=None) == {}


# Services -----------------------------------------------------------------------------------------------


@pytest.fixture
def officer(make_user: Callable[..., User], level2_ccg: CCG) -> User:
    return make_user(RoleKind.GOVERNANCE_OFFICER, ccg=level2_ccg)


@pytest.fixture
def guardian(make_user: Callable[..., User], level2_ccg: CCG) -> User:
    return make_user(RoleKind.CONFLICTS_GUARDIAN, ccg=level2_ccg)


@pytest.fixture
def breach(level2_ccg: CCG, officer: User) -> Breach:
    return services.breach_record(
        ccg=level2_ccg,
        occurred_on=timezone.localdate() - dt.timedelta(days=30),
        what_happened="A member accepted hospitality over the limit without approval",
        reported_by="Audit chair",
        by=officer,
    )


def investigate(breach: Breach, by: User, **overrides: Any) -> Breach:
    values: dict[str, Any] = {
        "investigated_by": "The Guardian",
        "investigated_on": timezone.localdate() - dt.timedelta(days=10),
        "findings": "The member did not know the limit",
        "nhse_report": NHSEReport.UNDECIDED,
    }
    values.update(overrides)
    return services.breach_investigate(breach=breach, by=by, **values)


def close(breach: Breach, by: User, **overrides: Any) -> Breach:
    values: dict[str, Any] = {
        "outcome": "Repaid and reminded",
        "lessons_learned": "Brief every member on the limits each year",
        "closed_on": timezone.localdate(),
        "nhse_report": NHSEReport.NOT_REQUIRED,
    }
    values.update(overrides)
    return services.breach_close(breach=breach, by=by, **values)


@pytest.mark.django_db
def test_a_recorded_breach_starts_as_reported(breach: Breach) -> None:
    assert breach.status == BreachStatus.REPORTED
    assert breach.history.latest().history_change_reason == "Breach reported"


@pytest.mark.django_db
def test_the_guardian_investigates_and_closes_and_each_step_is_in_the_history(
    breach: Breach, guardian: User
) -> None:
    investigate(breach, guardian, nhse_report=NHSEReport.REQUIRED)
    stored = Breach.objects.get(pk=breach.pk)
    assert (stored.status, stored.investigated_by, stored.nhse_report) == (
        BreachStatus.INVESTIGATED,
        "The Guardian",
        NHSEReport.REQUIRED,
    )

    reported = timezone.localdate() - dt.timedelta(days=2)
    close(stored, guardian, nhse_report=NHSEReport.REQUIRED, reported_to_nhse_on=reported)

    closed = Breach.objects.get(pk=breach.pk)
    assert (closed.status, closed.closed_on, closed.reported_to_nhse_on) == (
        BreachStatus.CLOSED,
        timezone.localdate(),
        reported,
    )
    history = closed.history.order_by("history_id")
    rows = [(h.status, h.history_user, h.history_change_reason) for h in history]
    assert rows[-2:] == [
        (BreachStatus.INVESTIGATED, guardian, "Breach investigated"),
        (BreachStatus.CLOSED, guardian, "Breach closed"),
    ]


@pytest.mark.django_db
def test_a_breach_is_not_closed_before_it_is_investigated(breach: Breach, officer: User) -> None:
    with pytest.raises(ValidationError, match="not been investigated"):
        close(breach, officer)
    assert Breach.objects.get(pk=breach.pk).status == BreachStatus.REPORTED


@pytest.mark.django_db
def test_an_investigated_breach_is_not_investigated_again(breach: Breach, officer: User) -> None:
    investigate(breach, officer)
    with pytest.raises(ValidationError, match="investigated already"):
        investigate(breach, officer, findings="Something else")
    assert Breach.objects.get(pk=breach.pk).findings == "The member did not know the limit"


@pytest.mark.django_db
def test_a_closed_breach_stays_closed(breach: Breach, officer: User) -> None:
    close(investigate(breach, officer), officer)
    with pytest.raises(ValidationError, match="closed"):
        close(Breach.objects.get(pk=breach.pk), officer, outcome="Reopened")
    with pytest.raises(ValidationError, match="closed"):
        investigate(Breach.objects.get(pk=breach.pk), officer)


@pytest.mark.django_db
def test_a_breach_that_must_be_reported_is_not_closed_until_the_report_date_is_recorded(
    breach: Breach, officer: User
) -> None:
    investigate(breach, officer, nhse_report=NHSEReport.REQUIRED)

    with pytest.raises(ValidationError) as refused:
        close(Breach.objects.get(pk=breach.pk), officer, nhse_report=NHSEReport.REQUIRED)

    assert "reported_to_nhse_on" in refused.value.message_dict
    assert Breach.objects.get(pk=breach.pk).status == BreachStatus.INVESTIGATED


@pytest.mark.django_db
def test_closing_needs_the_report_question_answered(breach: Breach, officer: User) -> None:
    investigate(breach, officer)
    with pytest.raises(ValidationError) as refused:
        close(Breach.objects.get(pk=breach.pk), officer, nhse_report=NHSEReport.UNDECIDED)
    assert "nhse_report" in refused.value.message_dict


@pytest.mark.django_db
def test_an_investigation_cannot_be_dated_before_the_breach(breach: Breach, officer: User) -> None:
    with pytest.raises(ValidationError) as refused:
        investigate(breach, officer, investigated_on=breach.occurred_on - dt.timedelta(days=1))
    assert "investigated_on" in refused.value.message_dict
    assert Breach.objects.get(pk=breach.pk).status == BreachStatus.REPORTED


@pytest.mark.django_db
def test_a_reviewer_or_another_ccgs_guardian_may_not_take_a_breach_further(
    breach: Breach, make_user: Callable[..., User], level2_ccg: CCG, other_ccg: CCG
) -> None:
    reviewer = make_user(RoleKind.NHSE_REVIEWER, area_team=level2_ccg.area_team)
    stranger = make_user(RoleKind.CONFLICTS_GUARDIAN, ccg=other_ccg)
    for user in (reviewer, stranger):
        with pytest.raises(PermissionDenied):
            investigate(breach, user)
    assert Breach.objects.get(pk=breach.pk).status == BreachStatus.REPORTED


# The breach's page ----------------------------------------------------------------------------------


def breach_url(breach: Breach, step: str = "") -> str:
    return reverse(f"breach-{step}" if step else "breach-detail", args=[breach.pk])


def date_post(prefix: str, name: str, day: dt.date) -> dict[str, str]:
    return {
        f"{prefix}-{name}_day": str(day.day),
        f"{prefix}-{name}_month": str(day.month),
        f"{prefix}-{name}_year": str(day.year),
    }


def investigation_post(**extra: str) -> dict[str, str]:
    return {
        "investigate-investigated_by": "The Guardian",
        **date_post("investigate", "investigated_on", timezone.localdate()),
        "investigate-findings": "The member did not know the limit",
        "investigate-nhse_report": NHSEReport.REQUIRED,
        **extra,
    }


@pytest.mark.django_db
def test_the_page_offers_the_next_step_to_the_guardian_and_officer_only(
    breach: Breach, officer: User, guardian: User, make_user: Callable[..., User], level2_ccg: CCG
) -> None:
    reviewer = make_user(RoleKind.NHSE_REVIEWER, area_team=level2_ccg.area_team)

    for user in (officer, guardian):
        assert breach_url(breach, "investigate") in html_of(logged_in(user).get(breach_url(breach)))
    page = logged_in(reviewer).get(breach_url(breach))
    assert page.status_code == 200 and breach_url(breach, "investigate") not in html_of(page)
    posted = logged_in(reviewer).post(breach_url(breach, "investigate"), investigation_post())
    assert posted.status_code == 404
    assert Breach.objects.get(pk=breach.pk).status == BreachStatus.REPORTED


@pytest.mark.django_db
def test_a_breach_of_another_ccg_is_404(
    breach: Breach, make_user: Callable[..., User], other_ccg: CCG
) -> None:
    for kind in (RoleKind.CONFLICTS_GUARDIAN, RoleKind.GOVERNANCE_OFFICER):
        client = logged_in(make_user(kind, ccg=other_ccg))
        assert client.get(breach_url(breach)).status_code == 404
        assert client.post(breach_url(breach, "investigate"), investigation_post()).status_code == 404


@pytest.mark.django_db
def test_the_guardian_takes_a_breach_through_its_steps_on_its_page(breach: Breach, guardian: User) -> None:
    client = logged_in(guardian)

    assert client.post(breach_url(breach, "investigate"), investigation_post()).status_code == 302
    page = html_of(client.get(breach_url(breach)))
    assert breach_url(breach, "close") in page and "To report to NHS England" in page

    refused = client.post(
        breach_url(breach, "close"),
        {
            "close-outcome": "Repaid",
            "close-lessons_learned": "Annual briefing",
            **date_post("close", "closed_on", timezone.localdate()),
            "close-nhse_report": NHSEReport.REQUIRED,
        },
    )
    assert refused.status_code == 200
    assert "must be reported to NHS England before it is closed" in html_of(refused)
    assert Breach.objects.get(pk=breach.pk).status == BreachStatus.INVESTIGATED

    done = client.post(
        breach_url(breach, "close"),
        {
            "close-outcome": "Repaid",
            "close-lessons_learned": "Annual briefing",
            **date_post("close", "closed_on", timezone.localdate()),
            "close-nhse_report": NHSEReport.REQUIRED,
            **date_post("close", "reported_to_nhse_on", timezone.localdate()),
        },
    )
    assert done.status_code == 302
    closed = Breach.objects.get(pk=breach.pk)
    assert closed.status == BreachStatus.CLOSED
    page = html_of(client.get(breach_url(breach)))
    assert "Annual briefing" in page and breach_url(breach, "close") not in page


@pytest.mark.django_db
def test_a_form_error_saves_nothing(breach: Breach, officer: User) -> None:
    response = logged_in(officer).post(
        breach_url(breach, "investigate"), investigation_post(**{"investigate-findings": ""})
    )

    assert response.status_code == 200
    assert "Enter what the investigation found" in html_of(response)
    assert Breach.objects.get(pk=breach.pk).status == BreachStatus.REPORTED


@pytest.mark.django_db
def test_the_register_shows_each_breach_with_its_status_and_page(
    breach: Breach, officer: User, level2_ccg: CCG
) -> None:
    page = html_of(logged_in(officer).get(reverse("register-detail", args=[level2_ccg.ods_code])))

    assert breach_url(breach) in page and "Reported</strong>" in page
