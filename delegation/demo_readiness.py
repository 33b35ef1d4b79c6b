"""Demonstration data: Trafford's readiness assessment and Lancashire's shared GP commissioning team.

Trafford CCG's co-commissioning assessment (seed 000) is carried over function by function, in
our own words: each team's position, the actions, resource implications, patient involvement and
the principles each function maps to. The stance on each function comes from Trafford's expression
of interest (seed 004). The assessment itself gives no red, amber or green ratings, so each rating
below is the one its team's text implies; the comment beside each function says why.

Rating used throughout: green, the team has what it needs in place or sees no resource
implication; amber, arrangements exist but still need revising, clarifying or resourcing; red, the
team names a gap or an unquantified risk that stops it giving assurance.

Loading twice changes nothing: an assessment already recorded, an action already added, a team
already set up or a post already there is left alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from cocomm.audit import Reason
from cocomm.models import CCG, User
from delegation import readiness
from delegation.models import RAG, ReadinessAction, ReadinessAssessment, SharedTeam, Stance
from functions.models import Function

TRAFFORD = "02A"
TRAFFORD_OFFICER = "trafford.go"  # Trafford's governance officer (cocomm.demo)

# The assessment's closing notes aim the governance work at April 2015, when delegated budgets
# would start (seed 000; seed 004: "newly delegated budgets ... in place for 2015/16").
APRIL_2015 = dt.date(2015, 4, 1)

CORPORATE = "Corporate and governance team"
FINANCE = "Finance team"
PRIMARY_CARE = "Primary care team"
CONTRACTS = "Contracts and performance team"

R, A, G = RAG.RED, RAG.AMBER, RAG.GREEN


@dataclass(frozen=True)
class Action:
    description: str
    owner: str = ""
    due_on: dt.date | None = None


@dataclass(frozen=True)
class Assessment:
    stance: str
    corporate: tuple[str, str]
    finance: tuple[str, str]
    primary_care: tuple[str, str]
    contracts: tuple[str, str]
    actions: str
    resource_implications: str
    patient_involvement: str
    principles: tuple[int, ...]
    action_items: tuple[Action, ...] = field(default=())


TRAFFORD_ASSESSMENT: dict[int, Assessment] = {
    # Corporate amber: structures exist but the constitution and terms of reference must change.
    # Finance red: the funding available is not yet known and due diligence has not started.
    # Primary care amber: capacity for the DES portfolio is still being recruited.
    # Contracts amber: the impact assessment is still to be done.
    # Stance: the expression of interest aims at level 4, the devolved budget for local contracts.
    # Principles: the seed numbers the mapping 1 to 5; its item 4 speaks of inequalities, but
    # patients sit on the group overseeing the portfolio, so principle 4 holds too.
    1: Assessment(
        stance=Stance.INTERESTED,
        corporate=(
            "The CCG has a governance team, a current constitution, corporate structures and "
            "conflicts of interest policies. Co-commissioning asks for more transparency and "
            "accountability, so the constitution will be changed, working with Greater Manchester "
            "and national colleagues through the heads of governance group, and the terms of "
            "reference of committees and sub-committees reviewed against national guidance. "
            "Reciprocal arrangements with neighbouring CCGs may strengthen the handling of "
            "conflicts; the legislative reform order now allows joint committees with NHS England, "
            "which the CCG expects to discuss with the area team. The part lay members play across "
            "all the governance arrangements is to be considered.",
            A,
        ),
        finance=(
            "The budget brings financial risk: this year there will be dual running, and the budget "
            "is to be devolved from April 2015. Due diligence on that risk is still to be done, the "
            "effect on the running cost allowance needs confirming and the level of funding is not "
            "yet clear. Trafford suggests a section 75 arrangement, or running shadow budgets for "
            "a year or more, to keep the risk down. Support from NHS Property Services and "
            "access to capital need clarifying.",
            R,
        ),
        primary_care=(
            "The team already manages locally commissioned services (LCS), including the "
            "operational DES elements, through the CCG's LCS group, whose make-up may need "
            "revisiting for co-commissioning. The Clinical Commissioning and Finance Committee "
            "(CCFC; terms of reference v1, approved July 2014) approves all commissioning "
            "intentions, primary care's included. For transparency a member of the patient "
            "reference and advisory panel sits on the LCS group. The team is recruiting to take on "
            "the DES portfolio; an interim band 6 has been appointed.",
            A,
        ),
        contracts=(
            "An impact assessment of everything NHS England delivers now is still to be completed, "
            "together with the extra resource it would call for from the running cost allowance.",
            A,
        ),
        actions=(
            "Work out the TUPE implications. Assure the CCG's resourcing. Get clarity on the CSU's "
            "role in co-commissioning. National guidance is still awaited and may change the "
            "picture. Carry out due diligence on each delegated area. Strengthen the governance "
            "arrangements. Clarify the effect on the running cost allowance and on delegated "
            "arrangements, and what extra recruitment the CCG's functions need to carry work the "
            "PCT's staff used to do. Change the standing financial instructions to reflect the new "
            "delegations. The senior management team will oversee primary care delivery, the CCFC "
            "will authorise spending and the Quality and Performance Committee will monitor "
            "performance."
        ),
        resource_implications=(
            "DESs would be managed by the existing primary care team with added capacity; an "
            "interim band 6 is in post. The extra call on the running cost allowance is not yet "
            "known."
        ),
        patient_involvement=(
            "A representative of the patient reference and advisory panel (PRAP) is a member of the "
            "LCS group that oversees the contract portfolio. PRAP's terms of reference (v1) were "
            "approved in September."
        ),
        principles=(1, 2, 3, 4, 5),
        action_items=(
            Action(
                "Carry out due diligence on the financial risk of the devolved budget before it is devolved",
                FINANCE,
                APRIL_2015,
            ),
            Action(
                "Change the constitution and committee terms of reference for co-commissioning, "
                "through the heads of governance group",
                CORPORATE,
                APRIL_2015,
            ),
            Action(
                "Complete an impact assessment of what NHS England delivers now and the resource it "
                "would need",
                CONTRACTS,
            ),
            Action("Work out the TUPE implications for staff"),
            Action("Change the standing financial instructions to reflect the new delegations"),
        ),
    ),
    # Corporate amber: the stronger arrangements are still being developed.
    # Finance amber: risks named (contract budget, APMS over-activity) but not yet assessed.
    # Primary care green: structures updated and the resource confirmed.
    # Contracts amber: impact and extra resource still to be worked out.
    # Stance: the expression of interest would not take on GMS/PMS contract management.
    2: Assessment(
        stance=Stance.NOT_WANTED,
        corporate=(
            "Strategic change would go through the Primary Care Strategy Steering Group (PCSSG) "
            "under the senior management team's oversight. The PCSSG reports to the senior "
            "management team, the CCFC and the Quality and Performance Committee (Q&PC). The senior "
            "management team oversees primary care delivery and its part in the strategic "
            "objectives, the CCFC authorises spending against the CCG's other priorities and the "
            "Q&PC monitors primary care performance. The more transparent arrangements described "
            "for function 1 are being developed for this responsibility too.",
            A,
        ),
        finance=(
            "There is financial risk in the contract budget and in the resources needed. The "
            "monitoring NHS England does today has to be assessed, and over-activity on APMS "
            "contracts is a financial risk.",
            A,
        ),
        primary_care=(
            "The primary care improvement team (PCIT), under revised terms of reference, would "
            "manage APMS contracts; contract decisions would be overseen by the PCSSG, reporting "
            "to the performance and quality committee, and contract quality handled by the primary "
            "care quality improvement group. The Q&PC's terms of reference have been updated for "
            "co-commissioning, so the CCG's contract portfolio covers every aspect of quality. "
            "Where contract compliance or breaches arise the CCG will follow the co-commissioning "
            "agreements made with the area team, for example on contract notices. Resource is "
            "confirmed: the existing PCIT plus an interim band 6.",
            G,
        ),
        contracts=(
            "The impact and the extra resources needed are still to be worked out, with the "
            "running cost allowance in mind.",
            A,
        ),
        actions=(
            "Define how the CCG team and the area team interact on contract breaches and similar "
            "matters; the working assumption is that the CCG would deal with contract management. "
            "Consider the statutory questions raised by the level of delegation."
        ),
        resource_implications=(
            "Confirmed through the existing PCIT and an extra interim band 6. Any further resource, "
            "and its effect on the running cost allowance, is still to be assessed."
        ),
        patient_involvement="PRAP's role in contract decisions.",
        principles=(1, 2, 5),
        action_items=(
            Action(
                "Agree with the area team who does what when a contract is breached, including "
                "contract notices"
            ),
            Action("Assess the impact of contract management and the resources it needs", CONTRACTS),
        ),
    ),
    # Corporate amber: the decision path and CCG-level processes are still to be developed, and a
    # conflict is foreseen. Finance amber: due diligence first, legal costs expected.
    # Primary care green: the strategy group is in place and a merger is already in hand.
    # Contracts amber: legal support and in-house expertise still to be settled.
    3: Assessment(
        stance=Stance.INTERESTED,
        corporate=(
            "Governance and conflicts are handled through the existing structures, which are being "
            "reviewed and developed with national guidance. The corporate team would hold "
            "responsibility for the links to accountancy and legal services. Processes at CCG, "
            "associated-CCG and Greater Manchester level are to be developed as part of "
            "co-commissioning, with a decision path setting out the governance support needed for "
            "transparency. The resource needed depends on the guidance and the CCG's defined role: "
            "as it stands the CCG would fund and provide services to practices for their own "
            "business development, which may create a conflict.",
            A,
        ),
        finance=(
            "Due diligence is needed first to avoid a financial pressure. The CCG's position on "
            "accountancy must be clarified, and legal spending will add costs.",
            A,
        ),
        primary_care=(
            "The CCG's existing primary care strategy group would take charge of this area, "
            "reporting to the senior management team. Estates questions go to the existing CCG "
            "estates group, which reports through the PCSSG; the CCG will review that group's "
            "constitution so it reports to the CCFC. Delivery is through the existing PCIT and its "
            "interim band 6, supported by named clinical directors. The CCG may have a part in "
            "the actions on Norris Road, and the current Caplan/Stamp merger is being taken "
            "forward jointly with the area team.",
            G,
        ),
        contracts=(
            "There will be an effect on legal services and their cost; CCG legal advice needs "
            "discussing across Greater Manchester, and the in-house expertise in primary care "
            "contracts needs reviewing.",
            A,
        ),
        actions=(
            "Clarify and remap the engagement and support the NHS Property Services company gives "
            "the CCG, and what legal support will cost. Build the new relationship with NHS "
            "Property Services in step with the estates and contract strategy. Links with the LMC "
            "are demonstrable and will be built on for this work. The CCG estates group oversees "
            "estates issues and reports through the corporate structures under reviewed terms of "
            "reference. Condition surveys of the primary care estate are under way to support "
            "commissioner investment and asset management."
        ),
        resource_implications=(
            "To be weighed once guidance sets out the CCG's role. Delivered through the existing "
            "PCIT with an interim band 6, supported by named clinical directors; extra legal and "
            "accountancy costs are expected."
        ),
        patient_involvement="PRAP's role.",
        principles=(1, 2, 3, 5),
        action_items=(
            Action(
                "Clarify the support NHS Property Services will give the CCG and the cost of legal support"
            ),
            Action("Discuss CCG legal advice across Greater Manchester", CONTRACTS),
            Action("Review the estates group's constitution so that it reports to the CCFC", PRIMARY_CARE),
        ),
    ),
    # Corporate red: the team notes that without a procurement strategy and policies it cannot
    # give full assurance on how the CCG would procure. Finance amber: costs expected.
    # Primary care and contracts green: capacity in place, a band 7 recruited.
    4: Assessment(
        stance=Stance.INTERESTED,
        corporate=(
            "The governance arrangements described for function 1 cover market management and the "
            "conflicts involving Trafford Provider Health. The constitution and committee terms of "
            "reference will be revised for more transparency and better conflict management, and "
            "completing the NHS Commissioning Board's declaration of interests template (or its "
            "successor under new national guidance) will be compulsory for every co-commissioned "
            "service, and governance would run through the CCFC. Without a clear procurement "
            "strategy and policies the CCG cannot fully assure how it would procure and commission, "
            "which is a risk.",
            R,
        ),
        finance=("Extra costs are expected for legal work and for procuring contracts.", A),
        primary_care=(
            "The Greater Manchester primary care leads would oversee the operational side of "
            "co-commissioning, with capacity from the existing primary care team and the heads of "
            "primary care.",
            G,
        ),
        contracts=(
            "The CCG's own procurement team, which is responsible for market management, would "
            "manage it, with extra resource from the North West CSU called off project by project "
            "when support or capacity changes. An additional band 7 has been recruited and is in "
            "post.",
            G,
        ),
        actions=(
            "Use collaborative arrangements where they fit for schemes across Greater Manchester, "
            "out of hours for example."
        ),
        resource_implications=(
            "The CCG's procurement team, North West CSU support called off by project and an "
            "additional band 7 in post; extra legal and procurement costs."
        ),
        patient_involvement="PRAP's role in procurement decisions.",
        principles=(2, 5),
        action_items=(
            Action(
                "Adopt a procurement strategy and policies so the CCG can assure how it procures",
                CORPORATE,
            ),
            Action(
                "Make the declaration of interests template compulsory for every co-commissioned service",
                CORPORATE,
            ),
        ),
    ),
    # Corporate and contracts green: existing arrangements and resources cover it.
    # Finance amber: practices' continuity assessments may cost more.
    # Primary care amber: HERG's terms of reference still to be revised and the head of PCIT to join.
    5: Assessment(
        stance=Stance.INTERESTED,
        corporate=(
            "Governed through the existing arrangements, revised where needed. Primary care is "
            "represented on Trafford's health emergency resilience group (HERG) and resourcing "
            "comes from the CCG's own. Responsibility for EPRR lies with the corporate team and the "
            "accountable officer, and North West CSU support is already in place.",
            G,
        ),
        finance=(
            "Every practice must complete a self-declaration on business continuity; the CCG will "
            "assess them against its own plans, which may add to costs.",
            A,
        ),
        primary_care=(
            "The PCIT would oversee general practice's business continuity and resilience plans "
            "under HERG's revised terms of reference. The head of the PCIT is to join HERG, whose "
            "terms of reference will be revised to take in wider primary care.",
            A,
        ),
        contracts=(
            "Resourced from current CCG resources, to be reviewed as the requirements become clear.",
            G,
        ),
        actions="A collaborative approach with shared resources.",
        resource_implications=(
            "Existing CCG resources with North West CSU support; assessing practices' business "
            "continuity may add cost."
        ),
        patient_involvement="",
        principles=(2,),
        action_items=(
            Action("Join the health emergency resilience group (HERG)", "Head of the PCIT"),
            Action("Revise HERG's terms of reference to take in wider primary care"),
        ),
    ),
    # Corporate green: dedicated, named resource in place. Contracts green: no resource implication.
    # Finance and primary care amber: the corporate impact and section 11 duties need more work.
    6: Assessment(
        stance=Stance.INTERESTED,
        corporate=(
            "Safeguarding governance will be revised to reflect the change in responsibility. "
            "Dedicated resource already exists: the CCG has one lead for adults' and one for children's "
            "safeguarding, a named CCG GP for each linked to those leads, a lead nurse, and links "
            "with the Pennine paediatric lead.",
            G,
        ),
        finance=(
            "The corporate responsibility, and its effect, under the revised safeguarding duties "
            "needs considering.",
            A,
        ),
        primary_care=(
            "Resources need reviewing against the work programme. Prevent and safeguarding "
            "training can move to the CCG within existing resources, but the section 11 and adult "
            "safeguarding compliance duties moving to the CCG may need more.",
            A,
        ),
        contracts=("Co-commissioning brings no resource implications for safeguarding.", G),
        actions=(
            "A collaborative approach with shared resources. Clarify NHS England's role in "
            "assurance and oversight."
        ),
        resource_implications=(
            "Dedicated resource is in place; the section 11 and adult safeguarding compliance "
            "duties may need more."
        ),
        patient_involvement=(
            "PRAP representatives are included in the safeguarding reference groups being set up."
        ),
        principles=(2,),
        action_items=(
            Action("Clarify NHS England's role in safeguarding assurance and oversight"),
            Action(
                "Review safeguarding resources against the work programme, including section 11 compliance",
                PRIMARY_CARE,
            ),
        ),
    ),
    # Corporate and finance amber: the way complaints would arrive and the system to use are
    # still open. Primary care and contracts green: complaints staff and practice dashboards exist.
    # Stance: "possibly" in the expression of interest, so interested.
    7: Assessment(
        stance=Stance.INTERESTED,
        corporate=(
            "Responsibility would sit with the CCG governance team, whose complaints processes and "
            "systems are in place; conflicts are handled under the revised governance of function 1. "
            "Complaints might have to be received directly through national systems, through a "
            "local process, or together with partner CCGs, linking to the area team for trend "
            "analysis. Resources would be weighed after assessing current and expected workloads.",
            A,
        ),
        finance=(
            "The system and resource costs depend on the system chosen; the options are Datix or "
            "Ulysses, or a local reporting scheme.",
            A,
        ),
        primary_care=(
            "Quality issues go through the primary care team's existing processes, reporting to "
            "the CCG's quality and performance committee. Trafford CCG has a complaints manager, "
            "overseen by its patient experience manager.",
            G,
        ),
        contracts=(
            "Current governance includes a quality dashboard for each practice, and complaints "
            "trends and their impact would be added to it.",
            G,
        ),
        actions="Decide on a platform for reporting complaints.",
        resource_implications=(
            "Depends on the expected workload and the system chosen (Datix, Ulysses or local)."
        ),
        patient_involvement=(
            "PRAP and practices' patient participation groups (PPGs) have a role in complaints: "
            "PRAP takes part in the governance, PPGs hear back on complaints at practice level and "
            "trends are shared across the CCG."
        ),
        principles=(2, 4),
        action_items=(
            Action("Choose the platform for reporting complaints (Datix, Ulysses or a local scheme)"),
            Action("Assess current and expected complaints workload to size the resource", CORPORATE),
        ),
    ),
    # Corporate amber: structures under review, conflicts to be revised after the October 2014
    # guidance. Finance amber: conditional on funding staying in Trafford.
    # Primary care and contracts green: existing teams. Stance: the expression of interest would
    # not take on jointly reviewing PMS contracts.
    8: Assessment(
        stance=Stance.NOT_WANTED,
        corporate=(
            "Governance structures are being reviewed so there is complete clarity about PMS "
            "reviews, linked to the emerging national guidance. The CCG will revise how it manages "
            "conflicts in PMS reviews after the national guidance of October 2014. Reviews could be "
            "done collaboratively or reciprocally with neighbouring CCGs, or at the level of the "
            "association of CCGs. Resourced from existing teams.",
            A,
        ),
        finance=(
            "In scope after due diligence, and only if the funding stays in the Trafford economy as "
            "national guidance says; section 75 arrangements to be considered.",
            A,
        ),
        primary_care=("Resourced within the existing primary care team.", G),
        contracts=("The existing contract teams, possibly with some additional support.", G),
        actions=(
            "PMS reviews would follow the national guidance of October 2014 and keep the savings "
            "at locality level; they are in scope only if the resources they free stay with "
            "Trafford CCG."
        ),
        resource_implications="Existing teams, with possible extra support for contracts.",
        patient_involvement="Oversight by PRAP and the audit committee, for transparency.",
        principles=(2, 3, 5),
        action_items=(
            Action(
                "Revise the management of conflicts in PMS reviews in line with the national "
                "guidance of October 2014",
                CORPORATE,
            ),
        ),
    ),
    # Corporate amber: the procurement support still has to be built into work programmes.
    # Finance amber: risk in the allocation. Primary care green: existing PCIT.
    # Contracts amber: extra legal and contracts support required.
    9: Assessment(
        stance=Stance.INTERESTED,
        corporate=(
            "Governed through the existing arrangements, with reciprocal support from other CCGs "
            "to manage conflicts. APMS procurement would be done by the in-house procurement team "
            "with North West CSU support and project, accountancy or legal help called off when "
            "needed; this has to be built into work programmes.",
            A,
        ),
        finance=(
            "There is risk in the budget allocation and the transfer of resources; the assumption "
            "is that savings stay at locality level.",
            A,
        ),
        primary_care=(
            "APMS contracts managed by the existing PCIT, reporting into the revised governance structures.",
            G,
        ),
        contracts=(
            "Primary care contracting support is to be developed, backed by the CCG's procurement "
            "team. More legal and contracts support is needed, possibly called off project by "
            "project.",
            A,
        ),
        actions="Settle the primary care team's budget.",
        resource_implications=(
            "In-house procurement with North West CSU support; extra legal and contracts support, "
            "called off by project where needed; the primary care team's budget is an open question."
        ),
        patient_involvement="Patients and the public are to be involved in redesigning APMS services.",
        principles=(1, 2, 3, 4, 5),
        action_items=(
            Action("Settle the primary care team's budget"),
            Action(
                "Arrange legal and contracts support for APMS, called off by project where needed",
                CONTRACTS,
            ),
        ),
    ),
    # Corporate green: the existing structure oversees the portfolio. Finance amber: risk of an
    # under-funded budget. Primary care amber: extra resource still being recruited.
    # Contracts amber: the contracting function must change to support the PCIT.
    # Principles: as for function 1, whose mapping the seed repeats here.
    10: Assessment(
        stance=Stance.INTERESTED,
        corporate=(
            "The existing governance structure would oversee the portfolio, with processes revised "
            "for more transparency. Resourced from the existing team.",
            G,
        ),
        finance=(
            "The enhanced services budget may be under-funded; the resource needed depends on the budget.",
            A,
        ),
        primary_care=(
            "The whole enhanced services portfolio would be managed by the PCIT from existing "
            "resource, with extra (interim) resource being recruited. The Greater Manchester "
            "primary care leads are already taking stock of all co-commissioning activity at each "
            "level. The existing locally commissioned services group (terms of reference July 2014) "
            "reports into the governance structures and has local authority members, so it could "
            "take co-commissioning into local authority services.",
            A,
        ),
        contracts=("The contracting function will be affected, as it must support the PCIT.", A),
        actions="Redefine the CCG's contracting functions so they support primary care.",
        resource_implications=("The existing team with interim recruitment; the rest depends on the budget."),
        patient_involvement="",
        principles=(1, 2, 3, 4, 5),
        action_items=(
            Action("Redefine the CCG's contracting functions so they support primary care", CONTRACTS),
        ),
    ),
    # Corporate amber: the audit committee's terms of reference and the scheme of delegation need
    # revising. Finance amber: budget risk, due diligence on historic levels.
    # Primary care and contracts green: no resource implication identified.
    # Principles: the seed maps this function to none.
    11: Assessment(
        stance=Stance.INTERESTED,
        corporate=(
            "Conflicts handled through the existing governance, possibly with reciprocal "
            "arrangements with a neighbouring CCG or the area team. Trafford CCG's audit committee, "
            "under revised terms of reference, would oversee every discretionary payment.",
            A,
        ),
        finance=(
            "Budget risk; due diligence is needed on historic levels of the budget. Payments would "
            "be made under the CCG's revised scheme of delegation.",
            A,
        ),
        primary_care=("No resource implication identified.", G),
        contracts=("No resource implication identified.", G),
        actions=(
            "Review the current scheme of delegation to make sure it is fit for purpose. The "
            "conflicts of interest involved call for revised CCG governance."
        ),
        resource_implications="None identified by the primary care or contracts teams.",
        patient_involvement="",
        principles=(),
        action_items=(
            Action("Review the scheme of delegation to make sure it is fit for purpose"),
            Action("Carry out due diligence on historic levels of discretionary payments", FINANCE),
            Action(
                "Revise the audit committee's terms of reference so it oversees every discretionary payment",
                CORPORATE,
            ),
        ),
    ),
    # Corporate amber: the strategy is a draft and clinical structures need developing.
    # Finance amber: risk depends on scope. Primary care red: the team says it lacks the capacity
    # for a wider remit than today's, which is what taking the function on means.
    # Contracts green: no resource implication. Principles: the seed numbers them 1 to 4.
    12: Assessment(
        stance=Stance.INTERESTED,
        corporate=(
            "A draft CCG education and training strategy exists, with the education programme "
            "decided at strategy group level. An education working group is overseen by the PCSSG "
            "and reports into the existing corporate structures. A dedicated clinical lead, nurse "
            "educators and administrative support are in place, and the CCG already does corporate "
            "leadership, development and succession planning. A clinical director with an AQUA "
            "role links Greater Manchester quality work to the CCG's programmes. The CCG's clinical "
            "structures of directors and associates would need developing further for "
            "co-commissioning.",
            A,
        ),
        finance=("The budget risk depends on how much is co-commissioned.", A),
        primary_care=(
            "The CCG supports primary care with education and training events and a small, focused "
            "team (a GP lead, nurse educators and a practice manager), developing in line with the "
            "CCG's strategic plan and primary care strategy, overseen by the clinical lead's "
            "education working group, with quarterly education events. The team lacks the capacity "
            "for a wider educational remit than it has now.",
            R,
        ),
        contracts=("No resource implication identified.", G),
        actions=(
            "Understand the detail, such as MPET, the local professional network and Health "
            "Education England. Appraisal is not expected to be part of Trafford CCG's "
            "co-commissioning. A large agenda, best approached collaboratively."
        ),
        resource_implications=(
            "The existing education team; no capacity for a wider remit without more resource."
        ),
        patient_involvement="",
        principles=(1, 2, 3, 4),
        action_items=(
            Action(
                "Find out what the function involves, including MPET, the local professional "
                "network and Health Education England"
            ),
        ),
    ),
    # Corporate amber: the governance link is still to be fully developed and constituted.
    # Finance amber: capital, revenue and legal cost risks, due diligence needed.
    # Primary care green: a project manager and steering group in place.
    # Contracts amber: depends on renegotiated support from NHS Property Services.
    # Stance: strategic estates planning is something Trafford is currently doing (seed 004).
    13: Assessment(
        stance=Stance.DOING,
        corporate=(
            "Governed through the existing CCG estates group, whose link into the governance "
            "structure is still to be fully developed and constituted; resources need building "
            "into work plans. The CCG's estates groups link to the area team's capital pipeline "
            "groups to set priorities, and to the primary care strategy and the locality model "
            "with health and wellbeing hubs across Trafford.",
            A,
        ),
        finance=(
            "Budget risk on capital and revenue, and a cost pressure from legal work on the estate. "
            "Due diligence is needed, and resources for legal, contract and survey work.",
            A,
        ),
        primary_care=(
            "A primary care estates project manager is in post and the Primary Care Estates "
            "Steering Group (draft terms of reference v5) is already in place, linking into the "
            "area team's pipeline group on capital and investment decisions.",
            G,
        ),
        contracts=(
            "Linked to NHS Property Services, whose support to the CCG must be renegotiated.",
            A,
        ),
        actions=(
            "Renegotiate the support NHS Property Services gives the CCG, clarify its engagement "
            "and the cost of legal support, and build the new relationship in step with the "
            "estates and contract strategy. Build on the demonstrable links with the LMC. The CCG "
            "estates group oversees estates issues and reports through the corporate structures "
            "under reviewed terms of reference. Condition surveys of the primary care estate are "
            "under way to support commissioner investment and asset management."
        ),
        resource_implications=(
            "A project manager is in post; legal, contract and survey work needs resourcing and "
            "building into work plans."
        ),
        patient_involvement=(
            "PRAP's role; lay members on the groups to strengthen governance; patients and the "
            "public involved in setting the strategy and in decisions."
        ),
        principles=(1, 2, 3, 4, 5),
        action_items=(
            Action("Renegotiate the support NHS Property Services gives the CCG"),
            Action("Complete the condition surveys of the primary care estate"),
        ),
    ),
    # Corporate amber: responsibility assigned but the work is new. Finance and contracts green:
    # no resource implication. Primary care amber: the team is unsure of the resource needed.
    # Stance: the expression of interest does not list workforce planning; the assessment treats it
    # as new work the corporate team will take on, so interested.
    14: Assessment(
        stance=Stance.INTERESTED,
        corporate=(
            "The CCG's corporate team would be responsible for workforce planning, with locality "
            "planning for the workforce, skills and competencies.",
            A,
        ),
        finance=("No resource implication identified.", G),
        primary_care=(
            "The resource needed is uncertain. The PCIT supports the federated localities, which "
            "can inform workforce plans locally. Trafford had a high return in Greater Manchester "
            "to the national workforce survey. A locality federation group (terms of reference "
            "v5, August 2014) oversees locality plans and reports to the PCSSG.",
            A,
        ),
        contracts=("No resource implication identified.", G),
        actions=(
            "A collaborative approach. A new area that may need a large resource, depending on how "
            "wide the agenda is. Local planning, for retirements and the like; locality skills and "
            "competencies tied to the corporate strategy and service development needs; links with "
            "Health Education England and professional networks."
        ),
        resource_implications=("New work that could need a large resource, depending on its scope."),
        patient_involvement="",
        principles=(1, 2, 5),
        action_items=(
            Action(
                "Plan the workforce locality by locality, including for retirements",
                CORPORATE,
            ),
        ),
    ),
}


# Seed 003 §4: Lancashire's general practice commissioning team, shared by the eight CCGs.
LANCASHIRE_TEAM = "Lancashire general practice commissioning team"
LANCASHIRE_CCGS = ("00Q", "00R", "00X", "01A", "02M", "01E", "01K", "02G")
# The MoU shares out the contracting staff: the notional allocations add up to its contracting
# column's total of 5.08 WTE. The bands it lists with figures come to 4.56 WTE; its bands 6, 5
# and admin are "Tbc", so the remaining 0.52 WTE of the stated total is recorded against them.
# The finance column (2.45 WTE) is not shared out in the MoU's table, so it is not recorded here.
LANCASHIRE_POSTS = (
    ("8d", Decimal("0.60")),
    ("8b", Decimal("0.96")),
    ("8a", Decimal("1.00")),
    ("7", Decimal("2.00")),
    ("Tbc (6, 5, admin)", Decimal("0.52")),
)


def load(*, by: User) -> None:
    """Trafford's readiness assessment, as its governance officer; Lancashire's shared team."""
    _trafford(User.objects.get(username=TRAFFORD_OFFICER))
    _lancashire(by)


def _trafford(officer: User) -> None:
    trafford = CCG.objects.get(ods_code=TRAFFORD)
    functions = {f.number: f for f in Function.objects.all()}
    recorded = {
        a.function_id: a for a in ReadinessAssessment.objects.filter(ccg=trafford).select_related("function")
    }
    for number, seed in TRAFFORD_ASSESSMENT.items():
        function = functions[number]
        assessment = recorded.get(function.pk)
        if assessment is None:
            assessment = readiness.readiness_record(
                ccg=trafford,
                function=function,
                stance=seed.stance,
                positions={
                    "corporate": seed.corporate,
                    "finance": seed.finance,
                    "primary_care": seed.primary_care,
                    "contracts": seed.contracts,
                },
                actions=seed.actions,
                resource_implications=seed.resource_implications,
                patient_involvement=seed.patient_involvement,
                principles=seed.principles,
                by=officer,
                reason=Reason.DEMO_DATA,
            )
        added = set(
            ReadinessAction.objects.filter(assessment=assessment).values_list("description", flat=True)
        )
        for item in seed.action_items:
            if item.description in added:
                continue
            readiness.readiness_action_add(
                assessment=assessment,
                description=item.description,
                owner=item.owner,
                due_on=item.due_on,
                by=officer,
                reason=Reason.DEMO_DATA,
            )


def _lancashire(by: User) -> None:
    team = SharedTeam.objects.filter(name=LANCASHIRE_TEAM).first()
    if team is None:
        team = readiness.shared_team_create(
            name=LANCASHIRE_TEAM,
            ccgs=CCG.objects.filter(ods_code__in=LANCASHIRE_CCGS),
            by=by,
            reason=Reason.DEMO_DATA,
        )
    bands = set(team.posts.values_list("band", flat=True))
    for band, wte in LANCASHIRE_POSTS:
        if band not in bands:
            readiness.shared_team_post_add(team=team, band=band, wte=wte, by=by, reason=Reason.DEMO_DATA)
