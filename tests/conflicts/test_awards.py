"""Awards checked against interests: the register entry is written with the approval, the award is
recorded by the CCG's governance officers only and names a real supplier, and each award is flagged
where someone who took part held an interest in the supplier on the decision date (declared and
managed, or not declared at the item), on every page that shows it, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from cocomm.audit import system_user
from cocomm.models import CCG, Organisation, Person, Practice, RoleKind, User
from committees import services as committee_services
from committees.choices import AttendanceStatus, DecisionStatus, MatterKind, VoteChoice
from committees.models import Decision
from conflicts import selectors, services
from conflicts.models import Award, Declaration, InterestType, ProcurementRecord, ProcurementRoute, Ruling
from conflicts.rules import AwardFlagKind
from functions.models import Function
from tests.factories.cocomm import OrganisationFactory, PersonFactory, PracticeFactory
from tests.factories.committees import Board, meeting_of, pccc
from tests.factories.delegation import give_level

pytestmark = pytest.mark.django_db

DECIDED = dt.date(2016, 6, 1)
VOTERS = ("lay_chair", "lay_member", "chief_officer", "gp_one")


@pytest.fixture
def ccg(level2_ccg: CCG) -> CCG:
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
def federation(ccg: CCG) -> Organisation:
    federation = OrganisationFactory(name="Lancaster GP Federation", kind="gp_federation")
    federation.ccgs.add(ccg)
    return federation


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def procurement(
    board: Board,
    ccg: CCG,
    *,
    on: dt.date = DECIDED,
    title: str = "Extended access service",
    present: list[str] | None = None,
    rulings: dict[str, str] | None = None,
    kind: str = MatterKind.PROCUREMENT,
    approve: bool = True,
    guests: tuple[Person, ...] = (),
) -> Decision:
    """A procurement decided at a past meeting (with any guests in attendance): the voters vote for, the
    chair approves."""
    chair = board.user("lay_chair")
    matter = committee_services.matter_raise(
        ccg=ccg,
        function=Function.objects.get(number=4),
        kind=kind,
        title=title,
        by=system_user(),
        reason="Received",
    )
    item = committee_services.matter_schedule(
        matter=matter, meeting=meeting_of(board, on=on, present=present), by=system_user(), reason="Agenda"
    )
    for guest in guests:  # recorded before the vote, which freezes the meeting's attendance as it closes
        committee_services.attendance_record(
            meeting=item.meeting,
            person=guest,
            status=AttendanceStatus.IN_ATTENDANCE,
            by=system_user(),
            reason="Guest",
        )
    for key, ruling in (rulings or {}).items():
        services.item_declaration_rule(
            item=item, person=board.person(key), statement="Works with a bidder", ruling=ruling, by=chair
        )
    decision = committee_services.decision_propose(
        item=item, resolution=f"Award: {title}", by=chair, reason="Moved"
    )
    committee_services.vote_open(decision=decision, by=chair)
    for key in VOTERS:
        if (present is None or key in present) and key not in (rulings or {}):
            committee_services.vote_cast(
                decision=decision, person=board.person(key), choice=VoteChoice.FOR, by=chair
            )
    decision = committee_services.vote_close(decision=decision, by=chair)
    if approve:
        decision = committee_services.decision_approve(decision=decision, by=chair)
    return decision


def interest_in(
    board: Board,
    ccg: CCG,
    key: str,
    supplier: Organisation | Practice,
    *,
    start: dt.date = dt.date(2015, 1, 1),
    end: dt.date | None = None,
    consent: bool = True,
) -> Declaration:
    declaration = services.declaration_make(
        ccg=ccg,
        person=board.person(key),
        position="Member",
        interest_type=InterestType.FINANCIAL,
        description=f"Shares in {supplier}",
        practice=supplier if isinstance(supplier, Practice) else None,
        organisation=supplier if isinstance(supplier, Organisation) else None,
        interest_from=start,
        consent_to_publish=consent,
        withheld_reason="" if consent else "Risk to family",
        by=board.user(key),
    )
    if end is not None:
        declaration = services.declaration_end(
            declaration=declaration, interest_to=end, by=board.user(key), reason="Sold"
        )
    return declaration


def award(decision: Decision, supplier: Organisation | Practice, by: User, **changes: Any) -> Award:
    fields: dict[str, Any] = {
        "value": Decimal("250000"),
        "route": ProcurementRoute.COMPETITIVE,
        "starts_on": dt.date(2016, 10, 1),
        "ends_on": dt.date(2019, 9, 30),
        **changes,
    }
    return services.award_record(decision=decision, supplier=supplier, by=by, **fields)


def entry_of(decision: Decision) -> selectors.ProcurementEntry:
    (entry,) = selectors.procurement_entries(
        list(selectors.procurement_records(decision.ccg).filter(decision=decision))
    )
    return entry


# --- The register entry is written with the approval ------------------------------------------------


def test_the_register_entry_exists_right_after_approval_without_on_commit_callbacks(
    board: Board, ccg: CCG, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        decision = procurement(board, ccg)

        record = ProcurementRecord.objects.get(decision=decision)

    assert callbacks == []
    assert record.service == "Extended access service"
    history = record.history.get()
    assert history.history_user == board.user("lay_chair")


def test_if_the_register_write_fails_the_approval_rolls_back(
    board: Board, ccg: CCG, monkeypatch: pytest.MonkeyPatch
) -> None:
    decision = procurement(board, ccg, approve=False)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("The register could not be written")

    monkeypatch.setattr(ProcurementRecord, "save", broken)
    with pytest.raises(RuntimeError):
        committee_services.decision_approve(decision=decision, by=board.user("lay_chair"))

    decision.refresh_from_db()
    assert decision.status == DecisionStatus.RECORDED
    assert decision.approved_by is None
    assert "Approved by the chair" not in set(
        decision.history.values_list("history_change_reason", flat=True)
    )
    assert not ProcurementRecord.objects.filter(decision=decision).exists()


def test_other_decisions_do_not_join_the_register(board: Board, ccg: CCG) -> None:
    decision = procurement(board, ccg, kind=MatterKind.CONTRACT_VARIATION)

    assert decision.status == DecisionStatus.APPROVED
    assert not ProcurementRecord.objects.exists()


# --- Recording the award --------------------------------------------------------------------------


def test_a_governance_officer_records_the_award_and_the_history_names_them(
    board: Board, ccg: CCG, officer: User, federation: Organisation
) -> None:
    decision = procurement(board, ccg)

    recorded = award(decision, federation, officer)

    assert (recorded.organisation, recorded.practice, recorded.value) == (federation, None, Decimal("250000"))
    row = recorded.history.get()
    assert (row.history_user, row.history_change_reason) == (officer, "Award recorded")
    record = ProcurementRecord.objects.get(decision=decision)
    assert (record.supplier, record.value) == ("Lancaster GP Federation", Decimal("250000.00"))


def test_correcting_an_award_needs_a_reason_which_the_history_keeps(
    board: Board, ccg: CCG, officer: User, federation: Organisation
) -> None:
    decision = procurement(board, ccg)
    award(decision, federation, officer)
    practice = PracticeFactory(ccg=ccg)

    with pytest.raises(ValidationError) as refusal:
        award(decision, practice, officer)
    corrected = award(
        decision, practice, officer, reason="The practice holds the contract, not the federation"
    )

    assert "reason" in refusal.value.message_dict
    assert (corrected.practice, corrected.organisation) == (practice, None)
    assert corrected.history.first().history_change_reason == (  # type: ignore[union-attr]
        "The practice holds the contract, not the federation"
    )
    assert Award.objects.count() == 1


def test_only_the_ccgs_governance_officers_record_an_award(
    board: Board, ccg: CCG, other_officer: User, federation: Organisation, make_user: Callable[..., User]
) -> None:
    decision = procurement(board, ccg)
    reviewer = make_user(RoleKind.NHSE_REVIEWER, area_team=ccg.area_team)

    for stranger in (other_officer, board.user("lay_chair"), reviewer):
        with pytest.raises(PermissionDenied):
            award(decision, federation, stranger)

    assert not Award.objects.exists()


def test_an_award_follows_only_an_approved_procurement_decision(
    board: Board, ccg: CCG, officer: User, federation: Organisation
) -> None:
    awaiting = procurement(board, ccg, approve=False)
    variation = procurement(board, ccg, on=dt.date(2016, 7, 1), kind=MatterKind.CONTRACT_VARIATION)

    with pytest.raises(ValidationError, match="approved procurement decision"):
        award(awaiting, federation, officer)
    with pytest.raises(ValidationError, match="not one"):
        award(variation, federation, officer)

    assert not Award.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_on": dt.date(2016, 10, 1)}, "ends_on"),  # ends the day it starts
        ({"ends_on": dt.date(2016, 9, 30)}, "ends_on"),
        ({"value": Decimal("-1")}, "value"),
        ({"route": "tender"}, "route"),
    ],
)
def test_an_award_must_make_sense(
    board: Board, ccg: CCG, officer: User, federation: Organisation, changes: dict[str, Any], field: str
) -> None:
    decision = procurement(board, ccg)

    with pytest.raises(ValidationError) as refusal:
        award(decision, federation, officer, **changes)

    assert field in refusal.value.message_dict
    assert not Award.objects.exists()


def test_a_contract_of_one_day_is_accepted(
    board: Board, ccg: CCG, officer: User, federation: Organisation
) -> None:
    decision = procurement(board, ccg)

    recorded = award(
        decision, federation, officer, starts_on=dt.date(2016, 10, 1), ends_on=dt.date(2016, 10, 2)
    )

    assert recorded.pk is not None


# --- The cross-check ------------------------------------------------------------------------------


def test_a_voter_who_held_an_interest_and_declared_nothing_at_the_item_is_flagged(
    board: Board, ccg: CCG, officer: User, federation: Organisation
) -> None:
    interest_in(board, ccg, "gp_one", federation)
    decision = procurement(board, ccg)
    award(decision, federation, officer)

    (line,) = entry_of(decision).flags

    assert (line.person, line.flag.kind) == ("Gp One", AwardFlagKind.NOT_DECLARED)
    assert "declared nothing at the item" in line.text


def test_a_ruling_at_the_item_makes_the_flag_declared_and_managed(
    board: Board, ccg: CCG, officer: User, federation: Organisation
) -> None:
    interest_in(board, ccg, "gp_one", federation)
    decision = procurement(board, ccg, rulings={"gp_one": Ruling.LEAVES})
    award(decision, federation, officer)

    (line,) = entry_of(decision).flags

    assert line.flag.kind == AwardFlagKind.MANAGED
    assert line.flag.ruling == "Leaves the meeting for the item"


def test_a_member_present_who_did_not_vote_and_a_guest_in_attendance_are_flagged(
    board: Board, ccg: CCG, officer: User, federation: Organisation
) -> None:
    interest_in(board, ccg, "healthwatch", federation)  # a non-voting member, present
    guest = PersonFactory(full_name="Guest Adviser")
    services.declaration_make(
        ccg=ccg,
        person=guest,
        position="Adviser",
        interest_type=InterestType.PROFESSIONAL,
        description="Adviser to the federation",
        organisation=federation,
        interest_from=dt.date(2015, 1, 1),
        by=officer,
    )
    decision = procurement(board, ccg, guests=(guest,))
    award(decision, federation, officer)

    flagged = {line.person: line.flag.kind for line in entry_of(decision).flags}

    assert flagged == {"Healthwatch": AwardFlagKind.NOT_DECLARED, "Guest Adviser": AwardFlagKind.NOT_DECLARED}


def test_someone_not_present_and_an_interest_ended_the_day_before_are_not_flagged(
    board: Board, ccg: CCG, officer: User, federation: Organisation
) -> None:
    interest_in(board, ccg, "gp_two", federation)  # sent apologies
    interest_in(board, ccg, "gp_one", federation, end=DECIDED - dt.timedelta(days=1))
    interest_in(board, ccg, "lay_member", federation, start=DECIDED)  # from the decision date: flagged
    present = ["lay_chair", "lay_member", "chief_officer", "gp_one"]
    decision = procurement(board, ccg, present=present)
    award(decision, federation, officer)

    entry = entry_of(decision)

    assert [line.person for line in entry.flags] == ["Lay Member"]
    assert "Gp Two" not in {str(m.person) for m in entry.decision_makers}


def test_an_interest_in_another_body_is_not_flagged(
    board: Board, ccg: CCG, officer: User, federation: Organisation
) -> None:
    interest_in(board, ccg, "gp_one", OrganisationFactory(name="Another Provider Ltd"))
    decision = procurement(board, ccg)
    award(decision, federation, officer)

    assert entry_of(decision).flags == []


def test_the_cross_check_costs_the_same_for_1_award_as_for_10(
    board: Board, ccg: CCG, officer: User, federation: Organisation
) -> None:
    def counted() -> tuple[int, list[selectors.ProcurementEntry]]:
        with CaptureQueriesContext(connection) as queries:
            entries = selectors.procurement_entries(list(selectors.procurement_records(ccg)))
        return len(queries), entries

    interest_in(board, ccg, "gp_one", federation)
    award(procurement(board, ccg, rulings={"gp_one": Ruling.NO_VOTE}), federation, officer)
    few, entries = counted()
    assert len(entries) == 1 and len(entries[0].flags) == 1

    for n in range(2, 11):
        decision = procurement(board, ccg, on=DECIDED + dt.timedelta(days=n), title=f"Service {n}")
        award(decision, PracticeFactory(ccg=ccg) if n % 2 else federation, officer)
    many, entries = counted()

    assert len(entries) == 10
    assert sum(len(e.flags) for e in entries) == 6  # the federation's awards flag the GP
    assert many == few


# --- Pages ---------------------------------------------------------------------------------------


def test_the_award_page_is_a_404_for_another_ccgs_officer_and_for_a_reviewer(
    board: Board, ccg: CCG, other_officer: User, make_user: Callable[..., User]
) -> None:
    decision = procurement(board, ccg)
    reviewer = make_user(RoleKind.NHSE_REVIEWER, area_team=ccg.area_team)
    award_url = reverse("award-record", args=[decision.pk])
    entry_url = reverse("procurement-entry", args=[decision.pk])

    assert logged_in(other_officer).get(award_url).status_code == 404
    assert logged_in(other_officer).get(entry_url).status_code == 404
    assert logged_in(reviewer).get(award_url).status_code == 404
    assert logged_in(reviewer).get(entry_url).status_code == 200
    assert logged_in(reviewer).get(reverse("award-record", args=[decision.pk + 999])).status_code == 404


def test_the_supplier_choice_offers_the_ccgs_practices_and_organisations_and_finds_others(
    board: Board, ccg: CCG, other_ccg: CCG, officer: User, federation: Organisation
) -> None:
    decision = procurement(board, ccg)
    own = PracticeFactory(ccg=ccg, name="Castle Hill Surgery")
    elsewhere = PracticeFactory(ccg=other_ccg, name="Faraway Surgery")
    national = OrganisationFactory(name="National Out-of-Hours Ltd")
    client = logged_in(officer)

    page = client.get(reverse("award-record", args=[decision.pk])).content.decode()
    found = client.get(reverse("award-record", args=[decision.pk]), {"q": "out-of-hours"}).content.decode()

    assert "Castle Hill Surgery" in page and "Lancaster GP Federation" in page
    assert "Faraway Surgery" not in page and "National Out-of-Hours Ltd" not in page
    assert "National Out-of-Hours Ltd" in found and "Faraway Surgery" not in found
    assert f"organisation-{national.pk}" in found and f"practice-{own.pk}" in found
    assert elsewhere.pk  # made, and still not offered


def test_the_award_form_shows_refusals_as_errors_and_saves_nothing(
    board: Board, ccg: CCG, officer: User, federation: Organisation
) -> None:
    decision = procurement(board, ccg)
    elsewhere = OrganisationFactory(name="Not In Scope Ltd")
    url = reverse("award-record", args=[decision.pk])
    form = {
        "supplier": f"organisation-{federation.pk}",
        "value": "250000",
        "route": "competitive",
        "starts_on_day": "1",
        "starts_on_month": "10",
        "starts_on_year": "2016",
        "ends_on_day": "1",
        "ends_on_month": "10",
        "ends_on_year": "2016",
    }
    client = logged_in(officer)

    same_day = client.post(url, form)
    out_of_scope = client.post(
        url, {**form, "supplier": f"organisation-{elsewhere.pk}", "ends_on_year": "2019"}
    )
    missing = client.post(url, {})

    assert (
        same_day.status_code == 200 and "The contract must end after it starts" in same_day.content.decode()
    )
    assert "Select a supplier from the list" in out_of_scope.content.decode()
    assert "Select the supplier the contract was awarded to" in missing.content.decode()
    assert "There is a problem" in missing.content.decode()
    assert not Award.objects.exists()

    done = client.post(url, {**form, "ends_on_year": "2019"})

    assert done.status_code == 302 and done["Location"] == reverse("procurement-entry", args=[decision.pk])
    assert Award.objects.get().organisation == federation


def test_the_flags_show_in_words_on_the_entry_the_registers_and_the_decision_page(
    board: Board, ccg: CCG, officer: User, federation: Organisation
) -> None:
    interest_in(board, ccg, "gp_one", federation)
    interest_in(board, ccg, "gp_two", federation)
    decision = procurement(board, ccg, rulings={"gp_two": Ruling.NO_VOTE})
    award(decision, federation, officer)
    client = logged_in(officer)

    pages = [
        client.get(reverse("procurement-entry", args=[decision.pk])).content.decode(),
        client.get(reverse("register-detail", args=[ccg.ods_code])).content.decode(),
        client.get(reverse("decision-detail", args=[decision.pk])).content.decode(),
    ]

    for html in pages:
        assert "Not declared at the item" in html and "Declared and managed" in html
        assert "Gp One held an interest in the supplier" in html
        assert "Lancaster GP Federation" in html
    assert "Record the award" not in pages[0] and "Correct the award" in pages[0]


def test_the_decision_page_offers_the_officer_to_record_the_award(
    board: Board, ccg: CCG, officer: User
) -> None:
    decision = procurement(board, ccg)

    html = logged_in(officer).get(reverse("decision-detail", args=[decision.pk])).content.decode()

    assert "the award has not been recorded yet" in html
    assert reverse("award-record", args=[decision.pk]) in html


# --- Published register and API --------------------------------------------------------------------


def test_the_api_shows_the_award_the_decision_makers_and_the_cross_check(
    board: Board, ccg: CCG, officer: User, federation: Organisation
) -> None:
    interest_in(board, ccg, "gp_one", federation)
    interest_in(board, ccg, "chief_officer", federation, consent=False)
    decision = procurement(board, ccg, rulings={"gp_two": Ruling.NO_VOTE})
    award(decision, federation, officer)

    (entry,) = (
        APIClient()
        .get(reverse("api-procurement-decisions", kwargs={"ods_code": ccg.ods_code}))
        .json()["results"]
    )

    assert entry["award"] == {
        "supplier": {
            "kind": "organisation",
            "name": "Lancaster GP Federation",
            "ods_code": federation.ods_code or None,
        },
        "value": "250000.00",
        "route": "competitive",
        "starts_on": "2016-10-01",
        "ends_on": "2019-09-30",
    }
    assert entry["cross_check"] == [
        {
            "person": "Gp One",
            "status": "not_declared",
            "interests": ["financial: Shares in Lancaster GP Federation"],
            "ruling": "",
        }
    ]
    # The chief officer's interest is withheld from publication: counted, never shown.
    assert entry["cross_check_withheld"] == 1
    assert entry["conflicts"] == [
        {"person": "Gp Two", "statement": "Works with a bidder", "ruling": "no_vote"}
    ]
    assert {"person": "Gp One", "roles": ["Voted for", "Present"]} in entry["decision_makers"]


def test_the_published_register_shows_the_award_and_the_flag_in_words_but_no_withheld_interest(
    board: Board, ccg: CCG, officer: User, federation: Organisation
) -> None:
    interest_in(board, ccg, "gp_one", federation)
    interest_in(board, ccg, "chief_officer", federation, consent=False)
    decision = procurement(board, ccg)
    award(decision, federation, officer)
    client = Client()

    html = client.get(reverse("public-procurement", args=[ccg.ods_code])).content.decode()
    csv = client.get(reverse("public-procurement-csv", args=[ccg.ods_code])).getvalue().decode()

    for text in (html, csv):
        assert "Lancaster GP Federation" in text and "Competitive process" in text
        assert "Not declared at the item: Gp One held an interest" in text
        assert "Chief Officer held" not in text
        assert "1 further flag(s) rest on interests withheld from publication" in text


def test_the_schema_describes_the_award_and_the_cross_check() -> None:
    import yaml

    schema = yaml.safe_load(APIClient().get(reverse("api-schema")).content)
    components = schema["components"]["schemas"]

    assert {"award", "decision_makers", "conflicts", "cross_check", "cross_check_withheld"} <= set(
        components["ProcurementDecision"]["properties"]
    )
    assert components["CrossCheckStatusEnum"]["enum"] == ["managed", "not_declared"]
    assert set(components["Award"]["properties"]) == {"supplier", "value", "route", "starts_on", "ends_on"}
    assert "direct_a" in components["RouteEnum"]["enum"]


def test_the_register_pages_the_published_register_and_the_api_cost_the_same_for_1_award_as_for_3(
    board: Board, ccg: CCG, officer: User, federation: Organisation
) -> None:
    interest_in(board, ccg, "gp_one", federation)
    interest_in(board, ccg, "gp_two", federation)
    client, public, api = logged_in(officer), Client(), APIClient()
    urls = [
        (client, reverse("register-detail", args=[ccg.ods_code])),
        (public, reverse("public-procurement", args=[ccg.ods_code])),
        (public, reverse("public-procurement-csv", args=[ccg.ods_code])),
        (api, reverse("api-procurement-decisions", kwargs={"ods_code": ccg.ods_code})),
    ]

    def counted() -> list[int]:
        counts = []
        for who, url in urls:
            with CaptureQueriesContext(connection) as queries:
                response = who.get(url)
                assert response.status_code == 200
                response.getvalue()  # the CSV streams: its queries run as it is read
            counts.append(len(queries))
        return counts

    award(procurement(board, ccg, rulings={"gp_two": Ruling.NO_VOTE}), federation, officer)
    counted()  # the first request fills caches (content types, permissions) that later ones reuse
    few = counted()
    for n in (2, 3):
        decision = procurement(board, ccg, on=DECIDED + dt.timedelta(days=n), title=f"Service {n}")
        award(decision, federation, officer)
    many = counted()

    assert many == few
    html = client.get(urls[0][1]).content.decode()
    assert html.count("Not declared at the item") >= 3


def test_a_chair_away_from_the_meeting_takes_part_only_by_approving(
    board: Board, ccg: CCG, officer: User, federation: Organisation
) -> None:
    decision = procurement(board, ccg, present=["lay_member", "chief_officer", "gp_one"])

    makers = {str(m.person): m.roles for m in entry_of(decision).decision_makers}

    assert makers["Lay Chair"] == ("Approved the decision",)
    assert makers["Gp One"] == ("Voted for", "Present")
    assert "Gp Two" not in makers
