"""Demonstration registers of interests, gifts and hospitality, breaches and procurement decisions,
and an open declaration campaign, for the people the committees demo seats.

- Blackpool (00R) shows every kind of entry. Dr Helena Okoro, the GP member of its primary care
  commissioning committee, is a partner at Blackpool Promenade Medical Centre (P81701), whose
  application to close its list is on the committee's next agenda: the chair's checklist flags her,
  and, as the committee's only GP, her stepping out would leave the item without its clinical
  quorum. Her mitigation was agreed with the CCG's chief operating officer. Beside it: an indirect
  interest, a non-financial professional one, one withheld from publication (with the reason), one
  that ended 3 months ago (still published) and one that ended 8 months ago (no longer published),
  a non-voting member's interest (never published), nil returns; three offers of gifts and
  hospitality (a supplier's gift declined, hospitality of £40 declared, hospitality of £90 with a
  senior manager's approval) and a breach.
- Entries declared more than 28 days after the interest arose (or, for an interest already held,
  after the declarant's seat began) are marked late: Neil Rushton's school governorship, declared in
  the campaign 40 days after it began, is late by 12 days; the interests first put on the registers
  in the last two years by members seated since 2015 and 2016 are late by years; and the declined
  case of wine was recorded 50 days after it was offered.
- Blackpool's annual declaration campaign is open, closing four weeks after the demo is loaded:
  some have declared, some have confirmed a nil return, the rest have not answered yet. Members of
  the co-commissioning management group who have never declared to Blackpool show as overdue on
  appointment; one whose last nil return is more than a year old is overdue for the annual one.
- Greater Preston (01E) decided a procurement (extended access to general practice) at a past
  meeting, where a lay member whose son works for the winning bidder left the item. The
  approved decision puts it on the procurement register; the award names the winner, Ribble
  Extended Care Ltd, and its cross-check flags the lay member (declared and managed) and the GP
  member, a shareholder on the register who voted without declaring it at the item (not declared).
- Trafford, Lancashire North, Haringey and Camden have a few entries each, so every register has
  something on it.

Dates that must stay "recent" (the ended interests, the campaign, the offers, the breach) are
counted back from the day the demo is loaded. Everything goes through the services, so it is
audited; every step looks before it creates, so loading twice changes nothing. The people are the
committees demo's (invented); the bodies that are not CCG records are invented too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cocomm import services as cocomm_services
from cocomm.audit import Reason
from cocomm.models import CCG, Organisation, OrganisationKind, Person, Practice, User
from committees import services as committee_services
from committees.choices import AttendanceStatus, CommitteeKind, MatterKind, VoteChoice
from committees.minutes import compose_minutes
from committees.models import Committee, Decision, Matter, Meeting
from committees.selectors import seats_on
from conflicts import services
from conflicts.models import (
    Award,
    Breach,
    BreachStatus,
    Campaign,
    Declaration,
    GiftOrHospitality,
    InterestType,
    NHSEReport,
    OfferKind,
    ProcurementRecord,
    ProcurementRoute,
    Ruling,
)
from conflicts.rules import add_months
from conflicts.selectors import open_campaign
from functions.models import Function

REASON = Reason.DEMO_DATA
BLACKPOOL = "00R"
PRESTON = "01E"

# The member the checklist flags on Blackpool's upcoming list-closure item.
FLAGGED_GP = "Helena Okoro"
PROMENADE = "P81701"


@dataclass(frozen=True)
class Interest:
    """An entry on a CCG's register. Declared `declared_months_ago` (0: today, in the campaign if one
    is open); ended `ended_months_ago` when given."""

    ccg: str
    person: str
    interest_type: InterestType
    description: str
    interest_from: dt.date | None = None
    arose_days_ago: int | None = None  # instead of interest_from, for an interest that arose lately
    relationship: str = ""
    practice: str = ""  # a practice's ODS code
    organisation: str = ""  # the name of an organisation kept in cocomm
    organisation_name: str = ""  # a body cocomm does not keep
    mitigation: str = ""
    mitigation_agreed_with: str = ""
    withheld_reason: str = ""  # given: no consent to publish
    declared_months_ago: int = 0
    declared_on: dt.date | None = None  # a fixed date instead, for an entry a past meeting's ruling names
    ended_months_ago: int | None = None


@dataclass(frozen=True)
class NilReturn:
    ccg: str
    person: str
    declared_months_ago: int = 0
    for_nhs_england: bool = False


@dataclass(frozen=True)
class Offer:
    person: str
    kind: OfferKind
    description: str
    value: Decimal
    offeror: str
    from_supplier: bool
    days_ago: int
    accepted: bool
    reason: str = ""
    senior_approver: str = ""


# Entries made before Blackpool's campaign opened: they are not answers to it.
EARLIER_INTERESTS = [
    Interest(
        BLACKPOOL,
        "Louise Bamber",
        InterestType.FINANCIAL,
        "Shareholding in Fylde Coast Pharmacy Ltd, which holds NHS community pharmacy contracts in "
        "Blackpool; the shares have since been sold.",
        interest_from=dt.date(2012, 5, 1),
        organisation_name="Fylde Coast Pharmacy Ltd",
        declared_months_ago=15,
        ended_months_ago=3,
    ),
    Interest(
        BLACKPOOL,
        "Maureen Cartwright",
        InterestType.PROFESSIONAL,
        "Lay adviser to the board of Blackpool Coastal Housing, whose tenants include several practices' "
        "patients in supported housing.",
        interest_from=dt.date(2013, 1, 1),
        organisation_name="Blackpool Coastal Housing",
        declared_months_ago=20,
        ended_months_ago=8,
    ),
    Interest(
        PRESTON,
        "Bernard Catterall",
        InterestType.INDIRECT,
        "His son is an operations manager at Ribble Extended Care Ltd, a provider of out-of-hours and "
        "extended access services.",
        relationship="Son",
        interest_from=dt.date(2015, 9, 1),
        organisation="Ribble Extended Care Ltd",
        mitigation="Leaves the meeting for any item on services Ribble Extended Care Ltd provides or "
        "bids for.",
        # On the register before the procurement meeting of November 2016, whose ruling names it.
        declared_on=dt.date(2015, 9, 14),
    ),
    # On the register, but not declared at the procurement item: the award's cross-check flags it.
    Interest(
        PRESTON,
        "Catherine Gill",
        InterestType.FINANCIAL,
        "Shareholder of Ribble Extended Care Ltd, set up by a group of Preston GP partners to provide "
        "out-of-hours and extended access services.",
        interest_from=dt.date(2015, 4, 1),
        organisation="Ribble Extended Care Ltd",
        declared_months_ago=5,
    ),
    Interest(
        "02A",
        "Asif Malik",
        InterestType.FINANCIAL,
        "Partner at Stretford Park Medical Centre, a member practice of Trafford Provider Health.",
        interest_from=dt.date(2008, 9, 1),
        practice="P91601",
        mitigation="Leaves the meeting for items about the practice, and about contracts Trafford Provider "
        "Health may bid for; receives no papers for them.",
        mitigation_agreed_with="Karen Whitfield",
        declared_months_ago=5,
    ),
    Interest(
        "02A",
        "Rachel Fenwick",
        InterestType.PROFESSIONAL,
        "Unpaid clinical director of Trafford Provider Health, the borough's GP federation.",
        interest_from=dt.date(2015, 6, 1),
        organisation="Trafford Provider Health",
        declared_months_ago=5,
    ),
    Interest(
        "02A",
        "Peter Kenyon",
        InterestType.PROFESSIONAL,
        "Board member of Healthwatch Trafford.",
        interest_from=dt.date(2014, 4, 1),
        organisation="Healthwatch Trafford",
        declared_months_ago=5,
    ),
    Interest(
        "01K",
        "Owen Pritchard",
        InterestType.FINANCIAL,
        "Partner at Lancaster Castle Hill Surgery.",
        interest_from=dt.date(2011, 4, 1),
        practice="P82801",
        declared_months_ago=4,
    ),
    Interest(
        "07Y",
        "Imran Qureshi",
        InterestType.FINANCIAL,
        "Partner at Tottenham Hale Medical Centre.",
        interest_from=dt.date(2010, 10, 1),
        practice="F85701",
        declared_months_ago=6,
    ),
]

EARLIER_NIL_RETURNS = [
    # More than a year ago, and nothing since: overdue for the annual declaration.
    NilReturn(BLACKPOOL, "Philip Greenwood", declared_months_ago=14),
    NilReturn("02A", "Joan Pemberton", declared_months_ago=5),
    NilReturn("02A", "Nigel Ashworth", declared_months_ago=5),
    NilReturn("01K", "Geoffrey Thwaite", declared_months_ago=4),
    NilReturn("07R", "Simon Draper", declared_months_ago=6, for_nhs_england=True),
]

# Answers to Blackpool's campaign, declared the day it opened.
CAMPAIGN_INTERESTS = [
    Interest(
        BLACKPOOL,
        FLAGGED_GP,
        InterestType.FINANCIAL,
        "Partner at Blackpool Promenade Medical Centre, with a share of the practice's profits.",
        interest_from=dt.date(2009, 4, 1),
        practice=PROMENADE,
        mitigation="Leaves the meeting for any item about the practice, including its contract and list; "
        "receives no papers for such items.",
        mitigation_agreed_with="Andrew Hesketh",
    ),
    Interest(
        BLACKPOOL,
        FLAGGED_GP,
        InterestType.PROFESSIONAL,
        "Elected member of the Lancashire Local Medical Committee.",
        interest_from=dt.date(2014, 6, 1),
        organisation="Lancashire Local Medical Committee",
    ),
    Interest(
        BLACKPOOL,
        "Neil Rushton",
        InterestType.INDIRECT,
        "His wife is a non-executive director of Blackpool Out-of-Hours Services.",
        relationship="Spouse",
        interest_from=dt.date(2015, 2, 1),
        organisation="Blackpool Out-of-Hours Services",
        mitigation="Takes no part in decisions on out-of-hours or urgent primary care services.",
    ),
    # Arose 40 days before the campaign opened and only declared in it: late by 12 days.
    Interest(
        BLACKPOOL,
        "Neil Rushton",
        InterestType.PERSONAL,
        "Governor of a Blackpool primary school whose building houses a GP branch surgery.",
        arose_days_ago=40,
        organisation_name="A Blackpool primary school",
    ),
    Interest(
        BLACKPOOL,
        "Douglas Fairclough",
        InterestType.PERSONAL,
        "Trustee of a local charity supporting survivors of domestic abuse.",
        interest_from=dt.date(2016, 1, 1),
        organisation_name="A Blackpool domestic abuse charity",
        withheld_reason="Publishing his link to the charity could put its clients and staff at risk; the "
        "Conflicts of Interest Guardian agreed to withhold it.",
    ),
    Interest(
        BLACKPOOL,
        "Terence Wade",
        InterestType.PROFESSIONAL,
        "Volunteer director of Healthwatch Blackpool.",
        interest_from=dt.date(2015, 4, 1),
        organisation_name="Healthwatch Blackpool",
    ),
]

CAMPAIGN_NIL_RETURNS = [
    NilReturn(BLACKPOOL, "Maureen Cartwright"),
    NilReturn(BLACKPOOL, "Louise Bamber"),
    NilReturn(BLACKPOOL, "Andrew Hesketh"),
    NilReturn(BLACKPOOL, "Patricia Dunne", for_nhs_england=True),
]

BLACKPOOL_OFFERS = [
    Offer(
        "Louise Bamber",
        OfferKind.GIFT,
        "A case of wine at Christmas",
        Decimal("45.00"),
        "Medisoft Systems Ltd, supplier of GP clinical systems",
        from_supplier=True,
        days_ago=50,
        accepted=False,
    ),
    Offer(
        "Neil Rushton",
        OfferKind.HOSPITALITY,
        "Dinner at the North West NHS finance conference",
        Decimal("40.00"),
        "Healthcare Financial Management Association, North West branch (a professional body)",
        from_supplier=False,
        days_ago=20,
        accepted=True,
        reason="Part of a conference he attended for the CCG; declared as the policy requires.",
    ),
    Offer(
        "Maureen Cartwright",
        OfferKind.HOSPITALITY,
        "Dinner at the North West healthcare governance awards",
        Decimal("90.00"),
        "Capsticks LLP, solicitors (who may bid for the CCG's legal work)",
        from_supplier=True,
        days_ago=21,
        accepted=True,
        reason="The CCG was a finalist for an award; she attended as its representative.",
        senior_approver="Andrew Hesketh",
    ),
]

GUARDIAN = "Anne Crompton"  # the `blackpool.guardian` login of `cocomm.demo`
BREACH = (
    "A member of the primary care commissioning committee accepted hospitality worth about £120 from a "
    "prospective supplier without the senior manager's approval the policy requires, and declared it "
    "six weeks after the event."
)

# Greater Preston's procurement, decided at a past meeting.
PROCUREMENT_MEETING = dt.date(2016, 11, 24)
PROCUREMENT_TITLE = "Extended access to general practice: award of the contract"
PROCUREMENT_SUPPLIER = "Ribble Extended Care Ltd"
PROCUREMENT_VALUE = Decimal("1450000.00")
PROCUREMENT_CHAIR = "Pauline Rawcliffe"
PROCUREMENT_LEAVES = "Bernard Catterall"


def load(*, by: User) -> None:
    """Fill the registers and open Blackpool's campaign; safe to run again."""
    with transaction.atomic():
        today = timezone.localdate()
        ccgs = {c.ods_code: c for c in CCG.objects.all()}
        if BLACKPOOL not in ccgs or not Committee.objects.filter(ccgs=ccgs[BLACKPOOL]).exists():
            raise RuntimeError("Load the committees demo data first: Blackpool has no committees.")
        people = _People()
        _supplier(ccgs[PRESTON], by=by)
        for interest in EARLIER_INTERESTS:
            _declare(interest, ccgs, people, today, by=by)
        for nil in EARLIER_NIL_RETURNS:
            _nil_return(nil, ccgs, people, today, campaign=None, by=by)
        campaign = _campaign(ccgs[BLACKPOOL], today, by=by)
        for interest in CAMPAIGN_INTERESTS:
            _declare(interest, ccgs, people, today, by=by)
        for nil in CAMPAIGN_NIL_RETURNS:
            _nil_return(nil, ccgs, people, today, campaign=campaign, by=by)
        for offer in BLACKPOOL_OFFERS:
            _offer(offer, ccgs[BLACKPOOL], people, today, by=by)
        _breach(ccgs[BLACKPOOL], today, by=by)
        _procurement(ccgs[PRESTON], people, by=by)


class _People:
    """The committees demo's people, by full name, each looked up once."""

    def __init__(self) -> None:
        self._found: dict[str, Person] = {}

    def __getitem__(self, name: str) -> Person:
        if name not in self._found:
            person = Person.objects.filter(full_name=name).order_by("pk").first()
            if person is None:
                raise RuntimeError(f"Load the committees demo data first: nobody called {name}.")
            self._found[name] = person
        return self._found[name]


def _on(today: dt.date, months_ago: int) -> dt.date:
    return add_months(today, -months_ago) if months_ago else today


def _declare(
    interest: Interest, ccgs: dict[str, CCG], people: _People, today: dt.date, *, by: User
) -> Declaration:
    ccg, person = ccgs[interest.ccg], people[interest.person]
    declaration = Declaration.objects.filter(
        ccg=ccg, person=person, nil_return=False, description=interest.description
    ).first()
    if declaration is None:
        declaration = services.declaration_make(
            ccg=ccg,
            person=person,
            position=person.job_title,
            interest_type=interest.interest_type,
            description=interest.description,
            relationship=interest.relationship,
            practice=Practice.objects.get(ods_code=interest.practice) if interest.practice else None,
            organisation=Organisation.objects.get(name=interest.organisation)
            if interest.organisation
            else None,
            organisation_name=interest.organisation_name,
            interest_from=interest.interest_from
            if interest.arose_days_ago is None
            else today - dt.timedelta(days=interest.arose_days_ago),
            mitigation=interest.mitigation,
            consent_to_publish=not interest.withheld_reason,
            withheld_reason=interest.withheld_reason,
            declared_on=interest.declared_on or _on(today, interest.declared_months_ago),
            by=by,
        )
    if interest.ended_months_ago is not None and declaration.interest_to is None:
        declaration = services.declaration_end(
            declaration=declaration, interest_to=_on(today, interest.ended_months_ago), by=by, reason=REASON
        )
    if interest.mitigation_agreed_with and declaration.mitigation_approved_by_id is None:
        declaration = services.mitigation_approve(
            declaration=declaration, approver=people[interest.mitigation_agreed_with], by=by
        )
    return declaration


def _nil_return(
    nil: NilReturn,
    ccgs: dict[str, CCG],
    people: _People,
    today: dt.date,
    *,
    campaign: Campaign | None,
    by: User,
) -> None:
    ccg, person = ccgs[nil.ccg], people[nil.person]
    if Declaration.objects.filter(ccg=ccg, person=person, nil_return=True, campaign=campaign).exists():
        return
    services.declaration_make(
        ccg=ccg,
        person=person,
        position=person.job_title,
        nil_return=True,
        for_nhs_england=nil.for_nhs_england,
        declared_on=_on(today, nil.declared_months_ago),
        by=by,
    )


def _campaign(blackpool: CCG, today: dt.date, *, by: User) -> Campaign:
    """Blackpool's annual campaign: the open one, or the one the demo opened before, or a new one."""
    start_year = today.year if today.month >= 4 else today.year - 1
    title = f"NHS Blackpool CCG annual declaration of interests {start_year}/{(start_year + 1) % 100:02d}"
    found = open_campaign(blackpool) or Campaign.objects.filter(ccg=blackpool, title=title).first()
    if found is not None:
        return found
    return services.campaign_open(ccg=blackpool, title=title, deadline=today + dt.timedelta(weeks=4), by=by)


def _offer(offer: Offer, blackpool: CCG, people: _People, today: dt.date, *, by: User) -> None:
    person = people[offer.person]
    if GiftOrHospitality.objects.filter(ccg=blackpool, person=person, description=offer.description).exists():
        return
    services.offer_record(
        ccg=blackpool,
        person=person,
        position=person.job_title,
        kind=offer.kind,
        description=offer.description,
        value=offer.value,
        offeror=offer.offeror,
        from_supplier=offer.from_supplier,
        offered_on=today - dt.timedelta(days=offer.days_ago),
        accepted=offer.accepted,
        reason=offer.reason,
        senior_approver=people[offer.senior_approver] if offer.senior_approver else None,
        by=by,
    )


def _breach(blackpool: CCG, today: dt.date, *, by: User) -> None:
    """Blackpool's breach, investigated by its Guardian and reported to NHS England; closing it is
    left for the demo (as `blackpool.guardian` or `blackpool.go`)."""
    breach = Breach.objects.filter(ccg=blackpool, what_happened=BREACH).first()
    if breach is None:
        breach = services.breach_record(
            ccg=blackpool,
            occurred_on=today - dt.timedelta(days=75),
            what_happened=BREACH,
            reported_by="Tom Fletcher, governance officer, NHS Blackpool CCG",
            guardian_view="A breach of the gifts and hospitality policy; no decision was affected, as the "
            "supplier was not bidding for anything before the committee.",
            actions="The hospitality was entered on the register; the member has repaid its cost; every "
            "committee member is to attend a refresher on the policy.",
            by=by,
        )
    if breach.status == BreachStatus.REPORTED:
        services.breach_investigate(
            breach=breach,
            investigated_by=f"{GUARDIAN}, Conflicts of Interest Guardian, NHS Blackpool CCG",
            investigated_on=today - dt.timedelta(days=40),
            findings="The member did not know that hospitality over £75 needs a senior manager's approval "
            "beforehand; the supplier has since registered an interest in a forthcoming procurement, so "
            "the breach is reported to NHS England.",
            nhse_report=NHSEReport.REQUIRED,
            reported_to_nhse_on=today - dt.timedelta(days=35),
            by=by,
        )


def _at(on: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(on, dt.time(14, 0)))


def _procurement(preston: CCG, people: _People, *, by: User) -> None:
    """Greater Preston's committee awards a contract; the decision joins the register."""
    committee = Committee.objects.get(ccgs=preston, kind=CommitteeKind.PCCC)
    meeting = Meeting.objects.filter(committees=committee, starts_at=_at(PROCUREMENT_MEETING)).first()
    if meeting is None:
        meeting = _hold_procurement_meeting(committee, preston, people, by=by)
    decision = Decision.objects.get(item__meeting=meeting, matter__kind=MatterKind.PROCUREMENT)
    # The approval wrote the entry in its own transaction (an earlier load may predate that).
    record = ProcurementRecord.objects.filter(decision=decision).first() or services.procurement_record_for(
        decision
    )
    if record is not None and not Award.objects.filter(record=record).exists():
        # Two who took part held interests in the winner: Bernard Catterall declared his and left
        # the item (declared and managed); Dr Catherine Gill's shareholding is on the register but
        # was not declared at the item, and she voted (not declared at the item).
        services.award_record(
            decision=decision,
            supplier=Organisation.objects.get(name=PROCUREMENT_SUPPLIER),
            value=PROCUREMENT_VALUE,
            route=ProcurementRoute.COMPETITIVE,
            starts_on=dt.date(2017, 4, 1),
            ends_on=dt.date(2020, 3, 31),
            by=by,
        )


def _supplier(preston: CCG, *, by: User) -> Organisation:
    """The provider that won Greater Preston's procurement, kept as an organisation record."""
    found = Organisation.objects.filter(name=PROCUREMENT_SUPPLIER).first()
    if found is not None:
        return found
    return cocomm_services.organisation_create(
        name=PROCUREMENT_SUPPLIER,
        kind=OrganisationKind.PROVIDER,
        ccgs=[preston],
        by=by,
        reason=REASON,
    )


def _hold_procurement_meeting(committee: Committee, preston: CCG, people: _People, *, by: User) -> Meeting:
    on = PROCUREMENT_MEETING
    meeting = committee_services.meeting_schedule(
        committees=[committee],
        title=committee.name,
        starts_at=_at(on),
        place="Board room, NHS Greater Preston CCG",
        by=by,
        reason=REASON,
    )
    seats = seats_on(committee, on)
    for seat in seats:
        committee_services.attendance_record(
            meeting=meeting, person=seat.person, status=AttendanceStatus.PRESENT, by=by, reason=REASON
        )
    item = committee_services.matter_schedule(
        matter=_procurement_matter(preston, by=by), meeting=meeting, by=by, reason=REASON
    )
    chair_person = people[PROCUREMENT_CHAIR]
    if chair_person.user_id is None:
        raise RuntimeError(f"{chair_person} needs a login to rule on declarations and approve decisions.")
    chair = User.objects.get(pk=chair_person.user_id)  # fresh, so its permissions are current
    leaving = people[PROCUREMENT_LEAVES]
    services.item_declaration_rule(
        item=item,
        person=leaving,
        statement="His son works for Ribble Extended Care Ltd, one of the bidders.",
        ruling=Ruling.LEAVES,
        # A ruling names only a register entry declared by the meeting; his was entered later.
        interest=Declaration.objects.filter(
            ccg=preston, person=leaving, nil_return=False, declared_on__lte=on
        ).first(),
        papers_withheld=True,
        by=chair,
    )
    decision = committee_services.decision_propose(
        item=item,
        resolution="Award the contract for extended access to general practice in Greater Preston "
        f"to {PROCUREMENT_SUPPLIER} for three years from 1 April 2017, at a value of up to £1,450,000.",
        by=by,
        reason=REASON,
    )
    committee_services.vote_open(decision=decision, by=by)
    for seat in seats:
        if seat.voting and seat.person_id != leaving.pk:
            committee_services.vote_cast(decision=decision, person=seat.person, choice=VoteChoice.FOR, by=by)
    decision = committee_services.vote_close(decision=decision, by=by)
    committee_services.decision_approve(decision=decision, by=chair)
    committee_services.minutes_draft(meeting=meeting, text=compose_minutes(meeting), by=by)
    return meeting


def _procurement_matter(preston: CCG, *, by: User) -> Matter:
    existing = Matter.objects.filter(ccg=preston, title=PROCUREMENT_TITLE).first()
    if existing is not None:
        return existing
    return committee_services.matter_raise(
        ccg=preston,
        function=Function.objects.get(number=4),
        kind=MatterKind.PROCUREMENT,
        title=PROCUREMENT_TITLE,
        description="Three bids were received to provide evening and weekend GP appointments across "
        "Greater Preston for three years from 1 April 2017. The evaluation panel recommends the "
        "highest-scoring bid.",
        raised_on=dt.date(2016, 10, 20),
        by=by,
        reason=REASON,
    )
