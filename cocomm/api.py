"""Shared pieces of the JSON API: error shapes, strict pagination, the exception handler, schema hooks."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.db.models import QuerySet
from django.http import Http404
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from cocomm.models import CCG

DATABASE_UNAVAILABLE = "The service cannot reach its database just now. Try again in a minute."
RETRY_AFTER_SECONDS = 30


class ApiErrorSerializer(serializers.Serializer[Any]):
    """The body of most errors (403, 404, 409, 503): one sentence saying what went wrong."""

    detail = serializers.CharField()


class CCGFilterField(serializers.CharField):
    """`?ccg=` on a list: the ODS code of a CCG that exists (any case), given back as recorded.

    An unknown code is a 400 naming it rather than an empty list, so a mistyped filter is noticed.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)

    def run_validation(self, data: Any = serializers.empty) -> Any:
        # Looked up only after the field's own checks (length, no NUL character, which PostgreSQL
        # would refuse with an error rather than an empty answer).
        value = super().run_validation(data)
        if value in (None, "", serializers.empty):
            return value
        ods_code = CCG.objects.filter(ods_code__iexact=value).values_list("ods_code", flat=True).first()
        if ods_code is None:
            raise serializers.ValidationError(f"No CCG with ODS code '{value}'.")
        return ods_code


class DatabaseUnavailable(exceptions.APIException):
    """The database does not answer: a fault on our side that passes, so 503 rather than 500."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = DATABASE_UNAVAILABLE
    default_code = "database_unavailable"


def is_database_unavailable(exc: BaseException) -> bool:
    """True for the errors a lost or refused database connection raises.

    OperationalError also covers a few faults of a live server (a lock timeout, a cancelled query);
    those pass too, so answering "try again" is still right for them.
    """
    return isinstance(exc, OperationalError | InterfaceError)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with every error answering as JSON that says what went wrong."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "Not found.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or "You may not do that.")
    elif is_database_unavailable(exc):
        response = drf_exception_handler(DatabaseUnavailable(), context)
        if response is not None:
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return drf_exception_handler(exc, context)


class PublicReadOnly(APIView):
    """Public reference data: no login and no session lookup, so every caller sees the same answer."""

    authentication_classes = ()
    permission_classes = (AllowAny,)


# --- Pagination ---------------------------------------------------------------------------------

MAX_LIMIT = 500
# Far beyond any list cocomm keeps, and within what PostgreSQL's OFFSET takes (a bigint).
MAX_OFFSET = 2**31 - 1
LIMIT_MESSAGE = f"Limit must be a whole number from 1 to {MAX_LIMIT}."
OFFSET_MESSAGE = f"Offset must be a whole number from 0 to {MAX_OFFSET}."
_DIGITS = re.compile(r"[0-9]{1,10}")  # ASCII digits only: no sign, space, exponent or other scripts


def _whole_number(raw: str, lowest: int, highest: int) -> int | None:
    if not _DIGITS.fullmatch(raw):
        return None
    value = int(raw)
    return value if lowest <= value <= highest else None


class Pagination(LimitOffsetPagination):
    """Limit and offset, checked: a value out of range is a 400 naming it, never silently replaced.

    DRF's own class quietly falls back to the default page for a limit of 0, -1 or "ten", and a huge
    offset reaches the database. Here a limit must be 1 to MAX_LIMIT and an offset 0 to MAX_OFFSET.
    An offset past the end of the list is in range and answers an empty page with the true count:
    lists change between requests, so the same request should not flip between valid and invalid.
    """

    max_limit = MAX_LIMIT

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: APIView | None = None
    ) -> list[Any] | None:
        self._check(request)
        return super().paginate_queryset(queryset, request, view)

    def _check(self, request: Request) -> None:
        errors: dict[str, list[str]] = {}
        limit = request.query_params.get(self.limit_query_param)
        if limit is not None and _whole_number(limit, 1, MAX_LIMIT) is None:
            errors[self.limit_query_param] = [LIMIT_MESSAGE]
        offset = request.query_params.get(self.offset_query_param)
        if offset is not None and _whole_number(offset, 0, MAX_OFFSET) is None:
            errors[self.offset_query_param] = [OFFSET_MESSAGE]
        if errors:
            raise exceptions.ValidationError(errors)

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        return [
            {
                "name": self.limit_query_param,
                "required": False,
                "in": "query",
                "description": f"How many results to return, 1 to {MAX_LIMIT}; {self.default_limit} "
                "when left out.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
            },
            {
                "name": self.offset_query_param,
                "required": False,
                "in": "query",
                "description": "How many results to skip, 0 or more; past the end gives an empty page.",
                "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET},
            },
        ]


# --- Schema -------------------------------------------------------------------------------------

PAGE_ERROR = "PageQueryError"
API_ERROR = "ApiError"


def describe_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: declare the errors every endpoint may answer.

    A paginated list may answer 400 for its limit or offset, beside any 400 its own filters give
    (whose shape then names the two as well); every endpoint may answer 503 when the database is
    unreachable. Optional filters may be sent empty, meaning "no filter".
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(
        PAGE_ERROR,
        {
            "type": "object",
            "description": "The body of a 400 for a page out of range: each wrong parameter with "
            "what is wrong with it.",
            "properties": {
                name: {"type": "array", "items": {"type": "string"}} for name in ("limit", "offset")
            },
        },
    )
    schemas.setdefault(
        API_ERROR,
        {
            "type": "object",
            "description": ApiErrorSerializer.__doc__,
            "properties": {"detail": {"type": "string"}},
            "required": ["detail"],
        },
    )
    page_error = {"$ref": f"#/components/schemas/{PAGE_ERROR}"}
    unavailable = {
        "description": "The database is unreachable for now; try again after Retry-After seconds.",
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{API_ERROR}"}}},
    }
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            names = {parameter.get("name") for parameter in operation.get("parameters", [])}
            for parameter in operation.get("parameters", []):
                # Optional filters follow DRF's form rules: `?ccg=` is the same as leaving ccg out.
                # The page parameters do not: an empty limit is not a number.
                optional_query = parameter.get("in") == "query" and not parameter.get("required")
                if optional_query and parameter["name"] not in {"limit", "offset"}:
                    parameter["allowEmptyValue"] = True
            if {"limit", "offset"} <= names:
                own = responses.get("400")
                if own is None:
                    responses["400"] = {
                        "description": "The limit or offset is out of range; the body names it.",
                        "content": {"application/json": {"schema": page_error}},
                    }
                else:
                    # The list's own 400 body (its filters) gains the two page parameters, so one
                    # shape names every parameter that can be wrong.
                    reference = own["content"]["application/json"]["schema"]["$ref"]
                    properties = schemas[reference.rsplit("/", 1)[-1]].setdefault("properties", {})
                    properties.update(schemas[PAGE_ERROR]["properties"])
                    own["description"] = (
                        f"{own.get('description', '')} Or the limit or offset is out of range."
                    )
            responses.setdefault("503", unavailable)
    return result
