"""The rules of the day: the terms of reference in force on a date (approved on or before it and not
superseded by then) decide that date's quorum, composition, casting vote and whether chair's action is
allowed, however many versions have been approved since."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cocomm.audit import system_user
from cocomm.models import CCG, AreaTeam
from committees import services
from committees.choices import CastingVote, CompositionRule, Outcome, ToRStatus, VoteChoice
from committees.models import Decision, Meeting, TermsOfReference
from committees.selectors import (
    composition_of,
    compositions_of,
    item_quorum,
    meeting_records,
    terms_in_force,
    terms_in_force_of,
)
from functions.models import Function
from tests.factories.cocomm import CCGFactory
from tests.factories.committees import Board, decision_item, meeting_of, pccc
from tests.factories.delegation import give_level

pytestmark = pytest.mark.django_db

V1_APPROVED = dt.date(2016, 3, 1)  # the factory's v1
V2_APPROVED = dt.date(2017, 3, 1)
JUNE_2015 = dt.date(2015, 6, 1)
JUNE_2016 = dt.date(2016, 6, 1)
JUNE_2017 = dt.date(2017, 6, 1)
FOR, AGAINST = VoteChoice.FOR, VoteChoice.AGAINST
DISCRETIONARY_PAYMENTS = 11


@pytest.fixture
def level3_ccg(level2_ccg: CCG) -> CCG:
    give_level(level2_ccg, 3, dt.date(2016, 4, 1))
    return level2_ccg


def approve_v2(
    board: Board, *, approved_on: dt.date = V2_APPROVED, version: str = "v2", **rules: Any
) -> TermsOfReference:
    """Approve a second version of the board's terms, the PCCC factory's v1 changed by `rules`."""
    fields: dict[str, Any] = {
        "composition_rule": CompositionRule.PCCC,
        "quorum_minimum": 3,
        "quorum_categories": {"lay": 1, "clinical": 1, "executive": 1},
        "casting_vote": CastingVote.CHAIR,
        "meets_in_public": True,
        **rules,
    }
    draft = services.terms_draft(
        committee=board.committee, version=version, by=system_user(), reason="Annual review", **fields
    )
    return services.terms_approve(
        terms=draft,
        approved_by="Governing body",
        approved_on=approved_on,
        by=system_user(),
        reason="Approved",
    )


def propose(board: Board, meeting: Meeting, ccg: CCG) -> Decision:
    item = decision_item(board, meeting, ccg)
    return services.decision_propose(
        item=item, resolution="Approve the list closure", by=board.user("lay_chair"), reason="Test"
    )


def vote(board: Board, decision: Decision, choices: dict[str, str]) -> Decision:
    chair = board.user("lay_chair")
    services.vote_open(decision=decision, by=chair)
    for key, choice in choices.items():
        services.vote_cast(decision=decision, person=board.person(key), choice=choice, by=chair)
    return services.vote_close(decision=decision, by=chair)


def chairs_action(board: Board, ccg: CCG) -> Decision:
    return services.virtual_decision_take(
        committee=board.committee,
        ccg=ccg,
        function=Function.objects.get(number=DISCRETIONARY_PAYMENTS),
        resolution="Reimburse locum cover",
        urgency_reason="The practice would close before the next meeting",
        chair_declaration="No interest declared.",
        by=board.user("lay_chair"),
    )


def at(day: dt.date) -> Any:
    """The clock at noon on a day."""
    return time_machine.travel(timezone.make_aware(dt.datetime.combine(day, dt.time(12))), tick=False)


# Which version is in force ----------------------------------------------------------------------------


def test_approving_a_version_ends_the_one_before_on_that_day(level3_ccg: CCG) -> None:
    board = pccc(level3_ccg)
    v1 = terms_in_force(board.committee, JUNE_2016)
    v2 = approve_v2(board)
    assert v1 is not None
    v1.refresh_from_db()

    assert (v1.status, v1.superseded_on, v1.last_day_in_force) == (
        ToRStatus.SUPERSEDED,
        V2_APPROVED,
        dt.date(2017, 2, 28),
    )
    assert terms_in_force(board.committee, dt.date(2016, 2, 29)) is None
    assert terms_in_force(board.committee, V1_APPROVED) == v1
    assert terms_in_force(board.committee, dt.date(2017, 2, 28)) == v1
    assert terms_in_force(board.committee, V2_APPROVED) == v2
    assert terms_in_force(board.committee, timezone.localdate()) == v2
    assert terms_in_force_of([board.committee.pk], JUNE_2016) == {board.committee.pk: v1}
    latest = v1.history.latest()
    assert latest.history_change_reason == "Superseded by version v2 from 1 March 2017"


def test_the_version_in_force_on_a_date_is_found_in_one_query(level3_ccg: CCG) -> None:
    board = pccc(level3_ccg)
    approve_v2(board)

    with CaptureQueriesContext(connection) as queries:
        found = terms_in_force(board.committee, JUNE_2016)

    assert found is not None and found.version == "v1"
    assert len(queries) == 1


def test_a_version_cannot_be_approved_before_the_one_in_force_or_in_the_future(level3_ccg: CCG) -> None:
    board = pccc(level3_ccg)

    with pytest.raises(ValidationError, match="in force since 1 March 2016") as earlier:
        approve_v2(board, approved_on=dt.date(2016, 2, 1))
    with pytest.raises(ValidationError, match="cannot be in the future"):
        approve_v2(board, approved_on=timezone.localdate() + dt.timedelta(days=1), version="v3")

    assert "approved_on" in earlier.value.message_dict
    assert TermsOfReference.objects.get(committee=board.committee, version="v1").status == ToRStatus.APPROVED


def test_a_version_replaced_on_the_day_it_was_approved_was_never_in_force(level3_ccg: CCG) -> None:
    board = pccc(level3_ccg)
    v2 = approve_v2(board, approved_on=V1_APPROVED)

    assert terms_in_force(board.committee, V1_APPROVED) == v2
    v1 = TermsOfReference.objects.get(committee=board.committee, version="v1")
    assert (v1.approved_on, v1.superseded_on) == (V1_APPROVED, V1_APPROVED)


# Quorum, composition, casting vote of a 2016 meeting, after new terms are approved -----------------------


def test_a_2016_meeting_keeps_its_2016_quorum_after_stricter_terms_are_approved(level3_ccg: CCG) -> None:
    board = pccc(level3_ccg)
    present = ["lay_chair", "gp_one", "chief_officer"]  # 1 lay, 1 GP, 1 executive: v1's quorum
    in_2016 = decision_item(board, meeting_of(board, on=JUNE_2016, present=present), level3_ccg)
    assert item_quorum(in_2016).quorate

    approve_v2(board, quorum_minimum=5, quorum_categories={"lay": 2, "clinical": 1, "executive": 1})
    in_2017 = decision_item(board, meeting_of(board, on=JUNE_2017, present=present), level3_ccg)

    then, later = item_quorum(in_2016), item_quorum(in_2017)
    assert then.quorate and then.terms is not None and then.terms.version == "v1"
    assert not later.quorate and later.terms is not None and later.terms.version == "v2"
    assert "5 voting members" in later.explanation
    [record_2016, record_2017] = meeting_records([in_2016.meeting, in_2017.meeting])
    assert record_2016.quorums[in_2016.pk].quorate
    assert not record_2017.quorums[in_2017.pk].quorate


def test_a_2016_meeting_keeps_its_2016_composition_rule_after_new_terms_are_approved(level3_ccg: CCG) -> None:
    board = pccc(level3_ccg)
    meeting_2016 = meeting_of(board, on=JUNE_2016)
    meeting_2017 = meeting_of(board, on=JUNE_2017)

    approve_v2(board, composition_rule=CompositionRule.CO_CHAIRED)  # the board has a chair, not co-chairs

    assert composition_of(board.committee, JUNE_2016).ok
    assert not composition_of(board.committee, JUNE_2017).ok
    assert compositions_of([board.committee], JUNE_2016)[board.committee.pk].ok
    assert propose(board, meeting_2016, level3_ccg).decided_on == JUNE_2016
    with pytest.raises(ValidationError, match="two co-chairs"):
        propose(board, meeting_2017, level3_ccg)


def test_a_tie_at_a_2016_meeting_takes_the_2016_casting_vote_after_terms_without_one_are_approved(
    level3_ccg: CCG,
) -> None:
    board = pccc(level3_ccg)  # v1: the chair holds the casting vote
    tie = {"lay_chair": FOR, "gp_one": FOR, "chief_officer": AGAINST, "gp_two": AGAINST}
    decision_2016 = propose(board, meeting_of(board, on=JUNE_2016), level3_ccg)
    decision_2017 = propose(board, meeting_of(board, on=JUNE_2017), level3_ccg)

    approve_v2(board, casting_vote=CastingVote.NONE)
    then, later = vote(board, decision_2016, tie), vote(board, decision_2017, tie)

    assert (then.outcome, then.casting_vote_used) == (Outcome.CARRIED, True)
    assert (later.outcome, later.casting_vote_used) == (Outcome.NOT_CARRIED, False)


# Chair's action, allowed or not by the terms in force on the day it is taken -------------------------


def test_chairs_action_allowed_in_2016_is_refused_once_terms_that_forbid_it_are_in_force(
    level3_ccg: CCG,
) -> None:
    board = pccc(level3_ccg, virtual=True)
    approve_v2(board, allows_virtual_decisions=False)
    chair = Client()
    chair.force_login(board.user("lay_chair"))
    page = reverse("virtual-decision-create", args=[board.committee.pk])

    with pytest.raises(ValidationError, match=r"in force today \(v2\) do not allow"):
        chairs_action(board, level3_ccg)
    assert chair.get(page).status_code == 404
    with at(dt.date(2016, 6, 10)):
        taken = chairs_action(board, level3_ccg)
        assert chair.get(page).status_code == 200

    assert (taken.decided_on, taken.virtual, taken.outcome) == (dt.date(2016, 6, 10), True, Outcome.CARRIED)


def test_chairs_action_refused_in_2016_is_allowed_once_terms_that_allow_it_are_in_force(
    level3_ccg: CCG,
) -> None:
    board = pccc(level3_ccg, virtual=False)
    approve_v2(board, allows_virtual_decisions=True)

    with at(dt.date(2016, 6, 10)), pytest.raises(ValidationError, match="do not allow decisions between"):
        chairs_action(board, level3_ccg)
    assert chairs_action(board, level3_ccg).decided_on == timezone.localdate()


def test_a_chairs_action_stays_public_when_later_terms_stop_meeting_in_public(level3_ccg: CCG) -> None:
    board = pccc(level3_ccg, virtual=True)  # v1 meets in public
    with at(dt.date(2016, 6, 10)):
        action = chairs_action(board, level3_ccg)
    approve_v2(board, meets_in_public=False, allows_virtual_decisions=True)

    response = APIClient().get(reverse("api-decision-detail", kwargs={"pk": action.pk}))

    assert response.status_code == 200


# A meeting before any terms were approved -------------------------------------------------------------------


@pytest.fixture
def early_ccg(national_area: AreaTeam) -> CCG:
    """A CCG with delegated commissioning (level 3) from April 2015, before its committee's terms."""
    ccg = CCGFactory(area_team=national_area, name="NHS Early CCG")
    give_level(ccg, 3, dt.date(2015, 4, 1))
    return ccg


NO_TERMS_2015 = "No terms of reference were in force on 1 June 2015: none had been approved by then."


def test_a_meeting_before_any_approved_terms_has_its_rules_refused_with_the_reason(early_ccg: CCG) -> None:
    board = pccc(early_ccg)  # v1 approved 1 March 2016
    item = decision_item(board, meeting_of(board, on=JUNE_2015), early_ccg)

    quorum = item_quorum(item)
    assert (quorum.quorate, quorum.rule, quorum.terms) == (False, None, None)
    assert NO_TERMS_2015 in quorum.explanation
    assert composition_of(board.committee, JUNE_2015).problems == [NO_TERMS_2015]
    with pytest.raises(ValidationError, match="No terms of reference were in force on 1 June 2015"):
        services.decision_propose(item=item, resolution="Approve", by=board.user("lay_chair"), reason="Test")

    client = Client()
    client.force_login(board.user("lay_chair"))
    for url in (
        reverse("meeting-detail", args=[item.meeting_id]),
        reverse("agenda-item-detail", args=[item.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "No terms of reference were in force on 1 June 2015" in response.content.decode()


# Pages say which version applied; reads stay flat as versions accumulate ---------------------------


def test_the_item_page_names_the_version_that_counted_its_quorum(level3_ccg: CCG) -> None:
    board = pccc(level3_ccg)
    item = decision_item(board, meeting_of(board, on=JUNE_2016), level3_ccg)
    approve_v2(board)
    client = Client()
    client.force_login(board.user("lay_chair"))

    html = client.get(reverse("agenda-item-detail", args=[item.pk])).content.decode()

    assert "Version v1, in force on 1 June 2016" in html


def _queries(run: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        run()
    return len(queries)


def test_meeting_records_cost_the_same_queries_however_many_versions_of_terms(level3_ccg: CCG) -> None:
    board = pccc(level3_ccg)
    meetings = [meeting_of(board, on=dt.date(year, 6, 1)) for year in (2016, 2017, 2018, 2019)]
    for meeting in meetings:
        decision_item(board, meeting, level3_ccg)

    def read() -> None:
        fresh = list(Meeting.objects.filter(pk__in=[m.pk for m in meetings]).order_by("starts_at"))
        records = meeting_records(fresh)
        compositions_of([board.committee], JUNE_2016)
        assert all(r.quorums for r in records)

    few = _queries(read)
    for year, version in ((2017, "v2"), (2018, "v3"), (2019, "v4")):
        draft = services.terms_draft(
            committee=board.committee,
            version=version,
            composition_rule=CompositionRule.PCCC,
            quorum_minimum=3,
            by=system_user(),
            reason="Review",
        )
        services.terms_approve(
            terms=draft,
            approved_by="Governing body",
            approved_on=dt.date(year, 3, 1),
            by=system_user(),
            reason="Approved",
        )
    assert _queries(read) == few

    records = meeting_records(
        list(Meeting.objects.filter(pk__in=[m.pk for m in meetings]).order_by("starts_at"))
    )
    versions = [next(iter(r.quorums.values())).terms for r in records]
    assert [t.version if t else None for t in versions] == ["v1", "v2", "v3", "v4"]
