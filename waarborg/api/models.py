"""API tokens, and which API client registered which privacy request.

A token is shown once, when it is made; the database keeps only its keyed hash (HMAC with the
identifier key) and a short prefix that names it in lists, logs and the audit trail.
"""

from __future__ import annotations

from django.db import models

SCOPE_WRITE = "privacy-requests:write"
SCOPE_READ = "privacy-requests:read"
SCOPES = {
    SCOPE_WRITE: "register privacy requests",
    SCOPE_READ: "read the status and due dates of the privacy requests this client registered",
}


class ApiToken(models.Model):
    """A bearer token of one API client (an integration, never a person)."""

    name = models.CharField(max_length=64, db_index=True)  # the client: tokens of one name are one client
    scopes = models.JSONField(default=list)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=16, unique=True)
    created_by = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"ApiToken {self.prefix}"

    def status(self, now) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return "active"


class ApiRequest(models.Model):
    """A privacy request registered through the API, and the token that registered it."""

    request = models.OneToOneField("privacy.PrivacyRequest", on_delete=models.CASCADE, related_name="api_origin")
    token = models.ForeignKey(ApiToken, on_delete=models.PROTECT, related_name="requests")
    client = models.CharField(max_length=64, db_index=True)  # the token's name: the client that may read it

    def __str__(self):
        return f"ApiRequest #{self.pk}"
