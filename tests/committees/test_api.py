"""The committees API: committees for everyone; meetings and decisions scoped to the caller; flat queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cocomm.audit import system_user
from cocomm.models import CCG, RoleKind, User
from committees import services
from committees.choices import AttendanceStatus, DecisionStatus, Office, Purpose, Session, VoteChoice
from committees.models import AgendaItem, Committee, Decision, Meeting
from committees.selectors import composition_of
from functions.models import Function
from tests.factories.committees import REASON, Board, pccc, seat
from tests.factories.delegation import give_level

pytestmark = pytest.mark.django_db

APRIL_2016 = dt.date(2016, 4, 1)
MERGERS = 3
VOTERS = ("lay_chair", "lay_member", "chief_officer", "gp_one")

COMMITTEE_FIELDS = {
    "id",
    "name",
    "short_name",
    "kind",
    "ccgs",
    "area_team",
    "reports_to",
    "functions",
    "terms_of_reference",
    "composition",
}
MEETING_FIELDS = {"id", "title", "starts_at", "place", "committees", "items"}
ITEM_FIELDS = {
    "number",
    "title",
    "reference",
    "session",
    "purpose",
    "committee",
    "ccg",
    "function",
    "decision",
}
DECISION_FIELDS = {
    "id",
    "committee",
    "ccg",
    "function",
    "resolution",
    "decided_on",
    "status",
    "outcome",
    "vote_summary",
    "casting_vote_used",
    "virtual",
    "approved_at",
    "supersedes",
    "superseded_by",
    "meeting",
    "item",
}


# --- Builders -------------------------------------------------------------------------------------


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def logged_in(user: User) -> APIClient:
    # A real session, so the views' SessionAuthentication is what recognises the caller.
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def delegated(level2_ccg: CCG) -> CCG:
    """Lancashire North, delegated from April 2016 for these tests."""
    give_level(level2_ccg, 3, APRIL_2016)
    return level2_ccg


@pytest.fixture
def board(delegated: CCG) -> Board:
    return pccc(delegated, virtual=True)


@pytest.fixture
def officer(make_user: Callable[..., User], delegated: CCG) -> User:
    return make_user(RoleKind.GOVERNANCE_OFFICER, ccg=delegated)


@pytest.fixture
def stranger(make_user: Callable[..., User], other_ccg: CCG) -> User:
    """A governance officer of another CCG: logged in, but none of this committee's business."""
    return make_user(RoleKind.GOVERNANCE_OFFICER, ccg=other_ccg)


def sitting(board: Board, on: dt.date, *, public: bool = True, private: bool = True) -> Meeting:
    meeting = services.meeting_schedule(
        committees=[board.committee],
        title=f"{board.committee.name} meeting",
        starts_at=timezone.make_aware(dt.datetime.combine(on, dt.time(14, 0))),
        place="Board room",
        has_public_session=public,
        has_private_session=private,
        by=system_user(),
        reason=REASON,
    )
    for key in board.members:
        services.attendance_record(
            meeting=meeting,
            person=board.person(key),
            status=AttendanceStatus.PRESENT,
            by=system_user(),
            reason=REASON,
        )
    return meeting


def item_for_decision(
    board: Board, meeting: Meeting, *, session: str = Session.PUBLIC, title: str = "List closure"
) -> AgendaItem:
    ccg = board.committee.ccgs.get()
    return services.agenda_item_add(
        meeting=meeting,
        committee=board.committee,
        title=title,
        purpose=Purpose.DECISION,
        session=session,
        ccg=ccg,
        function=Function.objects.get(number=MERGERS),
        reference="PCCC/16/06/01",
        by=system_user(),
        reason=REASON,
    )


def vote_through(board: Board, decision: Decision, *, approve: bool = True) -> Decision:
    chair = board.user("lay_chair")
    services.vote_open(decision=decision, by=chair)
    for key in VOTERS:
        services.vote_cast(decision=decision, person=board.person(key), choice=VoteChoice.FOR, by=chair)
    decision = services.vote_close(decision=decision, by=chair)
    return services.decision_approve(decision=decision, by=chair) if approve else decision


def decide(
    board: Board, item: AgendaItem, *, approve: bool = True, resolution: str = "Approve it"
) -> Decision:
    decision = services.decision_propose(
        item=item, resolution=resolution, by=board.user("lay_chair"), reason=REASON
    )
    return vote_through(board, decision, approve=approve)


def note_item(board: Board, meeting: Meeting, *, session: str, title: str) -> AgendaItem:
    return services.agenda_item_add(
        meeting=meeting,
        committee=board.committee,
        title=title,
        session=session,
        by=system_user(),
        reason=REASON,
    )


class Record:
    """One meeting's business, public and private, decided and not."""

    def __init__(self, board: Board, on: dt.date = dt.date(2016, 6, 1)) -> None:
        self.meeting = sitting(board, on)
        self.public_approved = decide(board, item_for_decision(board, self.meeting, title="Public, approved"))
        self.public_recorded = decide(
            board, item_for_decision(board, self.meeting, title="Public, recorded"), approve=False
        )
        self.private_approved = decide(
            board, item_for_decision(board, self.meeting, session=Session.PRIVATE, title="Private, approved")
        )
        self.private_note = note_item(board, self.meeting, session=Session.PRIVATE, title="Private, noted")


@pytest.fixture
def record(board: Board) -> Record:
    return Record(board)


def items_of(response: Any) -> dict[str, Any]:
    return {item["title"]: item for item in response.json()["items"]}


def decision_url(decision: Decision | int) -> str:
    pk = decision if isinstance(decision, int) else decision.pk
    return reverse("api-decision-detail", kwargs={"pk": pk})


def meeting_url(meeting: Meeting) -> str:
    return reverse("api-meeting-detail", kwargs={"pk": meeting.pk})


# --- Committees -----------------------------------------------------------------------------------


def test_anyone_may_read_a_committee_with_its_approved_terms_and_composition(
    api: APIClient, board: Board
) -> None:
    response = api.get(reverse("api-committee-detail", kwargs={"pk": board.committee.pk}))

    assert response.status_code == 200
    body = response.json()
    assert set(body) == COMMITTEE_FIELDS
    assert (body["name"], body["short_name"], body["kind"]) == (board.committee.name, "PCCC", "pccc")
    assert body["ccgs"] == [board.committee.ccgs.get().ods_code]
    assert (body["area_team"], body["reports_to"]) == (None, None)
    assert body["functions"] == list(range(1, 15))
    assert body["terms_of_reference"] == {
        "version": "v1",
        "approved_by": "Governing body",
        "approved_on": "2016-03-01",
        "quorum": {
            "minimum": 3,
            "categories": {"lay": 1, "clinical": 1, "executive": 1},
            "description": "3 voting members including 1 lay member, 1 GP or clinical member, 1 executive",
        },
        "casting_vote": "chair",
        "composition_rule": "pccc",
        "meets_in_public": True,
        "allows_virtual_decisions": True,
    }
    assert body["composition"] == {"ok": True, "problems": []}


def test_a_committee_that_breaks_its_rule_says_why(api: APIClient, board: Board) -> None:
    # A second chair, and a GP one: a PCCC needs exactly one chair, and a lay one.
    seat(board, "gp_chair", "clinical", office=Office.CHAIR)

    body = api.get(reverse("api-committee-detail", kwargs={"pk": board.committee.pk})).json()

    assert body["composition"]["ok"] is False
    assert body["composition"]["problems"] == composition_of(board.committee).problems
    assert "The committee needs exactly one chair; it has 2." in body["composition"]["problems"]
    assert any("must be a lay member" in p for p in body["composition"]["problems"])


def test_a_committee_without_approved_terms_has_none_and_says_so(api: APIClient, delegated: CCG) -> None:
    committee = services.committee_create(
        name="Estates group", kind="other", ccgs=[delegated], by=system_user(), reason=REASON
    )

    body = api.get(reverse("api-committee-detail", kwargs={"pk": committee.pk})).json()

    assert body["terms_of_reference"] is None
    assert body["composition"] == {
        "ok": False,
        "problems": ["The committee has no approved terms of reference."],
    }


def test_a_reporting_line_and_an_area_team_are_given_by_id_and_ods_code(
    api: APIClient, board: Board, delegated: CCG
) -> None:
    group = services.committee_create(
        name="Primary care strategy group",
        kind="steering_group",
        ccgs=[delegated],
        area_team=delegated.area_team,
        reports_to=board.committee,
        by=system_user(),
        reason=REASON,
    )

    body = api.get(reverse("api-committee-detail", kwargs={"pk": group.pk})).json()

    assert (body["reports_to"], body["area_team"]) == (board.committee.pk, delegated.area_team.ods_code)
    assert body["functions"] == []


def test_the_committee_list_shows_every_committee_to_anonymous_callers(
    api: APIClient, board: Board, other_ccg: CCG
) -> None:
    other = pccc(other_ccg)

    page = api.get(reverse("api-committee-list")).json()

    assert page["count"] == 2
    assert {c["id"] for c in page["results"]} == {board.committee.pk, other.committee.pk}
    assert all(set(c) == COMMITTEE_FIELDS for c in page["results"])


@pytest.mark.parametrize("pk", ["999999", "abc", "99999999999999999999999"])
def test_a_missing_committee_answers_404_as_json(api: APIClient, board: Board, pk: str) -> None:
    response = api.get(f"/api/v1/committees/{pk}/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": f"No committee with id {pk}."}


def test_the_api_is_read_only(api: APIClient, officer: User, board: Board, record: Record) -> None:
    client = logged_in(officer)
    for url in (
        reverse("api-committee-list"),
        reverse("api-meeting-list"),
        reverse("api-decision-list"),
        decision_url(record.public_approved),
    ):
        assert client.post(url, {}, format="json").status_code == 405
        assert api.delete(url).status_code == 405
    assert Decision.objects.filter(pk=record.public_approved.pk).exists()


# --- Meetings -------------------------------------------------------------------------------------


def test_anonymous_callers_see_public_items_only_and_only_approved_decisions(
    api: APIClient, record: Record
) -> None:
    response = api.get(meeting_url(record.meeting))

    assert response.status_code == 200
    body = response.json()
    assert set(body) == MEETING_FIELDS
    assert body["committees"] == [record.public_approved.committee_id]
    items = items_of(response)
    assert "Private, approved" not in items
    assert "Private, noted" not in items
    assert items["Public, approved"]["decision"] == record.public_approved.pk
    # Recorded but not yet approved by the chair: not public, so not even its id is given.
    assert items["Public, recorded"]["decision"] is None
    assert set(items["Public, approved"]) == ITEM_FIELDS
    assert items["Public, approved"] | {"decision": None} == {
        "number": items["Public, approved"]["number"],
        "title": "Public, approved",
        "reference": "PCCC/16/06/01",
        "session": "public",
        "purpose": "decision",
        "committee": record.public_approved.committee_id,
        "ccg": record.public_approved.ccg.ods_code,
        "function": MERGERS,
        "decision": None,
    }
    numbers = [item["number"] for item in body["items"]]
    assert numbers == sorted(numbers)
    assert numbers[:5] == [1, 2, 3, 4, 5]  # the standard opening items


def test_the_committees_officer_also_sees_private_items_and_unapproved_decisions(
    officer: User, record: Record
) -> None:
    items = items_of(logged_in(officer).get(meeting_url(record.meeting)))

    assert items["Private, approved"]["decision"] == record.private_approved.pk
    assert items["Private, noted"]["session"] == "private"
    assert items["Public, recorded"]["decision"] == record.public_recorded.pk


def test_a_member_who_logs_in_sees_the_private_business_too(board: Board, record: Record) -> None:
    items = items_of(logged_in(board.user("gp_two")).get(meeting_url(record.meeting)))

    assert {"Private, approved", "Private, noted"} <= set(items)


def test_an_officer_of_another_ccg_sees_what_the_public_sees(
    api: APIClient, stranger: User, record: Record
) -> None:
    public = api.get(meeting_url(record.meeting)).json()

    assert logged_in(stranger).get(meeting_url(record.meeting)).json() == public


def test_a_meeting_with_no_public_session_is_hidden_from_the_public_as_if_missing(
    api: APIClient, officer: User, board: Board
) -> None:
    closed = sitting(board, dt.date(2016, 7, 1), public=False)

    response = api.get(meeting_url(closed))
    missing = api.get(reverse("api-meeting-detail", kwargs={"pk": closed.pk + 1000}))

    assert response.status_code == missing.status_code == 404
    assert response.json() == {"detail": f"No meeting with id {closed.pk}."}
    assert missing.json() == {"detail": f"No meeting with id {closed.pk + 1000}."}
    assert closed.pk not in [m["id"] for m in api.get(reverse("api-meeting-list")).json()["results"]]
    assert logged_in(officer).get(meeting_url(closed)).status_code == 200


def test_meetings_are_listed_latest_first_and_filtered_by_committee(
    api: APIClient, board: Board, other_ccg: CCG
) -> None:
    early = sitting(board, dt.date(2016, 6, 1))
    late = sitting(board, dt.date(2016, 9, 1))
    give_level(other_ccg, 3, APRIL_2016)
    elsewhere = sitting(pccc(other_ccg), dt.date(2016, 7, 1))

    everything = api.get(reverse("api-meeting-list")).json()
    filtered = api.get(reverse("api-meeting-list"), {"committee": board.committee.pk}).json()

    assert [m["id"] for m in everything["results"]] == [late.pk, elsewhere.pk, early.pk]
    assert [m["id"] for m in filtered["results"]] == [late.pk, early.pk]
    assert filtered["count"] == 2


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "Committee must be a committee's id, a whole number."),
        ("0", "Committee must be a committee's id, a whole number."),
        ("999999", "No committee with id 999999."),
    ],
)
@pytest.mark.parametrize("endpoint", ["api-meeting-list", "api-decision-list"])
def test_a_wrong_committee_filter_answers_400_naming_it(
    api: APIClient, board: Board, endpoint: str, value: str, message: str
) -> None:
    response = api.get(reverse(endpoint), {"committee": value})

    assert response.status_code == 400
    assert response.json() == {"committee": [message]}


# --- Decisions ------------------------------------------------------------------------------------


def test_anonymous_callers_see_only_approved_decisions_taken_in_public(
    api: APIClient, record: Record
) -> None:
    page = api.get(reverse("api-decision-list")).json()

    assert [d["id"] for d in page["results"]] == [record.public_approved.pk]
    for hidden in (record.public_recorded, record.private_approved):
        response = api.get(decision_url(hidden))
        assert response.status_code == 404
        assert response.json() == {"detail": f"No decision with id {hidden.pk}."}


def test_a_decision_shows_its_vote_approval_and_place_on_the_agenda(api: APIClient, record: Record) -> None:
    decision = record.public_approved
    decision.refresh_from_db()

    body = api.get(decision_url(decision)).json()

    assert set(body) == DECISION_FIELDS
    assert body | {"approved_at": None} == {
        "id": decision.pk,
        "committee": decision.committee_id,
        "ccg": decision.ccg.ods_code,
        "function": MERGERS,
        "resolution": "Approve it",
        "decided_on": "2016-06-01",
        "status": "approved",
        "outcome": "carried",
        "vote_summary": "4 for, 0 against, 0 abstaining: carried by simple majority.",
        "casting_vote_used": False,
        "virtual": False,
        "approved_at": None,
        "supersedes": None,
        "superseded_by": None,
        "meeting": record.meeting.pk,
        "item": AgendaItem.objects.get(decision=decision).number,
    }
    assert body["approved_at"] is not None


def test_the_committees_officer_sees_private_and_unapproved_decisions(officer: User, record: Record) -> None:
    client = logged_in(officer)
    page = client.get(reverse("api-decision-list")).json()

    assert {d["id"] for d in page["results"]} == {
        record.public_approved.pk,
        record.public_recorded.pk,
        record.private_approved.pk,
    }
    recorded = client.get(decision_url(record.public_recorded)).json()
    assert (recorded["status"], recorded["approved_at"]) == ("recorded", None)


def test_an_officer_of_another_ccg_gets_404_for_private_decisions(stranger: User, record: Record) -> None:
    client = logged_in(stranger)

    assert client.get(decision_url(record.private_approved)).status_code == 404
    assert client.get(decision_url(record.public_approved)).status_code == 200


def test_a_superseded_decision_stays_public_and_links_to_its_successor_once_that_is_approved(
    api: APIClient, officer: User, board: Board, record: Record
) -> None:
    later = sitting(board, dt.date(2016, 9, 1))
    successor = services.decision_supersede(
        decision=record.public_approved,
        item=item_for_decision(board, later, title="Revisit"),
        resolution="Approve it for 3 months only",
        by=board.user("lay_chair"),
        reason=REASON,
    )
    successor = vote_through(board, successor, approve=False)

    # Until the successor is approved it is not public, and neither is the link to it.
    assert api.get(decision_url(record.public_approved)).json()["superseded_by"] is None
    assert (
        logged_in(officer).get(decision_url(record.public_approved)).json()["superseded_by"] == successor.pk
    )

    services.decision_approve(decision=successor, by=board.user("lay_chair"))
    earlier = api.get(decision_url(record.public_approved)).json()
    later_body = api.get(decision_url(successor)).json()

    assert (earlier["status"], earlier["superseded_by"]) == ("superseded", successor.pk)
    assert later_body["supersedes"] == record.public_approved.pk


def test_a_chairs_action_is_public_once_approved_when_the_committee_meets_in_public(
    api: APIClient, board: Board, delegated: CCG
) -> None:
    action = services.virtual_decision_take(
        committee=board.committee,
        ccg=delegated,
        function=Function.objects.get(number=MERGERS),
        resolution="Close the list for 3 months",
        urgency_reason="The practice cannot wait for the next meeting",
        chair_declaration="No interest declared.",
        by=board.user("lay_chair"),
    )

    body = api.get(decision_url(action)).json()

    assert (body["virtual"], body["meeting"], body["item"]) == (True, None, None)
    assert body["status"] == "approved"


def test_a_chairs_action_stays_private_when_the_committee_does_not_meet_in_public(
    api: APIClient, officer: User, board: Board, delegated: CCG
) -> None:
    terms = services.terms_draft(
        committee=board.committee,
        version="v2",
        composition_rule="pccc",
        quorum_minimum=3,
        quorum_categories={"lay": 1, "clinical": 1, "executive": 1},
        meets_in_public=False,
        allows_virtual_decisions=True,
        by=system_user(),
        reason=REASON,
    )
    services.terms_approve(
        terms=terms, approved_by="Governing body", approved_on=APRIL_2016, by=system_user(), reason=REASON
    )
    action = services.virtual_decision_take(
        committee=board.committee,
        ccg=delegated,
        function=Function.objects.get(number=MERGERS),
        resolution="Close the list for 3 months",
        urgency_reason="The practice cannot wait for the next meeting",
        chair_declaration="No interest declared.",
        by=board.user("lay_chair"),
    )

    assert api.get(decision_url(action)).status_code == 404
    assert logged_in(officer).get(decision_url(action)).status_code == 200


def test_decisions_are_filtered_by_committee_and_by_ccg_in_any_case(
    api: APIClient, board: Board, record: Record, other_ccg: CCG
) -> None:
    give_level(other_ccg, 3, APRIL_2016)
    other = pccc(other_ccg)
    elsewhere = decide(other, item_for_decision(other, sitting(other, dt.date(2016, 6, 1))))
    url = reverse("api-decision-list")

    by_committee = api.get(url, {"committee": other.committee.pk}).json()["results"]
    by_ccg = api.get(url, {"ccg": board.committee.ccgs.get().ods_code.lower()}).json()["results"]

    assert [d["id"] for d in by_committee] == [elsewhere.pk]
    assert [d["id"] for d in by_ccg] == [record.public_approved.pk]


def test_an_unknown_ccg_filter_answers_400_naming_it(api: APIClient, record: Record) -> None:
    response = api.get(reverse("api-decision-list"), {"ccg": "XYZ"})

    assert response.status_code == 400
    assert response.json() == {"ccg": ["No CCG with ODS code 'XYZ'."]}


def test_decisions_are_listed_latest_first(api: APIClient, board: Board) -> None:
    first = decide(board, item_for_decision(board, sitting(board, dt.date(2016, 5, 1))))
    third = decide(board, item_for_decision(board, sitting(board, dt.date(2016, 11, 1))))
    second = decide(board, item_for_decision(board, sitting(board, dt.date(2016, 8, 1))))

    results = api.get(reverse("api-decision-list")).json()["results"]

    assert [d["id"] for d in results] == [third.pk, second.pk, first.pk]
    assert results[0]["status"] == DecisionStatus.APPROVED


# --- Query counts ---------------------------------------------------------------------------------


def add_records(board: Board, count: int, start: dt.date) -> None:
    for n in range(count):
        Record(board, start + dt.timedelta(days=7 * n))


def counted(client: APIClient, url: str, expected: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert response.json()["count"] == expected
    return len(captured.captured_queries)


@pytest.mark.parametrize("who", ["anonymous", "officer"])
def test_listing_meetings_and_decisions_costs_the_same_for_2_meetings_as_for_6(
    board: Board, officer: User, who: str
) -> None:
    client = logged_in(officer) if who == "officer" else APIClient()
    per_meeting = 3 if who == "officer" else 1  # decisions each meeting shows this caller
    add_records(board, 2, dt.date(2016, 5, 2))
    few = [
        counted(client, reverse("api-meeting-list"), 2),
        counted(client, reverse("api-decision-list"), 2 * per_meeting),
    ]

    add_records(board, 4, dt.date(2016, 9, 5))
    many = [
        counted(client, reverse("api-meeting-list"), 6),
        counted(client, reverse("api-decision-list"), 6 * per_meeting),
    ]

    assert many == few


def test_listing_committees_costs_the_same_for_1_committee_as_for_6(
    api: APIClient, board: Board, delegated: CCG
) -> None:
    url = reverse("api-committee-list")
    few = counted(api, url, 1)

    for n in range(5):
        group = Board(
            services.committee_create(
                name=f"Group {n}",
                kind="other",
                ccgs=[delegated],
                area_team=delegated.area_team,
                reports_to=board.committee,
                functions=Function.objects.filter(number__in=[n + 1, n + 2]),
                by=system_user(),
                reason=REASON,
            )
        )
        if n % 2:
            terms = services.terms_draft(
                committee=group.committee,
                version="v1",
                composition_rule="chaired",
                quorum_minimum=2,
                by=system_user(),
                reason=REASON,
            )
            services.terms_approve(
                terms=terms,
                approved_by="Governing body",
                approved_on=APRIL_2016,
                by=system_user(),
                reason=REASON,
            )
        seat(group, f"chair_{n}", "lay", office=Office.CHAIR)
        seat(group, f"member_{n}", "executive")
    many = counted(api, url, 6)

    assert many == few


@pytest.mark.parametrize("who", ["anonymous", "officer"])
def test_one_meeting_or_decision_costs_a_fixed_number_of_queries(
    board: Board, officer: User, record: Record, who: str
) -> None:
    client = logged_in(officer) if who == "officer" else APIClient()
    small = [
        len(_queries(client, meeting_url(record.meeting))),
        len(_queries(client, decision_url(record.public_approved))),
    ]

    bigger = Record(board, dt.date(2016, 10, 3))
    for n in range(4):
        note_item(board, bigger.meeting, session=Session.PUBLIC, title=f"Report {n}")
    large = [
        len(_queries(client, meeting_url(bigger.meeting))),
        len(_queries(client, decision_url(bigger.public_approved))),
    ]

    assert large == small


def _queries(client: APIClient, url: str) -> list[dict[str, Any]]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return captured.captured_queries


# --- Schema ---------------------------------------------------------------------------------------

ENDPOINTS = {
    "api-committee-list": ("/api/v1/committees/", {}),
    "api-committee-detail": ("/api/v1/committees/{id}/", {"pk": 1}),
    "api-meeting-list": ("/api/v1/meetings/", {}),
    "api-meeting-detail": ("/api/v1/meetings/{id}/", {"pk": 1}),
    "api-decision-list": ("/api/v1/decisions/", {}),
    "api-decision-detail": ("/api/v1/decisions/{id}/", {"pk": 1}),
}


@pytest.fixture
def schema(api: APIClient) -> dict[str, Any]:
    response = api.get(reverse("api-schema"))
    assert response.status_code == 200
    document: dict[str, Any] = yaml.safe_load(response.content)
    return document


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in node and len(node["allOf"]) == 1:
        return resolve(schema, node["allOf"][0])
    return node


def response_schema(schema: dict[str, Any], path: str, code: str = "200") -> dict[str, Any]:
    response = schema["paths"][path]["get"]["responses"][code]
    return resolve(schema, response["content"]["application/json"]["schema"])


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_every_committees_endpoint_is_named_and_in_the_schema_read_only(
    schema: dict[str, Any], name: str
) -> None:
    path, kwargs = ENDPOINTS[name]

    assert reverse(name, kwargs=kwargs or None) == path.replace("{id}", "1")
    assert set(schema["paths"][path]) == {"get"}
    if "{id}" in path:
        # 503 (database unreachable) is declared on every endpoint.
        assert set(schema["paths"][path]["get"]["responses"]) == {"200", "404", "503"}
        assert set(response_schema(schema, path, "404")["properties"]) == {"detail"}


def test_the_schema_describes_the_shapes(schema: dict[str, Any]) -> None:
    committee = response_schema(schema, "/api/v1/committees/{id}/")
    meeting = response_schema(schema, "/api/v1/meetings/{id}/")
    decision = response_schema(schema, "/api/v1/decisions/{id}/")

    assert set(committee["properties"]) == COMMITTEE_FIELDS
    assert set(resolve(schema, committee["properties"]["composition"])["properties"]) == {"ok", "problems"}
    terms = resolve(schema, committee["properties"]["terms_of_reference"])
    assert set(resolve(schema, terms["properties"]["quorum"])["properties"]) == {
        "minimum",
        "categories",
        "description",
    }
    assert set(meeting["properties"]) == MEETING_FIELDS
    assert set(resolve(schema, meeting["properties"]["items"]["items"])["properties"]) == ITEM_FIELDS
    assert set(decision["properties"]) == DECISION_FIELDS
    assert resolve(schema, decision["properties"]["status"])["enum"] == [
        "draft",
        "voting",
        "recorded",
        "approved",
        "superseded",
    ]
    for nullable in ("supersedes", "superseded_by", "meeting", "item", "outcome"):
        assert decision["properties"][nullable]["nullable"] is True


@pytest.mark.parametrize(
    ("path", "filters"),
    [("/api/v1/meetings/", {"committee"}), ("/api/v1/decisions/", {"committee", "ccg"})],
)
def test_the_list_filters_and_their_400_are_documented(
    schema: dict[str, Any], path: str, filters: set[str]
) -> None:
    operation = schema["paths"][path]["get"]
    names = {p["name"] for p in operation["parameters"]}

    assert names == filters | {"limit", "offset"}
    assert {"200", "400"} <= set(operation["responses"])
    assert filters <= set(response_schema(schema, path, "400")["properties"])


def test_committee_existence_is_the_same_for_every_caller(
    api: APIClient, stranger: User, board: Board
) -> None:
    assert (
        logged_in(stranger).get(reverse("api-committee-list")).json()
        == api.get(reverse("api-committee-list")).json()
    )
    assert Committee.objects.count() == 1
