"""Core services: their effects, the permissions that follow from roles, and their history rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from cocomm import permissions, services
from cocomm.audit import system_user
from cocomm.models import CCG, AreaTeam, Role, RoleKind, RoleStatus, User
from cocomm.selectors import ccgs_visible_to
from tests.factories.cocomm import AreaTeamFactory, CCGFactory, LocalityFactory, PracticeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_governance_officer_may_change_their_ccg_and_the_history_names_them_and_why(
    make_user: Callable[..., User], level2_ccg: CCG
) -> None:
    officer = make_user(RoleKind.GOVERNANCE_OFFICER, ccg=level2_ccg)

    services.ccg_update(
        ccg=level2_ccg, weighted_population=164092, by=officer, reason="Population from the 2016 MoU"
    )

    level2_ccg.refresh_from_db()
    assert level2_ccg.weighted_population == 164092
    latest = level2_ccg.history.latest()
    assert latest.history_user == officer
    assert latest.history_change_reason == "Population from the 2016 MoU"
    assert latest.prev_record.weighted_population == 150000


def test_a_governance_officer_may_not_change_another_ccg(
    make_user: Callable[..., User], level2_ccg: CCG, other_ccg: CCG
) -> None:
    officer = make_user(RoleKind.GOVERNANCE_OFFICER, ccg=level2_ccg)
    with pytest.raises(PermissionDenied):
        services.ccg_update(ccg=other_ccg, name="Renamed", by=officer, reason="Trying")
    other_ccg.refresh_from_db()
    assert other_ccg.name == "NHS Camden CCG"
    assert other_ccg.history.count() == 1


def test_a_change_without_a_reason_is_refused_and_nothing_is_saved(
    administrator: User, level2_ccg: CCG
) -> None:
    with pytest.raises(ValueError, match="reason"):
        services.ccg_update(ccg=level2_ccg, name="No reason given", by=administrator, reason="  ")
    level2_ccg.refresh_from_db()
    assert level2_ccg.name == "NHS Lancashire North CCG"


def test_a_reviewer_sees_the_ccgs_of_their_area_and_no_others(
    make_user: Callable[..., User], level2_ccg: CCG, other_ccg: CCG, national_area: AreaTeam
) -> None:
    reviewer = make_user(RoleKind.NHSE_REVIEWER, area_team=national_area)
    assert list(ccgs_visible_to(reviewer)) == [level2_ccg]
    assert permissions.can_view_ccg(reviewer, level2_ccg)
    assert not permissions.can_view_ccg(reviewer, other_ccg)
    assert not permissions.can_change_ccg(reviewer, level2_ccg)


def test_a_ccg_added_later_to_an_area_is_visible_to_its_reviewers(
    make_user: Callable[..., User], national_area: AreaTeam, administrator: User
) -> None:
    reviewer = make_user(RoleKind.NHSE_REVIEWER, area_team=national_area)
    ccg = services.ccg_create(
        ods_code="01K",
        name="NHS Lancashire North CCG",
        area_team=national_area,
        by=administrator,
        reason="New",
    )
    assert list(ccgs_visible_to(User.objects.get(pk=reviewer.pk))) == [ccg]


def test_moving_a_ccg_to_another_area_moves_it_between_reviewers(
    make_user: Callable[..., User],
    level2_ccg: CCG,
    other_national_area: AreaTeam,
    national_area: AreaTeam,
    administrator: User,
) -> None:
    old_reviewer = make_user(RoleKind.NHSE_REVIEWER, area_team=national_area)
    new_reviewer = make_user(RoleKind.NHSE_REVIEWER, area_team=other_national_area)

    services.ccg_update(ccg=level2_ccg, area_team=other_national_area, by=administrator, reason="Boundary")

    assert level2_ccg not in ccgs_visible_to(User.objects.get(pk=old_reviewer.pk))
    assert level2_ccg in ccgs_visible_to(User.objects.get(pk=new_reviewer.pk))


def test_only_an_administrator_moves_a_ccg_between_areas(
    make_user: Callable[..., User], level2_ccg: CCG, other_national_area: AreaTeam
) -> None:
    officer = make_user(RoleKind.GOVERNANCE_OFFICER, ccg=level2_ccg)
    with pytest.raises(PermissionDenied):
        services.ccg_update(ccg=level2_ccg, area_team=other_national_area, by=officer, reason="Move")


def test_administrators_see_every_ccg(administrator: User, level2_ccg: CCG, other_ccg: CCG) -> None:
    assert set(ccgs_visible_to(administrator)) == {level2_ccg, other_ccg}


def test_a_user_with_no_role_sees_nothing(level2_ccg: CCG) -> None:
    assert not ccgs_visible_to(UserFactory()).exists()


def test_ending_a_role_revokes_its_permissions_at_once(
    make_user: Callable[..., User], level2_ccg: CCG, administrator: User
) -> None:
    officer = make_user(RoleKind.GOVERNANCE_OFFICER, ccg=level2_ccg)
    role = Role.objects.get(user=officer)

    services.role_end(role=role, by=administrator, reason="Left the CCG")

    officer = User.objects.get(pk=officer.pk)
    assert not permissions.can_change_ccg(officer, level2_ccg)
    role.refresh_from_db()
    assert role.status == RoleStatus.ENDED
    assert role.history.latest().history_user == administrator
    assert role.history.latest().history_change_reason == "Left the CCG"


def test_a_second_role_keeps_access_when_the_first_ends(
    make_user: Callable[..., User], level2_ccg: CCG, administrator: User
) -> None:
    officer = make_user(RoleKind.GOVERNANCE_OFFICER, ccg=level2_ccg)
    services.role_grant(
        user=officer, kind=RoleKind.GOVERNANCE_OFFICER, ccg=level2_ccg, by=administrator, reason="Cover"
    )
    services.role_end(role=Role.objects.filter(user=officer).first(), by=administrator, reason="Ended")
    assert permissions.can_change_ccg(User.objects.get(pk=officer.pk), level2_ccg)


def test_a_role_starting_later_grants_nothing_until_its_start_date(
    level2_ccg: CCG, administrator: User
) -> None:
    user = UserFactory()
    with time_machine.travel(dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC), tick=False):
        role = services.role_grant(
            user=user,
            kind=RoleKind.GOVERNANCE_OFFICER,
            ccg=level2_ccg,
            starts_on=dt.date(2026, 12, 1),
            by=administrator,
            reason="Starts next month",
        )
        assert role.status == RoleStatus.SCHEDULED
        assert not permissions.can_view_ccg(User.objects.get(pk=user.pk), level2_ccg)

    with time_machine.travel(dt.datetime(2026, 11, 30, 23, 0, tzinfo=dt.UTC), tick=False):
        # 23:00 UTC on 30 November is still 30 November in London: nothing starts yet.
        assert services.roles_refresh() == []

    with time_machine.travel(dt.datetime(2026, 12, 1, 0, 30, tzinfo=dt.UTC), tick=False):
        changed = services.roles_refresh()

    assert [r.pk for r in changed] == [role.pk]
    assert permissions.can_view_ccg(User.objects.get(pk=user.pk), level2_ccg)
    latest = Role.objects.get(pk=role.pk).history.latest()
    assert latest.history_user == system_user()
    assert latest.history_change_reason == "Role reached its start date"


def test_roles_refresh_ends_a_role_on_its_end_date_and_is_safe_to_repeat(
    level2_ccg: CCG, administrator: User
) -> None:
    user = UserFactory()
    role = services.role_grant(
        user=user,
        kind=RoleKind.GOVERNANCE_OFFICER,
        ccg=level2_ccg,
        starts_on=dt.date(2020, 1, 1),
        ends_on=dt.date(2030, 1, 1),
        by=administrator,
        reason="Fixed term",
    )
    assert services.roles_refresh(today=dt.date(2029, 12, 31)) == []
    assert [r.pk for r in services.roles_refresh(today=dt.date(2030, 1, 1))] == [role.pk]
    assert services.roles_refresh(today=dt.date(2030, 1, 1)) == []
    assert not permissions.can_view_ccg(User.objects.get(pk=user.pk), level2_ccg)


def test_an_ended_role_cannot_be_ended_again(
    make_user: Callable[..., User], level2_ccg: CCG, administrator: User
) -> None:
    officer = make_user(RoleKind.GOVERNANCE_OFFICER, ccg=level2_ccg)
    role = Role.objects.get(user=officer)
    services.role_end(role=role, by=administrator, reason="Left")
    with pytest.raises(ValidationError):
        services.role_end(role=role, by=administrator, reason="Again")


def test_a_role_must_match_its_scope(administrator: User, level2_ccg: CCG) -> None:
    with pytest.raises(ValidationError):
        services.role_grant(
            user=UserFactory(), kind=RoleKind.NHSE_REVIEWER, ccg=level2_ccg, by=administrator, reason="Wrong"
        )
    assert not Role.objects.filter(kind=RoleKind.NHSE_REVIEWER).exists()


def test_only_administrators_grant_roles(make_user: Callable[..., User], level2_ccg: CCG) -> None:
    officer = make_user(RoleKind.GOVERNANCE_OFFICER, ccg=level2_ccg)
    with pytest.raises(PermissionDenied):
        services.role_grant(
            user=UserFactory(), kind=RoleKind.SYSTEM_ADMINISTRATOR, by=officer, reason="Promote myself"
        )


def test_the_administrator_role_opens_the_admin_site_and_closes_it_when_it_ends(administrator: User) -> None:
    administrator.refresh_from_db()
    assert administrator.is_staff
    role = Role.objects.get(user=administrator)
    services.role_end(role=role, by=system_user(), reason="Left")
    administrator.refresh_from_db()
    assert not administrator.is_staff


def test_a_practice_locality_must_belong_to_its_ccg(
    administrator: User, level2_ccg: CCG, other_ccg: CCG
) -> None:
    practice = PracticeFactory(ccg=level2_ccg)
    elsewhere = LocalityFactory(ccg=other_ccg)
    with pytest.raises(ValidationError) as error:
        services.practice_update(
            practice=practice,
            name=practice.name,
            contract_type="PMS",
            list_size=100,
            locality=elsewhere,
            by=administrator,
            reason="Move",
        )
    assert "locality" in error.value.message_dict
    practice.refresh_from_db()
    assert practice.contract_type == "GMS"


def test_invalid_data_is_refused_by_validation_not_the_database(
    administrator: User, national_area: AreaTeam
) -> None:
    with pytest.raises(ValidationError) as error:
        services.ccg_create(
            ods_code="bad code", name="X", area_team=national_area, by=administrator, reason="New"
        )
    assert "ods_code" in error.value.message_dict
    assert not CCG.objects.filter(name="X").exists()


def test_duplicate_ods_codes_are_refused(administrator: User) -> None:
    AreaTeamFactory(ods_code="Q47")
    with pytest.raises(ValidationError):
        services.area_team_create(ods_code="Q47", name="Another", by=administrator, reason="New")


def test_ccg_factory_and_services_agree_on_permissions(make_user: Callable[..., User]) -> None:
    ccg = CCGFactory()
    officer = make_user(RoleKind.GOVERNANCE_OFFICER, ccg=ccg)
    assert permissions.can_change_ccg(officer, ccg)
