"""The committee pages: who sees and does what, refusals shown on the page, history, query counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cocomm.audit import system_user
from cocomm.models import CCG, RoleKind, User
from committees import services
from committees.choices import (
    AttendanceStatus,
    CommitteeKind,
    CompositionRule,
    DecisionStatus,
    ExclusionScope,
    MatterKind,
    MemberCategory,
    MinutesStatus,
    Office,
    Purpose,
    Session,
    ToRStatus,
    VoteChoice,
)
from committees.models import (
    Action,
    AgendaItem,
    Attendance,
    Committee,
    Decision,
    Matter,
    Meeting,
    Membership,
    MembershipStatus,
    Minutes,
    Paper,
    TermsOfReference,
    Vote,
)
from functions.models import Function
from tests.factories.cocomm import PersonFactory
from tests.factories.committees import Board, decision_item, meeting_of, pccc
from tests.factories.delegation import give_level

pytestmark = pytest.mark.django_db

MEETING_DAY = dt.date(2016, 6, 1)
EVERYONE = ["lay_chair", "lay_member", "chief_officer", "finance_director", "gp_one", "gp_two", "healthwatch"]


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def html_of(response: Any) -> str:
    return str(response.content.decode())


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def date_fields(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def at(day: dt.date, hour: int = 14) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@pytest.fixture
def ccg(level2_ccg: CCG) -> CCG:
    """A CCG at level 3 (delegated) from April 2016: its PCCC decides function 3 from then."""
    give_level(level2_ccg, 3, dt.date(2016, 4, 1))
    return level2_ccg


@pytest.fixture
def board(ccg: CCG) -> Board:
    return pccc(ccg, virtual=True)


@pytest.fixture
def meeting(board: Board) -> Meeting:
    return meeting_of(board, on=MEETING_DAY)


@pytest.fixture
def item(board: Board, meeting: Meeting, ccg: CCG) -> AgendaItem:
    return decision_item(board, meeting, ccg)


@pytest.fixture
def officer(make_user: Callable[..., User], ccg: CCG) -> User:
    return make_user(RoleKind.GOVERNANCE_OFFICER, ccg=ccg)


@pytest.fixture
def other_officer(make_user: Callable[..., User], other_ccg: CCG) -> User:
    return make_user(RoleKind.GOVERNANCE_OFFICER, ccg=other_ccg)


@pytest.fixture
def reviewer(make_user: Callable[..., User], ccg: CCG) -> User:
    return make_user(RoleKind.NHSE_REVIEWER, area_team=ccg.area_team)


def recorded_decision(board: Board, item: AgendaItem) -> Decision:
    """A decision voted on and closed (carried), awaiting the chair's approval."""
    chair = board.user("lay_chair")
    decision = services.decision_propose(
        item=item, resolution="Approve the closure", by=chair, reason="Moved"
    )
    services.vote_open(decision=decision, by=chair)
    for key in ("lay_chair", "lay_member", "chief_officer", "gp_one"):
        services.vote_cast(decision=decision, person=board.person(key), choice=VoteChoice.FOR, by=chair)
    return services.vote_close(decision=decision, by=chair)


# Who sees what ------------------------------------------------------------------------------------------


@pytest.fixture
def read_urls(board: Board, meeting: Meeting, item: AgendaItem) -> list[str]:
    decision = services.decision_propose(
        item=item, resolution="Approve the closure", by=board.user("lay_chair"), reason="Moved"
    )
    terms = board.committee.terms_of_reference.get()
    return [
        reverse("committee-detail", args=[board.committee.pk]),
        reverse("committee-history", args=[board.committee.pk]),
        reverse("terms-detail", args=[terms.pk]),
        reverse("meeting-detail", args=[meeting.pk]),
        reverse("agenda-item-detail", args=[item.pk]),
        reverse("minutes-detail", args=[meeting.pk]),
        reverse("decision-detail", args=[decision.pk]),
    ]


@pytest.fixture
def form_urls(board: Board, meeting: Meeting, item: AgendaItem, ccg: CCG) -> list[str]:
    """Every page with a form a governance officer of the committee's CCG may use."""
    undecided = decision_item(board, meeting, ccg, title="Merger")
    draft = services.terms_draft(
        committee=board.committee,
        version="v2",
        composition_rule=CompositionRule.PCCC,
        quorum_minimum=3,
        by=system_user(),
        reason="Test data",
    )
    return [
        reverse("committee-create"),
        reverse("matter-create"),
        reverse("terms-create", args=[board.committee.pk]),
        reverse("terms-approve", args=[draft.pk]),
        reverse("membership-add", args=[board.committee.pk]),
        reverse("membership-end", args=[board.members["gp_two"].pk]),
        reverse("meeting-create", args=[board.committee.pk]),
        reverse("agenda-item-add", args=[meeting.pk]),
        reverse("paper-add", args=[item.pk]),
        reverse("exclusion-add", args=[item.pk]),
        reverse("decision-propose", args=[undecided.pk]),
    ]


def test_the_governance_officer_of_a_served_ccg_reads_every_page_and_uses_every_form(
    officer: User, read_urls: list[str], form_urls: list[str]
) -> None:
    client = logged_in(officer)

    statuses = {url: client.get(url).status_code for url in [*read_urls, *form_urls]}

    assert statuses == dict.fromkeys(statuses, 200)


def test_another_ccgs_governance_officer_finds_nothing(
    other_officer: User, board: Board, read_urls: list[str], form_urls: list[str]
) -> None:
    client = logged_in(other_officer)
    committee_pages = [
        u for u in form_urls if u not in (reverse("committee-create"), reverse("matter-create"))
    ]

    statuses = {url: client.get(url).status_code for url in [*read_urls, *committee_pages]}

    assert statuses == dict.fromkeys(statuses, 404)
    listing = client.get(reverse("committee-list"))
    assert listing.status_code == 200
    assert board.committee.name not in html_of(listing)


def test_a_reviewer_of_the_area_reads_everything_but_every_form_page_is_not_found(
    reviewer: User, board: Board, read_urls: list[str], form_urls: list[str]
) -> None:
    client = logged_in(reviewer)

    reads = {url: client.get(url).status_code for url in read_urls}
    forms = {url: client.get(url).status_code for url in form_urls}

    assert reads == dict.fromkeys(reads, 200)
    assert forms == dict.fromkeys(forms, 404)
    page = html_of(client.get(reverse("committee-detail", args=[board.committee.pk])))
    assert reverse("membership-add", args=[board.committee.pk]) not in page
    assert reverse("membership-end", args=[board.members["gp_one"].pk]) not in page


def test_a_reviewer_cannot_post_to_a_form_either(reviewer: User, meeting: Meeting, ccg: CCG) -> None:
    before = meeting.items.count()

    response = logged_in(reviewer).post(
        reverse("agenda-item-add", args=[meeting.pk]),
        {"committee": meeting.committees.get().pk, "title": "Sneaked in", "purpose": "noting", "reason": "x"},
    )

    assert response.status_code == 404
    assert meeting.items.count() == before


def test_a_member_without_a_role_sees_their_committee_and_its_meetings(
    board: Board, read_urls: list[str], form_urls: list[str]
) -> None:
    client = logged_in(board.user("gp_one"))

    reads = {url: client.get(url).status_code for url in read_urls}

    assert reads == dict.fromkeys(reads, 200)
    assert board.committee.name in html_of(client.get(reverse("committee-list")))
    committee_pages = [
        u for u in form_urls if u not in (reverse("committee-create"), reverse("matter-create"))
    ]
    assert {client.get(u).status_code for u in committee_pages} == {404}


def test_anonymous_users_are_sent_to_log_in(read_urls: list[str], form_urls: list[str]) -> None:
    for url in [reverse("committee-list"), reverse("decisions-awaiting"), *read_urls, *form_urls]:
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"


def test_chairs_pages_are_for_the_chair_alone(board: Board, officer: User, reviewer: User) -> None:
    url = reverse("virtual-decision-create", args=[board.committee.pk])

    assert logged_in(board.user("lay_chair")).get(url).status_code == 200
    assert logged_in(board.user("gp_one")).get(url).status_code == 404
    assert logged_in(officer).get(url).status_code == 404
    assert logged_in(reviewer).get(url).status_code == 404


def test_a_committee_that_does_not_exist_is_not_found(administrator: User) -> None:
    client = logged_in(administrator)
    assert client.get(reverse("committee-detail", args=[999999])).status_code == 404
    assert client.get(reverse("meeting-detail", args=[999999])).status_code == 404
    assert client.get(reverse("decision-detail", args=[999999])).status_code == 404


# Committees, terms of reference, members ----------------------------------------------------------------


def test_the_list_tags_a_committee_whose_composition_breaks_its_rule(
    officer: User, ccg: CCG, board: Board
) -> None:
    broken = services.committee_create(
        name="Broken Committee", kind=CommitteeKind.PCCC, ccgs=[ccg], by=system_user(), reason="Test data"
    )
    terms = services.terms_draft(
        committee=broken,
        version="v1",
        composition_rule=CompositionRule.PCCC,
        quorum_minimum=1,
        by=system_user(),
        reason="Test data",
    )
    services.terms_approve(
        terms=terms,
        approved_by="Governing body",
        approved_on=dt.date(2016, 1, 1),
        by=system_user(),
        reason="x",
    )
    services.membership_add(
        committee=broken,
        person=PersonFactory(full_name="Dr Clinical Chair"),
        category=MemberCategory.CLINICAL,
        office=Office.CHAIR,
        starts_on=dt.date(2015, 1, 1),
        by=system_user(),
        reason="Test data",
    )

    listing = html_of(logged_in(officer).get(reverse("committee-list")))
    page = html_of(logged_in(officer).get(reverse("committee-detail", args=[broken.pk])))

    broken_row = listing[listing.index("Broken Committee") :]
    assert "Breaks its rule" in broken_row[: broken_row.index("</tr>")]
    good_row = listing[listing.index(board.committee.name) :]
    assert "Meets its rule" in good_row[: good_row.index("</tr>")]
    assert "must be a lay member; Dr Clinical Chair is a GP or clinical member" in page
    assert "cannot hold decision-taking meetings until this is put right" in page


def test_setting_up_a_committee_offers_only_the_officers_ccgs_and_keeps_who_and_why(
    officer: User, ccg: CCG, other_ccg: CCG
) -> None:
    client = logged_in(officer)
    form_page = html_of(client.get(reverse("committee-create")))
    assert ccg.name in form_page and other_ccg.name not in form_page

    refused = client.post(
        reverse("committee-create"),
        {"name": "Camden PCCC", "kind": CommitteeKind.PCCC, "ccgs": [other_ccg.pk], "reason": "Try"},
    )
    assert refused.status_code == 200
    assert not Committee.objects.filter(name="Camden PCCC").exists()

    response = client.post(
        reverse("committee-create"),
        {
            "name": "Lancashire North Estates Group",
            "short_name": "PCEG",
            "kind": CommitteeKind.STEERING_GROUP,
            "ccgs": [ccg.pk],
            "functions": [Function.objects.get(number=13).pk],
            "reason": "Set up under the estates strategy",
        },
    )

    committee = Committee.objects.get(name="Lancashire North Estates Group")
    assert response.status_code == 302
    assert response["Location"] == reverse("committee-detail", args=[committee.pk])
    assert list(committee.ccgs.all()) == [ccg]
    history = html_of(client.get(reverse("committee-history", args=[committee.pk])))
    assert str(officer) in history
    assert "Set up under the estates strategy" in history


def test_drafted_terms_keep_only_the_categories_asked_for_and_approval_puts_them_in_force(
    officer: User, board: Board
) -> None:
    client = logged_in(officer)
    committee = board.committee

    response = client.post(
        reverse("terms-create", args=[committee.pk]),
        {
            "version": "v2",
            "composition_rule": CompositionRule.PCCC,
            "quorum_minimum": "4",
            "quorum_lay": "2",
            "quorum_clinical": "0",
            "quorum_executive": "",
            "casting_vote": "chair",
            "meets_in_public": "on",
            "reason": "Annual review of the terms",
        },
    )
    terms = TermsOfReference.objects.get(committee=committee, version="v2")
    assert response["Location"] == reverse("terms-detail", args=[terms.pk])
    assert terms.quorum_categories == {"lay": 2}
    assert terms.status == ToRStatus.DRAFT

    too_many = client.post(
        reverse("terms-create", args=[committee.pk]),
        {
            "version": "v3",
            "composition_rule": "pccc",
            "quorum_minimum": "1",
            "quorum_lay": "2",
            "reason": "x",
        },
    )
    assert "The quorum must be at least the 2 members its categories require" in html_of(too_many)

    approved = client.post(
        reverse("terms-approve", args=[terms.pk]),
        {
            "approved_by": "Governing body",
            **date_fields("approved_on", dt.date(2017, 3, 1)),
            "reason": "Approved",
        },
    )
    assert approved.status_code == 302
    terms.refresh_from_db()
    assert terms.status == ToRStatus.APPROVED
    assert committee.terms_of_reference.get(version="v1").status == ToRStatus.SUPERSEDED
    page = html_of(client.get(reverse("committee-detail", args=[committee.pk])))
    assert "4 voting members including 2 lay member" in page
    assert client.get(reverse("terms-approve", args=[terms.pk])).status_code == 404


def test_adding_and_ending_a_seat_is_recorded_with_the_officers_reason(officer: User, board: Board) -> None:
    client = logged_in(officer)
    person = PersonFactory(full_name="Ann Patel")

    client.post(
        reverse("membership-add", args=[board.committee.pk]),
        {
            "person": person.pk,
            "category": MemberCategory.NURSE,
            "voting": "on",
            "office": Office.MEMBER,
            **date_fields("starts_on", dt.date(2016, 9, 1)),
            "reason": "Appointed by the governing body in August",
        },
    )
    seat = Membership.objects.get(committee=board.committee, person=person)
    assert (seat.category, seat.voting, seat.starts_on) == ("nurse", True, dt.date(2016, 9, 1))

    twice = client.post(
        reverse("membership-add", args=[board.committee.pk]),
        {"person": person.pk, "category": "nurse", "office": "member", "reason": "Again"},
    )
    assert f"{person} already has a seat" in html_of(twice)

    client.post(reverse("membership-end", args=[seat.pk]), {"reason": "Stepped down"})
    seat.refresh_from_db()
    assert seat.status == MembershipStatus.ENDED
    history = html_of(client.get(reverse("committee-history", args=[board.committee.pk])))
    assert "Appointed by the governing body in August" in history
    assert "Stepped down" in history
    assert str(officer) in history


# Meetings, agenda, attendance ---------------------------------------------------------------------------


def test_scheduling_a_meeting_in_common_with_another_committee(officer: User, board: Board, ccg: CCG) -> None:
    partner = services.committee_create(
        name="Lancashire North Quality Committee",
        kind=CommitteeKind.STEERING_GROUP,
        ccgs=[ccg],
        by=system_user(),
        reason="Test data",
    )
    client = logged_in(officer)
    assert partner.name in html_of(client.get(reverse("meeting-create", args=[board.committee.pk])))

    response = client.post(
        reverse("meeting-create", args=[board.committee.pk]),
        {
            "title": "Joint meeting in common",
            **date_fields("on", dt.date(2016, 7, 6)),
            "at": "13:30",
            "place": "Lancaster Town Hall",
            "has_public_session": "on",
            "in_common": [partner.pk],
            "reason": "Meet in common to save time",
        },
    )

    meeting = Meeting.objects.get(title="Joint meeting in common")
    assert response["Location"] == reverse("meeting-detail", args=[meeting.pk])
    assert set(meeting.committees.all()) == {board.committee, partner}
    assert timezone.localtime(meeting.starts_at).time() == dt.time(13, 30)
    assert [i.standard for i in meeting.items.order_by("number")][:2] == ["apologies", "quoracy"]
    assert "Committees in common" in html_of(client.get(reverse("meeting-detail", args=[meeting.pk])))


def test_a_bad_start_time_is_refused(officer: User, board: Board) -> None:
    response = logged_in(officer).post(
        reverse("meeting-create", args=[board.committee.pk]),
        {"title": "M", **date_fields("on", dt.date(2016, 7, 6)), "at": "25:00", "has_public_session": "on"},
    )
    assert "Enter a time on the 24-hour clock" in html_of(response)
    assert not Meeting.objects.filter(title="M").exists()


def test_an_item_for_decision_for_a_body_without_the_right_shows_the_refusal_and_saves_nothing(
    officer: User, board: Board, ccg: CCG
) -> None:
    # In March 2016 the CCG is still at level 2: a joint committee decides function 3, not the PCCC.
    meeting = meeting_of(board, on=dt.date(2016, 3, 1))
    before = meeting.items.count()

    response = logged_in(officer).post(
        reverse("agenda-item-add", args=[meeting.pk]),
        {
            "committee": board.committee.pk,
            "title": "Castle Hill Surgery list closure",
            "purpose": Purpose.DECISION,
            "session": Session.PUBLIC,
            "ccg": ccg.pk,
            "function": Function.objects.get(number=3).pk,
            "reason": "Application received",
        },
    )

    html = html_of(response)
    assert response.status_code == 200
    assert "nhsuk-error-summary" in html
    assert "may not decide function 3 for NHS Lancashire North CCG on 1 March 2016" in html
    assert "so a joint committee with NHS England decides" in html
    assert meeting.items.count() == before


def test_an_item_for_decision_is_added_with_its_summary_sheet(
    officer: User, board: Board, meeting: Meeting, ccg: CCG
) -> None:
    from tests.factories.cocomm import PracticeFactory

    practice = PracticeFactory(ccg=ccg, name="Castle Hill Surgery")
    response = logged_in(officer).post(
        reverse("agenda-item-add", args=[meeting.pk]),
        {
            "committee": board.committee.pk,
            "title": "Castle Hill Surgery list closure",
            "reference": "PCCC/16/06/03",
            "purpose": Purpose.DECISION,
            "session": Session.PUBLIC,
            "ccg": ccg.pk,
            "function": Function.objects.get(number=3).pk,
            "practices": [practice.pk],
            "summary": "The practice asks to close its list for 6 months.",
            "action_asked": "Approve the closure.",
            "reason": "Application received",
        },
    )

    item = meeting.items.get(reference="PCCC/16/06/03")
    assert response["Location"] == reverse("agenda-item-detail", args=[item.pk])
    assert list(item.practices.all()) == [practice]
    page = html_of(logged_in(officer).get(response["Location"]))
    assert "The practice asks to close its list for 6 months." in page
    assert "Quorum for this item" in page


def test_attendance_is_recorded_for_each_member_with_one_reason(officer: User, board: Board) -> None:
    meeting = meeting_of(board, on=MEETING_DAY, present=[])
    client = logged_in(officer)
    fields = {
        f"attendance-status_{board.person('lay_chair').pk}": AttendanceStatus.PRESENT,
        f"attendance-status_{board.person('gp_two').pk}": AttendanceStatus.APOLOGIES,
    }

    missing_reason = client.post(reverse("attendance-record", args=[meeting.pk]), fields)
    assert "Enter the reason for the change" in html_of(missing_reason)
    assert not Attendance.objects.filter(meeting=meeting).exists()

    guest = PersonFactory(full_name="Sam Guest")
    response = client.post(
        reverse("attendance-record", args=[meeting.pk]),
        {
            **fields,
            "attendance-guest": guest.pk,
            "attendance-guest_note": "LMC",
            "attendance-reason": "Register",
        },
    )

    assert response.status_code == 302
    statuses = dict(Attendance.objects.filter(meeting=meeting).values_list("person__full_name", "status"))
    assert statuses == {"Lay Chair": "present", "Gp Two": "apologies", "Sam Guest": "in_attendance"}
    assert "Sam Guest (LMC)" in html_of(client.get(reverse("meeting-detail", args=[meeting.pk])))


def test_the_meeting_page_shows_the_live_quorum_of_each_item_for_decision(
    reviewer: User, board: Board, ccg: CCG
) -> None:
    meeting = meeting_of(
        board, on=MEETING_DAY, present=["lay_chair", "chief_officer", "gp_one", "healthwatch"]
    )
    quorate = decision_item(board, meeting, ccg, title="List closure")
    conflicted = decision_item(board, meeting, ccg, title="Merger")
    services.exclusion_record(
        item=conflicted,
        person=board.person("gp_one"),
        scope=ExclusionScope.LEAVES,
        reason="Partner at one of the merging practices",
        by=system_user(),
    )

    html = html_of(logged_in(reviewer).get(reverse("meeting-detail", args=[meeting.pk])))

    first = html[html.index(f'id="quorum-{quorate.pk}"') : html.index(f'id="quorum-{conflicted.pk}"')]
    second = html[html.index(f'id="quorum-{conflicted.pk}"') : html.index('id="attendance"')]
    assert "Quorate: 3 voting members count" in first
    assert "Inquorate" in second and "0 of the 1 GP or clinical member needed count" in second
    assert "Partner at one of the merging practices" in second
    assert "Finance Director" in second  # absent


def test_an_action_is_added_to_the_log(officer: User, board: Board, meeting: Meeting) -> None:
    response = logged_in(officer).post(
        reverse("action-add", args=[meeting.pk]),
        {
            "action-description": "Write to the practice with the decision",
            "action-owner": board.person("chief_officer").pk,
            **{f"action-{k}": v for k, v in date_fields("due_on", dt.date(2016, 6, 15)).items()},
        },
    )

    assert response.status_code == 302
    action = Action.objects.get(meeting=meeting)
    assert (action.owner, action.due_on) == (board.person("chief_officer"), dt.date(2016, 6, 15))


# Papers -------------------------------------------------------------------------------------------------


@pytest.fixture
def private_item(board: Board, ccg: CCG, settings: Any, tmp_path: Path) -> AgendaItem:
    settings.MEDIA_ROOT = str(tmp_path)
    meeting = services.meeting_schedule(
        committees=[board.committee],
        title="PCCC meeting",
        starts_at=at(MEETING_DAY),
        has_private_session=True,
        by=system_user(),
        reason="Test data",
    )
    return services.agenda_item_add(
        meeting=meeting,
        committee=board.committee,
        title="Practice under investigation",
        session=Session.PRIVATE,
        by=system_user(),
        reason="Test data",
    )


def test_a_private_paper_is_read_by_members_and_managers_only(
    officer: User, reviewer: User, board: Board, private_item: AgendaItem
) -> None:
    upload = SimpleUploadedFile("investigation.pdf", b"%PDF-1.4 private", content_type="application/pdf")
    response = logged_in(officer).post(
        reverse("paper-add", args=[private_item.pk]),
        {"title": "Investigation report", "file": upload, "reason": "Circulated to members"},
    )
    assert response.status_code == 302
    paper = Paper.objects.get(item=private_item)
    url = reverse("paper-download", args=[paper.pk])

    member = logged_in(board.user("gp_one"))
    download = member.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 private"  # type: ignore[attr-defined]
    assert url in html_of(member.get(reverse("agenda-item-detail", args=[private_item.pk])))

    outsider = logged_in(reviewer)
    item_page = html_of(outsider.get(reverse("agenda-item-detail", args=[private_item.pk])))
    assert url not in item_page and "Investigation report" not in item_page
    assert "Papers for the private session go to the committee's members only" in item_page
    assert outsider.get(url).status_code == 404


# The vote and the decision ------------------------------------------------------------------------------


def test_the_chair_runs_the_vote_and_approves_and_the_history_names_them(
    board: Board, item: AgendaItem
) -> None:
    chair_user = board.user("lay_chair")
    chair = logged_in(chair_user)
    item_url = reverse("agenda-item-detail", args=[item.pk])

    chair.post(
        reverse("decision-propose", args=[item.pk]),
        {
            "propose-resolution": "Approve the list closure for 6 months",
            "propose-reason": "Moved by the chair",
        },
    )
    decision = Decision.objects.get(item=item)
    chair.post(reverse("vote-open", args=[decision.pk]))
    votes = {f"vote-vote_{board.person(k).pk}": VoteChoice.FOR for k in ("lay_chair", "lay_member", "gp_one")}
    votes[f"vote-vote_{board.person('gp_two').pk}"] = VoteChoice.AGAINST
    chair.post(reverse("vote-cast", args=[decision.pk]), votes)
    chair.post(reverse("vote-close", args=[decision.pk]))
    page = html_of(chair.get(item_url))
    assert "3 for, 1 against, 0 abstaining: carried by simple majority." in page
    assert "No: Non-voting member" in page  # Healthwatch, frozen with the reason
    approved = chair.post(reverse("decision-approve", args=[decision.pk]))

    decision.refresh_from_db()
    assert approved.status_code == 302
    assert decision.status == DecisionStatus.APPROVED
    assert decision.approved_by == chair_user
    assert Vote.objects.get(decision=decision, person=board.person("gp_two")).recorded_by == chair_user
    history = html_of(chair.get(reverse("decision-detail", args=[decision.pk])))
    assert "Moved by the chair" in history
    assert "Approved by the chair" in history
    assert f"Vote recorded for {board.person('gp_two')}" in history
    assert str(chair_user) in history


def test_a_member_records_only_their_own_vote(board: Board, item: AgendaItem) -> None:
    chair = board.user("lay_chair")
    decision = services.decision_propose(item=item, resolution="Approve", by=chair, reason="Moved")
    services.vote_open(decision=decision, by=chair)
    member_user = board.user("gp_one")
    member = logged_in(member_user)

    page = html_of(member.get(reverse("agenda-item-detail", args=[item.pk])))
    assert f'name="vote-vote_{board.person("gp_one").pk}"' in page
    assert f'name="vote-vote_{board.person("gp_two").pk}"' not in page

    someone_else = member.post(
        reverse("vote-cast", args=[decision.pk]), {f"vote-vote_{board.person('gp_two').pk}": "against"}
    )
    assert "Choose for, against or abstain for at least one member" in html_of(someone_else)
    member.post(
        reverse("vote-cast", args=[decision.pk]), {f"vote-vote_{board.person('gp_one').pk}": "abstain"}
    )

    vote = Vote.objects.get(decision=decision)
    assert (vote.person, vote.choice, vote.recorded_by) == (board.person("gp_one"), "abstain", member_user)


def test_opening_the_vote_on_an_inquorate_item_is_refused_with_the_reason(board: Board, ccg: CCG) -> None:
    meeting = meeting_of(board, on=MEETING_DAY, present=["lay_chair", "gp_one"])
    item = decision_item(board, meeting, ccg)
    chair = board.user("lay_chair")
    decision = services.decision_propose(item=item, resolution="Approve", by=chair, reason="Moved")

    page = html_of(logged_in(chair).get(reverse("agenda-item-detail", args=[item.pk])))
    assert "The item is inquorate" in page
    response = logged_in(chair).post(reverse("vote-open", args=[decision.pk]))

    html = html_of(response)
    assert response.status_code == 200
    assert "This could not be done" in html
    assert "The item cannot carry a decision. Inquorate: 2 of the 3 voting members needed count" in html
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT


def test_closing_the_vote_on_an_item_left_inquorate_is_refused_with_the_reason(
    board: Board, item: AgendaItem
) -> None:
    chair = board.user("lay_chair")
    decision = services.decision_propose(item=item, resolution="Approve", by=chair, reason="Moved")
    services.vote_open(decision=decision, by=chair)
    for key in ("gp_one", "gp_two"):  # both GPs declare an interest and leave: no GP is left
        services.exclusion_record(
            item=item, person=board.person(key), scope=ExclusionScope.LEAVES, reason="Partner", by=chair
        )

    response = logged_in(chair).post(reverse("vote-close", args=[decision.pk]))

    html = html_of(response)
    assert response.status_code == 200
    assert (
        "The item cannot carry a decision. Inquorate: 0 of the 1 GP or clinical member needed count" in html
    )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.VOTING
    assert not decision.voters.exists()


def test_only_the_chair_approves(board: Board, item: AgendaItem, officer: User, reviewer: User) -> None:
    decision = recorded_decision(board, item)

    for user in (board.user("gp_one"), officer, reviewer):
        assert logged_in(user).post(reverse("decision-approve", args=[decision.pk])).status_code == 404

    decision.refresh_from_db()
    assert decision.status == DecisionStatus.RECORDED
    assert decision.approved_by is None
    page = html_of(logged_in(board.user("gp_one")).get(reverse("decision-detail", args=[decision.pk])))
    assert "Approve the decision" not in page


def test_an_approved_decision_refuses_every_change_on_the_page(board: Board, item: AgendaItem) -> None:
    chair_user = board.user("lay_chair")
    decision = services.decision_approve(decision=recorded_decision(board, item), by=chair_user)
    stored = Decision.objects.filter(pk=decision.pk).values().get()
    rows = decision.history.count()
    chair = logged_in(chair_user)

    again = chair.post(reverse("decision-approve", args=[decision.pk]))
    reopened = chair.post(reverse("vote-open", args=[decision.pk]))
    revoted = chair.post(
        reverse("vote-cast", args=[decision.pk]), {f"vote-vote_{board.person('gp_two').pk}": "for"}
    )
    reclosed = chair.post(reverse("vote-close", args=[decision.pk]))

    assert again.status_code == reopened.status_code == revoted.status_code == reclosed.status_code == 200
    assert "Only a recorded decision awaiting approval can be approved." in html_of(again)
    assert "A decision that is approved cannot become voting." in html_of(reopened)
    closed = "The vote on item 6, List closure, closed at the meeting of 1 June 2016"
    assert closed in html_of(revoted)
    assert closed in html_of(reclosed)
    assert Decision.objects.filter(pk=decision.pk).values().get() == stored
    assert decision.history.count() == rows
    item_page = html_of(chair.get(reverse("agenda-item-detail", args=[item.pk])))
    for control in ("Open the vote", "Close the vote", "Approve the decision", "Record the votes"):
        assert control not in item_page


def test_the_chair_sees_what_awaits_their_approval_and_approves_from_the_list(
    board: Board, item: AgendaItem
) -> None:
    decision = recorded_decision(board, item)
    chair = logged_in(board.user("lay_chair"))

    listing = html_of(chair.get(reverse("committee-list")))
    assert "1 decision awaits your approval as chair" in listing
    awaiting = html_of(chair.get(reverse("decisions-awaiting")))
    assert reverse("decision-detail", args=[decision.pk]) in awaiting
    assert html_of(logged_in(board.user("gp_one")).get(reverse("decisions-awaiting"))).count("<form") == 1

    response = chair.post(reverse("decision-approve", args=[decision.pk]), {"next": "awaiting"})

    assert response["Location"] == reverse("decisions-awaiting")
    assert "Nothing awaits your approval." in html_of(chair.get(reverse("decisions-awaiting")))


def test_a_chairs_action_is_taken_and_ratified_at_the_next_meeting(
    board: Board, ccg: CCG, officer: User
) -> None:
    chair_user = board.user("lay_chair")
    chair = logged_in(chair_user)

    response = chair.post(
        reverse("virtual-decision-create", args=[board.committee.pk]),
        {
            "ccg": ccg.pk,
            "function": Function.objects.get(number=3).pk,
            "resolution": "Approve the temporary list closure",
            "urgency_reason": "The practice lost two GPs this week",
            "has_interest": "no",
        },
    )
    decision = Decision.objects.get(virtual=True)
    assert response["Location"] == reverse("decision-detail", args=[decision.pk])
    assert decision.status == DecisionStatus.APPROVED

    next_day = timezone.localdate() + dt.timedelta(days=7)
    meeting = services.meeting_schedule(
        committees=[board.committee],
        title="Next PCCC",
        starts_at=at(next_day),
        by=officer,
        reason="Scheduled",
    )
    ratification = meeting.items.get(ratifies=decision)
    item_url = reverse("agenda-item-detail", args=[ratification.pk])
    ratify_url = reverse("virtual-decision-ratify", args=[ratification.pk])

    # Before the meeting the page says when the ratification can be recorded; a post is refused.
    before = html_of(chair.get(item_url))
    assert "Record that this meeting ratified it" not in before
    assert "The meeting's ratification can be recorded from 14:00 on" in before
    early = chair.post(ratify_url)
    assert "its ratification of the chair&#x27;s action can be recorded from then" in html_of(early)
    decision.refresh_from_db()
    assert decision.ratified_at is None

    with time_machine.travel(meeting.starts_at, tick=False):
        chair = logged_in(chair_user)  # a week on, the earlier session has expired
        assert "Record that this meeting ratified it" in html_of(chair.get(item_url))
        assert logged_in(board.user("gp_one")).post(ratify_url).status_code == 404
        chair.post(ratify_url)

        decision.refresh_from_db()
        assert decision.ratified_at == meeting
        twice = chair.post(ratify_url)
        assert "This chair&#x27;s action has been ratified already." in html_of(twice)


# Matters ------------------------------------------------------------------------------------------------


def test_a_matter_is_raised_routed_and_put_on_the_deciding_bodys_agenda(
    officer: User, board: Board, ccg: CCG
) -> None:
    client = logged_in(officer)
    client.post(
        reverse("matter-create"),
        {
            "ccg": ccg.pk,
            "function": Function.objects.get(number=3).pk,
            "kind": MatterKind.LIST_CLOSURE,
            "title": "Castle Hill Surgery applies to close its list",
            "reason": "Application received",
        },
    )
    matter = Matter.objects.get()
    meeting = services.meeting_schedule(
        committees=[board.committee],
        title="Next PCCC",
        starts_at=at(timezone.localdate() + dt.timedelta(days=14)),
        by=officer,
        reason="Scheduled",
    )

    page = html_of(client.get(reverse("matter-detail", args=[matter.pk])))
    assert "the ccg&#x27;s own committee" in page
    assert board.committee.name in page
    response = client.post(
        reverse("matter-schedule", args=[matter.pk]),
        {"schedule-meeting": meeting.pk, "schedule-session": "public", "schedule-reason": "On the agenda"},
    )

    item = meeting.items.get(matter=matter)
    assert response["Location"] == reverse("agenda-item-detail", args=[item.pk])
    assert item.purpose == Purpose.DECISION


# Minutes ------------------------------------------------------------------------------------------------


def test_minutes_are_drafted_from_the_record_then_approved_by_the_chair_and_frozen(
    officer: User, board: Board, meeting: Meeting, item: AgendaItem
) -> None:
    client = logged_in(officer)
    url = reverse("minutes-detail", args=[meeting.pk])

    draft_page = html_of(client.get(url))
    assert "<textarea" in draft_page and "Minutes of the meeting of" in draft_page
    client.post(url, {"text": "Minutes of the meeting, as edited by the clerk."})
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.status == MinutesStatus.DRAFT

    later = meeting_of(board, on=dt.date(2016, 7, 6), present=[])
    assert logged_in(officer).get(reverse("minutes-approve", args=[meeting.pk])).status_code == 404
    chair = logged_in(board.user("lay_chair"))
    chair.post(reverse("minutes-approve", args=[meeting.pk]), {"at_meeting": later.pk})

    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.APPROVED
    frozen = html_of(client.get(url))
    assert 'name="text"' not in frozen and "Save the draft" not in frozen
    assert "as edited by the clerk" in frozen
    refused = client.post(url, {"text": "Rewritten"})
    assert refused.status_code == 200
    assert "The minutes of 1 June 2016 were approved on 6 July 2016" in html_of(refused)
    minutes.refresh_from_db()
    assert minutes.text == "Minutes of the meeting, as edited by the clerk."


def test_a_discussion_note_keeps_the_officers_reason(officer: User, item: AgendaItem) -> None:
    logged_in(officer).post(
        reverse("agenda-item-note", args=[item.pk]),
        {
            "note-discussion_note": "Members asked about patient access.",
            "note-reason": "Noted at the meeting",
        },
    )

    item.refresh_from_db()
    assert item.discussion_note == "Members asked about patient access."
    row = item.history.latest()
    assert (row.history_user, row.history_change_reason) == (officer, "Noted at the meeting")


# Query counts -------------------------------------------------------------------------------------------


def seat_people(committee: Committee, count: int) -> None:
    for n in range(count):
        services.membership_add(
            committee=committee,
            person=PersonFactory(full_name=f"Member {n:02d} of {committee.pk}"),
            category=MemberCategory.EXECUTIVE if n % 2 else MemberCategory.LAY,
            starts_on=dt.date(2015, 1, 1),
            by=system_user(),
            reason="Test data",
        )


def test_the_committee_page_costs_the_same_queries_for_5_or_20_members(officer: User, ccg: CCG) -> None:
    committee = services.committee_create(
        name="Counting Committee", kind=CommitteeKind.PCCC, ccgs=[ccg], by=system_user(), reason="Test data"
    )
    services.terms_approve(
        terms=services.terms_draft(
            committee=committee,
            version="v1",
            composition_rule=CompositionRule.PCCC,
            quorum_minimum=3,
            by=system_user(),
            reason="x",
        ),
        approved_by="Governing body",
        approved_on=dt.date(2016, 1, 1),
        by=system_user(),
        reason="x",
    )
    client = logged_in(officer)
    url = reverse("committee-detail", args=[committee.pk])
    seat_people(committee, 5)
    client.get(url)
    few = queries_for(client, url)

    seat_people(committee, 15)
    many = queries_for(client, url)

    assert committee.memberships.count() == 20
    assert few == many


def test_the_meeting_page_costs_the_same_queries_for_5_or_20_items(
    officer: User, board: Board, ccg: CCG
) -> None:
    meeting = meeting_of(board, on=MEETING_DAY, present=EVERYONE)
    client = logged_in(officer)
    url = reverse("meeting-detail", args=[meeting.pk])

    def add_items(count: int) -> None:
        for n in range(count):
            item = decision_item(board, meeting, ccg, title=f"Decision {n}")
            services.decision_propose(item=item, resolution="Approve", by=system_user(), reason="Moved")
            if n % 3 == 0:
                services.exclusion_record(
                    item=item,
                    person=board.person("gp_two"),
                    scope="no_vote",
                    reason="Interest",
                    by=system_user(),
                )

    add_items(5)
    client.get(url)
    few = queries_for(client, url)
    add_items(15)
    seat_people(board.committee, 13)  # and 20 members
    many = queries_for(client, url)

    assert meeting.items.filter(purpose=Purpose.DECISION).count() == 20
    assert html_of(client.get(url)).count("Quorate: 6 voting members count") == 20 - 7
    assert few == many


def test_a_chair_with_no_role_lands_on_their_committees(level2_ccg: CCG) -> None:
    board = pccc(level2_ccg)
    client = Client()
    client.force_login(board.user("lay_chair"))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("committee-list")
