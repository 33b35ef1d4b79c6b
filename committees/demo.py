"""Demonstration committees, meetings and decisions, drawn from the seed papers.

- Trafford (seed 000): the governing body; the Clinical Commissioning and Finance Committee (terms
  of reference v1 approved July 2014); the Quality and Performance Committee; the Primary Care
  Strategy Steering Group; and a primary care commissioning committee holding the functions
  Greater Manchester's level 4 delegates. The seed has the PCSSG report to the senior management
  team; there is no SMT committee here, so it reports to the governing body.
- North Central London (seed 002): the five CCGs' level-2 arrangement is one joint committee with
  NHS England (London region), which holds the casting vote. Committees in common are what the
  seed recommends *if* the CCGs become delegated; today's joint committee is one body.
- Lancashire (seed 003): the co-commissioning management group co-chaired by a CCG and NHS England;
  Lancashire North's joint committee with NHS England Lancashire (casting vote NHS England); and a
  primary care commissioning committee for each delegated CCG, Blackpool's allowing decisions
  between meetings.

Each committee has held a past meeting, with attendance and draft minutes written from the
record. Those the routing rule lets decide (governing body, primary care commissioning and joint
committees) took a decision on a date they had the right to, through the vote, approved by their
chair; the CCFC, Q&PC, PCSSG and the management group note and discuss. Committees whose terms do
not say they meet in public meet in private. Lancashire North's first minutes, with its tie that
NHS England's casting vote decided, were approved at its next meeting. Blackpool's committee meets
next in six weeks, to decide Blackpool Promenade Medical Centre's application to close its list
(the seed's schedule C). Approving a decision takes the chair's own login, so every chair who
approved one has a login (password `cocomm.demo.DEMO_PASSWORD`): see CHAIR_LOGINS.

Everything goes through the services, so it is audited; every step looks for what is there
before it creates anything, so loading twice changes nothing. The people are invented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from cocomm import services as core
from cocomm.audit import Reason
from cocomm.demo import CCGS, DEMO_PASSWORD
from cocomm.models import CCG, AreaTeam, Person, Practice, User
from committees import services
from committees.choices import (
    AttendanceStatus,
    CastingVote,
    CommitteeKind,
    CompositionRule,
    ExclusionScope,
    MatterKind,
    MemberCategory,
    MinutesStatus,
    Office,
    Purpose,
    Session,
    StandardItem,
    ToRStatus,
    VoteChoice,
)
from committees.minutes import compose_minutes
from committees.models import AgendaItem, Committee, Matter, Meeting, Membership, MembershipStatus, Minutes
from functions.choices import Right, SchemeCode
from functions.models import Function

REASON = Reason.DEMO_DATA
CCG_NAMES = {code: name for code, name, _, _ in CCGS}
LANCASHIRE = ("00Q", "00R", "00X", "01A", "02M", "01E", "01K", "02G")
NCL = ("07M", "07R", "07X", "07Y", "08H")
MEETS_AT = dt.time(14, 0)

LAY, EXEC, GP = MemberCategory.LAY, MemberCategory.EXECUTIVE, MemberCategory.CLINICAL
NHSE, HEALTHWATCH = MemberCategory.NHS_ENGLAND, MemberCategory.HEALTHWATCH
CHAIR, CO_CHAIR, VICE_CHAIR = Office.CHAIR, Office.CO_CHAIR, Office.VICE_CHAIR

# Chairs who approve their committees' decisions need to log in to do it.
CHAIR_LOGINS = {
    "Nigel Ashworth": "trafford.gb.chair",
    "Joan Pemberton": "trafford.chair",
    "Frances Adeyemi": "ncl.jc.chair",
    "Geoffrey Thwaite": "lancashire.jc.chair",
    "Brenda Holt": "blackburn.chair",
    "Maureen Cartwright": "blackpool.chair",
    "Alan Whittle": "chorley.chair",
    "Janet Hargreaves": "eastlancs.chair",
    "Trevor Singleton": "fylde.chair",
    "Pauline Rawcliffe": "preston.chair",
    "Derek Ashcroft": "westlancs.chair",
}

# The chair logins worth trying first, printed by `load_demo` beside the core's.
LOGINS = [
    ("blackpool.chair", "Chair, Blackpool primary care commissioning committee (upcoming list closure)"),
    (
        "lancashire.jc.chair",
        "Chair, Lancashire North joint committee (tied vote, NHS England's casting vote)",
    ),
    ("trafford.chair", "Chair, Trafford primary care commissioning committee"),
]


class Seat(NamedTuple):
    person: str
    category: MemberCategory
    office: Office = Office.MEMBER
    voting: bool = True


@dataclass(frozen=True)
class Terms:
    version: str
    approved_by: str
    approved_on: dt.date
    rule: CompositionRule
    quorum: int
    quorum_categories: dict[str, int]
    casting_vote: CastingVote = CastingVote.CHAIR
    meets_in_public: bool = False
    allows_virtual_decisions: bool = False


@dataclass(frozen=True)
class Spec:
    name: str
    short_name: str
    kind: CommitteeKind
    ccgs: tuple[str, ...]
    terms: Terms
    seats: tuple[Seat, ...]
    seated_from: dt.date
    area_team: str | None = None
    reports_to: str | None = None
    # The matrix cell whose functions the committee decides, and any it decides besides.
    rights_of: tuple[str, int, Right] | None = None
    functions: tuple[int, ...] = ()


@dataclass(frozen=True)
class MatterSpec:
    kind: MatterKind
    practices: tuple[str, ...]
    description: str
    raised_on: dt.date


@dataclass(frozen=True)
class Business:
    title: str
    reference: str = ""
    purpose: Purpose = Purpose.NOTING
    session: Session = Session.PUBLIC
    summary: str = ""
    note: str = ""
    # For decision: the CCG and function, the matter behind it (if any), the resolution, the
    # votes that were not "for", and members who left the item for a declared interest.
    ccg: str = ""
    function: int = 0
    matter: MatterSpec | None = None
    resolution: str = ""
    votes: dict[str, VoteChoice] = field(default_factory=dict)
    leaves: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Sitting:
    committee: str
    on: dt.date
    place: str
    business: tuple[Business, ...]
    apologies: tuple[str, ...] = ()
    in_attendance: tuple[tuple[str, str], ...] = ()
    # Committees whose terms say they meet in public have a public session; the rest meet in private.
    private_session: bool = False
    approves_minutes_of: dt.date | None = None
    actions: tuple[tuple[str, str, dt.date], ...] = ()


# --- People -----------------------------------------------------------------------------------------

NAMED: dict[str, tuple[str, str]] = {
    # Trafford
    "Nigel Ashworth": ("Dr", "Clinical Chair, NHS Trafford CCG"),
    "Joan Pemberton": ("Mrs", "Lay member (governance and audit), NHS Trafford CCG"),
    "Colin Bradshaw": ("Mr", "Lay member (patient and public involvement), NHS Trafford CCG"),
    "Karen Whitfield": ("Ms", "Chief Accountable Officer, NHS Trafford CCG"),
    "Stephen Rigby": ("Mr", "Chief Finance Officer, NHS Trafford CCG"),
    "Linda Crompton": ("Mrs", "Director of Commissioning and Operations, NHS Trafford CCG"),
    "Asif Malik": ("Dr", "GP governing body member (North locality), NHS Trafford CCG"),
    "Rachel Fenwick": ("Dr", "GP governing body member (South locality), NHS Trafford CCG"),
    "Martin Howarth": ("Dr", "Secondary care doctor, NHS Trafford CCG governing body"),
    "Sandra Lowe": ("Mrs", "Chief Nurse, NHS Trafford CCG"),
    "Ann Doherty": ("Ms", "Head of Primary Care, NHS Trafford CCG"),
    "Peter Kenyon": ("Mr", "Healthwatch Trafford"),
    "Eleanor Grant": ("Ms", "Trafford Health and Wellbeing Board"),
    "Ian Buckley": ("Mr", "Head of Primary Care, NHS England Greater Manchester"),
    # North Central London
    "Frances Adeyemi": ("Ms", "Lay member, NHS Haringey CCG"),
    "Harold Stein": ("Mr", "Lay member, NHS Barnet CCG"),
    "Mei Chen": ("Ms", "Lay member, NHS Islington CCG"),
    "Rosalind Achebe": ("Ms", "Director of Primary Care, NHS Camden CCG"),
    "Gareth Lloyd": ("Mr", "Chief Operating Officer, NHS Enfield CCG"),
    "Imran Qureshi": ("Dr", "GP member, NHS Haringey CCG"),
    "Simon Draper": ("Mr", "Head of Primary Care, NHS England (London region)"),
    "Olivia Marsh": ("Ms", "Primary Care Contracts Manager, NHS England (London region)"),
    "Arthur Bell": ("Mr", "Healthwatch Camden"),
    # Lancashire-wide
    "Andrew Hesketh": ("Mr", "Chief Operating Officer, NHS Blackpool CCG"),
    "Patricia Dunne": ("Mrs", "Director of Commissioning Operations, NHS England Lancashire"),
    "Gillian Yates": ("Ms", "Senior Contracts Manager, NHS England Lancashire"),
    "Robert Ainsworth": ("Mr", "Head of Primary Care Finance, NHS England Lancashire"),
    "Martin Sefton": ("Mr", "Strategic Lead, NHS England Lancashire"),
    "Nadia Hussain": ("Ms", "Primary Care Lead, NHS Blackburn with Darwen CCG"),
    "Philip Greenwood": ("Mr", "Primary Care Lead, NHS East Lancashire CCG"),
    "Claire Moss": ("Mrs", "Primary Care Lead, NHS Greater Preston CCG"),
    # Lancashire North
    "Geoffrey Thwaite": ("Mr", "Lay member, NHS Lancashire North CCG"),
    "Beverley Cross": ("Mrs", "Lay member (patient involvement), NHS Lancashire North CCG"),
    "Owen Pritchard": ("Dr", "GP member, NHS Lancashire North CCG"),
    "Daniel Burrows": ("Mr", "Head of Primary Care, NHS Lancashire North CCG"),
    "Keith Marsden": ("Mr", "Healthwatch Lancashire"),
}

# Each delegated Lancashire CCG's committee: chair (lay), lay member, chief officer, chief finance
# officer, GP member, Healthwatch (non-voting).
PCCC_PEOPLE = {
    "00Q": (
        "Brenda Holt",
        "Kevin Duckworth",
        "Samira Patel",
        "Graham Entwistle",
        "Farid Rahman",
        "Lorna Kay",
    ),
    "00R": (
        "Maureen Cartwright",
        "Douglas Fairclough",
        "Louise Bamber",
        "Neil Rushton",
        "Helena Okoro",
        "Terence Wade",
    ),
    "00X": (
        "Alan Whittle",
        "Sheila Banks",
        "Richard Moorcroft",
        "Fiona Cowell",
        "Sanjay Mehta",
        "Irene Lund",
    ),
    "01A": (
        "Janet Hargreaves",
        "Colin Aspden",
        "Mark Pilkington",
        "Deborah Sagar",
        "Yusuf Bhatti",
        "Wendy Hartley",
    ),
    "02M": (
        "Trevor Singleton",
        "Margaret Swarbrick",
        "Julie Parkinson",
        "Howard Nuttall",
        "Eleanor Shaw",
        "Dennis Croft",
    ),
    "01E": (
        "Pauline Rawcliffe",
        "Bernard Catterall",
        "Ruth Heyes",
        "Anil Sharma",
        "Catherine Gill",
        "Stanley Procter",
    ),
    "02G": (
        "Derek Ashcroft",
        "Lesley Halsall",
        "Victoria Rimmer",
        "Paul Lathom",
        "Tariq Aziz",
        "Joyce Molyneux",
    ),
}
HEALTHWATCH_OF = {"00Q": "Blackburn with Darwen", "00R": "Blackpool"}


def _pccc_people() -> dict[str, tuple[str, str]]:
    people = {}
    for code, names in PCCC_PEOPLE.items():
        ccg = CCG_NAMES[code]
        jobs = (
            f"Lay member (chair of the primary care commissioning committee), {ccg}",
            f"Lay member, {ccg}",
            f"Chief Officer, {ccg}",
            f"Chief Finance Officer, {ccg}",
            f"GP member, {ccg}",
            f"Healthwatch {HEALTHWATCH_OF.get(code, 'Lancashire')}",
        )
        # Only the GP's title follows from the seat; the others are left blank rather than guessed.
        titles = ("", "", "", "", "Dr", "")
        for name, title, job in zip(names, titles, jobs, strict=True):
            people[name] = (title, job)
    return people


# Everyone the demo seats, by full name: (title, job title).
PEOPLE = {**NAMED, **_pccc_people()}


# --- Committees ------------------------------------------------------------------------------------

TRAFFORD_GB = "NHS Trafford CCG Governing Body"
TRAFFORD_PCCC = "NHS Trafford CCG Primary Care Commissioning Committee"
NCL_JC = "North Central London Primary Care Joint Committee"
CCMG = "Lancashire Co-Commissioning Management Group"
LN_JC = "NHS Lancashire North CCG and NHS England Lancashire Joint Committee"
PCCC_TERMS = {
    "lay": 1,
    "clinical": 1,
    "executive": 1,
}  # seed 002 / DOMAIN: 3 including 1 lay, 1 GP, 1 executive
APRIL_2015, APRIL_2016, APRIL_2017 = dt.date(2015, 4, 1), dt.date(2016, 4, 1), dt.date(2017, 4, 1)


def pccc_name(code: str) -> str:
    return f"{CCG_NAMES[code]} Primary Care Commissioning Committee"


TRAFFORD = [
    Spec(
        name=TRAFFORD_GB,
        short_name="GB",
        kind=CommitteeKind.GOVERNING_BODY,
        ccgs=("02A",),
        # The seed puts safeguarding's accountability with the governing body.
        functions=(6,),
        terms=Terms(
            "v3",
            "NHS Trafford CCG member practices (constitution)",
            dt.date(2015, 3, 26),
            CompositionRule.CHAIRED,
            5,
            {"lay": 1, "clinical": 1, "executive": 1},
            meets_in_public=True,
        ),
        seated_from=APRIL_2015,
        seats=(
            Seat("Nigel Ashworth", GP, CHAIR),
            Seat("Joan Pemberton", LAY, VICE_CHAIR),
            Seat("Colin Bradshaw", LAY),
            Seat("Karen Whitfield", EXEC),
            Seat("Stephen Rigby", EXEC),
            Seat("Asif Malik", GP),
            Seat("Rachel Fenwick", GP),
            Seat("Martin Howarth", MemberCategory.SECONDARY_CARE),
            Seat("Sandra Lowe", MemberCategory.NURSE),
        ),
    ),
    Spec(
        name="NHS Trafford CCG Clinical Commissioning and Finance Committee",
        short_name="CCFC",
        kind=CommitteeKind.OTHER,
        ccgs=("02A",),
        reports_to=TRAFFORD_GB,
        # "CCFC TOR v1 Approved July 2014" (seed 000); the day is not given, so the 1st stands in.
        terms=Terms(
            "v1",
            TRAFFORD_GB,
            dt.date(2014, 7, 1),
            CompositionRule.CHAIRED,
            3,
            {"clinical": 1, "executive": 1},
        ),
        seated_from=dt.date(2014, 8, 1),
        seats=(
            Seat("Rachel Fenwick", GP, CHAIR),
            Seat("Stephen Rigby", EXEC),
            Seat("Linda Crompton", EXEC),
            Seat("Colin Bradshaw", LAY),
            Seat("Asif Malik", GP),
        ),
    ),
    Spec(
        name="NHS Trafford CCG Quality and Performance Committee",
        short_name="Q&PC",
        kind=CommitteeKind.OTHER,
        ccgs=("02A",),
        reports_to=TRAFFORD_GB,
        # Seed 000: its terms were updated for the co-commissioning responsibilities.
        terms=Terms(
            "v2", TRAFFORD_GB, dt.date(2015, 3, 26), CompositionRule.CHAIRED, 3, {"lay": 1, "clinical": 1}
        ),
        seated_from=APRIL_2015,
        seats=(
            Seat("Colin Bradshaw", LAY, CHAIR),
            Seat("Sandra Lowe", MemberCategory.NURSE),
            Seat("Linda Crompton", EXEC),
            Seat("Asif Malik", GP),
            Seat("Peter Kenyon", HEALTHWATCH, voting=False),
        ),
    ),
    Spec(
        name="NHS Trafford CCG Primary Care Strategy Steering Group",
        short_name="PCSSG",
        kind=CommitteeKind.STEERING_GROUP,
        ccgs=("02A",),
        # Seed 000: it reports to the senior management team (and CCFC and Q&PC); no SMT committee
        # is kept here, so its line goes to the governing body.
        reports_to=TRAFFORD_GB,
        terms=Terms(
            "v1",
            "NHS Trafford CCG Senior Management Team",
            dt.date(2014, 10, 1),
            CompositionRule.CHAIRED,
            3,
            {"clinical": 1},
        ),
        seated_from=dt.date(2014, 10, 1),
        seats=(
            Seat("Asif Malik", GP, CHAIR),
            Seat("Ann Doherty", EXEC),
            Seat("Linda Crompton", EXEC),
            Seat("Rachel Fenwick", GP),
        ),
    ),
    Spec(
        name=TRAFFORD_PCCC,
        short_name="PCCC",
        kind=CommitteeKind.PCCC,
        ccgs=("02A",),
        reports_to=TRAFFORD_GB,
        rights_of=(SchemeCode.GREATER_MANCHESTER, 4, Right.DELEGATED),
        terms=Terms(
            "v1", TRAFFORD_GB, dt.date(2015, 3, 26), CompositionRule.PCCC, 3, PCCC_TERMS, meets_in_public=True
        ),
        seated_from=APRIL_2015,
        seats=(
            Seat("Joan Pemberton", LAY, CHAIR),
            Seat("Colin Bradshaw", LAY),
            Seat("Karen Whitfield", EXEC),
            Seat("Stephen Rigby", EXEC),
            Seat("Rachel Fenwick", GP),
            Seat("Asif Malik", GP),
            Seat("Peter Kenyon", HEALTHWATCH, voting=False),
            Seat("Eleanor Grant", MemberCategory.HWB, voting=False),
            Seat("Ian Buckley", NHSE, voting=False),
        ),
    ),
]

JOINT = [
    Spec(
        name=NCL_JC,
        short_name="NCL JC",
        kind=CommitteeKind.JOINT_COMMITTEE,
        ccgs=NCL,
        area_team="Q71",
        rights_of=(SchemeCode.NATIONAL, 2, Right.JOINT),
        # Seed 002: a lay chair, a lay and executive majority, NHS England (London) has the casting vote.
        terms=Terms(
            "v1",
            "The NCL CCGs' governing bodies and NHS England (London region)",
            dt.date(2015, 3, 31),
            CompositionRule.JOINT,
            5,
            {"lay": 1, "nhs_england": 1},
            CastingVote.NHS_ENGLAND,
            meets_in_public=True,
        ),
        seated_from=APRIL_2015,
        seats=(
            Seat("Frances Adeyemi", LAY, CHAIR),
            Seat("Harold Stein", LAY),
            Seat("Mei Chen", LAY),
            Seat("Rosalind Achebe", EXEC),
            Seat("Gareth Lloyd", EXEC),
            Seat("Imran Qureshi", GP),
            Seat("Simon Draper", NHSE),
            Seat("Olivia Marsh", NHSE),
            Seat("Arthur Bell", HEALTHWATCH, voting=False),
        ),
    ),
    Spec(
        name=CCMG,
        short_name="CCMG",
        kind=CommitteeKind.CO_COMMISSIONING_GROUP,
        ccgs=LANCASHIRE,
        area_team="Q47",
        # Seed 003 §5.2, schedule B "CCMG TOR v5"; the memorandum it belongs to is v3 of 3 August 2016.
        # It reports to the Collaborative Commissioning Board, which is not kept here.
        terms=Terms(
            "v5",
            "Lancashire CCGs and NHS England Lancashire",
            dt.date(2016, 8, 3),
            CompositionRule.CO_CHAIRED,
            3,
            {"nhs_england": 1, "executive": 1},
            CastingVote.NONE,
        ),
        seated_from=dt.date(2016, 8, 3),
        seats=(
            Seat("Andrew Hesketh", EXEC, CO_CHAIR),
            Seat("Patricia Dunne", NHSE, CO_CHAIR),
            Seat("Gillian Yates", NHSE),
            Seat("Robert Ainsworth", NHSE),
            Seat("Nadia Hussain", EXEC),
            Seat("Philip Greenwood", EXEC),
            Seat("Claire Moss", EXEC),
            Seat("Daniel Burrows", EXEC),
        ),
    ),
    Spec(
        name=LN_JC,
        short_name="LN JC",
        kind=CommitteeKind.JOINT_COMMITTEE,
        ccgs=("01K",),
        area_team="Q47",
        rights_of=(SchemeCode.NATIONAL, 2, Right.JOINT),
        terms=Terms(
            "v2",
            "NHS Lancashire North CCG Governing Body and NHS England Lancashire",
            dt.date(2016, 3, 31),
            CompositionRule.JOINT,
            4,
            {"lay": 1, "nhs_england": 1},
            CastingVote.NHS_ENGLAND,
            meets_in_public=True,
        ),
        seated_from=APRIL_2016,
        seats=(
            Seat("Geoffrey Thwaite", LAY, CHAIR),
            Seat("Beverley Cross", LAY),
            Seat("Owen Pritchard", GP),
            Seat("Daniel Burrows", EXEC),
            Seat("Patricia Dunne", NHSE),
            Seat("Gillian Yates", NHSE),
            Seat("Keith Marsden", HEALTHWATCH, voting=False),
        ),
    ),
]

# Delegated from April 2016 (West Lancashire from April 2017): (ODS code, terms approved, seated from).
LANCASHIRE_PCCCS = [
    ("00Q", dt.date(2016, 3, 17), APRIL_2016),
    ("00R", dt.date(2016, 3, 17), APRIL_2016),
    ("00X", dt.date(2016, 3, 24), APRIL_2016),
    ("01A", dt.date(2016, 3, 24), APRIL_2016),
    ("02M", dt.date(2016, 3, 17), APRIL_2016),
    ("01E", dt.date(2016, 3, 24), APRIL_2016),
    ("02G", dt.date(2017, 3, 23), APRIL_2017),
]


def lancashire_pccc(code: str, approved_on: dt.date, seated_from: dt.date) -> Spec:
    chair, lay, officer, finance, gp, healthwatch = PCCC_PEOPLE[code]
    return Spec(
        name=pccc_name(code),
        short_name="PCCC",
        kind=CommitteeKind.PCCC,
        ccgs=(code,),
        rights_of=(SchemeCode.NATIONAL, 3, Right.DELEGATED),
        terms=Terms(
            "v1",
            f"{CCG_NAMES[code]} Governing Body",
            approved_on,
            CompositionRule.PCCC,
            3,
            PCCC_TERMS,
            meets_in_public=True,
            allows_virtual_decisions=code == "00R",
        ),
        seated_from=seated_from,
        seats=(
            Seat(chair, LAY, CHAIR),
            Seat(lay, LAY),
            Seat(officer, EXEC),
            Seat(finance, EXEC),
            Seat(gp, GP),
            Seat(healthwatch, HEALTHWATCH, voting=False),
        ),
    )


SPECS = [*TRAFFORD, *JOINT, *(lancashire_pccc(*row) for row in LANCASHIRE_PCCCS)]


# --- Meetings ----------------------------------------------------------------------------------------


def _practice_decision(
    code: str,
    practices: tuple[str, ...],
    kind: MatterKind,
    function: int,
    title: str,
    description: str,
    resolution: str,
    raised_on: dt.date,
    *,
    reference: str = "",
    session: Session = Session.PUBLIC,
    votes: dict[str, VoteChoice] | None = None,
    leaves: dict[str, str] | None = None,
    note: str = "",
) -> Business:
    """An item for decision that began as a practice's matter reaching the commissioning team."""
    return Business(
        title=title,
        reference=reference,
        purpose=Purpose.DECISION,
        session=session,
        note=note,
        ccg=code,
        function=function,
        matter=MatterSpec(kind, practices, description, raised_on),
        resolution=resolution,
        votes=votes or {},
        leaves=leaves or {},
    )


SITTINGS = [
    Sitting(
        TRAFFORD_GB,
        dt.date(2016, 5, 26),
        "Trafford Town Hall, Stretford",
        private_session=True,
        apologies=("Martin Howarth",),
        in_attendance=(("Ann Doherty", "Head of Primary Care, for item 7"),),
        business=(
            Business(
                "Primary care co-commissioning: progress at Greater Manchester level 4",
                reference="GB/16/05/08",
                summary="How the devolved primary care budget and the delegated functions are being run.",
            ),
            Business(
                "Safeguarding in general practice: revised governance",
                reference="GB/16/05/09",
                purpose=Purpose.DECISION,
                ccg="02A",
                function=6,
                summary="Named GP leads for adults and children; assurance through the Quality and "
                "Performance Committee.",
                resolution="Approve the revised safeguarding governance for general practice, with named GP "
                "leads for adult and child safeguarding reporting to the governing body through the "
                "Quality and Performance Committee.",
                votes={"Rachel Fenwick": VoteChoice.ABSTAIN},
            ),
            Business(
                "Primary care estates: options for the Norris Road site",
                reference="GB/16/05/12",
                purpose=Purpose.DISCUSSION,
                session=Session.PRIVATE,
                summary="Commercially confidential while negotiations with NHS Property Services continue.",
            ),
        ),
    ),
    Sitting(
        "NHS Trafford CCG Clinical Commissioning and Finance Committee",
        dt.date(2016, 6, 9),
        "Crossgate House, Sale",
        business=(
            Business(
                "Primary care commissioning intentions 2017/18",
                reference="CCFC/16/06/04",
                purpose=Purpose.DISCUSSION,
            ),
            Business(
                "Devolved primary care budget: month 2 position",
                reference="CCFC/16/06/05",
            ),
        ),
    ),
    Sitting(
        "NHS Trafford CCG Quality and Performance Committee",
        dt.date(2016, 7, 14),
        "Crossgate House, Sale",
        business=(
            Business("Primary care quality dashboard, quarter 1", reference="QPC/16/07/06"),
            Business("Complaints about general practice: themes and trends", reference="QPC/16/07/07"),
        ),
    ),
    Sitting(
        "NHS Trafford CCG Primary Care Strategy Steering Group",
        dt.date(2016, 8, 11),
        "Crossgate House, Sale",
        business=(
            Business(
                "APMS contracts: performance review", reference="PCSSG/16/08/03", purpose=Purpose.DISCUSSION
            ),
            Business("Primary Care Estates Group report", reference="PCSSG/16/08/04"),
            Business("Locality federation group: locality plans", reference="PCSSG/16/08/05"),
        ),
    ),
    Sitting(
        TRAFFORD_PCCC,
        dt.date(2016, 9, 22),
        "Trafford Town Hall, Stretford",
        private_session=True,
        in_attendance=(("Ann Doherty", "Head of Primary Care"),),
        business=(
            _practice_decision(
                "02A",
                ("P91604",),
                MatterKind.CONTRACT_VARIATION,
                9,
                "Altrincham Old Market Practice: extension of the APMS contract",
                "The APMS contract ends on 30 September 2016; the locality model review will not report "
                "until 2017.",
                "Extend the APMS contract of Altrincham Old Market Practice (P91604) by twelve months, to "
                "30 September 2017, while the South locality model is reviewed.",
                dt.date(2016, 8, 30),
                reference="PCCC/16/09/06",
                votes={"Rachel Fenwick": VoteChoice.AGAINST},
                leaves={
                    "Asif Malik": "Partner in a practice of Trafford Provider Health, which may bid for "
                    "the contract",
                },
            ),
            Business(
                "Stretford Park Medical Centre: practice resilience",
                reference="PCCC/16/09/08",
                purpose=Purpose.DISCUSSION,
                session=Session.PRIVATE,
                summary="Discusses named staff, so taken in private.",
            ),
        ),
    ),
    Sitting(
        NCL_JC,
        dt.date(2016, 7, 21),
        "Camden Town Hall, Judd Street",
        apologies=("Gareth Lloyd",),
        business=(
            Business(
                "Co-commissioning options: stakeholder engagement, June to August 2016",
                reference="NCLJC/16/07/05",
                summary="Feedback will inform the governing bodies' decisions in September 2016.",
            ),
            _practice_decision(
                "07R",
                ("F83601",),
                MatterKind.PMS_REVIEW,
                8,
                "Kentish Town Road Practice: outcome of the PMS review",
                "The PMS review under the national guidance of October 2014 is complete.",
                "Agree the outcome of the PMS review of Kentish Town Road Practice (F83601): the premium "
                "released is reinvested in Camden's local primary care offer over four years.",
                dt.date(2016, 6, 30),
                reference="NCLJC/16/07/06",
                votes={"Harold Stein": VoteChoice.ABSTAIN},
            ),
        ),
    ),
    Sitting(
        CCMG,
        dt.date(2016, 9, 8),
        "County Hall, Preston",
        apologies=("Philip Greenwood",),
        business=(
            Business(
                "General practice commissioning team: staff shared by weighted population",
                reference="CCMG/16/09/03",
                summary="5.08 WTE of contracting staff shared in proportion to weighted population "
                "(memorandum of understanding, section 4).",
            ),
            Business(
                "CCG satisfaction with service delivery, quarter 1",
                reference="CCMG/16/09/04",
                purpose=Purpose.DISCUSSION,
            ),
        ),
    ),
    Sitting(
        LN_JC,
        dt.date(2016, 9, 15),
        "Lancaster Town Hall",
        in_attendance=(("Martin Sefton", "Strategic Lead, NHS England Lancashire"),),
        business=(
            _practice_decision(
                "01K",
                ("P82801", "P82802"),
                MatterKind.MERGER,
                3,
                "Lancaster Castle Hill Surgery and Morecambe Bay Road Practice: application to merge",
                "The two practices have applied to merge their GMS contracts; both sites would stay open.",
                "Approve the merger of Lancaster Castle Hill Surgery (P82801) and Morecambe Bay Road "
                "Practice (P82802) into one GMS contract from 1 April 2017, keeping both sites open for at "
                "least two years.",
                dt.date(2016, 8, 22),
                reference="LNJC/16/09/05",
                # Dr Pritchard, a partner at Castle Hill, left for the item. Tied two-all with one
                # abstention; NHS England's members voted for, so its casting vote carried it.
                votes={
                    "Geoffrey Thwaite": VoteChoice.AGAINST,
                    "Daniel Burrows": VoteChoice.AGAINST,
                    "Beverley Cross": VoteChoice.ABSTAIN,
                },
                leaves={
                    "Owen Pritchard": "Partner at Lancaster Castle Hill Surgery, one of the two practices "
                    "applying to merge",
                },
                note="Members weighed continuity of care at both sites against the practices' resilience.",
            ),
        ),
        actions=(
            ("Write to both practices with the committee's decision", "Daniel Burrows", dt.date(2016, 9, 30)),
        ),
    ),
    Sitting(
        LN_JC,
        dt.date(2016, 11, 17),
        "Lancaster Town Hall",
        apologies=("Gillian Yates",),
        approves_minutes_of=dt.date(2016, 9, 15),
        business=(Business("Primary care quality report", reference="LNJC/16/11/04"),),
    ),
    Sitting(
        pccc_name("00Q"),
        dt.date(2016, 6, 16),
        "Board room, NHS Blackburn with Darwen CCG",
        business=(
            _practice_decision(
                "00Q",
                ("P81601",),
                MatterKind.DISCRETIONARY_PAYMENT,
                11,
                "Darwen Circus Surgery: discretionary payment for locum cover",
                "A partner is on long-term sick leave; the practice asks for help with locum costs.",
                "Approve a discretionary payment of £12,000 towards locum cover at Darwen Circus Surgery "
                "(P81601) for three months.",
                dt.date(2016, 5, 20),
            ),
        ),
    ),
    Sitting(
        pccc_name("00R"),
        dt.date(2016, 7, 7),
        "Board room, NHS Blackpool CCG",
        in_attendance=(("Martin Sefton", "NHS England Lancashire"),),
        business=(
            _practice_decision(
                "00R",
                ("P81703",),
                MatterKind.CONTRACT_VARIATION,
                9,
                "Layton Health Centre: Saturday morning clinic",
                "A variation to the APMS contract to open on Saturday mornings.",
                "Vary the APMS contract of Layton Health Centre (P81703) to add a Saturday morning clinic "
                "from 1 October 2016.",
                dt.date(2016, 6, 10),
                votes={"Neil Rushton": VoteChoice.ABSTAIN},
            ),
        ),
        actions=(
            ("Issue the contract variation to Layton Health Centre", "Louise Bamber", dt.date(2016, 8, 1)),
        ),
    ),
    Sitting(
        pccc_name("00X"),
        dt.date(2016, 6, 23),
        "Board room, NHS Chorley and South Ribble CCG",
        business=(
            _practice_decision(
                "00X",
                ("P81801",),
                MatterKind.ENHANCED_SERVICE,
                10,
                "Leyland Cross Surgery: extended hours enhanced service",
                "The practice offers evening appointments under the extended hours enhanced service.",
                "Commission the extended hours enhanced service from Leyland Cross Surgery (P81801) for "
                "2016/17.",
                dt.date(2016, 5, 31),
            ),
        ),
    ),
    Sitting(
        pccc_name("01A"),
        dt.date(2016, 7, 28),
        "Board room, NHS East Lancashire CCG",
        private_session=True,
        business=(
            _practice_decision(
                "01A",
                ("P81901",),
                MatterKind.CONTRACT_SANCTION,
                2,
                "Burnley Manchester Road Practice: remedial notice",
                "Repeated failures to meet the contract's requirements on access.",
                "Issue a remedial notice to Burnley Manchester Road Practice (P81901) requiring an access "
                "plan within 28 days.",
                dt.date(2016, 7, 1),
                session=Session.PRIVATE,
                votes={"Yusuf Bhatti": VoteChoice.AGAINST},
            ),
        ),
    ),
    Sitting(
        pccc_name("02M"),
        dt.date(2016, 8, 18),
        "Board room, NHS Fylde and Wyre CCG",
        business=(
            _practice_decision(
                "02M",
                ("P82601",),
                MatterKind.OTHER,
                3,
                "Poulton Breck Surgery: caretaking arrangement after a retirement",
                "The practice's single-handed GP retires on 31 October 2016.",
                "Put a caretaking arrangement in place at Poulton Breck Surgery (P82601) from 1 November "
                "2016 while the vacancy is resolved.",
                dt.date(2016, 7, 25),
            ),
        ),
    ),
    Sitting(
        pccc_name("01E"),
        dt.date(2016, 9, 29),
        "Board room, NHS Greater Preston CCG",
        business=(
            _practice_decision(
                "01E",
                ("P82701",),
                MatterKind.PMS_REVIEW,
                8,
                "Preston Avenham Medical Centre: outcome of the PMS review",
                "The PMS review is complete; the practice accepts the revised specification.",
                "Agree the outcome of the PMS review of Preston Avenham Medical Centre (P82701).",
                dt.date(2016, 9, 1),
            ),
        ),
    ),
    Sitting(
        pccc_name("02G"),
        dt.date(2017, 6, 15),
        "Board room, NHS West Lancashire CCG",
        business=(
            _practice_decision(
                "02G",
                ("P82901",),
                MatterKind.LIST_CLOSURE,
                2,
                "Ormskirk Aughton Street Surgery: application to close its list",
                "The practice applies to close its list for six months after losing a partner.",
                "Approve the closure of the list of Ormskirk Aughton Street Surgery (P82901) for six months.",
                dt.date(2017, 5, 22),
            ),
        ),
    ),
]

UPCOMING_LIST_CLOSURE = "Blackpool Promenade Medical Centre: application to close its list"


# --- Building it -------------------------------------------------------------------------------------


def load(*, by: User) -> None:
    """Build the demonstration committees, their meetings and decisions; safe to run again."""
    with transaction.atomic():
        ccgs = {c.ods_code: c for c in CCG.objects.filter(ods_code__in=CCG_NAMES)}
        missing = sorted(set(CCG_NAMES) - set(ccgs))
        if missing:
            raise RuntimeError(f"Load cocomm's demo data first: no CCG {', '.join(missing)}.")
        people = {name: _person(name, by=by) for name in PEOPLE}
        committees: dict[str, Committee] = {}
        for spec in SPECS:
            committees[spec.name] = _committee(spec, ccgs, committees, by=by)
            _terms(committees[spec.name], spec.terms, by=by)
            for seat in spec.seats:
                _seat(committees[spec.name], people[seat.person], seat, spec.seated_from, by=by)
        specs = {spec.name: spec for spec in SPECS}
        for sitting in SITTINGS:
            _hold(sitting, committees[sitting.committee], specs[sitting.committee], people, ccgs, by=by)
        _upcoming_blackpool_meeting(committees[pccc_name("00R")], ccgs["00R"], by=by)


def _person(name: str, *, by: User) -> Person:
    title, job_title = PEOPLE[name]
    username = CHAIR_LOGINS.get(name)
    if username is not None:
        person = Person.objects.filter(user__username=username).first()
        if person is None:
            first, last = name.split(" ", 1)
            person = core.login_create(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.nhs.uk",
                password=DEMO_PASSWORD,
                title=title,
                job_title=job_title,
                by=by,
                reason=REASON,
            )
        return person
    found = Person.objects.filter(full_name=name, user__isnull=True).first()
    email = f"{name.lower().replace(' ', '.')}@example.nhs.uk"
    return found or core.person_create(
        full_name=name, title=title, email=email, job_title=job_title, by=by, reason=REASON
    )


def _committee(spec: Spec, ccgs: dict[str, CCG], made: dict[str, Committee], *, by: User) -> Committee:
    existing = Committee.objects.filter(name=spec.name).first()
    if existing is not None:
        return existing
    functions = Function.objects.filter(number__in=spec.functions)
    if spec.rights_of is not None:
        scheme, level, right = spec.rights_of
        functions |= Function.objects.filter(
            rights__level__scheme__code=scheme, rights__level__number=level, rights__right=right
        )
    return services.committee_create(
        name=spec.name,
        short_name=spec.short_name,
        kind=spec.kind,
        ccgs=[ccgs[code] for code in spec.ccgs],
        area_team=AreaTeam.objects.get(ods_code=spec.area_team) if spec.area_team else None,
        reports_to=made[spec.reports_to] if spec.reports_to else None,
        functions=functions.distinct().order_by("number"),
        by=by,
        reason=REASON,
    )


def _terms(committee: Committee, terms: Terms, *, by: User) -> None:
    if committee.terms_of_reference.filter(status=ToRStatus.APPROVED).exists():
        return
    draft = committee.terms_of_reference.filter(version=terms.version).first() or services.terms_draft(
        committee=committee,
        version=terms.version,
        composition_rule=terms.rule,
        quorum_minimum=terms.quorum,
        quorum_categories=terms.quorum_categories,
        casting_vote=terms.casting_vote,
        meets_in_public=terms.meets_in_public,
        allows_virtual_decisions=terms.allows_virtual_decisions,
        by=by,
        reason=REASON,
    )
    services.terms_approve(
        terms=draft, approved_by=terms.approved_by, approved_on=terms.approved_on, by=by, reason=REASON
    )


def _seat(committee: Committee, person: Person, seat: Seat, starts_on: dt.date, *, by: User) -> None:
    if (
        Membership.objects.filter(committee=committee, person=person)
        .exclude(status=MembershipStatus.ENDED)
        .exists()
    ):
        return
    services.membership_add(
        committee=committee,
        person=person,
        category=seat.category,
        voting=seat.voting,
        office=seat.office,
        starts_on=starts_on,
        by=by,
        reason=REASON,
    )


def _at(on: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(on, MEETS_AT))


def _chair_of(spec: Spec, people: dict[str, Person]) -> User | None:
    """The chair's login, fresh from the database so its permissions are current."""
    for seat in spec.seats:
        if seat.office == Office.CHAIR and seat.person in CHAIR_LOGINS:
            user = people[seat.person].user
            return User.objects.get(pk=user.pk) if user is not None else None
    return None


def _hold(
    sitting: Sitting,
    committee: Committee,
    spec: Spec,
    people: dict[str, Person],
    ccgs: dict[str, CCG],
    *,
    by: User,
) -> Meeting:
    """A past meeting, all of it: attendance, business, votes, approvals, actions and minutes."""
    existing = Meeting.objects.filter(committees=committee, starts_at=_at(sitting.on)).first()
    if existing is not None:
        return existing
    meeting = services.meeting_schedule(
        committees=[committee],
        title=spec.name,
        starts_at=_at(sitting.on),
        place=sitting.place,
        has_public_session=spec.terms.meets_in_public,
        has_private_session=sitting.private_session or not spec.terms.meets_in_public,
        by=by,
        reason=REASON,
    )
    for seat in spec.seats:
        status = AttendanceStatus.APOLOGIES if seat.person in sitting.apologies else AttendanceStatus.PRESENT
        services.attendance_record(
            meeting=meeting, person=people[seat.person], status=status, by=by, reason=REASON
        )
    for name, note in sitting.in_attendance:
        services.attendance_record(
            meeting=meeting,
            person=people[name],
            status=AttendanceStatus.IN_ATTENDANCE,
            note=note,
            by=by,
            reason=REASON,
        )
    chair = _chair_of(spec, people)
    if sitting.approves_minutes_of is not None:
        _approve_earlier_minutes(meeting, committee, sitting.approves_minutes_of, chair, by=by)
    for business in sitting.business:
        item = _table(meeting, committee, business, ccgs, by=by)
        if business.purpose == Purpose.DECISION:
            if chair is None:
                raise RuntimeError(f"{committee} needs a chair who logs in to approve its decisions.")
            _decide(item, business, spec, sitting, people, chair, by=by)
        if business.note:
            services.agenda_item_note(item=item, discussion_note=business.note, by=by, reason=REASON)
    for description, owner, due_on in sitting.actions:
        services.action_add(
            meeting=meeting, description=description, owner=people[owner], due_on=due_on, by=by
        )
    services.minutes_draft(meeting=meeting, text=compose_minutes(meeting), by=by)
    return meeting


def _table(
    meeting: Meeting, committee: Committee, business: Business, ccgs: dict[str, CCG], *, by: User
) -> AgendaItem:
    """Put an item on the agenda: a practice's matter goes to whichever body decides it that day."""
    # A meeting with no public session takes all its business in private.
    session = business.session if meeting.has_public_session else Session.PRIVATE
    if business.matter is not None:
        matter = _matter(ccgs[business.ccg], business.function, business.title, business.matter, by=by)
        sheet = {"reference": business.reference, "summary": business.summary}
        return services.matter_schedule(
            matter=matter,
            meeting=meeting,
            session=session,
            by=by,
            reason=REASON,
            **{k: v for k, v in sheet.items() if v},
        )
    decided = business.purpose == Purpose.DECISION
    return services.agenda_item_add(
        meeting=meeting,
        committee=committee,
        title=business.title,
        purpose=business.purpose,
        session=session,
        ccg=ccgs[business.ccg] if decided else None,
        function=Function.objects.get(number=business.function) if decided else None,
        reference=business.reference,
        summary=business.summary,
        by=by,
        reason=REASON,
    )


def _matter(ccg: CCG, function: int, title: str, spec: MatterSpec, *, by: User) -> Matter:
    existing = Matter.objects.filter(ccg=ccg, title=title).first()
    if existing is not None:
        return existing
    return services.matter_raise(
        ccg=ccg,
        function=Function.objects.get(number=function),
        kind=spec.kind,
        title=title,
        description=spec.description,
        raised_on=spec.raised_on,
        practices=Practice.objects.filter(ods_code__in=spec.practices),
        by=by,
        reason=REASON,
    )


def _decide(
    item: AgendaItem,
    business: Business,
    spec: Spec,
    sitting: Sitting,
    people: dict[str, Person],
    chair: User,
    *,
    by: User,
) -> None:
    """The clerk records the rulings, the motion and each member's vote; the chair approves the result."""
    for name, why in business.leaves.items():
        services.exclusion_record(
            item=item, person=people[name], scope=ExclusionScope.LEAVES, reason=why, by=by
        )
    decision = services.decision_propose(item=item, resolution=business.resolution, by=by, reason=REASON)
    services.vote_open(decision=decision, by=by)
    for seat in spec.seats:
        if seat.voting and seat.person not in sitting.apologies and seat.person not in business.leaves:
            choice = business.votes.get(seat.person, VoteChoice.FOR)
            services.vote_cast(decision=decision, person=people[seat.person], choice=choice, by=by)
    decision = services.vote_close(decision=decision, by=by)
    services.decision_approve(decision=decision, by=chair)


def _approve_earlier_minutes(
    meeting: Meeting, committee: Committee, held_on: dt.date, chair: User | None, *, by: User
) -> None:
    earlier = Minutes.objects.filter(meeting__committees=committee, meeting__starts_at=_at(held_on)).first()
    if earlier is None or earlier.status == MinutesStatus.APPROVED or chair is None:
        return
    services.minutes_approve(minutes=earlier, at_meeting=meeting, by=chair)
    item = meeting.items.get(standard=StandardItem.LAST_MINUTES)
    services.agenda_item_note(
        item=item,
        discussion_note=f"The minutes of the meeting of {held_on:%-d %B %Y} were approved as a true record.",
        by=by,
        reason=REASON,
    )


def _upcoming_blackpool_meeting(committee: Committee, blackpool: CCG, *, by: User) -> None:
    """Blackpool's next meeting, in six weeks, to decide a list-closure application (seed 003, schedule C)."""
    today = timezone.localdate()
    if Meeting.objects.filter(committees=committee, starts_at__gt=timezone.now()).exists():
        return
    meeting = services.meeting_schedule(
        committees=[committee],
        title=committee.name,
        starts_at=_at(today + dt.timedelta(weeks=6)),
        place="Board room, NHS Blackpool CCG",
        by=by,
        reason=REASON,
    )
    matter = Matter.objects.filter(
        ccg=blackpool, title=UPCOMING_LIST_CLOSURE
    ).first() or services.matter_raise(
        ccg=blackpool,
        function=Function.objects.get(number=2),
        kind=MatterKind.LIST_CLOSURE,
        title=UPCOMING_LIST_CLOSURE,
        description=(
            "The practice has applied to close its list to new patients for six months after two salaried "
            "GPs left. The general practice commissioning team has checked the application against NHS "
            "England policy and brings it to the committee for decision."
        ),
        raised_on=today - dt.timedelta(days=10),
        practices=Practice.objects.filter(ods_code="P81701"),
        by=by,
        reason=REASON,
    )
    services.matter_schedule(
        matter=matter,
        meeting=meeting,
        by=by,
        reason=REASON,
        action_asked="Decide whether to approve the closure of the list, and for how long.",
    )
