"""The conflicts demonstration data: Blackpool's upcoming list closure flags the partner GP and is at
risk, its public register publishes and withholds, its open campaign has every kind of answer, a
procurement decision is on the register; loading twice (even on a later day) changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

import cocomm.demo
import committees.demo
import conflicts.demo
import delegation.demo
import functions.demo
from cocomm.audit import system_user
from cocomm.models import CCG, User
from committees.choices import CommitteeKind, Purpose
from committees.models import Committee, Meeting
from conflicts import selectors
from conflicts.models import (
    Breach,
    BreachStatus,
    Campaign,
    Declaration,
    GiftOrHospitality,
    InterestType,
    ItemDeclaration,
    NHSEReport,
    ProcurementRecord,
    Ruling,
)
from conflicts.rules import AwardFlagKind, Overdue

DEMO_MODULES = (cocomm.demo, functions.demo, delegation.demo, committees.demo, conflicts.demo)


def load_demo() -> None:
    for module in DEMO_MODULES:
        module.load(by=system_user())


def row_counts() -> dict[str, int]:
    """Rows in every table of the apps the demo touches, history included."""
    return {
        model._meta.label: model._default_manager.count()
        for app in ("cocomm", "functions", "delegation", "committees", "conflicts", "auth", "guardian")
        for model in apps.get_app_config(app).get_models()
    }


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, int]]:
    """The whole demo, loaded once for the module and rolled back after it; yields the row counts."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        counts = row_counts()
        yield counts
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def blackpool() -> CCG:
    return CCG.objects.get(ods_code=conflicts.demo.BLACKPOOL)


def upcoming_blackpool_meeting() -> Meeting:
    pccc = Committee.objects.get(ccgs__ods_code=conflicts.demo.BLACKPOOL, kind=CommitteeKind.PCCC)
    (meeting,) = Meeting.objects.filter(committees=pccc, starts_at__gt=timezone.now())
    return meeting


def test_loading_the_demo_twice_changes_nothing(demo: dict[str, int]) -> None:
    load_demo()

    assert row_counts() == demo
    assert demo["conflicts.Campaign"] == 1
    assert demo["conflicts.ProcurementRecord"] == 1
    assert demo["conflicts.Breach"] == 1
    assert demo["conflicts.GiftOrHospitality"] == 3


def test_loading_the_registers_again_on_a_later_day_changes_nothing(demo: dict[str, int]) -> None:
    # Everything "recent" is dated from the day of loading; the look-ups must not depend on it.
    with time_machine.travel(timezone.now() + dt.timedelta(days=400), tick=False):
        conflicts.demo.load(by=system_user())

    assert row_counts() == demo


def test_the_upcoming_list_closure_flags_the_partner_gp_and_is_at_risk(demo: dict[str, int]) -> None:
    checks = selectors.meeting_checklist(upcoming_blackpool_meeting())

    (check,) = [c for c in checks if c.item.purpose == Purpose.DECISION]
    assert check.item.matter is not None
    assert list(check.item.matter.practices.values_list("ods_code", flat=True)) == ["P81701"]
    (flag,) = check.flags
    assert check.names[flag.person_id] == "Dr Helena Okoro"
    assert flag.direct
    assert "Blackpool Promenade Medical Centre, which this item concerns" in flag.reason
    # She is the committee's only GP: without her the item has no clinical member for its quorum.
    assert check.at_risk
    assert "clinical" in check.explanation_if_flagged_leave


def test_the_partners_mitigation_was_agreed_with_a_named_manager(demo: dict[str, int]) -> None:
    partnership = Declaration.objects.get(
        ccg=blackpool(), person__full_name=conflicts.demo.FLAGGED_GP, practice__ods_code="P81701"
    )

    assert partnership.interest_type == InterestType.FINANCIAL
    assert partnership.mitigation
    assert partnership.mitigation_approved_by is not None
    assert partnership.mitigation_approved_by.full_name == "Andrew Hesketh"
    assert partnership.mitigation_approved_on == timezone.localdate()


def test_blackpools_public_register_publishes_some_entries_and_withholds_one(demo: dict[str, int]) -> None:
    register = selectors.public_register_of_interests(blackpool())
    shown = {(d.person.full_name, d.interest_type) for d in register.entries}

    assert register.withheld >= 1
    assert {
        ("Helena Okoro", InterestType.FINANCIAL),
        ("Helena Okoro", InterestType.PROFESSIONAL),
        ("Neil Rushton", InterestType.INDIRECT),
        # Ended 3 months ago: still published.
        ("Louise Bamber", InterestType.FINANCIAL),
    } <= shown
    names = {name for name, _ in shown}
    # Ended 8 months ago; withheld; a non-voting Healthwatch member's: none of them shown.
    assert {"Maureen Cartwright", "Douglas Fairclough", "Terence Wade"}.isdisjoint(names)
    assert all(not d.nil_return and d.consent_to_publish for d in register.entries)


def test_the_register_keeps_the_entries_the_public_does_not_see(demo: dict[str, int]) -> None:
    entries = Declaration.objects.filter(ccg=blackpool())
    today = timezone.localdate()

    withheld = entries.get(consent_to_publish=False)
    assert withheld.withheld_reason
    old = entries.get(person__full_name="Maureen Cartwright", nil_return=False)
    recent = entries.get(person__full_name="Louise Bamber", nil_return=False)
    assert old.interest_to is not None and recent.interest_to is not None
    assert 7 * 30 < (today - old.interest_to).days < 9 * 31
    assert 2 * 30 < (today - recent.interest_to).days < 4 * 31
    assert entries.filter(interest_type=InterestType.INDIRECT).exclude(relationship="").exists()
    assert entries.filter(nil_return=True).count() >= 3


def test_blackpools_open_campaign_has_declared_nil_and_overdue_people(demo: dict[str, int]) -> None:
    campaign = selectors.open_campaign(blackpool())
    assert campaign is not None
    assert campaign.deadline - timezone.localdate() >= dt.timedelta(weeks=2)

    statuses = {s.person.full_name: s for s in selectors.declaration_status(blackpool(), campaign=campaign)}
    declared = {n for n, s in statuses.items() if s.answered_campaign and not s.nil_return}
    nil = {n for n, s in statuses.items() if s.nil_return}
    overdue = {n: s.overdue for n, s in statuses.items() if s.overdue}

    assert conflicts.demo.FLAGGED_GP in declared and len(declared) >= 2
    assert len(nil) >= 2
    assert any(Overdue.ON_APPOINTMENT in reasons for reasons in overdue.values())
    assert overdue["Philip Greenwood"] == [Overdue.ANNUAL]
    assert not (set(overdue) & (declared | nil))
    # Everyone in scope was asked, and some have not answered yet.
    assert campaign.recipients.count() == len(statuses)
    unanswered = {n for n, s in statuses.items() if not s.answered_campaign}
    assert unanswered and unanswered == set(statuses) - declared - nil


def test_gifts_hospitality_and_a_breach_are_on_blackpools_registers(demo: dict[str, int]) -> None:
    offers = {o.description: o for o in GiftOrHospitality.objects.filter(ccg=blackpool())}

    declined = [o for o in offers.values() if not o.accepted]
    assert len(declined) == 1 and declined[0].from_supplier and declined[0].kind == "gift"
    values = {o.value: o for o in offers.values() if o.accepted and o.kind == "hospitality"}
    assert set(values) == {Decimal("40.00"), Decimal("90.00")}
    assert values[Decimal("40.00")].senior_approver is None
    approver = values[Decimal("90.00")].senior_approver
    assert approver is not None and approver.full_name == "Andrew Hesketh"
    assert Breach.objects.filter(ccg=blackpool()).count() == 1


def test_blackpools_breach_was_investigated_and_reported_and_waits_for_its_guardian_to_close_it(
    demo: dict[str, int],
) -> None:
    breach = Breach.objects.get(ccg=blackpool())
    guardian = User.objects.get(username="blackpool.guardian")

    assert breach.status == BreachStatus.INVESTIGATED
    assert breach.nhse_report == NHSEReport.REQUIRED and breach.reported_to_nhse_on is not None
    assert [h.history_change_reason for h in breach.history.order_by("history_id")] == [
        "Breach reported",
        "Breach investigated",
    ]
    client = Client()
    client.force_login(guardian)
    home = client.get(reverse("home"), follow=True)
    assert home.status_code == 200
    assert reverse("breach-detail", args=[breach.pk]) in home.content.decode()
    page = client.get(reverse("breach-detail", args=[breach.pk])).content.decode()
    assert reverse("breach-close", args=[breach.pk]) in page


def test_a_procurement_decision_is_on_the_register_with_its_conflict_supplier_and_value(
    demo: dict[str, int],
) -> None:
    record = ProcurementRecord.objects.select_related("decision__ccg", "decision__item").get()
    decision = record.decision

    assert decision.ccg.ods_code == conflicts.demo.PRESTON
    assert decision.matter is not None and decision.matter.kind == "procurement"
    assert decision.decided_on < timezone.localdate()
    assert (record.supplier, record.value) == (conflicts.demo.PROCUREMENT_SUPPLIER, Decimal("1450000.00"))
    ruling = ItemDeclaration.objects.get(item=decision.item)
    assert ruling.ruling == Ruling.LEAVES
    assert ruling.person.full_name in record.conflicts_summary
    assert ruling.interest is not None and ruling.interest.relationship == "Son"
    assert decision.votes.filter(person=ruling.person).count() == 0


def test_the_public_api_serves_the_demo_registers(demo: dict[str, int]) -> None:
    api = APIClient()

    register = api.get(reverse("api-register-of-interests", kwargs={"ods_code": "00R"})).json()
    gifts = api.get(reverse("api-gifts-and-hospitality", kwargs={"ods_code": "00R"})).json()
    procurement = api.get(reverse("api-procurement-decisions", kwargs={"ods_code": "01E"})).json()

    assert register["withheld"] >= 1
    assert {"practice": "P81701", "name": "Blackpool Promenade Medical Centre"} in [
        e["concerns"] for e in register["entries"]
    ]
    assert gifts["count"] == 3
    assert [p["supplier"] for p in procurement["results"]] == [conflicts.demo.PROCUREMENT_SUPPLIER]


def test_only_one_campaign_is_open_and_it_is_the_demos(demo: dict[str, int]) -> None:
    (campaign,) = Campaign.objects.all()

    assert campaign.ccg == blackpool()
    assert not campaign.closed
    assert campaign.opened_on == timezone.localdate()


def test_the_awards_cross_check_flags_the_demo_award_with_and_without_a_ruling_at_the_item(
    demo: dict[str, int],
) -> None:
    record = ProcurementRecord.objects.get()
    (entry,) = selectors.procurement_entries(
        list(selectors.procurement_records(record.decision.ccg).filter(pk=record.pk))
    )

    assert entry.award is not None
    assert str(entry.award.supplier) == conflicts.demo.PROCUREMENT_SUPPLIER
    assert entry.award.organisation is not None
    assert entry.decision.decided_on < timezone.localdate()
    flags = {line.person: line.flag for line in entry.flags}
    assert set(flags) == {"Bernard Catterall", "Dr Catherine Gill"}
    # He declared at the item and left it; she voted without declaring her shareholding there.
    assert flags["Bernard Catterall"].kind == AwardFlagKind.MANAGED
    assert flags["Bernard Catterall"].ruling == Ruling.LEAVES.label
    assert flags["Dr Catherine Gill"].kind == AwardFlagKind.NOT_DECLARED
    assert entry.decision.votes.filter(person__full_name="Catherine Gill").exists()
    assert demo["conflicts.Award"] == 1


def test_blackpools_guardian_sees_the_governorship_declared_late_by_12_days(demo: dict[str, int]) -> None:
    governorship = Declaration.objects.get(ccg=blackpool(), organisation_name="A Blackpool primary school")
    guardian = User.objects.get(username="blackpool.guardian")

    assert selectors.declaration_days_late(governorship) == 12
    assert governorship in selectors.late_declarations(blackpool())
    client = Client()
    client.force_login(guardian)
    overview = client.get(reverse("guardian-overview", args=[conflicts.demo.BLACKPOOL])).content.decode()
    listing = client.get(reverse("late-declarations", args=[conflicts.demo.BLACKPOOL])).content.decode()
    assert "Late by 12 days" in overview and "Late by 12 days" in listing
    # The declined case of wine was recorded 50 days after it was offered; the dinners in time.
    late_offers = selectors.late_offers(blackpool())
    assert [(o.description, o.days_late) for o in late_offers] == [("A case of wine at Christmas", 22)]
