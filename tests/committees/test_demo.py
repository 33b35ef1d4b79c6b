"""The committees' demonstration data: the seeds' committees, properly made up, meetings held on dates
they could decide, the Lancashire North tie, Blackpool's coming list-closure decision; loading twice
changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

import cocomm.demo
import committees.demo
import delegation.demo
import functions.demo
from cocomm.audit import system_user
from cocomm.models import User
from committees import permissions
from committees.choices import (
    AttendanceStatus,
    CastingVote,
    CommitteeKind,
    CompositionRule,
    DecisionStatus,
    MatterKind,
    MemberCategory,
    MinutesStatus,
    Office,
    Outcome,
    Purpose,
    Session,
)
from committees.models import Committee, Decision, Meeting, Minutes
from committees.selectors import approved_terms, composition_of, seats_on
from delegation.selectors import routing_for, with_levels

DEMO_MODULES = (cocomm.demo, functions.demo, delegation.demo, committees.demo)
CHAIR_LOGINS = {
    "trafford.chair": "NHS Trafford CCG Primary Care Commissioning Committee",
    "blackpool.chair": "NHS Blackpool CCG Primary Care Commissioning Committee",
    "lancashire.jc.chair": committees.demo.LN_JC,
}
LEVEL_3 = ("00Q", "00R", "00X", "01A", "02M", "01E", "02G")


def load_demo() -> None:
    for module in DEMO_MODULES:
        module.load(by=system_user())


def row_counts() -> dict[str, int]:
    """Rows in every table of the apps the demo touches, history included."""
    return {
        model._meta.label: model._default_manager.count()
        for app in ("cocomm", "functions", "delegation", "committees", "auth", "guardian")
        for model in apps.get_app_config(app).get_models()
    }


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, int]]:
    """The demo, loaded once for the module (it takes seconds) and rolled back after it.

    Yields the row counts after the first load; each test runs inside its own savepoint.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        counts = row_counts()
        yield counts
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def committee(name: str) -> Committee:
    return Committee.objects.get(name=name)


def test_loading_the_demo_twice_changes_nothing(demo: dict[str, int]) -> None:
    load_demo()

    assert row_counts() == demo
    assert demo["committees.Committee"] == 15
    assert demo["committees.Decision"] == 11


def test_the_seeds_committees_are_there_with_their_lines_and_rules(demo: dict[str, int]) -> None:
    trafford = {c.short_name: c for c in Committee.objects.filter(ccgs__ods_code="02A")}
    assert set(trafford) == {"GB", "CCFC", "Q&PC", "PCSSG", "PCCC"}
    for short_name in ("CCFC", "Q&PC", "PCSSG", "PCCC"):
        assert trafford[short_name].reports_to == trafford["GB"]
    ccfc_terms = approved_terms(trafford["CCFC"])
    assert ccfc_terms is not None
    assert (ccfc_terms.version, ccfc_terms.approved_on.year, ccfc_terms.approved_on.month) == ("v1", 2014, 7)
    # Greater Manchester level 4 delegates all but contract management, PMS reviews and complaints.
    assert sorted(trafford["PCCC"].functions.values_list("number", flat=True)) == [
        1, 3, 4, 5, 6, 9, 10, 11, 12, 13, 14,
    ]  # fmt: skip

    ncl = committee(committees.demo.NCL_JC)
    assert ncl.kind == CommitteeKind.JOINT_COMMITTEE
    assert sorted(ncl.ccgs.values_list("ods_code", flat=True)) == ["07M", "07R", "07X", "07Y", "08H"]
    assert ncl.area_team is not None and ncl.area_team.ods_code == "Q71"

    group = committee(committees.demo.CCMG)
    group_terms = approved_terms(group)
    assert group.kind == CommitteeKind.CO_COMMISSIONING_GROUP
    assert group_terms is not None and group_terms.composition_rule == CompositionRule.CO_CHAIRED
    co_chairs = {m.category for m in group.memberships.filter(office=Office.CO_CHAIR)}
    assert co_chairs == {MemberCategory.EXECUTIVE, MemberCategory.NHS_ENGLAND}

    for joint in (ncl, committee(committees.demo.LN_JC)):
        terms = approved_terms(joint)
        assert terms is not None and terms.casting_vote == CastingVote.NHS_ENGLAND


@pytest.mark.parametrize("code", LEVEL_3)
def test_each_delegated_lancashire_ccg_has_a_primary_care_commissioning_committee(
    demo: dict[str, int], code: str
) -> None:
    pccc = Committee.objects.get(ccgs__ods_code=code, kind=CommitteeKind.PCCC)
    terms = approved_terms(pccc)
    seats = list(pccc.memberships.all())

    assert terms is not None
    assert (terms.quorum_minimum, terms.quorum_categories) == (3, {"lay": 1, "clinical": 1, "executive": 1})
    assert terms.meets_in_public is True
    assert terms.allows_virtual_decisions is (code == "00R")
    assert [s.category for s in seats if s.office == Office.CHAIR] == [MemberCategory.LAY]
    assert any(s.category == MemberCategory.CLINICAL and s.voting for s in seats)
    assert [s.voting for s in seats if s.category == MemberCategory.HEALTHWATCH] == [False]


def test_every_committee_keeps_to_its_terms(demo: dict[str, int]) -> None:
    problems = {c.name: composition_of(c).problems for c in Committee.objects.all()}

    assert problems == {name: [] for name in problems}


def test_every_past_meeting_was_held_by_members_seated_before_it_on_a_date_it_could_decide(
    demo: dict[str, int],
) -> None:
    past = Meeting.objects.filter(starts_at__lt=timezone.now()).prefetch_related("committees")
    assert past.count() == 16
    for meeting in past:
        on = timezone.localtime(meeting.starts_at).date()
        (sitting,) = meeting.committees.all()
        seats = seats_on(sitting, on)
        assert seats, f"{meeting} has nobody seated"
        present = set(
            meeting.attendances.filter(status=AttendanceStatus.PRESENT).values_list("person", flat=True)
        )
        assert present <= {s.person_id for s in seats}
        assert Minutes.objects.filter(meeting=meeting).exists(), f"{meeting} has no minutes"
    for decision in Decision.objects.select_related("ccg", "function", "item__meeting"):
        routed = routing_for(
            with_levels(type(decision.ccg).objects.filter(pk=decision.ccg_id)).get(),
            decision.function,
            decision.decided_on,
        )
        assert routed.decided_by != "nhs_england", decision
        assert decision.status == DecisionStatus.APPROVED
        assert decision.item is not None and decision.item.meeting.starts_at < timezone.now()


def test_lancashire_norths_tie_was_decided_by_nhs_englands_casting_vote_and_the_minutes_say_so(
    demo: dict[str, int],
) -> None:
    decision = Decision.objects.get(committee__name=committees.demo.LN_JC)

    assert decision.casting_vote_used is True
    assert decision.outcome == Outcome.CARRIED
    assert decision.vote_summary.startswith("2 for, 2 against, 1 abstaining")
    assert decision.item is not None
    minutes = Minutes.objects.get(meeting=decision.item.meeting)
    assert "tied; NHS England's casting vote decided it, so the motion was carried." in minutes.text
    assert minutes.status == MinutesStatus.APPROVED
    assert minutes.approved_at_meeting is not None
    assert minutes.approved_at_meeting.starts_at > decision.item.meeting.starts_at
    assert minutes.approved_by == User.objects.get(username="lancashire.jc.chair")


def test_blackpools_next_meeting_will_decide_a_list_closure_and_has_no_attendance_yet(
    demo: dict[str, int],
) -> None:
    pccc = committee("NHS Blackpool CCG Primary Care Commissioning Committee")
    (upcoming,) = Meeting.objects.filter(committees=pccc, starts_at__gt=timezone.now())

    (item,) = upcoming.items.filter(purpose=Purpose.DECISION)
    assert item.matter is not None and item.matter.kind == MatterKind.LIST_CLOSURE
    assert list(item.matter.practices.values_list("ods_code", flat=True)) == ["P81701"]
    assert (item.ccg.ods_code if item.ccg else None, item.session) == ("00R", Session.PUBLIC)
    assert not upcoming.attendances.exists()
    assert not hasattr(item, "decision")


@pytest.mark.parametrize(("username", "chairs"), list(CHAIR_LOGINS.items()))
def test_the_chair_logins_chair_their_committees(demo: dict[str, int], username: str, chairs: str) -> None:
    user = User.objects.get(username=username)

    assert user.check_password(cocomm.demo.DEMO_PASSWORD)
    assert permissions.is_chair(user, committee(chairs))
    assert permissions.can_approve(user, committee(chairs))


def test_the_public_api_shows_the_demo_minus_its_private_business(demo: dict[str, int]) -> None:
    api = APIClient()

    public = api.get(reverse("api-decision-list")).json()
    remedial = Decision.objects.get(ccg__ods_code="01A")

    assert public["count"] == Decision.objects.count() - 1
    assert remedial.pk not in {d["id"] for d in public["results"]}
    assert api.get(reverse("api-decision-detail", kwargs={"pk": remedial.pk})).status_code == 404
    committees_page = api.get(reverse("api-committee-list")).json()
    assert committees_page["count"] == 15
    assert all(c["composition"]["ok"] for c in committees_page["results"])
