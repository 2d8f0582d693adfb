"""The REST API, version 1: `/api/v1/` (OpenAPI at `/api/v1/openapi.json`, docs at `/api/v1/docs`).

Every error is JSON, `{"detail": ...}`, and never repeats a value the caller sent: 401 without a
usable token, 403 without the scope, 404 for a request the client may not see (or that does not
exist), 422 for bad input (`detail` lists `loc`, `msg` and `type`; a refusal of ours also its
`code`, the message catalogue's, steady where `msg` may be reworded), 400 for a body that is not
JSON, 500 for a fault of ours.
"""

from __future__ import annotations

import logging
import traceback

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import NinjaAPI, Path, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import Swagger

from waarborg.api import selectors, services
from waarborg.api.auth import BearerToken, MissingScope
from waarborg.api.models import SCOPE_READ, SCOPE_WRITE
from waarborg.api.schemas import (
    ErrorOut,
    PrivacyRequestCreated,
    PrivacyRequestIn,
    PrivacyRequestOut,
    ValidationErrorOut,
)
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError
from waarborg.privacy.models import PrivacyRequest

log = logging.getLogger(__name__)

MAX_ID = 2**63 - 1
_SCOPE_OF: dict[str, str] = {}  # operation id -> the scope it needs (shown in the OpenAPI document)
# Names the error locations may carry; anything else the caller sent (a key) is not repeated.
_KNOWN_LOC = {"body", "path", "query", "header", "id", *PrivacyRequestIn.model_fields}


class WaarborgAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                scope = _SCOPE_OF.get(operation.get("operationId", ""))
                if scope:
                    operation["security"] = [{"BearerToken": [scope]}]
        return schema


api = WaarborgAPI(
    title="Waarborg API",
    version="1",
    description=(
        "Register privacy requests that reached a client of ours, and follow their status and due "
        "dates. Authenticate with `Authorization: Bearer <token>`; tokens carry scopes."
    ),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # Swagger UI from the package's own static files (with `ninja` installed as an app): no CDN,
    # no inline script; the validator badge would fetch an image elsewhere, so it is off.
    docs=Swagger(settings={"validatorUrl": None, "tryItOutEnabled": False}),
)


def _json(request: HttpRequest, status: int, detail) -> HttpResponse:
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(AuthenticationError)
def _unauthorised(request, exc):
    response = _json(request, 401, "a valid API token is needed: Authorization: Bearer <token>")
    given = bool(request.headers.get("Authorization"))
    response["WWW-Authenticate"] = 'Bearer error="invalid_token"' if given else "Bearer"
    return response


@api.exception_handler(MissingScope)
def _missing_scope(request, exc):
    return _json(request, 403, f"this token lacks the scope {exc.scope}")


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _json(request, 403, "not allowed")


@api.exception_handler(NotFound)
def _not_found(request, exc):
    return _json(request, 404, "no such privacy request")


def _loc(parts) -> list:
    parts = list(parts)
    if len(parts) > 1 and parts[0] == "body" and parts[1] == "payload":
        del parts[1]  # the handler's parameter name is no part of the document
    return [p if isinstance(p, int) or p in _KNOWN_LOC else "*" for p in parts]


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    items = [
        {"loc": _loc(e.get("loc", ())), "msg": str(e.get("msg", "invalid")), "type": str(e.get("type", "invalid"))}
        for e in exc.errors
    ]
    return _json(request, 422, items)


@api.exception_handler(ValidationError)
def _refused(request, exc):
    field = exc.field if exc.field in _KNOWN_LOC else None
    loc = ["body", field] if field else ["body"]
    return _json(request, 422, [{"loc": loc, "msg": str(exc), "type": "invalid", "code": exc.code}])


@api.exception_handler(services.Unmatched)
def _unmatched(request, exc):
    return _json(request, 422, [{"loc": ["body"], "msg": str(exc), "type": "unmatched", "code": exc.code}])


@api.exception_handler(HttpError)
def _http_error(request, exc):
    if exc.status_code == 400:
        return _json(request, 400, "the body is not valid JSON")
    return _json(request, exc.status_code, str(exc.message))


@api.exception_handler(Exception)
def _fault(request, exc):
    # The type and where, never the message (it may quote data).
    frames = "".join(traceback.format_tb(exc.__traceback__))
    log.error("api: unexpected %s on %s %s\n%s", exc.__class__.__name__, request.method, request.path, frames)
    return _json(request, 500, "internal error")


_ERRORS = {401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut}


@api.post(
    "/privacy-requests",
    auth=BearerToken(SCOPE_WRITE),
    response={201: PrivacyRequestCreated, 400: ErrorOut, **_ERRORS},
    operation_id="privacy_request_create",
    summary="Register a privacy request",
    tags=["privacy requests"],
)
def privacy_request_create(request, payload: PrivacyRequestIn, response: HttpResponse):
    """Registers the request on channel `api`; the deadlines count from `received_at`.

    The answer does not tell whether the person is known: its status is `received` whatever
    follows, and details that do not single out one person we know get a 422 of type `unmatched`
    that reads the same whatever the reason.
    """
    data = payload.model_dump()
    for key in ("email", "phone", "customer_number", "name", "postcode", "details", "transmit_to"):
        data[key] = data[key] or ""
    created = services.api_privacy_request_create(token=request.auth, **data)
    response["Location"] = reverse("api-v1:privacy_request_get", kwargs={"id": created.pk})
    # The status as registered: what happened since (a link sent, an answer that nothing is held)
    # would tell the client whether the person is known.
    return Status(
        201,
        {
            "id": created.pk,
            "number": created.number,
            "type": created.type,
            "status": PrivacyRequest.Status.RECEIVED.value,
            "received_at": created.received_at,
            "promise_due": created.promise_due,
            "legal_due": created.legal_due,
        },
    )


_SCOPE_OF["privacy_request_create"] = SCOPE_WRITE


@api.get(
    "/privacy-requests/{id}",
    auth=BearerToken(SCOPE_READ),
    response={200: PrivacyRequestOut, 404: ErrorOut, **_ERRORS},
    operation_id="privacy_request_get",
    url_name="privacy_request_get",
    summary="Status, due dates and steps of a privacy request",
    tags=["privacy requests"],
)
def privacy_request_get(request, id: int = Path(..., ge=1, le=MAX_ID)):  # noqa: A002 (the path's name)
    """A request registered by this client (any of its tokens): codes, dates and status only."""
    found = services.api_privacy_request_view(token=request.auth, pk=id)
    summary = selectors.request_summary(found)
    return {
        "id": found.pk,
        "number": found.number,
        "type": found.type,
        "channel": found.channel,
        "status": found.status,
        "received_at": found.received_at,
        "promise_due": found.promise_due,
        "legal_due": found.legal_due,
        "extended_due": found.extended_due,
        "due": summary.due,
        "day": summary.day,
        "days_left": summary.days_left,
        "overdue": summary.overdue,
        "late": summary.late,
        "verification_method": found.verification_method or None,
        "timeline": [{"event": e.event, "at": e.at} for e in summary.timeline],
    }


_SCOPE_OF["privacy_request_get"] = SCOPE_READ
