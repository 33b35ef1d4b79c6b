"""The committees endpoint: committees, their approved terms of reference and their composition."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets

from cocomm.api import ApiErrorSerializer, PublicReadOnly
from committees import rules
from committees.api.shared import Relation, _pk_from
from committees.choices import ToRStatus
from committees.models import Committee, Membership, TermsOfReference
from committees.selectors import as_seat, quorum_rule

# The words `selectors.composition_of` uses, so the API and the pages agree.
NO_APPROVED_TERMS = "The committee has no approved terms of reference."


class QuorumSerializer(serializers.Serializer[Any]):
    minimum = serializers.IntegerField(help_text="How many voting members make the quorum.")
    categories = serializers.DictField(
        child=serializers.IntegerField(),
        help_text='How many of each member category the quorum must include, e.g. {"lay": 1}.',
    )
    description = serializers.CharField(help_text="The quorum in words.")


class TermsSummarySerializer(serializers.ModelSerializer[TermsOfReference]):
    """The approved version of a committee's terms of reference: the rules cocomm enforces."""

    quorum = serializers.SerializerMethodField()

    class Meta:
        model = TermsOfReference
        fields = [
            "version",
            "approved_by",
            "approved_on",
            "quorum",
            "casting_vote",
            "composition_rule",
            "meets_in_public",
            "allows_virtual_decisions",
        ]
        read_only_fields = fields

    @extend_schema_field(QuorumSerializer)
    def get_quorum(self, terms: TermsOfReference) -> dict[str, Any]:
        rule = quorum_rule(terms)
        return {"minimum": rule.minimum, "categories": dict(rule.categories), "description": rule.describe()}


class CompositionSerializer(serializers.Serializer[Any]):
    ok = serializers.BooleanField(help_text="Whether today's members keep to the approved terms.")
    problems = serializers.ListField(
        child=serializers.CharField(), help_text="Each way the membership breaks the terms, in words."
    )


def _composition_problems(committee: Committee) -> list[str]:
    """`selectors.composition_of` for today, over what the committee list has prefetched."""
    approved: list[TermsOfReference] = committee.approved_terms  # type: ignore[attr-defined]
    if not approved:
        return [NO_APPROVED_TERMS]
    terms = approved[0]
    seats: list[Membership] = committee.seats_today  # type: ignore[attr-defined]
    return rules.composition_problems(
        rules.CompositionRule(terms.composition_rule),
        [as_seat(m) for m in seats],
        rules.CastingVote(terms.casting_vote),
    )


class CommitteeSerializer(serializers.ModelSerializer[Committee]):
    """A committee, its approved terms of reference, and whether its members keep to them today."""

    ccgs: Relation = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="ods_code", help_text="The ODS codes of the CCGs it serves."
    )
    area_team: Relation = serializers.SlugRelatedField(
        read_only=True,
        allow_null=True,
        slug_field="ods_code",
        help_text="The NHS England area team's ODS code, if it sits.",
    )
    reports_to: Relation = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The committee it reports to."
    )
    functions: Relation = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="number",
        help_text="The numbers of the functions it may decide.",
    )
    terms_of_reference = serializers.SerializerMethodField(
        help_text="The approved terms of reference; null when none is approved."
    )
    composition = serializers.SerializerMethodField()

    class Meta:
        model = Committee
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "ccgs",
            "area_team",
            "reports_to",
            "functions",
            "terms_of_reference",
            "composition",
        ]
        read_only_fields = fields

    @extend_schema_field(TermsSummarySerializer(allow_null=True))
    def get_terms_of_reference(self, committee: Committee) -> dict[str, Any] | None:
        approved: list[TermsOfReference] = committee.approved_terms  # type: ignore[attr-defined]
        return TermsSummarySerializer(approved[0]).data if approved else None

    @extend_schema_field(CompositionSerializer)
    def get_composition(self, committee: Committee) -> dict[str, Any]:
        problems = _composition_problems(committee)
        return {"ok": not problems, "problems": problems}


def committees_for_api(today: dt.date) -> QuerySet[Committee]:
    """Every committee with what the serializer reads loaded: a page costs the same as one."""
    seats = (
        Membership.objects.filter(starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today))
        .select_related("person")
        .order_by("office", "person__full_name")
    )
    return (
        Committee.objects.select_related("area_team")
        .prefetch_related(
            "ccgs",
            "functions",
            Prefetch(
                "terms_of_reference",
                queryset=TermsOfReference.objects.filter(status=ToRStatus.APPROVED),
                to_attr="approved_terms",
            ),
            Prefetch("memberships", queryset=seats, to_attr="seats_today"),
        )
        .order_by("name", "pk")
    )


@extend_schema(tags=["Committees"])
@extend_schema_view(
    list=extend_schema(
        summary="List committees",
        description=(
            "Every committee, governing body and group, by name, with its approved terms of reference "
            "and whether today's members keep to them (and if not, why). Public governance information."
        ),
    ),
    retrieve=extend_schema(
        summary="One committee",
        responses={200: CommitteeSerializer, 404: OpenApiResponse(ApiErrorSerializer, "No such committee.")},
    ),
)
class CommitteeViewSet(
    PublicReadOnly, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Committee]
):
    """Committees with their reporting line, functions, terms of reference and composition."""

    serializer_class = CommitteeSerializer

    def get_queryset(self) -> QuerySet[Committee]:
        return committees_for_api(timezone.localdate())

    def get_object(self) -> Committee:
        pk = _pk_from(self.kwargs["pk"], "committee")
        committee = self.get_queryset().filter(pk=pk).first()
        if committee is None:
            raise exceptions.NotFound(f"No committee with id {pk}.")
        return committee
