"""The public registers API: the publication rules hold through it, the shapes are as documented,
an unknown CCG answers 404 naming its code, queries stay flat, and the schema describes it all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any, cast

import pytest
import time_machine
import yaml
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from cocomm.audit import system_user
from cocomm.models import CCG, Practice, RoleKind, User
from committees import services as committee_services
from committees.choices import MatterKind, VoteChoice
from committees.models import Decision
from conflicts import services
from conflicts.models import Declaration, InterestType, OfferKind, ProcurementRecord, Ruling
from conflicts.rules import add_months
from functions.models import Function
from tests.factories.cocomm import OrganisationFactory, PracticeFactory
from tests.factories.committees import Board, meeting_of, pccc
from tests.factories.delegation import give_level

pytestmark = pytest.mark.django_db

# Every test runs on this day, so "ended 5 months ago" means the same thing whenever the suite runs.
TODAY = dt.date(2024, 6, 14)
APRIL_2016 = dt.date(2016, 4, 1)
MARKET = 4  # market management, leading on procurement of new services

REGISTER_URLS = ["api-register-of-interests", "api-gifts-and-hospitality", "api-procurement-decisions"]
ENTRY_FIELDS = {
    "person",
    "position",
    "interest_type",
    "description",
    "relationship",
    "concerns",
    "interest_from",
    "interest_to",
    "mitigation",
    "declared_on",
}
OFFER_FIELDS = {
    "person",
    "position",
    "kind",
    "description",
    "value",
    "offeror",
    "offered_on",
    "accepted",
    "reason",
    "senior_approver",
}
PROCUREMENT_FIELDS = {
    "service",
    "decision",
    "committee",
    "decided_on",
    "conflicts_summary",
    "supplier",
    "value",
    "award",
    "decision_makers",
    "conflicts",
    "cross_check",
    "cross_check_withheld",
}


@pytest.fixture(autouse=True)
def frozen_today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2024, 6, 14, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def api() -> APIClient:
    return APIClient()  # anonymous: the registers are published


@pytest.fixture
def ccg(level2_ccg: CCG) -> CCG:
    """Lancashire North, delegated (level 3) from April 2016 for these tests."""
    give_level(level2_ccg, 3, APRIL_2016)
    return level2_ccg


@pytest.fixture
def board(ccg: CCG) -> Board:
    return pccc(ccg)


@pytest.fixture
def practice(ccg: CCG) -> Practice:
    # factory_boy's call is typed as returning the factory; say what it really returns.
    return cast(Practice, PracticeFactory(ccg=ccg, name="Castle Hill Surgery", ods_code="P81001"))


def url(name: str, ccg: CCG | str) -> str:
    return reverse(name, kwargs={"ods_code": ccg if isinstance(ccg, str) else ccg.ods_code})


def declare(board: Board, ccg: CCG, key: str, **fields: Any) -> Declaration:
    values: dict[str, Any] = {
        "position": "Member of the primary care commissioning committee",
        "interest_type": InterestType.FINANCIAL,
        "description": f"An interest of {key}",
    }
    values.update(fields)
    return services.declaration_make(ccg=ccg, person=board.person(key), by=board.user(key), **values)


def ended(board: Board, declaration: Declaration, months_ago: int) -> Declaration:
    person = declaration.person.user
    assert person is not None
    return services.declaration_end(
        declaration=declaration,
        interest_to=add_months(TODAY, -months_ago),
        by=User.objects.get(pk=person.pk),
        reason="The interest ended",
    )


# --- Register of interests: what is published -------------------------------------------------------


def test_the_register_shows_decision_makers_interests_with_consent_and_counts_the_withheld(
    api: APIClient, board: Board, ccg: CCG, practice: Practice
) -> None:
    partner = declare(
        board,
        ccg,
        "gp_one",
        description="Partner at Castle Hill Surgery",
        practice=practice,
        interest_from=dt.date(2010, 4, 1),
        mitigation="Leaves the meeting for items about the practice",
    )
    declare(
        board,
        ccg,
        "gp_two",
        interest_type=InterestType.PERSONAL,
        description="Trustee of the hospice",
        consent_to_publish=False,
        withheld_reason="Risk to personal safety",
    )
    # A non-voting Healthwatch member decides nothing: neither shown nor counted, with consent or not.
    declare(
        board, ccg, "healthwatch", interest_type=InterestType.PROFESSIONAL, description="Chairs Healthwatch"
    )
    declare(
        board,
        ccg,
        "healthwatch",
        interest_type=InterestType.PERSONAL,
        description="Member of a campaign group",
        consent_to_publish=False,
        withheld_reason="Private",
    )
    # A nil return is kept on the register but is not an interest to publish.
    services.declaration_make(
        ccg=ccg,
        person=board.person("chief_officer"),
        position="Chief Officer",
        nil_return=True,
        by=board.user("chief_officer"),
    )

    response = api.get(url("api-register-of-interests", ccg))

    assert response.status_code == 200
    body = response.json()
    assert (body["ccg"], body["as_of"], body["withheld"]) == (ccg.ods_code, "2024-06-14", 1)
    assert body["entries"] == [
        {
            "person": str(partner.person),
            "position": "Member of the primary care commissioning committee",
            "interest_type": "financial",
            "description": "Partner at Castle Hill Surgery",
            "relationship": "",
            "concerns": {"practice": "P81001", "name": "Castle Hill Surgery"},
            "interest_from": "2010-04-01",
            "interest_to": None,
            "mitigation": "Leaves the meeting for items about the practice",
            "declared_on": "2024-06-14",
        }
    ]
    assert "Trustee of the hospice" not in response.content.decode()


@pytest.mark.parametrize(("months_ago", "published"), [(5, True), (7, False)])
def test_an_ended_interest_stays_published_for_six_months(
    api: APIClient, board: Board, ccg: CCG, months_ago: int, published: bool
) -> None:
    declaration = declare(
        board, ccg, "lay_member", description="Director of a care home", interest_from=dt.date(2015, 1, 1)
    )
    ended(board, declaration, months_ago)

    entries = api.get(url("api-register-of-interests", ccg)).json()["entries"]

    assert [e["description"] for e in entries] == (["Director of a care home"] if published else [])
    if published:
        assert entries[0]["interest_to"] == add_months(TODAY, -months_ago).isoformat()


def test_an_indirect_interest_names_the_relationship_and_the_body(
    api: APIClient, board: Board, ccg: CCG
) -> None:
    federation = OrganisationFactory(name="Lancaster GP Federation")
    declare(
        board,
        ccg,
        "finance_director",
        interest_type=InterestType.INDIRECT,
        description="Spouse is the federation's finance lead",
        relationship="Spouse",
        organisation=federation,
    )
    declare(
        board,
        ccg,
        "lay_chair",
        interest_type=InterestType.PROFESSIONAL,
        description="Adviser to a housing trust",
        organisation_name="Morecambe Housing Trust",
    )
    declare(
        board, ccg, "chief_officer", interest_type=InterestType.PERSONAL, description="Rotary club member"
    )

    entries = {e["description"]: e for e in api.get(url("api-register-of-interests", ccg)).json()["entries"]}

    indirect = entries["Spouse is the federation's finance lead"]
    assert (indirect["interest_type"], indirect["relationship"]) == ("indirect", "Spouse")
    assert indirect["concerns"] == {"practice": None, "name": "Lancaster GP Federation"}
    assert entries["Adviser to a housing trust"]["concerns"] == {
        "practice": None,
        "name": "Morecambe Housing Trust",
    }
    assert entries["Rotary club member"]["concerns"] == {"practice": None, "name": None}
    assert all(set(e) == ENTRY_FIELDS for e in entries.values())


def test_another_ccgs_entries_stay_on_its_own_register(
    api: APIClient, board: Board, ccg: CCG, other_ccg: CCG
) -> None:
    declare(board, ccg, "gp_one", description="Here")
    declare(board, other_ccg, "gp_one", description="Elsewhere")

    here = api.get(url("api-register-of-interests", ccg)).json()["entries"]
    there = api.get(url("api-register-of-interests", other_ccg)).json()

    assert [e["description"] for e in here] == ["Here"]
    # Nobody decides for the other CCG in these tests, so nothing of it is published.
    assert (there["entries"], there["withheld"]) == ([], 0)


# --- Gifts and hospitality ----------------------------------------------------------------------------


def offer(board: Board, ccg: CCG, key: str, **fields: Any) -> None:
    values: dict[str, Any] = {
        "kind": OfferKind.HOSPITALITY,
        "from_supplier": False,
        "accepted": True,
        "position": "Member",
    }
    values.update(fields)
    services.offer_record(ccg=ccg, person=board.person(key), by=board.user(key), **values)


def test_the_gifts_register_lists_every_offer_latest_first_declined_ones_too(
    api: APIClient, board: Board, ccg: CCG
) -> None:
    offer(
        board,
        ccg,
        "gp_one",
        kind=OfferKind.GIFT,
        description="Case of wine",
        value=Decimal("45"),
        offeror="Clinical systems supplier",
        from_supplier=True,
        offered_on=dt.date(2024, 5, 1),
        accepted=False,
    )
    offer(
        board,
        ccg,
        "lay_chair",
        description="Awards dinner",
        value=Decimal("90"),
        offeror="Law firm",
        offered_on=dt.date(2024, 6, 1),
        reason="Represented the CCG",
        senior_approver=board.person("chief_officer"),
    )
    offer(
        board,
        ccg,
        "finance_director",
        description="Conference dinner",
        value=Decimal("40"),
        offeror="Professional body",
        offered_on=dt.date(2024, 5, 20),
        reason="Part of the conference",
    )

    page = api.get(url("api-gifts-and-hospitality", ccg)).json()

    assert page["count"] == 3
    assert [o["description"] for o in page["results"]] == [
        "Awards dinner",
        "Conference dinner",
        "Case of wine",
    ]
    dinner, conference, wine = page["results"]
    assert set(dinner) == OFFER_FIELDS
    assert dinner == {
        "person": str(board.person("lay_chair")),
        "position": "Member",
        "kind": "hospitality",
        "description": "Awards dinner",
        "value": "90.00",
        "offeror": "Law firm",
        "offered_on": "2024-06-01",
        "accepted": True,
        "reason": "Represented the CCG",
        "senior_approver": str(board.person("chief_officer")),
    }
    assert (conference["value"], conference["senior_approver"]) == ("40.00", None)
    assert (wine["kind"], wine["accepted"]) == ("gift", False)
    assert "declined" in wine["reason"]


def test_the_gifts_register_comes_a_page_at_a_time(api: APIClient, board: Board, ccg: CCG) -> None:
    for day in range(1, 6):
        offer(
            board,
            ccg,
            "gp_one",
            description=f"Lunch {day}",
            value=Decimal("30"),
            offeror="Federation",
            offered_on=dt.date(2024, 5, day),
        )

    first = api.get(url("api-gifts-and-hospitality", ccg), {"limit": 2}).json()
    last = api.get(url("api-gifts-and-hospitality", ccg), {"limit": 2, "offset": 4}).json()

    assert first["count"] == 5 and first["next"] is not None
    assert [o["description"] for o in first["results"]] == ["Lunch 5", "Lunch 4"]
    assert ([o["description"] for o in last["results"]], last["next"]) == (["Lunch 1"], None)


# --- Procurement decisions ----------------------------------------------------------------------------


def procurement(
    board: Board,
    ccg: CCG,
    on: dt.date,
    title: str,
    capture: Callable[..., Any],
    *,
    declared_by: str = "",
) -> Decision:
    """A procurement decided and approved at a meeting; the register fills itself on commit."""
    chair = board.user("lay_chair")
    matter = committee_services.matter_raise(
        ccg=ccg,
        function=Function.objects.get(number=MARKET),
        kind=MatterKind.PROCUREMENT,
        title=title,
        by=system_user(),
        reason="Received",
    )
    item = committee_services.matter_schedule(
        matter=matter, meeting=meeting_of(board, on=on), by=system_user(), reason="Agenda"
    )
    if declared_by:
        services.item_declaration_rule(
            item=item,
            person=board.person(declared_by),
            statement="Member of a bidding federation",
            ruling=Ruling.NO_VOTE,
            by=chair,
        )
    decision = committee_services.decision_propose(
        item=item, resolution=f"Award: {title}", by=chair, reason="Moved"
    )
    committee_services.vote_open(decision=decision, by=chair)
    for key in ("lay_chair", "lay_member", "chief_officer", "gp_one"):
        committee_services.vote_cast(
            decision=decision, person=board.person(key), choice=VoteChoice.FOR, by=chair
        )
    decision = committee_services.vote_close(decision=decision, by=chair)
    with capture(execute=True):
        committee_services.decision_approve(decision=decision, by=chair)
    return decision


def test_the_procurement_register_shows_the_decision_its_conflicts_supplier_and_value(
    api: APIClient,
    board: Board,
    ccg: CCG,
    make_user: Callable[..., User],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    decision = procurement(
        board,
        ccg,
        dt.date(2016, 6, 1),
        "Extended access service",
        django_capture_on_commit_callbacks,
        declared_by="gp_two",
    )
    officer = make_user(RoleKind.GOVERNANCE_OFFICER, ccg=ccg)
    services.procurement_record_complete(
        record=ProcurementRecord.objects.get(decision=decision),
        supplier=" Lancaster GP Federation ",
        value=Decimal("250000"),
        by=officer,
        reason="Contract awarded",
    )

    page = api.get(url("api-procurement-decisions", ccg)).json()

    assert page["count"] == 1
    (entry,) = page["results"]
    assert set(entry) == PROCUREMENT_FIELDS
    assert entry == {
        "service": "Extended access service",
        "decision": decision.pk,
        "committee": {"id": board.committee.pk, "name": board.committee.name},
        "decided_on": "2016-06-01",
        "conflicts_summary": (
            "Gp Two: Member of a bidding federation (Stays for the discussion; does not vote)"
        ),
        "supplier": "Lancaster GP Federation",
        "value": "250000.00",
        "award": None,
        "decision_makers": entry["decision_makers"],
        "conflicts": [
            {"person": "Gp Two", "statement": "Member of a bidding federation", "ruling": "no_vote"}
        ],
        "cross_check": [],
        "cross_check_withheld": 0,
    }
    # The chair first; everyone present took part, voters say how they voted.
    assert entry["decision_makers"][0] == {"person": "Lay Chair", "roles": ["Chair", "Voted for", "Present"]}
    assert {"person": "Healthwatch", "roles": ["Present"]} in entry["decision_makers"]
    assert len(entry["decision_makers"]) == 7
    history = ProcurementRecord.objects.get(decision=decision).history.first()
    assert history is not None
    assert (history.history_user, history.history_change_reason) == (officer, "Contract awarded")


def test_only_the_ccgs_governance_officers_complete_a_procurement_entry(
    board: Board,
    ccg: CCG,
    other_ccg: CCG,
    make_user: Callable[..., User],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    decision = procurement(
        board, ccg, dt.date(2016, 6, 1), "Minor surgery", django_capture_on_commit_callbacks
    )
    record = ProcurementRecord.objects.get(decision=decision)

    for stranger in (make_user(RoleKind.GOVERNANCE_OFFICER, ccg=other_ccg), board.user("lay_chair")):
        with pytest.raises(PermissionDenied):
            services.procurement_record_complete(
                record=record, supplier="Anyone", value=None, by=stranger, reason="Trying"
            )
    record.refresh_from_db()
    assert (record.supplier, record.value) == ("", None)


def test_a_procurement_entry_without_its_award_yet_says_so(
    api: APIClient, board: Board, ccg: CCG, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    procurement(board, ccg, dt.date(2016, 6, 1), "Minor surgery", django_capture_on_commit_callbacks)

    (entry,) = api.get(url("api-procurement-decisions", ccg)).json()["results"]

    assert (entry["supplier"], entry["value"], entry["conflicts_summary"]) == (
        "",
        None,
        "No conflicts declared.",
    )


# --- Errors and the API's manners ---------------------------------------------------------------------


@pytest.mark.parametrize("name", REGISTER_URLS)
def test_an_unknown_ccg_answers_404_naming_the_code(api: APIClient, ccg: CCG, name: str) -> None:
    response = api.get(url(name, "ZZ9"))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "No CCG with ODS code 'ZZ9'."}


@pytest.mark.parametrize("name", REGISTER_URLS)
def test_the_ods_code_may_be_given_in_any_case_and_the_api_is_read_only(
    api: APIClient, ccg: CCG, name: str
) -> None:
    assert api.get(url(name, ccg.ods_code.lower())).status_code == 200
    assert api.post(url(name, ccg), {}, format="json").status_code == 405
    assert api.delete(url(name, ccg)).status_code == 405


# --- Query counts -------------------------------------------------------------------------------------


def counted(api: APIClient, address: str) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(address)
    assert response.status_code == 200
    return len(captured.captured_queries), response.json()


def test_the_register_of_interests_costs_the_same_for_1_entry_as_for_8(
    api: APIClient, board: Board, ccg: CCG
) -> None:
    federation = OrganisationFactory(name="GP Federation")
    declare(board, ccg, "gp_one", practice=PracticeFactory(ccg=ccg))
    few, body = counted(api, url("api-register-of-interests", ccg))
    assert len(body["entries"]) == 1

    for key in ("gp_two", "lay_chair", "lay_member", "chief_officer"):
        declare(board, ccg, key, practice=PracticeFactory(ccg=ccg))
        declare(board, ccg, key, description=f"Federation role of {key}", organisation=federation)
    declare(board, ccg, "finance_director", consent_to_publish=False, withheld_reason="Safety")
    many, body = counted(api, url("api-register-of-interests", ccg))

    assert (len(body["entries"]), body["withheld"]) == (9, 1)
    assert many == few


def test_the_gifts_register_costs_the_same_for_1_offer_as_for_6(
    api: APIClient, board: Board, ccg: CCG
) -> None:
    def add(key: str, n: int, approver: str = "") -> None:
        offer(
            board,
            ccg,
            key,
            description=f"Dinner {n}",
            value=Decimal("90") if approver else Decimal("30"),
            offeror="Federation",
            offered_on=dt.date(2024, 5, n),
            senior_approver=board.person(approver) if approver else None,
        )

    add("gp_one", 1, approver="chief_officer")
    few, body = counted(api, url("api-gifts-and-hospitality", ccg))
    assert body["count"] == 1

    for n, key in enumerate(
        ("gp_two", "lay_chair", "lay_member", "finance_director", "healthwatch"), start=2
    ):
        add(key, n, approver="chief_officer" if n % 2 else "")
    many, body = counted(api, url("api-gifts-and-hospitality", ccg))

    assert body["count"] == 6
    assert many == few


def test_the_procurement_register_costs_the_same_for_1_decision_as_for_3(
    api: APIClient, board: Board, ccg: CCG, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    procurement(board, ccg, dt.date(2016, 6, 1), "Service 1", django_capture_on_commit_callbacks)
    few, body = counted(api, url("api-procurement-decisions", ccg))
    assert body["count"] == 1

    for n in (2, 3):
        procurement(board, ccg, dt.date(2016, 6 + n, 1), f"Service {n}", django_capture_on_commit_callbacks)
    many, body = counted(api, url("api-procurement-decisions", ccg))

    assert [e["service"] for e in body["results"]] == ["Service 3", "Service 2", "Service 1"]
    assert many == few


# --- The schema ---------------------------------------------------------------------------------------


@pytest.fixture
def schema(api: APIClient) -> dict[str, Any]:
    response = api.get(reverse("api-schema"))
    assert response.status_code == 200
    document: dict[str, Any] = yaml.safe_load(response.content)
    return document


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local $ref, or the single $ref inside an allOf, to the schema it names."""
    while "$ref" in node or "allOf" in node:
        if "allOf" in node:
            (node,) = node["allOf"]
            continue
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def answer_schema(schema: dict[str, Any], path: str) -> dict[str, Any]:
    operation = schema["paths"][path]["get"]
    assert {"200", "404"} <= set(operation["responses"])
    return resolve(schema, operation["responses"]["200"]["content"]["application/json"]["schema"])


@pytest.mark.parametrize("name", REGISTER_URLS)
def test_each_register_is_in_the_schema_as_a_get_with_its_path_parameter(
    schema: dict[str, Any], name: str
) -> None:
    path = reverse(name, kwargs={"ods_code": "{ods_code}"}).replace("%7B", "{").replace("%7D", "}")

    assert set(schema["paths"][path]) == {"get"}
    parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
    assert parameters["ods_code"]["in"] == "path" and parameters["ods_code"]["required"] is True


def test_the_schema_describes_the_registers_and_validates(schema: dict[str, Any]) -> None:
    validate_schema(schema)

    register = answer_schema(schema, "/api/v1/ccgs/{ods_code}/register-of-interests/")
    assert set(register["properties"]) == {"ccg", "as_of", "withheld", "entries"}
    entry = resolve(schema, register["properties"]["entries"]["items"])
    assert set(entry["properties"]) == ENTRY_FIELDS
    assert resolve(schema, entry["properties"]["interest_type"])["enum"] == [
        "financial",
        "professional",
        "personal",
        "indirect",
    ]
    assert set(resolve(schema, entry["properties"]["concerns"])["properties"]) == {"practice", "name"}

    gifts = answer_schema(schema, "/api/v1/ccgs/{ods_code}/gifts-and-hospitality/")
    assert {"count", "next", "previous", "results"} <= set(gifts["properties"])
    gift = resolve(schema, gifts["properties"]["results"]["items"])
    assert set(gift["properties"]) == OFFER_FIELDS
    # Its own enum, not the committees' `kind`.
    assert gift["properties"]["kind"]["allOf"][0]["$ref"].endswith("/OfferKindEnum")
    assert resolve(schema, gift["properties"]["kind"])["enum"] == ["gift", "hospitality"]
    assert gift["properties"]["senior_approver"]["nullable"] is True

    decisions = answer_schema(schema, "/api/v1/ccgs/{ods_code}/procurement-decisions/")
    record = resolve(schema, decisions["properties"]["results"]["items"])
    assert set(record["properties"]) == PROCUREMENT_FIELDS
    assert set(resolve(schema, record["properties"]["committee"])["properties"]) == {"id", "name"}
    assert record["properties"]["value"]["nullable"] is True
