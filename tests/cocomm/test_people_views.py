"""People and roles pages: administrators add logins, give and end roles; nobody else sees them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cocomm import permissions, services
from cocomm.audit import system_user
from cocomm.models import CCG, Person, Role, RoleKind, RoleStatus, User
from tests.factories.cocomm import UserFactory

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin_client(administrator: User) -> Client:
    return logged_in(administrator)


def test_an_administrator_adds_a_login_and_is_sent_to_give_it_a_role(
    admin_client: Client, administrator: User
) -> None:
    response = admin_client.post(
        reverse("person-create"),
        {
            "username": "priya.shah",
            "title": "Ms",
            "first_name": "Priya",
            "last_name": "Shah",
            "email": "priya.shah@nhs.net",
            "job_title": "Governance officer",
            "password": "a-sound-first-password-42",
            "reason": "New governance officer for Lancashire North",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("role-grant", args=["priya.shah"])
    person = Person.objects.get(user__username="priya.shah")
    assert person.full_name == "Priya Shah"
    assert person.user is not None and person.user.check_password("a-sound-first-password-42")
    created = person.user.history.get()
    assert (created.history_user, created.history_change_reason) == (
        administrator,
        "New governance officer for Lancashire North",
    )


def test_a_weak_password_or_taken_username_is_refused_on_the_page(
    admin_client: Client, administrator: User
) -> None:
    response = admin_client.post(
        reverse("person-create"),
        {
            "username": administrator.username,
            "first_name": "A",
            "last_name": "B",
            "email": "not-an-email",
            "password": "short",
            "reason": "",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "That username is taken" in html
    assert "Enter an email address like name@nhs.net" in html
    assert "too short" in html
    assert "Enter the reason for the change" in html
    assert User.objects.filter(username=administrator.username).count() == 1


def test_giving_a_governance_officer_role_grants_access_to_the_ccg(
    admin_client: Client, administrator: User, level2_ccg: CCG
) -> None:
    newcomer = UserFactory(username="newcomer")
    response = admin_client.post(
        reverse("role-grant", args=["newcomer"]),
        {"kind": RoleKind.GOVERNANCE_OFFICER, "ccg": level2_ccg.pk, "reason": "Appointed by the CCG"},
    )
    assert response.status_code == 302
    assert permissions.can_change_ccg(User.objects.get(pk=newcomer.pk), level2_ccg)
    assert logged_in(newcomer).get(reverse("ccg-edit", args=[level2_ccg.ods_code])).status_code == 200
    page = admin_client.get(reverse("person-detail", args=["newcomer"])).content.decode()
    assert "Appointed by the CCG" in page
    assert level2_ccg.name in page


def test_a_governance_officer_role_needs_its_ccg(admin_client: Client) -> None:
    UserFactory(username="newcomer")
    response = admin_client.post(
        reverse("role-grant", args=["newcomer"]),
        {"kind": RoleKind.GOVERNANCE_OFFICER, "reason": "Appointed"},
    )
    assert response.status_code == 200
    assert "Choose the CCG they are governance officer of" in response.content.decode()
    assert not Role.objects.filter(user__username="newcomer").exists()


def test_a_stray_ccg_does_not_widen_a_reviewer_role(
    admin_client: Client, level2_ccg: CCG, other_ccg: CCG
) -> None:
    UserFactory(username="reviewer")
    admin_client.post(
        reverse("role-grant", args=["reviewer"]),
        {
            "kind": RoleKind.NHSE_REVIEWER,
            "area_team": level2_ccg.area_team.pk,
            "ccg": other_ccg.pk,
            "reason": "Appointed",
        },
    )
    role = Role.objects.get(user__username="reviewer")
    assert role.ccg is None and role.area_team == level2_ccg.area_team


def test_ending_a_role_from_the_page_removes_access_now(
    admin_client: Client, make_user: Callable[..., User], level2_ccg: CCG
) -> None:
    officer = make_user(RoleKind.GOVERNANCE_OFFICER, ccg=level2_ccg)
    role = Role.objects.get(user=officer)
    response = admin_client.post(
        reverse("role-end", args=[officer.username, role.pk]), {"reason": "Left the CCG"}
    )
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.status == RoleStatus.ENDED
    assert logged_in(officer).get(reverse("ccg-detail", args=[level2_ccg.ods_code])).status_code == 404


def test_people_pages_are_hidden_from_everyone_but_administrators(
    make_user: Callable[..., User], level2_ccg: CCG
) -> None:
    officer = make_user(RoleKind.GOVERNANCE_OFFICER, ccg=level2_ccg)
    client = logged_in(officer)
    role = Role.objects.get(user=officer)
    for url in (
        reverse("person-list"),
        reverse("person-create"),
        reverse("person-detail", args=[officer.username]),
        reverse("role-grant", args=[officer.username]),
        reverse("role-end", args=[officer.username, role.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            reverse("role-grant", args=[officer.username]), {"kind": "system_administrator"}
        ).status_code
        == 404
    )
    assert not permissions.is_administrator(User.objects.get(pk=officer.pk))


def test_the_people_list_takes_the_same_queries_however_many_people(
    admin_client: Client, level2_ccg: CCG
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(reverse("person-list")).status_code == 200
        return len(queries)

    few = count()
    for _ in range(15):
        services.role_grant(
            user=UserFactory(),
            kind=RoleKind.GOVERNANCE_OFFICER,
            ccg=level2_ccg,
            by=system_user(),
            reason="Test",
        )
    assert count() == few
