"""The conflicts pages: who may see and do what (a hidden page is a 404), forms whose errors come from
the services and save nothing, the chair's checklist and rulings, campaigns, and flat query counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cocomm.audit import system_user
from cocomm.models import CCG, Practice, RoleKind, User
from committees import services as committee_services
from committees.choices import AttendanceStatus, MatterKind
from committees.models import AgendaItem, Exclusion
from conflicts import services
from conflicts.models import (
    Breach,
    Campaign,
    ConflictSettings,
    Declaration,
    GiftOrHospitality,
    InterestType,
    ItemDeclaration,
    Referral,
    Ruling,
)
from functions.models import Function
from tests.factories.cocomm import PracticeFactory, UserFactory
from tests.factories.committees import Board, meeting_of, pccc
from tests.factories.delegation import give_level

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ccg(level2_ccg: CCG) -> CCG:
    """A CCG with delegated commissioning (level 3), so its own committee decides list closures."""
    give_level(level2_ccg, 3, dt.date(2016, 4, 1))
    return level2_ccg


@pytest.fixture
def board(ccg: CCG) -> Board:
    return pccc(ccg)


@pytest.fixture
def officer(make_user: Callable[..., User], ccg: CCG) -> User:
    return make_user(RoleKind.GOVERNANCE_OFFICER, ccg=ccg)


@pytest.fixture
def other_officer(make_user: Callable[..., User], other_ccg: CCG) -> User:
    return make_user(RoleKind.GOVERNANCE_OFFICER, ccg=other_ccg)


@pytest.fixture
def reviewer(make_user: Callable[..., User], ccg: CCG) -> User:
    return make_user(RoleKind.NHSE_REVIEWER, area_team=ccg.area_team)


@pytest.fixture
def practice(ccg: CCG) -> Practice:
    return PracticeFactory(ccg=ccg, name="Castle Hill Surgery", ods_code="P81001")


def declare(board: Board, ccg: CCG, key: str, **fields: Any) -> Declaration:
    values: dict[str, Any] = {
        "position": "Member of the primary care commissioning committee",
        "interest_type": InterestType.FINANCIAL,
        "description": f"Interest of {key}",
    }
    values.update(fields)
    return services.declaration_make(ccg=ccg, person=board.person(key), by=board.user(key), **values)


def list_closure_item(board: Board, ccg: CCG, practice: Practice) -> AgendaItem:
    """A list-closure application on the agenda of a meeting held yesterday and written up today; the
    second GP sent apologies."""
    matter = committee_services.matter_raise(
        ccg=ccg,
        function=Function.objects.get(number=3),
        kind=MatterKind.LIST_CLOSURE,
        title=f"{practice.name} applies to close its list",
        practices=[practice],
        by=system_user(),
        reason="Received",
    )
    meeting = meeting_of(
        board,
        on=timezone.localdate() - dt.timedelta(days=1),
        present=["lay_chair", "lay_member", "chief_officer", "gp_one"],
    )
    committee_services.attendance_record(
        meeting=meeting,
        person=board.person("gp_two"),
        status=AttendanceStatus.APOLOGIES,
        by=system_user(),
        reason="Apologies",
    )
    return committee_services.matter_schedule(
        matter=matter, meeting=meeting, by=system_user(), reason="Agenda"
    )


def declaration_post(**overrides: str) -> dict[str, str]:
    data = {
        "position": "GP member",
        "declaring": "interest",
        "interest_type": InterestType.FINANCIAL,
        "description": "Partner at the practice",
        "consent_to_publish": "yes",
    }
    data.update(overrides)
    return data


# Who may see what -------------------------------------------------------------------------------------------


def test_the_register_answers_each_role_and_hides_itself_from_the_rest(
    board: Board, ccg: CCG, officer: User, reviewer: User, other_officer: User
) -> None:
    url = reverse("register-detail", args=[ccg.ods_code])

    assert logged_in(officer).get(url).status_code == 200
    assert logged_in(reviewer).get(url).status_code == 200
    assert logged_in(other_officer).get(url).status_code == 404
    assert logged_in(board.user("gp_one")).get(url).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "url_name",
    ["declaration-create-for", "offer-create", "thresholds-edit", "breach-create", "campaign-create"],
)
def test_a_reviewer_reads_the_register_but_its_forms_are_404(
    ccg: CCG, officer: User, reviewer: User, other_officer: User, url_name: str
) -> None:
    url = reverse(url_name, args=[ccg.ods_code])

    assert logged_in(officer).get(url).status_code == 200
    assert logged_in(reviewer).get(url).status_code == 404
    assert logged_in(reviewer).post(url, {}).status_code == 404
    assert logged_in(other_officer).get(url).status_code == 404


def test_the_registers_page_offers_forms_to_officers_and_not_to_reviewers(
    ccg: CCG, officer: User, reviewer: User
) -> None:
    url = reverse("register-detail", args=[ccg.ods_code])
    new = reverse("declaration-create-for", args=[ccg.ods_code])

    assert new in logged_in(officer).get(url).content.decode()
    assert new not in logged_in(reviewer).get(url).content.decode()


def test_a_declarant_sees_only_their_own_declarations(board: Board, ccg: CCG) -> None:
    own = declare(board, ccg, "gp_one", description="Partner at Castle Hill Surgery")
    theirs = declare(board, ccg, "gp_two", description="Director of the GP federation")
    client = logged_in(board.user("gp_one"))

    html = client.get(reverse("my-declarations")).content.decode()

    assert "Partner at Castle Hill Surgery" in html
    assert "Director of the GP federation" not in html
    assert client.get(reverse("declaration-history", args=[own.pk])).status_code == 200
    assert client.get(reverse("declaration-history", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("declaration-end", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("mitigation-approve", args=[own.pk])).status_code == 404


def test_someone_who_sits_on_no_committee_has_nothing_to_declare_to(make_user: Callable[..., User]) -> None:
    client = logged_in(make_user())

    page = client.get(reverse("my-declarations"))

    assert page.status_code == 200
    assert "not linked to a person" in page.content.decode()
    assert client.get(reverse("declaration-create")).status_code == 404


# Declaring --------------------------------------------------------------------------------------------------


def test_a_member_declares_an_interest_in_a_practice_of_their_ccg(
    board: Board, ccg: CCG, practice: Practice
) -> None:
    client = logged_in(board.user("gp_one"))

    response = client.post(
        reverse("declaration-create"), declaration_post(ccg=str(ccg.pk), practice=str(practice.pk))
    )

    assert response.status_code == 302
    declaration = Declaration.objects.get()
    assert (declaration.person, declaration.practice, declaration.on_behalf) == (
        board.person("gp_one"),
        practice,
        False,
    )
    assert declaration.declared_on == timezone.localdate()
    assert "Castle Hill Surgery" in client.get(reverse("my-declarations")).content.decode()


def test_an_indirect_interest_without_the_relationship_is_refused_on_the_page_and_not_saved(
    board: Board, ccg: CCG
) -> None:
    response = logged_in(board.user("gp_one")).post(
        reverse("declaration-create"),
        declaration_post(
            ccg=str(ccg.pk), interest_type=InterestType.INDIRECT, description="Spouse is a director"
        ),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in html
    assert "Say who holds the interest and how they are related to you." in html
    assert 'href="#id_relationship"' in html
    assert "<title>Error: " in html
    assert not Declaration.objects.exists()


def test_a_practice_of_another_ccg_is_refused(board: Board, ccg: CCG, other_ccg: CCG) -> None:
    elsewhere = PracticeFactory(ccg=other_ccg)

    response = logged_in(board.user("gp_one")).post(
        reverse("declaration-create"), declaration_post(ccg=str(ccg.pk), practice=str(elsewhere.pk))
    )

    assert response.status_code == 200
    assert "Select one of the practices listed" in response.content.decode()
    assert not Declaration.objects.exists()


def test_a_nil_return_is_recorded(board: Board, ccg: CCG) -> None:
    response = logged_in(board.user("gp_two")).post(
        reverse("declaration-create"),
        {"ccg": str(ccg.pk), "position": "GP member", "declaring": "nil", "consent_to_publish": "yes"},
    )

    assert response.status_code == 302
    assert Declaration.objects.get().nil_return


def test_an_officer_declares_on_someones_behalf_and_the_register_says_who_entered_it(
    board: Board, ccg: CCG, officer: User
) -> None:
    client = logged_in(officer)

    response = client.post(
        reverse("declaration-create-for", args=[ccg.ods_code]),
        declaration_post(person=str(board.person("gp_two").pk), description="Trustee of a local charity"),
    )

    assert response.status_code == 302
    declaration = Declaration.objects.get()
    assert declaration.on_behalf and declaration.declared_by == officer
    html = client.get(reverse("register-detail", args=[ccg.ods_code])).content.decode()
    assert "Trustee of a local charity" in html
    assert f"entered by {officer} on their behalf" in html


def test_an_officer_may_only_declare_for_people_in_scope(ccg: CCG, officer: User, other_ccg: CCG) -> None:
    outsider = pccc(other_ccg).person("gp_one")

    response = logged_in(officer).post(
        reverse("declaration-create-for", args=[ccg.ods_code]), declaration_post(person=str(outsider.pk))
    )

    assert response.status_code == 200
    assert "Select one of the people listed" in response.content.decode()
    assert not Declaration.objects.exists()


def test_the_register_marks_withheld_entries_and_nil_returns(board: Board, ccg: CCG, officer: User) -> None:
    declare(board, ccg, "gp_two", consent_to_publish=False, withheld_reason="Risk to personal safety")
    declare(board, ccg, "gp_one", nil_return=True, interest_type="", description="")

    html = logged_in(officer).get(reverse("register-detail", args=[ccg.ods_code])).content.decode()

    assert "Withheld</strong><br>Risk to personal safety" in html
    assert "Nil return" in html


def test_a_declarant_ends_their_interest(board: Board, ccg: CCG) -> None:
    declaration = declare(board, ccg, "gp_one", interest_from=dt.date(2015, 1, 1))
    client = logged_in(board.user("gp_one"))

    response = client.post(
        reverse("declaration-end", args=[declaration.pk]),
        {"interest_to_day": "31", "interest_to_month": "3", "interest_to_year": "2016", "reason": "Retired"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("my-declarations")
    declaration.refresh_from_db()
    assert declaration.interest_to == dt.date(2016, 3, 31)
    history = client.get(reverse("declaration-history", args=[declaration.pk])).content.decode()
    assert "Retired" in history


def test_an_officer_approves_the_mitigating_actions(board: Board, ccg: CCG, officer: User) -> None:
    declaration = declare(board, ccg, "gp_one", mitigation="Leaves the room for items on the practice")
    approver = board.person("chief_officer")
    url = reverse("mitigation-approve", args=[declaration.pk])

    assert logged_in(board.user("gp_one")).post(url, {"approver": approver.pk}).status_code == 404
    response = logged_in(officer).post(url, {"approver": approver.pk})

    assert response.status_code == 302
    declaration.refresh_from_db()
    assert declaration.mitigation_approved_by == approver


# Gifts, hospitality, limits, breaches -----------------------------------------------------------------------


def offer_post(board: Board, **overrides: str) -> dict[str, str]:
    data = {
        "person": str(board.person("gp_one").pk),
        "kind": "gift",
        "description": "Bottle of wine",
        "value": "20",
        "offeror": "A pharmaceutical company",
        "from_supplier": "yes",
        "offered_on_day": "1",
        "offered_on_month": "6",
        "offered_on_year": "2016",
        "accepted": "yes",
    }
    data.update(overrides)
    return data


def test_an_accepted_supplier_gift_over_the_limit_is_refused_with_the_policys_words(
    board: Board, ccg: CCG, officer: User
) -> None:
    response = logged_in(officer).post(reverse("offer-create", args=[ccg.ods_code]), offer_post(board))

    html = response.content.decode()
    assert response.status_code == 200
    assert "This offer must be declined: Gifts from suppliers or contractors over £6 are declined." in html
    assert not GiftOrHospitality.objects.exists()


def test_hospitality_over_75_pounds_needs_a_senior_approver(board: Board, ccg: CCG, officer: User) -> None:
    client = logged_in(officer)
    dinner = offer_post(board, kind="hospitality", description="Dinner", value="90", from_supplier="no")

    refused = client.post(reverse("offer-create", args=[ccg.ods_code]), dinner)

    assert refused.status_code == 200
    assert "Name the senior manager who approved it" in refused.content.decode()
    assert not GiftOrHospitality.objects.exists()
    approved = client.post(
        reverse("offer-create", args=[ccg.ods_code]),
        {**dinner, "senior_approver": str(board.person("chief_officer").pk)},
    )
    assert approved.status_code == 302
    assert GiftOrHospitality.objects.get().senior_approver == board.person("chief_officer")


def test_a_declined_offer_is_recorded_and_listed(board: Board, ccg: CCG, officer: User) -> None:
    client = logged_in(officer)

    response = client.post(reverse("offer-create", args=[ccg.ods_code]), offer_post(board, accepted="no"))

    assert response.status_code == 302
    html = client.get(reverse("register-detail", args=[ccg.ods_code])).content.decode()
    assert "Bottle of wine" in html and "Declined" in html


def test_changing_the_limits_changes_what_is_refused(board: Board, ccg: CCG, officer: User) -> None:
    client = logged_in(officer)
    limits = {
        "supplier_gift_limit": "25",
        "other_gift_limit": "50",
        "hospitality_declare_from": "25",
        "hospitality_approval_over": "75",
    }

    assert client.post(reverse("thresholds-edit", args=[ccg.ods_code]), limits).status_code == 200
    assert not ConflictSettings.objects.exists()  # no reason given
    response = client.post(
        reverse("thresholds-edit", args=[ccg.ods_code]), {**limits, "reason": "Board policy"}
    )

    assert response.status_code == 302
    assert ConflictSettings.objects.get(ccg=ccg).supplier_gift_limit == Decimal("25")
    accepted = client.post(reverse("offer-create", args=[ccg.ods_code]), offer_post(board))
    assert accepted.status_code == 302


def test_an_officer_records_a_breach(ccg: CCG, officer: User) -> None:
    response = logged_in(officer).post(
        reverse("breach-create", args=[ccg.ods_code]),
        {
            "occurred_on_day": "3",
            "occurred_on_month": "5",
            "occurred_on_year": "2016",
            "what_happened": "A member voted on a contract with their practice",
            "reported_by": "Audit chair",
        },
    )

    assert response.status_code == 302
    assert Breach.objects.get().reported_by == "Audit chair"


# Campaigns --------------------------------------------------------------------------------------------------


def test_a_campaign_shows_each_recipients_answer_and_closes(
    board: Board, ccg: CCG, officer: User, reviewer: User
) -> None:
    client = logged_in(officer)
    deadline = timezone.localdate() + dt.timedelta(days=30)

    response = client.post(
        reverse("campaign-create", args=[ccg.ods_code]),
        {
            "title": "Annual declarations",
            "deadline_day": str(deadline.day),
            "deadline_month": str(deadline.month),
            "deadline_year": str(deadline.year),
        },
    )

    campaign = Campaign.objects.get()
    assert response["Location"] == reverse("campaign-detail", args=[campaign.pk])
    declare(board, ccg, "gp_one")
    declare(board, ccg, "gp_two", nil_return=True, interest_type="", description="")
    html = client.get(reverse("campaign-detail", args=[campaign.pk])).content.decode()
    assert "1 declared, 1 nil return, 0 overdue, 5 awaiting, of 7" in html
    assert logged_in(reviewer).get(reverse("campaign-detail", args=[campaign.pk])).status_code == 200
    assert logged_in(reviewer).post(reverse("campaign-close", args=[campaign.pk])).status_code == 404
    assert client.post(reverse("campaign-close", args=[campaign.pk])).status_code == 302
    campaign.refresh_from_db()
    assert campaign.closed


def test_a_second_open_campaign_is_refused_on_the_page(ccg: CCG, officer: User) -> None:
    services.campaign_open(
        ccg=ccg, title="First", deadline=timezone.localdate() + dt.timedelta(days=10), by=officer
    )
    deadline = timezone.localdate() + dt.timedelta(days=20)

    response = logged_in(officer).post(
        reverse("campaign-create", args=[ccg.ods_code]),
        {
            "title": "Second",
            "deadline_day": str(deadline.day),
            "deadline_month": str(deadline.month),
            "deadline_year": str(deadline.year),
        },
    )

    assert response.status_code == 200
    assert "already has an open campaign" in response.content.decode()
    assert Campaign.objects.count() == 1


# The chair's checklist and rulings --------------------------------------------------------------------------


def test_the_checklist_flags_the_partner_and_the_item_at_risk(
    board: Board, ccg: CCG, practice: Practice, other_officer: User, reviewer: User
) -> None:
    declare(board, ccg, "gp_one", practice=practice, description="Partner at the practice")
    item = list_closure_item(board, ccg, practice)
    url = reverse("meeting-checklist", args=[item.meeting_id])

    response = logged_in(board.user("lay_chair")).get(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Gp One has declared a financial interest in Castle Hill Surgery, which this item concerns" in html
    assert '<dt class="nhsuk-summary-list__key">Gp One</dt>' in html
    assert "Quorum at risk" in html
    assert f'class="nhsuk-card nhsuk-card--warning" id="item-{item.pk}"' in html
    assert logged_in(reviewer).get(url).status_code == 200
    assert logged_in(other_officer).get(url).status_code == 404


def test_the_chairs_ruling_takes_the_member_out_of_the_quorum_and_a_referral_is_offered(
    board: Board, ccg: CCG, practice: Practice, reviewer: User
) -> None:
    interest = declare(board, ccg, "gp_one", practice=practice, description="Partner at the practice")
    item = list_closure_item(board, ccg, practice)
    url = reverse("item-declarations", args=[item.pk])
    chair = logged_in(board.user("lay_chair"))
    assert "Quorate</strong>" in chair.get(url).content.decode()

    response = chair.post(
        url,
        {
            "ruling-person": str(board.person("gp_one").pk),
            "ruling-statement": "Partner at the applying practice",
            "ruling-ruling": Ruling.LEAVES,
            "ruling-interest": str(interest.pk),
            "ruling-papers_withheld": "on",
        },
    )

    assert response.status_code == 302
    assert Exclusion.objects.get(item=item).person == board.person("gp_one")
    html = chair.get(url).content.decode()
    assert "Inquorate</strong>" in html
    assert "Gp One: leaves the meeting for the item" in html
    assert reverse("item-refer", args=[item.pk]) in html
    reader = logged_in(reviewer)
    assert reader.get(url).status_code == 200
    assert reverse("item-refer", args=[item.pk]) not in reader.get(url).content.decode()
    assert reader.post(url, {"ruling-person": str(board.person("gp_two").pk)}).status_code == 404


def test_a_ruling_without_a_statement_saves_nothing(board: Board, ccg: CCG, practice: Practice) -> None:
    item = list_closure_item(board, ccg, practice)

    response = logged_in(board.user("lay_chair")).post(
        reverse("item-declarations", args=[item.pk]),
        {"ruling-person": str(board.person("gp_one").pk), "ruling-ruling": Ruling.LEAVES},
    )

    assert response.status_code == 200
    assert "Record what was declared" in response.content.decode()
    assert not ItemDeclaration.objects.exists() and not Exclusion.objects.exists()


def test_a_referral_without_consulting_the_guardian_is_refused_on_the_page(
    board: Board, ccg: CCG, practice: Practice, reviewer: User
) -> None:
    item = list_closure_item(board, ccg, practice)
    services.item_declaration_rule(
        item=item,
        person=board.person("gp_one"),
        statement="Partner",
        ruling=Ruling.LEAVES,
        by=board.user("lay_chair"),
    )
    url = reverse("item-refer", args=[item.pk])

    response = logged_in(board.user("lay_chair")).post(url, {"refer-route": "co_option"})

    assert response.status_code == 200
    assert (
        "Consult the Conflicts of Interest Guardian before referring the item." in response.content.decode()
    )
    assert not Referral.objects.exists()
    assert logged_in(reviewer).post(url, {"refer-route": "co_option"}).status_code == 404
    done = logged_in(board.user("lay_chair")).post(
        url, {"refer-route": "co_option", "refer-guardian_consulted": "on", "refer-note": "Two GPs co-opted"}
    )
    assert done.status_code == 302
    assert Referral.objects.get(item=item).route == "co_option"


# Query counts -----------------------------------------------------------------------------------------------


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_register_page_takes_as_many_queries_for_25_declarations_as_for_5(
    board: Board, ccg: CCG, officer: User, practice: Practice
) -> None:
    keys = ["lay_chair", "lay_member", "chief_officer", "gp_one", "gp_two"]
    client = logged_in(officer)
    url = reverse("register-detail", args=[ccg.ods_code])
    for key in keys:
        declare(board, ccg, key, practice=practice, mitigation="Steps out")
    services.offer_record(
        ccg=ccg,
        person=board.person("gp_one"),
        kind="gift",
        description="Pen",
        value=Decimal("2"),
        offeror="Supplier",
        from_supplier=True,
        offered_on=dt.date(2016, 6, 1),
        accepted=True,
        by=officer,
    )
    client.get(url)  # warm the session and permission caches
    with_5 = count_queries(client, url)

    for n in range(20):
        declare(board, ccg, keys[n % 5], description=f"Interest {n}", mitigation="Steps out")
    services.mitigation_approve(
        declaration=Declaration.objects.first(), approver=board.person("chief_officer"), by=officer
    )

    assert Declaration.objects.count() == 25
    assert count_queries(client, url) == with_5


# The admin site ---------------------------------------------------------------------------------------------


@pytest.fixture
def superuser(db: None) -> User:
    # The system administrator role holds no model permissions on conflicts records (see cocomm.roles),
    # so the admin pages are exercised by a superuser.
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.mark.parametrize(
    "model",
    [
        "declaration",
        "conflictsettings",
        "giftorhospitality",
        "breach",
        "campaign",
        "itemdeclaration",
        "referral",
        "procurementrecord",
        "award",
    ],
)
def test_the_admin_lists_the_conflicts_records(board: Board, ccg: CCG, superuser: User, model: str) -> None:
    declare(board, ccg, "gp_one")
    client = logged_in(superuser)

    assert client.get(reverse(f"admin:conflicts_{model}_changelist")).status_code == 200


def test_declarations_cannot_be_added_or_changed_in_the_admin(
    board: Board, ccg: CCG, superuser: User
) -> None:
    declaration = declare(board, ccg, "gp_one")
    client = logged_in(superuser)

    assert client.get(reverse("admin:conflicts_declaration_change", args=[declaration.pk])).status_code == 200
    assert client.get(reverse("admin:conflicts_declaration_add")).status_code == 403
    response = client.post(
        reverse("admin:conflicts_declaration_change", args=[declaration.pk]), {"description": "Changed"}
    )
    assert response.status_code == 403
    declaration.refresh_from_db()
    assert declaration.description == "Interest of gp_one"
    assert client.get(reverse("admin:conflicts_procurementrecord_add")).status_code == 403
    assert client.get(reverse("admin:conflicts_breach_add")).status_code == 403
