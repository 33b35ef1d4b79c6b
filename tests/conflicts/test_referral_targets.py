"""Referring an item puts it on another body's agenda, so the referral service checks the body itself,
whoever calls it (the page, the API, a command): a body of the item's CCGs, not the committee it left,
of the kind the route names, reached through its own next meeting, and one the person referring may
send it to. Each refusal says why, and nothing is added anywhere."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cocomm.audit import system_user
from cocomm.models import CCG, AreaTeam, RoleKind, User
from committees import services as committee_services
from committees.choices import CommitteeKind, CompositionRule, MatterKind, MemberCategory, Office
from committees.models import AgendaItem, Committee, Meeting
from conflicts import services
from conflicts.models import InterestType, Referral, ReferralRoute, Ruling
from functions.models import Function
from tests.factories.cocomm import CCGFactory, PracticeFactory
from tests.factories.committees import Board, meeting_of, pccc, seat
from tests.factories.delegation import give_level

pytestmark = pytest.mark.django_db
JUNE_2016 = dt.date(2016, 6, 1)
REASON = "Test data"


@pytest.fixture
def ccg(level2_ccg: CCG) -> CCG:
    give_level(level2_ccg, 3, dt.date(2016, 4, 1))
    return level2_ccg


def body(
    name: str, kind: str, ccgs: list[CCG], *, meets_on: dt.date | None = dt.date(2016, 7, 1)
) -> Committee:
    """A committee of the CCGs that may take any function, with a meeting after the referring one."""
    committee = committee_services.committee_create(
        name=name, kind=kind, ccgs=ccgs, functions=Function.objects.all(), by=system_user(), reason=REASON
    )
    if meets_on is not None:
        committee_services.meeting_schedule(
            committees=[committee],
            title=f"{name} meeting",
            starts_at=timezone.make_aware(dt.datetime.combine(meets_on, dt.time(9, 0))),
            by=system_user(),
            reason=REASON,
        )
    return committee


def board_of(ccgs: list[CCG]) -> Board:
    """A primary care commissioning committee serving the CCGs given (quorum: 1 lay, 1 GP, 1 executive)."""
    if len(ccgs) == 1:
        return pccc(ccgs[0])
    committee = body("Joint PCCC in common", CommitteeKind.PCCC, ccgs, meets_on=None)
    terms = committee_services.terms_draft(
        committee=committee,
        version="v1",
        composition_rule=CompositionRule.PCCC,
        quorum_minimum=3,
        quorum_categories={"lay": 1, "clinical": 1, "executive": 1},
        by=system_user(),
        reason=REASON,
    )
    committee_services.terms_approve(
        terms=terms,
        approved_by="Governing bodies",
        approved_on=dt.date(2016, 3, 1),
        by=system_user(),
        reason=REASON,
    )
    board = Board(committee)
    seat(board, "lay_chair", MemberCategory.LAY, office=Office.CHAIR)
    seat(board, "lay_member", MemberCategory.LAY)
    seat(board, "chief_officer", MemberCategory.EXECUTIVE)
    seat(board, "gp_one", MemberCategory.CLINICAL)
    return board


def inquorate_item(board: Board, ccg: CCG) -> AgendaItem:
    """A list closure for decision, left inquorate: the only GP present is a partner and leaves."""
    practice = PracticeFactory(ccg=ccg)
    services.declaration_make(
        ccg=ccg,
        person=board.person("gp_one"),
        position="GP member",
        interest_type=InterestType.FINANCIAL,
        description="Partner at the practice",
        practice=practice,
        interest_from=dt.date(2010, 1, 1),
        by=board.user("gp_one"),
    )
    matter = committee_services.matter_raise(
        ccg=ccg,
        function=Function.objects.get(number=3),
        kind=MatterKind.LIST_CLOSURE,
        title=f"{practice.name} applies to close its list",
        practices=[practice],
        by=system_user(),
        reason="Received",
    )
    meeting = meeting_of(board, on=JUNE_2016, present=["lay_chair", "lay_member", "chief_officer", "gp_one"])
    item = committee_services.matter_schedule(
        matter=matter, meeting=meeting, by=system_user(), reason="Agenda"
    )
    services.item_declaration_rule(
        item=item,
        person=board.person("gp_one"),
        statement="Partner",
        ruling=Ruling.LEAVES,
        by=board.user("lay_chair"),
    )
    return item


def refer(
    item: AgendaItem, by: User, to: Committee | None, route: str = ReferralRoute.OTHER_COMMITTEE
) -> Referral:
    return services.referral_record(item=item, route=route, guardian_consulted=True, to_committee=to, by=by)


def nothing_added(*committees: Committee) -> bool:
    return not Referral.objects.exists() and not AgendaItem.objects.filter(committee__in=committees).exists()


def test_a_body_of_another_ccg_is_refused_without_naming_it(ccg: CCG, other_ccg: CCG) -> None:
    board = pccc(ccg)
    item = inquorate_item(board, ccg)
    elsewhere = body("NHS Camden CCG Governing Body", CommitteeKind.GOVERNING_BODY, [other_ccg])

    with pytest.raises(ValidationError) as refused:
        refer(item, board.user("lay_chair"), elsewhere, ReferralRoute.GOVERNING_BODY)

    assert refused.value.message_dict == {
        "to_committee": [f"An item is referred only to another body serving {ccg.name}; that one does not."]
    }
    assert "Camden" not in str(refused.value)
    assert nothing_added(elsewhere)


def test_a_body_of_another_area_team_is_refused_on_the_neighbour_route_too(ccg: CCG, other_ccg: CCG) -> None:
    board = pccc(ccg)
    item = inquorate_item(board, ccg)
    elsewhere = body("NHS Camden CCG Primary Care Committee", CommitteeKind.PCCC, [other_ccg])

    with pytest.raises(ValidationError, match="referred only to another body serving"):
        refer(item, board.user("lay_chair"), elsewhere, ReferralRoute.NEIGHBOUR)
    assert nothing_added(elsewhere)


def test_the_committee_that_found_the_item_inquorate_is_refused(ccg: CCG) -> None:
    board = pccc(ccg)
    item = inquorate_item(board, ccg)
    meeting_of(board, on=dt.date(2016, 7, 1), present=[])

    with pytest.raises(ValidationError) as refused:
        refer(item, board.user("lay_chair"), board.committee)

    assert refused.value.message_dict["to_committee"] == [
        f"The item is inquorate at {board.committee}: refer it to another body."
    ]
    assert not Referral.objects.exists()
    assert AgendaItem.objects.filter(committee=board.committee).count() == 1  # the item itself only


def test_the_governing_body_route_takes_only_a_governing_body(ccg: CCG) -> None:
    board = pccc(ccg)
    item = inquorate_item(board, ccg)
    group = body("Primary Care Estates Group", CommitteeKind.STEERING_GROUP, [ccg])

    with pytest.raises(ValidationError) as refused:
        refer(item, board.user("lay_chair"), group, ReferralRoute.GOVERNING_BODY)

    assert refused.value.message_dict["to_committee"] == [
        "Primary Care Estates Group is not a governing body: choose the governing body, or refer the item to "
        "another committee."
    ]
    assert nothing_added(group)


def test_co_option_names_no_other_committee(ccg: CCG) -> None:
    board = pccc(ccg)
    item = inquorate_item(board, ccg)
    governing_body = body("Governing Body", CommitteeKind.GOVERNING_BODY, [ccg])

    with pytest.raises(ValidationError) as refused:
        refer(item, board.user("lay_chair"), governing_body, ReferralRoute.CO_OPTION)

    assert refused.value.message_dict["to_committee"] == [
        "Co-opted members join this committee for the item: name no other committee."
    ]
    assert nothing_added(governing_body)


def test_the_item_goes_to_the_target_bodys_own_next_meeting(ccg: CCG) -> None:
    board = pccc(ccg)
    item = inquorate_item(board, ccg)
    # Another body of the CCG meets sooner; the governing body's next meeting is the one that takes it.
    body("Primary Care Estates Group", CommitteeKind.STEERING_GROUP, [ccg], meets_on=dt.date(2016, 6, 2))
    governing_body = body("Governing Body", CommitteeKind.GOVERNING_BODY, [ccg], meets_on=dt.date(2016, 7, 5))
    later = committee_services.meeting_schedule(
        committees=[governing_body],
        title="Governing body, autumn",
        starts_at=dt.datetime(2016, 10, 4, 8, tzinfo=dt.UTC),
        by=system_user(),
        reason=REASON,
    )

    referral = refer(item, board.user("lay_chair"), governing_body, ReferralRoute.GOVERNING_BODY)

    assert referral.new_item is not None
    assert referral.new_item.committee == governing_body
    assert referral.new_item.meeting == Meeting.objects.get(
        committees=governing_body, starts_at__lt=later.starts_at
    )
    assert referral.new_item.meeting.starts_at.date() == dt.date(2016, 7, 5)


@pytest.fixture
def shared(ccg: CCG, national_area: AreaTeam) -> tuple[Board, CCG, CCG]:
    """A committee in common of two CCGs; the item concerns the first."""
    second = CCGFactory(area_team=national_area, name="NHS Fylde and Wyre CCG")
    give_level(second, 3, dt.date(2016, 4, 1))
    return board_of([ccg, second]), ccg, second


def test_a_clerk_refers_only_to_a_body_they_manage_and_the_chair_to_any_body_of_the_ccgs(
    shared: tuple[Board, CCG, CCG], make_user: Callable[..., User]
) -> None:
    board, first, second = shared
    item = inquorate_item(board, first)
    governing_body = body(f"{first.name} Governing Body", CommitteeKind.GOVERNING_BODY, [first])
    # An officer of the second CCG clerks the shared committee, but has no say over the first's bodies.
    clerk = make_user(RoleKind.GOVERNANCE_OFFICER, ccg=second)

    with pytest.raises(PermissionDenied) as refused:
        refer(item, clerk, governing_body, ReferralRoute.GOVERNING_BODY)

    assert str(refused.value) == (
        f"Only the chair of {board.committee} refers its items to {governing_body}, or a governance officer "
        f"who manages {governing_body} on the chair's word."
    )
    assert nothing_added(governing_body)
    referral = refer(item, board.user("lay_chair"), governing_body, ReferralRoute.GOVERNING_BODY)
    assert referral.new_item is not None and referral.new_item.committee == governing_body


def test_an_officer_of_the_target_bodys_ccg_may_record_the_referral(
    shared: tuple[Board, CCG, CCG], make_user: Callable[..., User]
) -> None:
    board, first, _ = shared
    item = inquorate_item(board, first)
    governing_body = body(f"{first.name} Governing Body", CommitteeKind.GOVERNING_BODY, [first])

    referral = refer(
        item, make_user(RoleKind.GOVERNANCE_OFFICER, ccg=first), governing_body, ReferralRoute.GOVERNING_BODY
    )

    assert referral.new_item is not None and referral.new_item.committee == governing_body


def test_on_the_page_a_refused_target_is_the_forms_error_not_a_403(
    shared: tuple[Board, CCG, CCG], make_user: Callable[..., User]
) -> None:
    board, first, second = shared
    item = inquorate_item(board, first)
    governing_body = body(f"{first.name} Governing Body", CommitteeKind.GOVERNING_BODY, [first])
    client = Client()
    client.force_login(make_user(RoleKind.GOVERNANCE_OFFICER, ccg=second))

    response = client.post(
        reverse("item-refer", args=[item.pk]),
        {
            "refer-route": ReferralRoute.GOVERNING_BODY,
            "refer-guardian_consulted": "on",
            "refer-to_committee": str(governing_body.pk),
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "nhsuk-error-summary" in html
    assert f"Only the chair of {board.committee} refers its items to {governing_body}" in html
    assert nothing_added(governing_body)
