"""Declaration campaigns: opening, the e-mailed invitations and reminders, closing."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from cocomm.audit import save_audited, system_user
from cocomm.models import CCG, Person, User
from conflicts import permissions, rules, selectors
from conflicts.models import (
    Campaign,
    CampaignRecipient,
)
from conflicts.services._common import _require


def _mail(person: Person, subject: str, body: str) -> None:
    if person.email:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])


@transaction.atomic
def campaign_open(*, ccg: CCG, title: str, deadline: dt.date, by: User) -> Campaign:
    """Open a declaration campaign for everyone who sits on the CCG's committees; invitations follow."""
    _require(permissions.can_keep_registers(by, ccg), "Only the CCG's governance officers open campaigns.")
    today = timezone.localdate()
    if deadline < today:
        raise ValidationError({"deadline": "The deadline cannot be in the past."})
    if selectors.open_campaign(ccg) is not None:
        raise ValidationError("The CCG already has an open campaign; close it first.")
    campaign = Campaign(ccg=ccg, title=title, opened_on=today, deadline=deadline)
    save_audited(campaign, by=by, reason="Campaign opened")
    for person_id in sorted({seat.person_id for seat in selectors.people_in_scope(ccg, today)}):
        recipient = CampaignRecipient(campaign=campaign, person_id=person_id)
        save_audited(recipient, by=by, reason="In scope of the campaign")
    from conflicts.tasks import campaign_invite_task

    transaction.on_commit(lambda: campaign_invite_task.delay(campaign.pk))
    return campaign


def campaign_invite(*, campaign: Campaign) -> int:
    """E-mail every recipient not yet invited. Safe to run twice: each is invited once."""
    sent = 0
    actor = system_user()
    # People with no e-mail address on record are left uninvited; the dashboard shows them.
    waiting = (
        campaign.recipients.select_related("person").filter(invited_at__isnull=True).exclude(person__email="")
    )
    for recipient in waiting:
        with transaction.atomic():
            locked = CampaignRecipient.objects.select_for_update().get(pk=recipient.pk)
            if locked.invited_at is not None:
                continue
            _mail(
                recipient.person,
                f"{campaign.title}: please declare your interests by {campaign.deadline:%-d %B %Y}",
                f"Dear {recipient.person},\n\n{campaign.ccg} asks everyone who sits on its committees to "
                f"declare their interests, or confirm they have none, by {campaign.deadline:%-d %B %Y}.\n",
            )
            locked.invited_at = timezone.now()
            save_audited(locked, by=actor, reason="Invitation e-mailed")
            sent += 1
    return sent


def campaign_reminders(*, today: dt.date | None = None) -> int:
    """Remind those who have not answered, a week before the deadline and on it. Safe to run twice."""
    today = today or timezone.localdate()
    actor = system_user()
    sent = 0
    for campaign in Campaign.objects.filter(closed=False).select_related("ccg"):
        days = rules.reminder_due(today=today, deadline=campaign.deadline)
        if days is None:
            continue
        answered = set(campaign.declarations.values_list("person_id", flat=True))
        unanswered = campaign.recipients.select_related("person").exclude(person_id__in=answered)
        for recipient in unanswered.exclude(person__email=""):
            with transaction.atomic():
                locked = CampaignRecipient.objects.select_for_update().get(pk=recipient.pk)
                if days in locked.reminded_days_before:
                    continue
                when = "today" if days == 0 else f"in {days} days, on {campaign.deadline:%-d %B %Y}"
                _mail(
                    recipient.person,
                    f"Reminder: {campaign.title} closes {when}",
                    f"Dear {recipient.person},\n\nYour declaration of interests for {campaign.ccg} is due "
                    f"{when}. If you have no interests, confirm a nil return.\n",
                )
                locked.reminded_days_before = [*locked.reminded_days_before, days]
                save_audited(locked, by=actor, reason=f"Reminder e-mailed, {days} days before the deadline")
                sent += 1
    return sent


@transaction.atomic
def campaign_close(*, campaign: Campaign, by: User) -> Campaign:
    _require(permissions.can_keep_registers(by, campaign.ccg), "You may not close this campaign.")
    campaign.closed = True
    save_audited(campaign, by=by, reason="Campaign closed")
    return campaign
