"""Public JSON API for a CCG's published registers: interests, gifts and hospitality, procurement decisions.

Everything here is what NHS England's statutory guidance asks a CCG to publish, so it answers the
same to everyone, with no login (`PublicReadOnly`). The register of interests is exactly the
published one (`selectors.public_register_of_interests`): decision-makers' entries made with consent,
current or ended within the last 6 months. Entries withheld for want of consent are counted, never
shown; nil returns and the entries of members who do not decide are not part of it at all.

The register of interests is answered as one document, as it is printed: it holds only the current
interests of the people who decide for the CCG, a few dozen entries at most. The gifts and
hospitality register and the procurement register grow with every year kept, so they come a page
at a time (the project's limit/offset pages), newest first.

Like `committees.api`, the module doubles as a URLconf that `cocomm.api_urls` includes by path.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from cocomm.api import ApiErrorSerializer, PublicReadOnly
from cocomm.models import CCG, Person
from committees.models import Committee
from conflicts.models import (
    Award,
    Declaration,
    GiftOrHospitality,
    InterestType,
    OfferKind,
    ProcurementRecord,
    ProcurementRoute,
    Ruling,
)
from conflicts.rules import AWARD_FLAG_LABELS
from conflicts.selectors import (
    ProcurementEntry,
    procurement_entries,
    procurement_records,
    public_gifts,
    public_register_of_interests,
)
from delegation.api import NO_CCG_RESPONSE, no_ccg

ODS_CODE = OpenApiParameter(
    "ods_code", str, OpenApiParameter.PATH, description="The CCG's ODS code, such as 00R (any case)."
)
NOT_FOUND = OpenApiResponse(ApiErrorSerializer, NO_CCG_RESPONSE)


def ccg_for_register(ods_code: str) -> CCG:
    """The CCG whose register is asked for, in any case (00r finds 00R), or a 404 naming the code."""
    ccg = CCG.objects.filter(ods_code__iexact=ods_code).first()
    if ccg is None:
        raise no_ccg(ods_code)
    return ccg


# --- Register of interests ---------------------------------------------------------------------------


class InterestConcernsSerializer(serializers.Serializer[Any]):
    """What an interest is in: a practice (with its ODS code) or another body."""

    practice = serializers.CharField(
        allow_null=True, help_text="The practice's ODS code when the interest is in a practice."
    )
    name = serializers.CharField(
        allow_null=True, help_text="The practice or organisation by name; null when none is named."
    )


def _concerns(declaration: Declaration) -> dict[str, str | None]:
    if declaration.practice is not None:
        return {"practice": declaration.practice.ods_code, "name": declaration.practice.name}
    if declaration.organisation is not None:
        return {"practice": None, "name": declaration.organisation.name}
    return {"practice": None, "name": declaration.organisation_name or None}


class RegisterEntrySerializer(serializers.ModelSerializer[Declaration]):
    """One published entry: the fields of NHS England's template register of interests."""

    person: serializers.StringRelatedField[Person] = serializers.StringRelatedField(
        help_text="The declarant, with their title."
    )
    interest_type = serializers.ChoiceField(choices=InterestType.choices, read_only=True)
    relationship = serializers.CharField(
        read_only=True,
        help_text="For an indirect interest: who holds it and how they are related to the declarant.",
    )
    concerns = serializers.SerializerMethodField()
    mitigation = serializers.CharField(
        read_only=True, help_text="The actions agreed to mitigate the risk, if any."
    )

    class Meta:
        model = Declaration
        fields = [
            "person",
            "position",
            "interest_type",
            "description",
            "relationship",
            "concerns",
            "interest_from",
            "interest_to",
            "mitigation",
            "declared_on",
        ]
        read_only_fields = fields

    @extend_schema_field(InterestConcernsSerializer)
    def get_concerns(self, declaration: Declaration) -> dict[str, str | None]:
        return _concerns(declaration)


class RegisterOfInterestsSerializer(serializers.Serializer[Any]):
    """The published register of interests of a CCG on a date."""

    ccg = serializers.CharField(help_text="The CCG's ODS code.")
    as_of = serializers.DateField(help_text="The date the register is published for (today).")
    withheld = serializers.IntegerField(
        help_text="Entries on the register that are not shown because the declarant did not consent."
    )
    entries = RegisterEntrySerializer(many=True)


class RegisterOfInterestsView(PublicReadOnly, generics.GenericAPIView[Any]):
    """The published register of interests of a CCG."""

    serializer_class = RegisterOfInterestsSerializer

    @extend_schema(
        tags=["Registers"],
        summary="Register of interests",
        description=(
            "The interests of the people who decide for the CCG (voting members of its governing body, "
            "primary care commissioning committee or joint committee, now or in the last 6 months), "
            "declared with consent to publish, current or ended within the last 6 months, by person. "
            "Entries withheld because the declarant did not consent are counted in `withheld`."
        ),
        parameters=[ODS_CODE],
        responses={200: RegisterOfInterestsSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, ods_code: str) -> Response:
        ccg = ccg_for_register(ods_code)
        today = timezone.localdate()
        register = public_register_of_interests(ccg, today)
        answer = {
            "ccg": ccg.ods_code,
            "as_of": today,
            "withheld": register.withheld,
            "entries": register.entries,
        }
        return Response(self.get_serializer(answer).data)


# --- Gifts and hospitality ---------------------------------------------------------------------------


# The committees API already has a `kind` enum; this one is named for what it is.
@extend_schema_field(serializers.ChoiceField(choices=OfferKind.choices), component_name="OfferKindEnum")
class OfferKindField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=OfferKind.choices, **kwargs)


class GiftOrHospitalitySerializer(serializers.ModelSerializer[GiftOrHospitality]):
    """An offer of a gift or hospitality, accepted or declined."""

    person: serializers.StringRelatedField[Person] = serializers.StringRelatedField(
        help_text="Who was offered it, with their title."
    )
    kind = OfferKindField(read_only=True)
    value = serializers.DecimalField(
        max_digits=10, decimal_places=2, read_only=True, help_text="Its value in pounds."
    )
    offeror = serializers.CharField(
        read_only=True, help_text="Who offered it, and the nature of their business."
    )
    reason = serializers.CharField(read_only=True, help_text="Why it was accepted or declined.")
    senior_approver = serializers.SerializerMethodField(
        help_text="The senior manager who approved accepting it, where the limits ask for one."
    )

    class Meta:
        model = GiftOrHospitality
        fields = [
            "person",
            "position",
            "kind",
            "description",
            "value",
            "offeror",
            "offered_on",
            "accepted",
            "reason",
            "senior_approver",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_senior_approver(self, offer: GiftOrHospitality) -> str | None:
        return str(offer.senior_approver) if offer.senior_approver is not None else None


class CCGRegisterListView(PublicReadOnly, generics.ListAPIView[Any]):
    """A register of one CCG, a page at a time; the CCG is looked up once per request."""

    _ccg: CCG | None = None

    @property
    def ccg(self) -> CCG:
        if self._ccg is None:
            self._ccg = ccg_for_register(self.kwargs["ods_code"])
        return self._ccg


@extend_schema(
    tags=["Registers"],
    summary="Register of gifts and hospitality",
    description=(
        "Every gift and offer of hospitality recorded for the CCG, declined offers included, latest "
        "first: who was offered what, by whom, its value, whether it was accepted and why, and the "
        "senior manager who approved hospitality above the CCG's limit."
    ),
    parameters=[ODS_CODE],
    responses={200: GiftOrHospitalitySerializer(many=True), 404: NOT_FOUND},
)
class GiftsAndHospitalityView(CCGRegisterListView):
    serializer_class = GiftOrHospitalitySerializer
    queryset = GiftOrHospitality.objects.none()  # names the model for the schema; see get_queryset

    def get_queryset(self) -> QuerySet[GiftOrHospitality]:
        # The id breaks ties between offers of the same day, so pages never overlap.
        return public_gifts(self.ccg).order_by("-offered_on", "-pk")


# --- Procurement decisions ---------------------------------------------------------------------------


class DecidingCommitteeSerializer(serializers.ModelSerializer[Committee]):
    class Meta:
        model = Committee
        fields = ["id", "name"]
        read_only_fields = fields


class SupplierSerializer(serializers.Serializer[Any]):
    """The body a contract was awarded to: a practice (with its ODS code) or an organisation."""

    kind = serializers.ChoiceField(choices=["practice", "organisation"])
    name = serializers.CharField()
    ods_code = serializers.CharField(allow_null=True, help_text="The ODS code, where one is recorded.")


class AwardSerializer(serializers.ModelSerializer[Award]):
    """The contract awarded after the decision."""

    supplier = serializers.SerializerMethodField()
    value = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, help_text="The contract's value in pounds."
    )
    route = serializers.ChoiceField(
        choices=ProcurementRoute.choices,
        read_only=True,
        help_text="The Provider Selection Regime process it was awarded by.",
    )

    class Meta:
        model = Award
        fields = ["supplier", "value", "route", "starts_on", "ends_on"]
        read_only_fields = fields

    @extend_schema_field(SupplierSerializer)
    def get_supplier(self, award: Award) -> dict[str, str | None]:
        if award.practice is not None:
            return {"kind": "practice", "name": award.practice.name, "ods_code": award.practice.ods_code}
        assert award.organisation is not None
        return {
            "kind": "organisation",
            "name": award.organisation.name,
            "ods_code": award.organisation.ods_code or None,
        }


class DecisionMakerSerializer(serializers.Serializer[Any]):
    """Someone who took part in the decision, and how."""

    person = serializers.CharField(help_text="Their name, with their title.")
    roles = serializers.ListField(
        child=serializers.CharField(),
        help_text="How they took part: chair, how they voted, present or in attendance.",
    )


class ItemConflictSerializer(serializers.Serializer[Any]):
    """A conflict declared at the item and the chair's ruling on it."""

    person = serializers.CharField()
    statement = serializers.CharField(help_text="What was declared.")
    ruling = serializers.ChoiceField(choices=Ruling.choices, help_text="How the chair managed it.")


class CrossCheckSerializer(serializers.Serializer[Any]):
    """Someone who took part and held an interest in the supplier on the decision date."""

    person = serializers.CharField()
    status = serializers.ChoiceField(
        choices=[(k.value, label) for k, label in AWARD_FLAG_LABELS.items()],
        help_text="`managed`: declared at the item and ruled on by the chair; `not_declared`: on the "
        "register of interests but not declared at the item.",
    )
    interests = serializers.ListField(
        child=serializers.CharField(), help_text="The interests in the supplier, as registered."
    )
    ruling = serializers.CharField(help_text="The chair's ruling at the item; empty when not declared.")


class ProcurementDecisionSerializer(serializers.ModelSerializer[ProcurementRecord]):
    """An entry on the register of procurement decisions."""

    service = serializers.CharField(read_only=True, help_text="What was procured.")
    decision = serializers.IntegerField(
        source="decision_id", read_only=True, help_text="The decision's id (see /api/v1/decisions/)."
    )
    committee = DecidingCommitteeSerializer(
        source="decision.committee", read_only=True, help_text="The committee that decided."
    )
    decided_on = serializers.DateField(source="decision.decided_on", read_only=True)
    conflicts_summary = serializers.CharField(
        read_only=True, help_text="Conflicts declared and how they were managed."
    )
    supplier = serializers.CharField(
        read_only=True, help_text="The supplier chosen; empty until it is recorded."
    )
    value = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="The contract's value in pounds; null until it is recorded.",
    )
    award = serializers.SerializerMethodField(help_text="The contract awarded; null until it is recorded.")
    decision_makers = serializers.SerializerMethodField(
        help_text="Everyone who took part: the chair, the voters, and everyone present or in attendance."
    )
    conflicts = serializers.SerializerMethodField(
        help_text="Each conflict declared at the item and how the chair managed it."
    )
    cross_check = serializers.SerializerMethodField(
        help_text="Those who took part and held an interest in the supplier on the decision date; empty "
        "until the award is recorded."
    )
    cross_check_withheld = serializers.SerializerMethodField(
        help_text="Further flags not shown, because the interests behind them are withheld from publication."
    )

    class Meta:
        model = ProcurementRecord
        fields = [
            "service",
            "decision",
            "committee",
            "decided_on",
            "conflicts_summary",
            "supplier",
            "value",
            "award",
            "decision_makers",
            "conflicts",
            "cross_check",
            "cross_check_withheld",
        ]
        read_only_fields = fields

    def _entry(self, record: ProcurementRecord) -> ProcurementEntry:
        entries: dict[int, ProcurementEntry] = self.context["entries"]
        return entries[record.pk]

    @extend_schema_field(AwardSerializer(allow_null=True))
    def get_award(self, record: ProcurementRecord) -> dict[str, Any] | None:
        award = self._entry(record).award
        return AwardSerializer(award).data if award is not None else None

    @extend_schema_field(DecisionMakerSerializer(many=True))
    def get_decision_makers(self, record: ProcurementRecord) -> list[dict[str, Any]]:
        return [
            {"person": str(m.person), "roles": list(m.roles)} for m in self._entry(record).decision_makers
        ]

    @extend_schema_field(ItemConflictSerializer(many=True))
    def get_conflicts(self, record: ProcurementRecord) -> list[dict[str, str]]:
        return [
            {"person": str(d.person), "statement": d.statement, "ruling": d.ruling}
            for d in self._entry(record).declarations
        ]

    @extend_schema_field(CrossCheckSerializer(many=True))
    def get_cross_check(self, record: ProcurementRecord) -> list[dict[str, Any]]:
        return [
            {
                "person": line.person,
                "status": line.flag.kind.value,
                "interests": list(line.interests),
                "ruling": line.flag.ruling,
            }
            for line in self._entry(record).published_flags
        ]

    @extend_schema_field(serializers.IntegerField())
    def get_cross_check_withheld(self, record: ProcurementRecord) -> int:
        return self._entry(record).withheld_flags


@extend_schema(
    tags=["Registers"],
    summary="Register of procurement decisions",
    description=(
        "The CCG's approved procurement decisions, latest first: the service, the decision and the "
        "committee that took it, who took part, the conflicts declared and how they were managed, the "
        "contract awarded (supplier, value, Provider Selection Regime route and term), and the check of "
        "the award against the interests of everyone who took part: `managed` when the person declared "
        "at the item and the chair ruled, `not_declared` when they did not."
    ),
    parameters=[ODS_CODE],
    responses={200: ProcurementDecisionSerializer(many=True), 404: NOT_FOUND},
)
class ProcurementDecisionsView(CCGRegisterListView):
    serializer_class = ProcurementDecisionSerializer
    queryset = ProcurementRecord.objects.none()  # names the model for the schema; see get_queryset

    def get_queryset(self) -> QuerySet[ProcurementRecord]:
        return procurement_records(self.ccg)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # One page of entries, checked together: the same number of queries for 1 award or 50.
        page = self.paginate_queryset(self.get_queryset())
        records = list(page) if page is not None else list(self.get_queryset())
        entries = {e.record.pk: e for e in procurement_entries(records)}
        serializer = self.get_serializer(
            records, many=True, context={**self.get_serializer_context(), "entries": entries}
        )
        if page is not None:
            return self.get_paginated_response(serializer.data)
        return Response(serializer.data)


urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "ccgs/<str:ods_code>/register-of-interests/",
        RegisterOfInterestsView.as_view(),
        name="api-register-of-interests",
    ),
    path(
        "ccgs/<str:ods_code>/gifts-and-hospitality/",
        GiftsAndHospitalityView.as_view(),
        name="api-gifts-and-hospitality",
    ),
    path(
        "ccgs/<str:ods_code>/procurement-decisions/",
        ProcurementDecisionsView.as_view(),
        name="api-procurement-decisions",
    ),
]
