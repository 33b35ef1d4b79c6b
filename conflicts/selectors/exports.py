"""The registers as CSV exports: which rows, in which order, and each column as the database writes it.

Each export is a list of columns (`cocomm.csv_export.Column`), so adding one, such as how late an
entry was declared, is one line in one list. The published ones select with the same rule as the
published pages (`rules.publication`, written in SQL by `public.published_interests`); a test holds
the CSV to the page row for row.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Expression, F, Q, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from cocomm.csv_export import (
    TEXT,
    Column,
    Export,
    choice_label,
    iso_date,
    joined,
    person_name,
    pounds,
    user_name,
    yes_no,
)
from cocomm.models import CCG
from conflicts import rules
from conflicts.models import Declaration, GiftOrHospitality, InterestType, OfferKind
from conflicts.selectors.late import with_days_late
from conflicts.selectors.public import (
    REGISTER_ORDER,
    is_decision_maker,
    public_gifts,
    published_interests,
    still_published,
)


def _text(value: str) -> Value:
    return Value(value, output_field=TEXT)


def _description() -> Expression:
    """The interest, with the relationship for an indirect one (as the published page writes it)."""
    return joined(
        F("description"),
        Case(
            When(~Q(relationship=""), then=joined(" (relationship: ", F("relationship"), ")")),
            default=_text(""),
            output_field=TEXT,
        ),
    )


def _concerns() -> Expression:
    """The practice (with its ODS code), organisation or named body the interest concerns."""
    return Case(
        When(practice__isnull=False, then=joined(F("practice__name"), " (", F("practice__ods_code"), ")")),
        When(organisation__isnull=False, then="organisation__name"),
        When(organisation_name="—", then=_text("")),  # the page's own mark for "none"
        default="organisation_name",
        output_field=TEXT,
    )


# The published register of interests: NHS England's template fields, as on the page.
PUBLIC_INTEREST_COLUMNS = [
    Column("Name", person_name("person__")),
    Column("Position", "position"),
    Column("Type of interest", choice_label("interest_type", InterestType.choices)),
    Column("Description", _description()),
    Column("Organisation concerned", _concerns()),
    Column("From", iso_date("interest_from")),
    Column("To", iso_date("interest_to")),
    Column("Actions to mitigate the risk", "mitigation"),
]


def public_interests_export(ccg: CCG, today: dt.date | None = None) -> Export:
    """The published register of interests as CSV: the page's entries, in its order."""
    return Export(PUBLIC_INTEREST_COLUMNS, published_interests(ccg, today))


# Words for where an entry stands on the published register, as the officers' page puts them.
PUBLISHED_WORDS = {
    rules.Publication.PUBLISHED: "Published",
    rules.Publication.WITHHELD: "Withheld",
    rules.Publication.NOT_LISTED: "Not published",
}


def _publication(ccg: CCG, today: dt.date) -> Expression:
    """`rules.publication` in SQL, for every entry on the register (nothing for a nil return)."""
    return Case(
        When(nil_return=True, then=_text("")),
        When(
            ~is_decision_maker(ccg, today) | ~still_published(today),
            then=_text(PUBLISHED_WORDS[rules.Publication.NOT_LISTED]),
        ),
        When(consent_to_publish=True, then=_text(PUBLISHED_WORDS[rules.Publication.PUBLISHED])),
        default=_text(PUBLISHED_WORDS[rules.Publication.WITHHELD]),
        output_field=TEXT,
    )


def register_interest_columns(ccg: CCG, today: dt.date) -> list[Column]:
    """Every field the CCG keeps on an entry, and whether the published register shows it today."""
    return [
        Column("Name", person_name("person__")),
        Column("Position", "position"),
        Column("Declared on", iso_date("declared_on")),
        # s.14O NHS Act 2006: declared within 28 days; 0 when on time (as on the officers' page).
        Column("Days late", Cast("days_late", output_field=TEXT)),
        Column(
            "Entered by",
            Case(
                When(on_behalf=True, then=user_name("declared_by__")),
                default=_text("The declarant"),
                output_field=TEXT,
            ),
        ),
        Column("For NHS England", yes_no("for_nhs_england")),
        Column(
            "Type of interest",
            choice_label("interest_type", InterestType.choices, default="Nil return"),
        ),
        Column("Description", _description()),
        Column("Organisation concerned", _concerns()),
        Column("From", iso_date("interest_from")),
        Column("To", iso_date("interest_to")),
        Column("Actions to mitigate the risk", "mitigation"),
        Column("Actions agreed by", person_name("mitigation_approved_by__")),
        Column("Actions agreed on", iso_date("mitigation_approved_on")),
        Column("Published", _publication(ccg, today)),
        Column("Reason for withholding", "withheld_reason"),
    ]


def register_interests_export(ccg: CCG, today: dt.date | None = None) -> Export:
    """The CCG's whole register of interests as CSV, nil returns and withheld entries included, in
    the order of the officers' page."""
    today = today or timezone.localdate()
    return Export(
        register_interest_columns(ccg, today),
        with_days_late(Declaration.objects.filter(ccg=ccg)).order_by(*REGISTER_ORDER),
    )


def _outcome() -> Expression:
    """Accepted or declined, and who approved it (as the published page writes it)."""
    return joined(
        Case(When(accepted=True, then=_text("Accepted")), default=_text("Declined"), output_field=TEXT),
        Case(
            When(
                senior_approver__isnull=False,
                then=joined(", approved by ", person_name("senior_approver__")),
            ),
            default=_text(""),
            output_field=TEXT,
        ),
    )


# The published register of gifts and hospitality, declined offers included, as on the page.
PUBLIC_GIFT_COLUMNS = [
    Column("Name", person_name("person__")),
    Column("Position", "position"),
    Column("Gift or hospitality", choice_label("kind", OfferKind.choices)),
    Column("Description", "description"),
    Column("Value", pounds("value")),
    Column("Offered by", "offeror"),
    Column("Offered on", iso_date("offered_on")),
    Column("Accepted or declined", _outcome()),
    Column("Reason", "reason"),
]


def public_gifts_export(ccg: CCG) -> Export:
    """The published register of gifts and hospitality as CSV, newest first as on the page."""
    return Export(PUBLIC_GIFT_COLUMNS, public_gifts(ccg))


# The officers' copy adds what the published one leaves out.
REGISTER_GIFT_COLUMNS = [
    *PUBLIC_GIFT_COLUMNS,
    Column("From a supplier or contractor", yes_no("from_supplier")),
    Column("Approved on", iso_date("approved_on")),
    Column("Recorded by", user_name("declared_by__")),
]


def register_gifts_export(ccg: CCG) -> Export:
    """The CCG's register of gifts and hospitality as CSV, with what only its keepers see."""
    return Export(
        REGISTER_GIFT_COLUMNS, GiftOrHospitality.objects.filter(ccg=ccg).order_by("-offered_on", "-pk")
    )
