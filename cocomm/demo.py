"""Demonstration data for the core: area teams, CCGs, localities, practices, bodies, users and roles.

Loaded by `manage.py load_demo`; every step looks for what is already there, so loading twice
changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from cocomm import services
from cocomm.audit import Reason
from cocomm.models import (
    CCG,
    AreaTeam,
    ContractType,
    Locality,
    Organisation,
    OrganisationKind,
    Person,
    Practice,
    Role,
    RoleKind,
    RoleStatus,
    User,
)

DEMO_PASSWORD = "cocomm-demo-2026"

AREA_TEAMS = {
    "Q46": "NHS England Greater Manchester",
    "Q47": "NHS England Lancashire",
    "Q71": "NHS England (London region)",
    "Q64": "NHS England Bath, Gloucestershire, Swindon and Wiltshire",
}

# (ODS code, name, area team, weighted population). Lancashire's weighted populations come
# from the Lancashire co-commissioning memorandum of understanding (August 2016), section 4.
CCGS = [
    ("02A", "NHS Trafford CCG", "Q46", None),
    ("99N", "NHS Wiltshire CCG", "Q64", None),
    ("07M", "NHS Barnet CCG", "Q71", None),
    ("07R", "NHS Camden CCG", "Q71", None),
    ("07X", "NHS Enfield CCG", "Q71", None),
    ("07Y", "NHS Haringey CCG", "Q71", None),
    ("08H", "NHS Islington CCG", "Q71", None),
    ("00Q", "NHS Blackburn with Darwen CCG", "Q47", 174645),
    ("00R", "NHS Blackpool CCG", "Q47", 192487),
    ("00X", "NHS Chorley and South Ribble CCG", "Q47", 175829),
    ("01A", "NHS East Lancashire CCG", "Q47", 391888),
    ("02M", "NHS Fylde and Wyre CCG", "Q47", 163096),
    ("01E", "NHS Greater Preston CCG", "Q47", 211102),
    ("01K", "NHS Lancashire North CCG", "Q47", 164092),
    ("02G", "NHS West Lancashire CCG", "Q47", 118654),
]

TRAFFORD_LOCALITIES = ["North", "West", "Central", "South"]

# A few demonstration practices per CCG: (ODS code, name, contract, list size, locality).
PRACTICES: dict[str, list[tuple[str, str, str, int, str | None]]] = {
    "02A": [
        ("P91601", "Stretford Park Medical Centre", ContractType.GMS, 8214, "North"),
        ("P91602", "Urmston Grove Surgery", ContractType.PMS, 6120, "West"),
        ("P91603", "Sale Moor Health Centre", ContractType.GMS, 11032, "Central"),
        ("P91604", "Altrincham Old Market Practice", ContractType.APMS, 4590, "South"),
    ],
    "99N": [
        ("J83601", "Devizes Market Place Surgery", ContractType.GMS, 9412, None),
        ("J83602", "Salisbury Close Medical Practice", ContractType.PMS, 12550, None),
    ],
    "07M": [("E83601", "Finchley Central Surgery", ContractType.GMS, 7340, None)],
    "07R": [
        ("F83601", "Kentish Town Road Practice", ContractType.PMS, 9025, None),
        ("F83602", "Somers Town Health Centre", ContractType.APMS, 5210, None),
    ],
    "07X": [("F85601", "Edmonton Green Surgery", ContractType.GMS, 6480, None)],
    "07Y": [("F85701", "Tottenham Hale Medical Centre", ContractType.GMS, 8830, None)],
    "08H": [("F83701", "Highbury Corner Practice", ContractType.PMS, 10120, None)],
    "00Q": [("P81601", "Darwen Circus Surgery", ContractType.GMS, 7215, None)],
    "00R": [
        ("P81701", "Blackpool Promenade Medical Centre", ContractType.GMS, 9950, None),
        ("P81702", "Bispham Village Surgery", ContractType.PMS, 6340, None),
        ("P81703", "Layton Health Centre", ContractType.APMS, 3875, None),
    ],
    "00X": [("P81801", "Leyland Cross Surgery", ContractType.GMS, 8120, None)],
    "01A": [("P81901", "Burnley Manchester Road Practice", ContractType.GMS, 11840, None)],
    "02M": [("P82601", "Poulton Breck Surgery", ContractType.GMS, 7610, None)],
    "01E": [("P82701", "Preston Avenham Medical Centre", ContractType.PMS, 9330, None)],
    "01K": [
        ("P82801", "Lancaster Castle Hill Surgery", ContractType.GMS, 10450, None),
        ("P82802", "Morecambe Bay Road Practice", ContractType.GMS, 8760, None),
    ],
    "02G": [("P82901", "Ormskirk Aughton Street Surgery", ContractType.GMS, 7905, None)],
}

ORGANISATIONS = [
    ("Trafford Provider Health", OrganisationKind.GP_FEDERATION, ["02A"]),
    ("Trafford Council", OrganisationKind.LOCAL_AUTHORITY, ["02A"]),
    ("Healthwatch Trafford", OrganisationKind.HEALTHWATCH, ["02A"]),
    ("Camden Council", OrganisationKind.LOCAL_AUTHORITY, ["07R"]),
    ("Healthwatch Camden", OrganisationKind.HEALTHWATCH, ["07R"]),
    (
        "Lancashire Local Medical Committee",
        OrganisationKind.LMC,
        ["00Q", "00R", "00X", "01A", "02M", "01E", "01K", "02G"],
    ),
    ("Blackpool Out-of-Hours Services", OrganisationKind.PROVIDER, ["00R", "02M"]),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    first_name: str
    last_name: str
    title: str
    job_title: str
    kind: str
    scope: str | None  # a CCG's ODS code or an area team's


DEMO_LOGINS = [
    DemoLogin("admin", "Alex", "Morgan", "Mx", "System administrator", RoleKind.SYSTEM_ADMINISTRATOR, None),
    DemoLogin(
        "trafford.go",
        "Priya",
        "Shah",
        "Ms",
        "Governance officer, NHS Trafford CCG",
        RoleKind.GOVERNANCE_OFFICER,
        "02A",
    ),
    DemoLogin(
        "blackpool.go",
        "Tom",
        "Fletcher",
        "Mr",
        "Governance officer, NHS Blackpool CCG",
        RoleKind.GOVERNANCE_OFFICER,
        "00R",
    ),
    DemoLogin(
        "blackpool.guardian",
        "Anne",
        "Crompton",
        "Mrs",
        "Lay member (chair of the audit committee) and Conflicts of Interest Guardian, NHS Blackpool CCG",
        RoleKind.CONFLICTS_GUARDIAN,
        "00R",
    ),
    DemoLogin(
        "camden.go",
        "Grace",
        "Okafor",
        "Ms",
        "Governance officer, NHS Camden CCG",
        RoleKind.GOVERNANCE_OFFICER,
        "07R",
    ),
    DemoLogin(
        "lancashire.reviewer",
        "Helen",
        "Walsh",
        "Mrs",
        "NHS England Lancashire reviewer",
        RoleKind.NHSE_REVIEWER,
        "Q47",
    ),
    DemoLogin(
        "london.reviewer",
        "David",
        "Cohen",
        "Mr",
        "NHS England (London region) reviewer",
        RoleKind.NHSE_REVIEWER,
        "Q71",
    ),
]


def load(*, by: User) -> None:
    """Load the core demonstration data."""
    reason = Reason.DEMO_DATA
    area_teams = {a.ods_code: a for a in AreaTeam.objects.all()}
    for code, name in AREA_TEAMS.items():
        if code not in area_teams:
            area_teams[code] = services.area_team_create(ods_code=code, name=name, by=by, reason=reason)
    ccgs = {c.ods_code: c for c in CCG.objects.all()}
    for code, name, area, population in CCGS:
        if code not in ccgs:
            ccgs[code] = services.ccg_create(
                ods_code=code,
                name=name,
                area_team=area_teams[area],
                weighted_population=population,
                by=by,
                reason=reason,
            )
    trafford = ccgs["02A"]
    localities = {loc.name: loc for loc in Locality.objects.filter(ccg=trafford)}
    for name in TRAFFORD_LOCALITIES:
        if name not in localities:
            localities[name] = services.locality_create(ccg=trafford, name=name, by=by, reason=reason)
    existing_practices = set(Practice.objects.values_list("ods_code", flat=True))
    for ccg_code, practices in PRACTICES.items():
        for ods, name, contract, list_size, locality in practices:
            if ods in existing_practices:
                continue
            services.practice_create(
                ods_code=ods,
                name=name,
                ccg=ccgs[ccg_code],
                contract_type=contract,
                list_size=list_size,
                locality=localities[locality] if locality else None,
                by=by,
                reason=reason,
            )
    existing_orgs = set(Organisation.objects.values_list("name", flat=True))
    for name, kind, ccg_codes in ORGANISATIONS:
        if name not in existing_orgs:
            services.organisation_create(
                name=name, kind=kind, ccgs=[ccgs[c] for c in ccg_codes], by=by, reason=reason
            )
    _load_logins(by=by, ccgs=ccgs, area_teams=area_teams)


def _load_logins(*, by: User, ccgs: dict[str, CCG], area_teams: dict[str, AreaTeam]) -> None:
    reason = Reason.DEMO_DATA
    for login in DEMO_LOGINS:
        user = User.objects.filter(username=login.username).first()
        if user is None:
            user = services.user_create(
                username=login.username,
                first_name=login.first_name,
                last_name=login.last_name,
                email=f"{login.username}@example.nhs.uk",
                password=DEMO_PASSWORD,
                by=by,
                reason=reason,
            )
        if not Person.objects.filter(user=user).exists():
            services.person_create(
                full_name=f"{login.first_name} {login.last_name}",
                title=login.title,
                email=user.email,
                job_title=login.job_title,
                user=user,
                by=by,
                reason=reason,
            )
        by_ccg = login.kind in (RoleKind.GOVERNANCE_OFFICER, RoleKind.CONFLICTS_GUARDIAN)
        ccg = ccgs[login.scope] if by_ccg and login.scope else None
        area_team = area_teams[login.scope] if login.kind == RoleKind.NHSE_REVIEWER and login.scope else None
        held = Role.objects.filter(
            user=user, kind=login.kind, ccg=ccg, area_team=area_team, status=RoleStatus.ACTIVE
        ).exists()
        if not held:
            services.role_grant(
                user=user, kind=login.kind, ccg=ccg, area_team=area_team, by=by, reason=reason
            )


# What `load_demo` prints: username and what the login is for.
LOGINS = [(login.username, login.job_title) for login in DEMO_LOGINS]
