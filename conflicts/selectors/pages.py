"""Reads for the conflicts pages: declarations, registers, breaches, referrals, campaigns, items."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cocomm.models import CCG, Person
from cocomm.permissions import AnyUser
from committees.choices import AttendanceStatus
from committees.models import (
    AgendaItem,
    Attendance,
    Committee,
    Membership,
    MembershipStatus,
)
from committees.selectors import meetings_visible_to, seats_on
from conflicts import permissions, rules
from conflicts.models import (
    Breach,
    BreachStatus,
    Campaign,
    CampaignRecipient,
    Declaration,
    ItemDeclaration,
    NHSEReport,
    Referral,
)
from conflicts.selectors.checklist import current_interests, item_check
from conflicts.selectors.late import with_days_late
from conflicts.selectors.overdue import people_in_scope
from conflicts.selectors.public import decision_makers


def person_of(user: AnyUser) -> Person | None:
    """The person record behind a login, if there is one."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user_id=user.pk).first()


def ccgs_sat_on(person: Person, on: dt.date) -> QuerySet[CCG]:
    """The CCGs served by the committees a person sits on today: the registers they declare to."""
    seats = (
        Membership.objects.filter(person=person, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        .exclude(status=MembershipStatus.ENDED)
    )
    return CCG.objects.filter(committees__memberships__in=seats).distinct().order_by("name")


def declarations_of(person: Person) -> QuerySet[Declaration]:
    """A person's own entries on every CCG's register, newest first, each with how late it was
    declared (`days_late`)."""
    return with_days_late(
        Declaration.objects.filter(person=person)
        .select_related("ccg", "practice", "organisation", "mitigation_approved_by", "declared_by")
        .order_by("ccg__name", "-declared_on", "-pk")
    )


@dataclass(frozen=True)
class RegisterEntry:
    declaration: Declaration
    publication: rules.Publication | None  # None for a nil return, which is never published


def register_of_interests(ccg: CCG, today: dt.date | None = None) -> list[RegisterEntry]:
    """Every entry on a CCG's register (nil returns and withheld entries included, for its keepers),
    each with whether the published register shows it today and how late it was declared."""
    today = today or timezone.localdate()
    makers = decision_makers(ccg, today)
    entries = []
    for declaration in with_days_late(
        Declaration.objects.filter(ccg=ccg)
        .select_related("person", "practice", "organisation", "mitigation_approved_by", "declared_by")
        .order_by("person__full_name", "-declared_on", "-pk")
    ):
        verdict = None
        if not declaration.nil_return:
            verdict = rules.publication(
                decision_maker=declaration.person_id in makers,
                consent=declaration.consent_to_publish,
                ended_on=declaration.interest_to,
                today=today,
            )
        entries.append(RegisterEntry(declaration, verdict))
    return entries


def persons_in_scope(ccg: CCG, on: dt.date) -> QuerySet[Person]:
    """The people who sit on the CCG's committees on a date, each once, by name."""
    return Person.objects.filter(pk__in=[seat.person_id for seat in people_in_scope(ccg, on)]).order_by(
        "full_name"
    )


def declaration_get(user: AnyUser, pk: int) -> Declaration:
    """One entry, for its declarant and those who may see the CCG's registers; else a 404."""
    declaration = (
        Declaration.objects.filter(pk=pk)
        .select_related("ccg", "person", "practice", "organisation", "mitigation_approved_by", "declared_by")
        .first()
    )
    if declaration is None or not (
        permissions.is_declarant(user, declaration.person)
        or permissions.can_view_registers(user, declaration.ccg)
    ):
        raise Http404("No such declaration.")
    return declaration


def breaches_of(ccg: CCG) -> QuerySet[Breach]:
    return Breach.objects.filter(ccg=ccg).order_by("-occurred_on", "-pk")


def breach_get(user: AnyUser, pk: int) -> Breach:
    """One breach, for those who may see its CCG's breaches; for anyone else, a 404."""
    breach = Breach.objects.filter(pk=pk).select_related("ccg").first()
    if breach is None or not permissions.can_view_breaches(user, breach.ccg):
        raise Http404("No such breach.")
    return breach


def breach_counts(ccg: CCG) -> dict[str, int]:
    """How many of a CCG's breaches are at each step, and how many await a report to NHS England."""
    counts = {
        row["status"]: row["n"]
        for row in Breach.objects.filter(ccg=ccg).values("status").annotate(n=Count("pk")).order_by()
    }
    counts["awaiting_nhse_report"] = (
        Breach.objects.filter(ccg=ccg, nhse_report=NHSEReport.REQUIRED, reported_to_nhse_on__isnull=True)
        .exclude(status=BreachStatus.CLOSED)
        .count()
    )
    return counts


def referrals_of(ccg: CCG) -> QuerySet[Referral]:
    """Items of the CCG's committees referred elsewhere because conflicts left them inquorate, latest
    first, with where each went (a fixed number of queries, however many there are)."""
    return (
        Referral.objects.filter(item__committee__ccgs=ccg)
        .distinct()
        .select_related("item__meeting", "item__committee", "to_committee", "new_item__meeting")
        .order_by("-item__meeting__starts_at", "-pk")
    )


def campaigns_of(ccg: CCG) -> QuerySet[Campaign]:
    return Campaign.objects.filter(ccg=ccg).order_by("-opened_on", "-pk")


def campaign_get(user: AnyUser, pk: int) -> Campaign:
    """One campaign, for those who may see its CCG's registers; else a 404."""
    campaign = Campaign.objects.filter(pk=pk).select_related("ccg").first()
    if campaign is None or not permissions.can_view_registers(user, campaign.ccg):
        raise Http404("No such campaign.")
    return campaign


class Answer(StrEnum):
    DECLARED = "declared"
    NIL_RETURN = "nil_return"
    OVERDUE = "overdue"
    AWAITING = "awaiting"


@dataclass(frozen=True)
class RecipientProgress:
    recipient: CampaignRecipient
    answer: Answer


def campaign_progress(campaign: Campaign, today: dt.date | None = None) -> list[RecipientProgress]:
    """Each recipient of a campaign with their answer: declared, nil return, overdue or awaiting."""
    today = today or timezone.localdate()
    nil_by_person: dict[int, bool] = {}
    for person_id, nil in Declaration.objects.filter(campaign=campaign).values_list(
        "person_id", "nil_return"
    ):
        # Someone who declared an interest has answered with interests, whatever else they sent.
        nil_by_person[person_id] = nil_by_person.get(person_id, True) and nil
    progress = []
    for recipient in campaign.recipients.select_related("person").order_by("person__full_name"):
        if recipient.person_id in nil_by_person:
            answer = Answer.NIL_RETURN if nil_by_person[recipient.person_id] else Answer.DECLARED
        else:
            answer = Answer.OVERDUE if today > campaign.deadline else Answer.AWAITING
        progress.append(RecipientProgress(recipient, answer))
    return progress


def agenda_item_for_rulings(user: AnyUser, pk: int) -> AgendaItem:
    """A business item a committee takes, at a meeting the user may see; else a 404."""
    item = (
        AgendaItem.objects.filter(
            pk=pk, meeting__in=meetings_visible_to(user), committee__isnull=False, standard=""
        )
        .select_related("meeting", "committee", "ccg", "function")
        .first()
    )
    if item is None:
        raise Http404("No such agenda item.")
    return item


def people_at_item(item: AgendaItem) -> QuerySet[Person]:
    """Who may declare on an item: the members of the committee taking it, and those in attendance."""
    assert item.committee is not None
    on = timezone.localtime(item.meeting.starts_at).date()
    members = [m.person_id for m in seats_on(item.committee, on)]
    guests = Attendance.objects.filter(
        meeting_id=item.meeting_id, status=AttendanceStatus.IN_ATTENDANCE
    ).values_list("person_id", flat=True)
    return Person.objects.filter(Q(pk__in=members) | Q(pk__in=guests)).order_by("full_name")


def interests_for_ruling(item: AgendaItem, person: Person | None) -> QuerySet[Declaration]:
    """One person's register entries a ruling on the item may name: current on the meeting's day and
    declared by then (none when nobody is chosen, so no one sees everyone's entries)."""
    if person is None:
        return Declaration.objects.none()
    on = timezone.localtime(item.meeting.starts_at).date()
    return current_interests([person.pk], on).filter(declared_on__lte=on).order_by("-declared_on", "pk")


def people_to_chair(item: AgendaItem) -> QuerySet[Person]:
    """Who may be named to chair an item in a conflicted chair's place: voting members, present, not
    a chair and not flagged on it."""
    check = item_check(item)
    if check is None:
        return Person.objects.none()
    ids = [s.person_id for s in check.seats if check.may_chair_item(s)]
    return Person.objects.filter(pk__in=ids).order_by("full_name")


def item_declarations_of(item: AgendaItem) -> list[ItemDeclaration]:
    return list(
        ItemDeclaration.objects.filter(item=item)
        .select_related("person", "interest__practice", "interest__organisation", "ruled_by")
        .order_by("person__full_name")
    )


def referral_of(item: AgendaItem) -> Referral | None:
    return Referral.objects.filter(item=item).select_related("to_committee", "new_item__meeting").first()


def referral_targets(item: AgendaItem) -> QuerySet[Committee]:
    """The other committees serving the CCGs of the committee taking an item."""
    assert item.committee is not None
    return (
        Committee.objects.filter(ccgs__in=item.committee.ccgs.all())
        .exclude(pk=item.committee.pk)
        .distinct()
        .order_by("name")
    )


def public_ccgs() -> QuerySet[CCG]:
    """Every CCG, for the index of published registers."""
    return CCG.objects.select_related("area_team").order_by("name")


def ccg_public_get(ods_code: str) -> CCG:
    """A CCG by ODS code for the published registers (open to everyone); else a 404."""
    ccg = CCG.objects.filter(ods_code=ods_code.upper()).first()
    if ccg is None:
        raise Http404("No such CCG.")
    return ccg
