"""The Conflicts of Interest Guardian: a dated, audited role per CCG, given and ended by administrators.
The Guardian sees the CCG's breaches (and moves them on), its referrals and its whole register of
interests, not what only governance officers do; another CCG's Guardian, or one whose role has
ended, gets a 404. The referrals list takes the same queries however many referrals there are."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cocomm import permissions as core_permissions
from cocomm import services as core_services
from cocomm.audit import save_audited, system_user
from cocomm.models import CCG, Role, RoleKind, RoleStatus, User
from conflicts import permissions, services
from conflicts.models import Breach, Referral, ReferralRoute
from tests.factories.cocomm import UserFactory
from tests.factories.committees import Board, decision_item, meeting_of, pccc
from tests.factories.delegation import give_level

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ccg(level2_ccg: CCG) -> CCG:
    give_level(level2_ccg, 3, dt.date(2016, 4, 1))
    return level2_ccg


@pytest.fixture
def board(ccg: CCG) -> Board:
    return pccc(ccg)


@pytest.fixture
def guardian(make_user: Callable[..., User], ccg: CCG) -> User:
    return make_user(RoleKind.CONFLICTS_GUARDIAN, ccg=ccg)


@pytest.fixture
def other_guardian(make_user: Callable[..., User], other_ccg: CCG) -> User:
    return make_user(RoleKind.CONFLICTS_GUARDIAN, ccg=other_ccg)


@pytest.fixture
def breach(ccg: CCG) -> Breach:
    return services.breach_record(
        ccg=ccg,
        occurred_on=timezone.localdate() - dt.timedelta(days=20),
        what_happened="Hospitality accepted without approval",
        reported_by="Governance officer",
        by=system_user(),
    )


def referred(board: Board, ccg: CCG, count: int) -> list[Referral]:
    """Items of past meetings referred to co-opted members (test data written directly, audited)."""
    made = []
    for n in range(count):
        meeting = meeting_of(board, on=dt.date(2016, 5, 1) + dt.timedelta(days=7 * n), present=[])
        item = decision_item(board, meeting, ccg, title=f"Item {n}")
        referral = Referral(item=item, route=ReferralRoute.CO_OPTION, guardian_consulted=True, note="Co-opt")
        save_audited(referral, by=system_user(), reason="Test data")
        made.append(referral)
    return made


def guardian_urls(ccg: CCG) -> list[str]:
    return [
        reverse("guardian-overview", args=[ccg.ods_code]),
        reverse("referral-list", args=[ccg.ods_code]),
        reverse("register-detail", args=[ccg.ods_code]),
    ]


# The role -----------------------------------------------------------------------------------------------


def test_an_administrator_gives_the_role_from_the_page_and_it_is_audited(
    administrator: User, ccg: CCG
) -> None:
    newcomer = UserFactory(username="audit.chair")

    response = logged_in(administrator).post(
        reverse("role-grant", args=["audit.chair"]),
        {"kind": RoleKind.CONFLICTS_GUARDIAN, "ccg": ccg.pk, "reason": "Named by the governing body"},
    )

    assert response.status_code == 302
    role = Role.objects.get(user=newcomer)
    assert (role.kind, role.ccg, role.status) == (RoleKind.CONFLICTS_GUARDIAN, ccg, RoleStatus.ACTIVE)
    assert role.history.latest().history_user == administrator
    assert role.history.latest().history_change_reason == "Named by the governing body"
    assert core_permissions.is_conflicts_guardian(User.objects.get(pk=newcomer.pk), ccg)


def test_the_role_needs_its_ccg(administrator: User) -> None:
    UserFactory(username="audit.chair")
    response = logged_in(administrator).post(
        reverse("role-grant", args=["audit.chair"]), {"kind": RoleKind.CONFLICTS_GUARDIAN, "reason": "Named"}
    )
    assert "Choose the CCG they are Conflicts of Interest Guardian of" in response.content.decode()
    assert not Role.objects.filter(user__username="audit.chair").exists()


def test_only_an_administrator_gives_the_role(make_user: Callable[..., User], ccg: CCG) -> None:
    officer = make_user(RoleKind.GOVERNANCE_OFFICER, ccg=ccg)
    with pytest.raises(Exception, match="administrator"):
        core_services.role_grant(
            user=UserFactory(), kind=RoleKind.CONFLICTS_GUARDIAN, ccg=ccg, by=officer, reason="Named"
        )


def test_a_guardian_role_starts_on_its_date(administrator: User, ccg: CCG) -> None:
    user = UserFactory()
    today = timezone.localdate()
    core_services.role_grant(
        user=user,
        kind=RoleKind.CONFLICTS_GUARDIAN,
        ccg=ccg,
        starts_on=today + dt.timedelta(days=3),
        by=administrator,
        reason="From the next governing body",
    )
    assert not core_permissions.is_conflicts_guardian(User.objects.get(pk=user.pk), ccg)

    core_services.roles_refresh(today=today + dt.timedelta(days=3))

    assert core_permissions.is_conflicts_guardian(User.objects.get(pk=user.pk), ccg)


# What the Guardian sees --------------------------------------------------------------------------------


def test_the_guardian_sees_the_ccgs_breaches_referrals_and_register(
    guardian: User, ccg: CCG, board: Board, breach: Breach
) -> None:
    [referral] = referred(board, ccg, 1)
    client = logged_in(guardian)

    for url in guardian_urls(ccg):
        assert client.get(url).status_code == 200, url
    overview = client.get(reverse("guardian-overview", args=[ccg.ods_code])).content.decode()
    assert reverse("breach-detail", args=[breach.pk]) in overview
    referrals = client.get(reverse("referral-list", args=[ccg.ods_code])).content.decode()
    assert reverse("agenda-item-detail", args=[referral.item_id]) in referrals
    assert client.get(reverse("breach-detail", args=[breach.pk])).status_code == 200


def test_the_guardian_lands_on_their_page(guardian: User, ccg: CCG) -> None:
    response = logged_in(guardian).get(reverse("home"))
    assert response["Location"] == reverse("guardian-overview", args=[ccg.ods_code])


def test_a_guardian_of_another_ccg_gets_404(other_guardian: User, ccg: CCG, breach: Breach) -> None:
    client = logged_in(other_guardian)
    for url in [*guardian_urls(ccg), reverse("breach-detail", args=[breach.pk])]:
        assert client.get(url).status_code == 404, url


def test_a_guardian_whose_role_has_ended_sees_nothing(
    guardian: User, administrator: User, ccg: CCG, breach: Breach
) -> None:
    core_services.role_end(role=Role.objects.get(user=guardian), by=administrator, reason="Term ended")
    client = logged_in(User.objects.get(pk=guardian.pk))

    for url in [*guardian_urls(ccg), reverse("breach-detail", args=[breach.pk])]:
        assert client.get(url).status_code == 404, url
    assert not permissions.can_handle_breaches(User.objects.get(pk=guardian.pk), ccg)


def test_the_guardian_does_not_do_what_only_officers_do(guardian: User, ccg: CCG) -> None:
    client = logged_in(guardian)

    for name in ("campaign-create", "declaration-create-for", "offer-create", "thresholds-edit"):
        assert client.get(reverse(name, args=[ccg.ods_code])).status_code == 404, name
    assert client.get(reverse("ccg-edit", args=[ccg.ods_code])).status_code == 404
    register = client.get(reverse("register-detail", args=[ccg.ods_code])).content.decode()
    assert reverse("campaign-create", args=[ccg.ods_code]) not in register
    assert reverse("breach-create", args=[ccg.ods_code]) in register


def test_the_guardian_records_a_breach(guardian: User, ccg: CCG) -> None:
    day = timezone.localdate() - dt.timedelta(days=3)
    response = logged_in(guardian).post(
        reverse("breach-create", args=[ccg.ods_code]),
        {
            "occurred_on_day": str(day.day),
            "occurred_on_month": str(day.month),
            "occurred_on_year": str(day.year),
            "what_happened": "A member did not declare at the meeting",
            "reported_by": "A committee member",
        },
    )
    breach = Breach.objects.get()
    assert response["Location"] == reverse("breach-detail", args=[breach.pk])
    assert breach.history.latest().history_user == guardian


def test_the_referrals_list_takes_the_same_queries_however_many_referrals(
    guardian: User, board: Board, ccg: CCG
) -> None:
    url = reverse("referral-list", args=[ccg.ods_code])
    client = logged_in(guardian)
    referred(board, ccg, 2)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    few = count()
    referred(board, ccg, 6)
    assert count() == few
