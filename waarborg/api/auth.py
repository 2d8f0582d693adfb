"""Bearer tokens with scopes (B3): `Authorization: Bearer <token>`.

No token, a malformed, unknown, expired or revoked one: 401, one answer for all. A valid token
without the scope the operation needs: 403.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from waarborg.api.models import SCOPES
from waarborg.api.services import api_token_authenticate


class MissingScope(Exception):
    def __init__(self, scope: str):
        super().__init__(scope)
        self.scope = scope


class BearerToken(HttpBearer):
    openapi_bearerFormat = "wb_<prefix>_<secret>"  # noqa: N815 (ninja's attribute name)
    openapi_description = "An API token (`waarborg api token create`). Scopes: " + "; ".join(
        f"`{scope}` — {what}" for scope, what in SCOPES.items()
    )

    def __init__(self, scope: str):
        if scope not in SCOPES:
            raise ValueError(f"unknown scope {scope!r}")
        super().__init__()
        self.scope = scope

    def __call__(self, request: HttpRequest):
        # Parsed here rather than by HttpBearer, which logs a wrong header (a token) in debug mode.
        scheme, _, raw = (request.headers.get(self.header) or "").partition(" ")
        if scheme.lower() != self.openapi_scheme or not raw.strip():
            return None
        return self.authenticate(request, raw.strip())

    def authenticate(self, request: HttpRequest, token: str):
        found = api_token_authenticate(token)
        if found is None:
            return None
        if self.scope not in (found.scopes or ()):
            raise MissingScope(self.scope)
        return found
