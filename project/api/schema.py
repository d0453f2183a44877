"""The OpenAPI schema lists the error answers of every operation, not only its success.

drf-spectacular documents just the 200/201/204 of each operation; clients and
schema-driven tests (schemathesis) also need the contract's 4xx answers and
their JSON bodies.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong.")


# 400: `{"field": ["message", ...]}` for invalid data, `{"detail": "..."}` for malformed or too deeply nested JSON.
BAD_REQUEST = {
    "anyOf": [
        {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": 'Each invalid field with its messages, e.g. {"email": ["Enter a valid email address."]}.',
        },
        {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]},
    ]
}

WRITE_METHODS = ("POST", "PUT", "PATCH")
CONDITIONAL_WRITES = ("PUT", "PATCH", "DELETE")

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The `ETag` of the record as the client last read it: the write happens only if nobody "
    "changed the record since (otherwise 412). Without it the write goes ahead.",
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description="The record's current version; send it back as `If-Match` to write only over this version.",
)


def bad_request(description="Invalid data, or malformed or too deeply nested JSON."):
    return OpenApiResponse(BAD_REQUEST, description=description)


def error(description):
    return OpenApiResponse(ErrorSerializer, description=description)


class ApiSchema(AutoSchema):
    """drf-spectacular's schema plus the error answers this operation can give."""

    def _get_response_bodies(self):  # (drf-spectacular passes "request" only for callbacks: the API has none)
        responses = super()._get_response_bodies()
        for code, response in self._error_responses().items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code)
        return responses

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._is_conditional_record():
            if self.method in CONDITIONAL_WRITES:
                parameters.append(IF_MATCH)
            if self.method in ("GET", "PUT", "PATCH"):
                parameters.append(ETAG)
        return parameters

    def _is_conditional_record(self):
        return getattr(self.view, "conditional_writes", False) and "{" in self.path

    def _error_responses(self):
        has_body = self.method in WRITE_METHODS
        needs_auth = bool(self.view.permission_classes)
        is_detail = "{" in self.path
        is_list = self.method == "GET" and not is_detail
        responses = {}
        if has_body or (is_list and getattr(self.view, "filterset_class", None)):
            responses["400"] = bad_request()
        if needs_auth:
            responses["401"] = error("No credentials, or an invalid token.")
            responses["403"] = error("The user's role does not allow this.")
        if is_detail:
            responses["404"] = error("No record with this id.")
        elif is_list and self.view.pagination_class:  # every list is a GenericAPIView
            responses["404"] = error("No such page.")
        if has_body and needs_auth:
            responses["409"] = error("A simultaneous request saved a conflicting record.")
        if self._is_conditional_record() and self.method in CONDITIONAL_WRITES:
            responses["412"] = error(
                "If-Match names an older version: someone else changed the record. Nothing was written."
            )
        if has_body:
            responses["413"] = error("The body is larger than the size limit.")
            responses["415"] = error("The body is not JSON.")
        return responses
