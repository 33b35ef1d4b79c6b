"""The vocabulary of committees, meetings and decisions, shared by the models and the pure rules."""

from django.db import models


class CommitteeKind(models.TextChoices):
    GOVERNING_BODY = "governing_body", "Governing body"
    PCCC = "pccc", "Primary care commissioning committee"
    JOINT_COMMITTEE = "joint_committee", "Joint committee"
    CO_COMMISSIONING_GROUP = "co_commissioning_group", "Co-commissioning management group"
    STEERING_GROUP = "steering_group", "Steering group or sub-group"
    OTHER = "other", "Other"


class MemberCategory(models.TextChoices):
    LAY = "lay", "Lay member"
    EXECUTIVE = "executive", "Executive"
    CLINICAL = "clinical", "GP / clinical"
    SECONDARY_CARE = "secondary_care", "Secondary care clinician"
    NURSE = "nurse", "Nurse"
    NHS_ENGLAND = "nhs_england", "NHS England"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    HEALTHWATCH = "healthwatch", "Healthwatch"
    HWB = "hwb", "Health and Wellbeing Board"
    LMC = "lmc", "LMC"
    PATIENT = "patient", "Patient representative"


class Office(models.TextChoices):
    MEMBER = "member", "Member"
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice-chair"
    CO_CHAIR = "co_chair", "Co-chair"


class CompositionRule(models.TextChoices):
    """Which composition rule of DOMAIN.md a committee's terms of reference apply."""

    PCCC = "pccc", "Primary care commissioning committee: lay chair, lay and executive majority"
    JOINT = "joint", "Joint committee: CCG and NHS England members, a named casting-vote holder"
    CO_CHAIRED = "co_chaired", "Co-chaired: one chair from the CCG side and one from NHS England"
    CHAIRED = "chaired", "A chair and voting members"


class CastingVote(models.TextChoices):
    NHS_ENGLAND = "nhs_england", "NHS England"
    CHAIR = "chair", "The chair"
    NONE = "none", "No casting vote"


class ToRStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    SUPERSEDED = "superseded", "Superseded"


class Session(models.TextChoices):
    PUBLIC = "public", "Public"
    PRIVATE = "private", "Private"


class Purpose(models.TextChoices):
    DECISION = "decision", "For decision"
    DISCUSSION = "discussion", "For discussion"
    NOTING = "noting", "For noting"


class StandardItem(models.TextChoices):
    """The opening items every meeting starts with, in this order."""

    APOLOGIES = "apologies", "Welcome and apologies"
    QUORACY = "quoracy", "Confirmation of quoracy"
    DECLARATIONS = "declarations", "Declarations of interest"
    LAST_MINUTES = "last_minutes", "Minutes of the last meeting"
    ACTION_LOG = "action_log", "Action log"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"
    IN_ATTENDANCE = "in_attendance", "In attendance"


class ExclusionScope(models.TextChoices):
    """How far a member steps back from an item (the chair's ruling on a declared interest)."""

    NO_VOTE = "no_vote", "Stays for the discussion, does not vote"
    LEAVES = "leaves", "Leaves the meeting for the item"


class MatterKind(models.TextChoices):
    LIST_CLOSURE = "list_closure", "List closure application"
    MERGER = "merger", "Practice merger"
    SPLIT = "split", "Practice split"
    CONTRACT_VARIATION = "contract_variation", "Contract variation"
    CONTRACT_SANCTION = "contract_sanction", "Breach or remedial notice"
    PROCUREMENT = "procurement", "Procurement"
    PMS_REVIEW = "pms_review", "PMS review"
    DISCRETIONARY_PAYMENT = "discretionary_payment", "Discretionary payment"
    ENHANCED_SERVICE = "enhanced_service", "Enhanced service"
    ESTATES = "estates", "Estates investment"
    OTHER = "other", "Other"


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", "Proposed"
    VOTING = "voting", "Vote open"
    RECORDED = "recorded", "Recorded, awaiting the chair's approval"
    APPROVED = "approved", "Approved"
    SUPERSEDED = "superseded", "Superseded"


class Outcome(models.TextChoices):
    CARRIED = "carried", "Carried"
    NOT_CARRIED = "not_carried", "Not carried"


class VoteChoice(models.TextChoices):
    FOR = "for", "For"
    AGAINST = "against", "Against"
    ABSTAIN = "abstain", "Abstain"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
