"""What the committees API's endpoints share: the relation type, ids from the URL, list filters."""

from __future__ import annotations

from typing import Any, TypeAlias

from rest_framework import exceptions, serializers
from rest_framework.request import Request

from committees.models import Committee

# DRF hands back a ManyRelatedField for `many=True`, which its stubs can only express as a union.
Relation: TypeAlias = "serializers.RelatedField[Any, Any, Any] | serializers.ManyRelatedField"


def _pk_from(raw: str, thing: str) -> int:
    """The id in the URL, or the same 404 a missing record gives (never a 500 for `abc`)."""
    if not raw.isdigit() or len(raw) > 18:
        raise exceptions.NotFound(f"No {thing} with id {raw}.")
    return int(raw)


class ListQueryErrorSerializer(serializers.Serializer[Any]):
    """The body of a 400 from a list: each wrong filter with what is wrong with it."""

    committee = serializers.ListField(child=serializers.CharField(), required=False)
    ccg = serializers.ListField(child=serializers.CharField(), required=False)


COMMITTEE_FILTER_MESSAGE = "Committee must be a committee's id, a whole number."


class CommitteeFilterField(serializers.IntegerField):
    """`?committee=` : the id of a committee that exists."""

    def __init__(self, **kwargs: Any) -> None:
        message = COMMITTEE_FILTER_MESSAGE
        super().__init__(
            required=False,
            min_value=1,
            max_value=2**31 - 1,
            help_text="Only those of this committee (its id).",
            error_messages={
                "invalid": message,
                "min_value": message,
                "max_value": message,
                "max_string_length": message,
                "null": message,
            },
            **kwargs,
        )

    def run_validation(self, data: Any = serializers.empty) -> Any:
        value = super().run_validation(data)
        if value is not None and not Committee.objects.filter(pk=value).exists():
            raise serializers.ValidationError(f"No committee with id {value}.")
        return value


def _validated(query_class: type[serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    query = query_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)
