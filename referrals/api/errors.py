"""Errors as problem+json (RFC 9457): type, title, status, detail, and `errors` per field.
Every DRF exception (malformed JSON, wrong types, bad token, throttled, too large) comes
through here, so a client never sees an HTML page or a 500 for its own mistake."""

from django.core.exceptions import RequestDataTooBig
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM = "application/problem+json"


def problem(status_code: int, title: str, detail: str = "", errors=None, headers=None):
    body = {"type": "about:blank", "title": title, "status": status_code, "detail": detail}
    if errors:
        body["errors"] = errors
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM)


def problem_exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        exc = exceptions.APIException("The request body is too large.")
        exc.status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    errors = None
    if isinstance(exc, exceptions.ValidationError):
        title, detail = "The request is not valid.", "See errors for each field."
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
    else:
        title = str(getattr(exc, "default_detail", "")) or "Error"
        detail = str(data.get("detail", "")) if isinstance(data, dict) else str(data)
    headers = {k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After")}
    return problem(response.status_code, title, detail, errors, headers)
