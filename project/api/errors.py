"""API errors always answer JSON with a 4xx, never a 500 for bad input."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class PreconditionFailed(exceptions.APIException):
    """412: the request's `If-Match` names a version of the record that is no longer the saved one."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The record changed since this version."
    default_code = "precondition_failed"


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, IntegrityError):
        # A unique rule lost a race with a simultaneous request.
        return Response(
            {"detail": "This conflicts with a record saved at the same moment. Reload and try again."},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)
