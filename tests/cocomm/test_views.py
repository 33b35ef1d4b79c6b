"""The core pages: logging in and out, lock-out, home per role, editing a CCG, practices, errors."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse

from cocomm import services
from cocomm.audit import system_user
from cocomm.models import CCG, ContractType, Practice, RoleKind, User
from tests.factories.cocomm import LocalityFactory, PracticeFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # what UserFactory sets


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def officer(make_user: Callable[..., User], level2_ccg: CCG) -> User:
    return make_user(RoleKind.GOVERNANCE_OFFICER, ccg=level2_ccg)


@pytest.fixture
def reviewer(make_user: Callable[..., User], level2_ccg: CCG) -> User:
    return make_user(RoleKind.NHSE_REVIEWER, area_team=level2_ccg.area_team)


@pytest.fixture
def practice(level2_ccg: CCG) -> Practice:
    return PracticeFactory(ccg=level2_ccg, name="Lancaster Castle Hill Surgery", ods_code="P82801")


# Logging in and out ------------------------------------------------------------------------------


def test_the_login_page_uses_the_house_style_and_labels_its_fields(db: None) -> None:
    response = Client().get(reverse("login"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="nhsuk-header' in html
    assert '<label class="nhsuk-label" for="id_username">' in html
    assert '<label class="nhsuk-label" for="id_password">' in html
    assert html.count("<h1") == 1


def test_logging_in_with_the_right_password_lands_on_home(officer: User) -> None:
    client = Client()

    response = client.post(reverse("login"), {"username": officer.username, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session.get("_auth_user_id") == str(officer.pk)


def test_a_wrong_password_is_shown_in_the_error_summary_and_logs_nobody_in(officer: User) -> None:
    client = Client()

    response = client.post(reverse("login"), {"username": officer.username, "password": "not-it"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in html
    assert "Enter a correct username and password" in html
    assert 'href="#id_username"' in html
    assert "_auth_user_id" not in client.session


def test_empty_fields_are_each_named_in_the_error_summary(db: None) -> None:
    response = Client().post(reverse("login"), {"username": "", "password": ""})

    html = response.content.decode()
    assert "Enter your username" in html
    assert "Enter your password" in html
    assert "<title>Error: " in html


def test_after_five_wrong_passwords_even_the_right_one_is_refused(officer: User) -> None:
    client = Client()
    for _ in range(5):
        client.post(reverse("login"), {"username": officer.username, "password": "guess"})

    response = client.post(reverse("login"), {"username": officer.username, "password": PASSWORD})

    html = response.content.decode()
    assert response.status_code == 429
    assert "Your login is locked for now" in html
    assert "You can try again in 1 hour" in html
    assert "system administrator" in html
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_do_not_lock_the_login(officer: User) -> None:
    client = Client()
    for _ in range(4):
        client.post(reverse("login"), {"username": officer.username, "password": "guess"})

    response = client.post(reverse("login"), {"username": officer.username, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(officer.pk)


def test_logging_out_takes_a_post_and_ends_the_session(officer: User) -> None:
    client = logged_in(officer)

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302


def test_the_header_names_the_user_and_logs_out_with_a_csrf_protected_form(officer: User) -> None:
    html = logged_in(officer).get(reverse("ccg-list")).content.decode()

    assert officer.get_full_name() in html
    logout_form = html[html.index(f'action="{reverse("logout")}"') :]
    assert 'method="post"' in html[html.index('class="nhsuk-header__account-form"') :][:200]
    assert "csrfmiddlewaretoken" in logout_form[:400]


@pytest.mark.parametrize(
    "url_name, args",
    [
        ("home", []),
        ("practice-detail", ["P82801"]),
        ("practice-edit", ["P82801"]),
        ("practice-history", ["P82801"]),
    ],
)
def test_anonymous_users_are_sent_to_log_in(practice: Practice, url_name: str, args: list[str]) -> None:
    url = reverse(url_name, args=args)

    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


# Home -----------------------------------------------------------------------------------------------


def test_a_governance_officer_lands_on_their_ccg(officer: User, level2_ccg: CCG) -> None:
    response = logged_in(officer).get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("ccg-detail", args=[level2_ccg.ods_code])


def test_a_reviewer_lands_on_the_ccgs_of_their_area(reviewer: User) -> None:
    response = logged_in(reviewer).get(reverse("home"))

    assert response["Location"] == reverse("ccg-list")


def test_an_administrator_lands_on_every_ccg(administrator: User) -> None:
    response = logged_in(administrator).get(reverse("home"))

    assert response["Location"] == reverse("ccg-list")


def test_someone_with_several_roles_chooses_among_them(officer: User, other_ccg: CCG) -> None:
    services.role_grant(
        user=officer, kind=RoleKind.NHSE_REVIEWER, area_team=other_ccg.area_team, by=system_user(), reason="t"
    )

    response = logged_in(officer).get(reverse("home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Your roles" in html
    assert f"Governance officer, {officer.roles.get(kind=RoleKind.GOVERNANCE_OFFICER).ccg.name}" in html
    assert f"NHS England reviewer, {other_ccg.area_team.name}" in html
    assert f'href="{reverse("ccg-list")}#area-{other_ccg.area_team.ods_code}"' in html


def test_someone_with_no_role_is_told_plainly_what_to_do(db: None) -> None:
    response = logged_in(UserFactory()).get(reverse("home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "You do not have a role in cocomm yet" in html
    assert "Ask your system administrator" in html


# Editing a CCG --------------------------------------------------------------------------------------


def edit_url(ccg: CCG) -> str:
    return reverse("ccg-edit", args=[ccg.ods_code])


def test_the_ccgs_governance_officer_may_open_its_edit_page(officer: User, level2_ccg: CCG) -> None:
    response = logged_in(officer).get(edit_url(level2_ccg))

    assert response.status_code == 200
    assert 'value="NHS Lancashire North CCG"' in response.content.decode()


def test_another_ccgs_governance_officer_gets_not_found(officer: User, other_ccg: CCG) -> None:
    assert logged_in(officer).get(edit_url(other_ccg)).status_code == 404


def test_a_reviewer_gets_not_found_on_the_edit_page_of_a_ccg_they_can_see(
    reviewer: User, level2_ccg: CCG
) -> None:
    client = logged_in(reviewer)

    assert client.get(reverse("ccg-detail", args=[level2_ccg.ods_code])).status_code == 200
    assert client.get(edit_url(level2_ccg)).status_code == 404
    assert client.post(edit_url(level2_ccg), {"name": "X", "reason": "y"}).status_code == 404
    level2_ccg.refresh_from_db()
    assert level2_ccg.name == "NHS Lancashire North CCG"


def test_a_missing_ccg_is_not_found(administrator: User) -> None:
    assert logged_in(administrator).get(reverse("ccg-edit", args=["99Z"])).status_code == 404


def test_a_saved_edit_is_in_the_history_with_the_user_and_their_reason(
    officer: User, level2_ccg: CCG
) -> None:
    client = logged_in(officer)

    response = client.post(
        edit_url(level2_ccg),
        {"name": "NHS Lancashire North CCG", "weighted_population": "164092", "reason": "MoU section 4"},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("ccg-detail", args=[level2_ccg.ods_code]), 302)]
    assert "Your changes to NHS Lancashire North CCG have been saved." in response.content.decode()
    level2_ccg.refresh_from_db()
    assert level2_ccg.weighted_population == 164092
    latest = level2_ccg.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (officer, "MoU section 4")

    history = client.get(reverse("ccg-history", args=[level2_ccg.ods_code])).content.decode()
    assert "MoU section 4" in history
    assert officer.get_full_name() in history
    assert "<del>150000</del>" in history
    assert "<ins>164092</ins>" in history


def test_an_edit_without_a_reason_is_refused_and_changes_nothing(officer: User, level2_ccg: CCG) -> None:
    rows_before = level2_ccg.history.count()

    response = logged_in(officer).post(
        edit_url(level2_ccg), {"name": "Renamed CCG", "weighted_population": "1", "reason": "  "}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter the reason for the change" in html
    assert 'href="#id_reason"' in html
    level2_ccg.refresh_from_db()
    assert level2_ccg.name == "NHS Lancashire North CCG"
    assert level2_ccg.history.count() == rows_before


def test_a_negative_population_is_refused_and_changes_nothing(officer: User, level2_ccg: CCG) -> None:
    response = logged_in(officer).post(
        edit_url(level2_ccg), {"name": "Renamed CCG", "weighted_population": "-5", "reason": "typo"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Weighted population must be 0 or more" in html
    assert "nhsuk-input--error" in html
    level2_ccg.refresh_from_db()
    assert (level2_ccg.name, level2_ccg.weighted_population) == ("NHS Lancashire North CCG", 150000)


def test_a_name_another_ccg_has_is_refused_by_the_service_and_shown_on_the_field(
    administrator: User, level2_ccg: CCG, other_ccg: CCG
) -> None:
    response = logged_in(administrator).post(
        edit_url(level2_ccg), {"name": other_ccg.name, "weighted_population": "150000", "reason": "merge"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_name_error"' in html
    level2_ccg.refresh_from_db()
    assert level2_ccg.name == "NHS Lancashire North CCG"


def test_a_recorded_population_cannot_be_blanked_out(officer: User, level2_ccg: CCG) -> None:
    response = logged_in(officer).post(
        edit_url(level2_ccg), {"name": level2_ccg.name, "weighted_population": "", "reason": "unknown"}
    )

    assert "Enter the weighted population" in response.content.decode()
    level2_ccg.refresh_from_db()
    assert level2_ccg.weighted_population == 150000


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(officer: User, level2_ccg: CCG) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)

    response = client.post(
        edit_url(level2_ccg), {"name": "Forged", "weighted_population": "1", "reason": "forged"}
    )

    assert response.status_code == 403
    assert "The form has expired" in response.content.decode()
    level2_ccg.refresh_from_db()
    assert level2_ccg.name == "NHS Lancashire North CCG"


# Practices ------------------------------------------------------------------------------------------


def test_a_reviewer_sees_a_practice_of_their_area_but_may_not_edit_it(
    reviewer: User, practice: Practice
) -> None:
    client = logged_in(reviewer)

    page = client.get(reverse("practice-detail", args=[practice.ods_code]))

    assert page.status_code == 200
    assert "Lancaster Castle Hill Surgery" in page.content.decode()
    assert reverse("practice-edit", args=[practice.ods_code]) not in page.content.decode()
    assert client.get(reverse("practice-edit", args=[practice.ods_code])).status_code == 404


def test_a_practice_of_another_area_is_not_found(
    make_user: Callable[..., User], other_ccg: CCG, practice: Practice
) -> None:
    stranger = make_user(RoleKind.NHSE_REVIEWER, area_team=other_ccg.area_team)
    client = logged_in(stranger)

    for name in ("practice-detail", "practice-edit", "practice-history"):
        assert client.get(reverse(name, args=[practice.ods_code])).status_code == 404


def test_the_governance_officer_edits_a_practice_and_the_history_shows_it(
    officer: User, practice: Practice, level2_ccg: CCG
) -> None:
    locality = LocalityFactory(ccg=level2_ccg, name="Lancaster")
    client = logged_in(officer)

    response = client.post(
        reverse("practice-edit", args=[practice.ods_code]),
        {
            "name": practice.name,
            "contract_type": ContractType.PMS,
            "list_size": "10450",
            "locality": str(locality.pk),
            "reason": "Moved to a PMS contract",
        },
    )

    assert response.status_code == 302
    practice.refresh_from_db()
    assert (practice.contract_type, practice.list_size, practice.locality) == (
        ContractType.PMS,
        10450,
        locality,
    )
    latest = practice.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (officer, "Moved to a PMS contract")
    history = client.get(reverse("practice-history", args=[practice.ods_code])).content.decode()
    assert "Moved to a PMS contract" in history
    assert "PMS (Personal Medical Services)" in history


def test_a_locality_of_another_ccg_cannot_be_chosen(
    officer: User, practice: Practice, other_ccg: CCG
) -> None:
    elsewhere = LocalityFactory(ccg=other_ccg, name="Camden Town")

    response = logged_in(officer).post(
        reverse("practice-edit", args=[practice.ods_code]),
        {
            "name": practice.name,
            "contract_type": ContractType.GMS,
            "list_size": "7000",
            "locality": str(elsewhere.pk),
            "reason": "wrong",
        },
    )

    assert response.status_code == 200
    assert "Select one of the CCG&#x27;s localities" in response.content.decode()
    practice.refresh_from_db()
    assert practice.locality is None


def test_a_practice_edit_with_a_negative_list_size_changes_nothing(officer: User, practice: Practice) -> None:
    response = logged_in(officer).post(
        reverse("practice-edit", args=[practice.ods_code]),
        {"name": "New name", "contract_type": ContractType.GMS, "list_size": "-1", "reason": "typo"},
    )

    assert response.status_code == 200
    assert "List size must be 0 or more" in response.content.decode()
    practice.refresh_from_db()
    assert (practice.name, practice.list_size) == ("Lancaster Castle Hill Surgery", 7000)


# Error pages ---------------------------------------------------------------------------------------


def test_a_missing_page_is_answered_in_the_house_style(officer: User) -> None:
    response = logged_in(officer).get("/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html
    assert 'class="nhsuk-header' in html


def test_the_server_error_page_renders_without_a_request_context(rf: RequestFactory) -> None:
    from django.views.defaults import permission_denied, server_error

    error = server_error(rf.get("/"))
    denied = permission_denied(rf.get("/"), PermissionDenied())

    assert error.status_code == 500
    assert "Sorry, there is a problem with the service" in error.content.decode()
    assert denied.status_code == 403
    assert "You cannot do that" in denied.content.decode()


# The admin site -------------------------------------------------------------------------------------


def test_an_admin_site_save_records_the_administrator_and_a_reason(
    administrator: User, level2_ccg: CCG
) -> None:
    client = logged_in(administrator)
    url = reverse("admin:cocomm_ccg_change", args=[level2_ccg.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, {"name": "NHS Lancashire North CCG", "weighted_population": "164092"})

    assert response.status_code == 302
    level2_ccg.refresh_from_db()
    assert level2_ccg.weighted_population == 164092
    latest = level2_ccg.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (administrator, "Changed in the admin site")


def test_the_admin_site_is_closed_to_other_roles(officer: User, level2_ccg: CCG) -> None:
    response = logged_in(officer).get(reverse("admin:cocomm_ccg_change", args=[level2_ccg.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
