"""The defaults cocomm ships: two level schemes, the 14 functions and the decision-rights matrix.

Sources: Trafford CCG's co-commissioning assessment (the 14 functions), the North Central
London stakeholder pack of June 2016 (national levels and the function x level table), NHS
England's 2015 delegation agreement (what stays with NHS England), and Trafford's expression
of interest (Greater Manchester's four levels). Administrators may change any cell; the
history keeps both the default and every change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from functions.choices import Right, SchemeCode

FUNCTIONS: dict[int, tuple[str, str]] = {
    1: (
        "Managing a devolved primary care budget for local GMS/PMS contracts, including DESs",
        "Holding and managing the budget for local GMS and PMS contracts and directed enhanced services.",
    ),
    2: (
        "Contract management of GMS/PMS/APMS, including contractual sanctions for performance issues",
        "Monitoring GP contracts and taking contractual action such as breach and remedial notices.",
    ),
    3: (
        "Decisions on mergers, splits and vacancies and the associated contractual process",
        "Practice mergers, list closures, splits and vacancies, and the contract changes that follow.",
    ),
    4: (
        "Market management of the GP primary care market, leading on procurement of new services",
        "Shaping the local GP market and procuring new primary medical services.",
    ),
    5: (
        "Management of EPRR for GP services",
        "Emergency preparedness, resilience and response planning for GP services.",
    ),
    6: ("Safeguarding", "Safeguarding duties as they apply to GP services."),
    7: (
        "Complaints management function for the area team",
        "Handling complaints about primary medical services.",
    ),
    8: ("PMS reviews", "Reviewing PMS contracts and reinvesting the premium they release."),
    9: (
        "Devolved budget and responsibility for APMS contracts",
        "Holding the budget for, procuring and managing APMS contracts.",
    ),
    10: (
        "Contract management of Directed Enhanced Services, alongside join-up of "
        "local-authority-led services",
        "Managing DES contracts and joining them up with services the local authority leads.",
    ),
    11: (
        "Management of discretionary payments",
        "Discretionary payments such as returner and retainer schemes and locum reimbursement.",
    ),
    12: ("Primary care education and training", "Education and training for the primary care workforce."),
    13: (
        "Estates: strategic planning and prioritisation of investment",
        "Planning primary care premises and prioritising capital investment.",
    ),
    14: ("Workforce planning", "Planning the future primary care workforce."),
}

# The contract functions: budget, contracts, mergers, market, PMS, APMS, DES, discretionary payments.
CONTRACT_FUNCTIONS = frozenset({1, 2, 3, 4, 8, 9, 10, 11})
# Support functions stay consultative nationally: EPRR, safeguarding, training, estates, workforce.
SUPPORT_FUNCTIONS = frozenset({5, 6, 12, 13, 14})
COMPLAINTS = 7


@dataclass(frozen=True)
class SchemeData:
    code: str
    name: str
    description: str
    levels: dict[int, tuple[str, str]]


SCHEMES = [
    SchemeData(
        code=SchemeCode.NATIONAL,
        name="National scheme",
        description="The three models of 'Next steps towards primary care co-commissioning' (November 2014).",
        levels={
            1: ("Greater involvement", "NHS England decides; the CCG may be consulted."),
            2: (
                "Joint commissioning",
                "A joint committee of the CCG and NHS England (or committees in common) decides; "
                "NHS England holds the casting vote.",
            ),
            3: (
                "Delegated commissioning",
                "The CCG's primary care commissioning committee decides; NHS England has no veto.",
            ),
        },
    ),
    SchemeData(
        code=SchemeCode.GREATER_MANCHESTER,
        name="Greater Manchester scheme",
        description="The four levels of Greater Manchester's co-commissioning offer.",
        levels={
            1: ("Planning", "Involvement in planning primary care; NHS England decides."),
            2: (
                "Jointly designing, reviewing and managing contracts",
                "Contract functions decided jointly with NHS England.",
            ),
            3: (
                "Delegated budget for aspects of primary care contracts",
                "A delegated budget for aspects of primary care contracts and their contract management.",
            ),
            4: (
                "Managing a devolved primary care budget",
                "A devolved budget for local APMS, PMS and GMS contracts.",
            ),
        },
    ),
]


def national_default(level: int, function: int) -> tuple[str, str]:
    """The national scheme's default right and the reason for it."""
    if function == COMPLAINTS:
        return Right.RETAINED, (
            "NHS England kept complaints management at every level under the 2015 delegation agreement."
        )
    if function in SUPPORT_FUNCTIONS:
        return Right.CONSULTED, (
            "Support function: the stakeholder pack gives the CCG involvement in discussions but no "
            "decision-making role at any level."
        )
    return {
        1: (Right.CONSULTED, "Greater involvement: the CCG is consulted and NHS England decides."),
        2: (Right.JOINT, "Joint commissioning: decided by the joint committee with NHS England."),
        3: (Right.DELEGATED, "Delegated commissioning: the CCG's committee decides."),
    }[level]


GM_LEVEL_3_DELEGATED = frozenset({9, 10, 11})
GM_LEVEL_4_JOINT = frozenset({2, 8})


def greater_manchester_default(level: int, function: int) -> tuple[str, str]:
    """The Greater Manchester scheme's default right and the reason for it."""
    if level == 1:
        if function == COMPLAINTS:
            return Right.RETAINED, "Level 1 is planning only; complaints stay with NHS England."
        return Right.CONSULTED, "Level 1 is planning: the CCG takes part in planning, NHS England decides."
    if level == 2:
        if function in CONTRACT_FUNCTIONS:
            return Right.JOINT, "Level 2 jointly designs, reviews and manages contracts with NHS England."
        return Right.CONSULTED, "Level 2 covers contract functions only; the CCG is consulted on the rest."
    if level == 3:
        if function in GM_LEVEL_3_DELEGATED:
            return Right.DELEGATED, (
                "Level 3 delegates the budget for aspects of contracts: APMS, DES and discretionary payments."
            )
        if function in CONTRACT_FUNCTIONS:
            return Right.JOINT, "At level 3 the other contract functions remain joint with NHS England."
        return Right.CONSULTED, "Level 3 does not extend to this function; the CCG is consulted."
    if function == COMPLAINTS:
        return Right.CONSULTED, "Complaints management stays with NHS England; the CCG is consulted."
    if function in GM_LEVEL_4_JOINT:
        return Right.JOINT, (
            "Trafford's expression of interest would not take on GMS/PMS contract management or PMS "
            "reviews, so these stay joint."
        )
    return Right.DELEGATED, "Level 4 manages a devolved primary care budget: the CCG decides."


DEFAULTS: dict[str, Callable[[int, int], tuple[str, str]]] = {
    SchemeCode.NATIONAL: national_default,
    SchemeCode.GREATER_MANCHESTER: greater_manchester_default,
}
