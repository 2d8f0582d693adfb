"""Assertions tests share: nothing changed, and audit events without personal values."""

from __future__ import annotations

import json

from django.apps import apps

from waarborg.audit.models import AuditEvent
from waarborg.audit.services import audit_verify

# The models whose rows a failed write must leave untouched (and the audit trail).
COUNTED = (
    "audit.AuditEvent",
    "accounts.Account",
    "accounts.LoginEvent",
    "customers.Customer",
    "customers.Contact",
    "customers.Document",
    "catalogue.Product",
    "catalogue.Subscription",
    "billing.Invoice",
    "billing.InvoiceLine",
    "billing.PaymentMethod",
    "billing.Payment",
    "correspondence.Ticket",
    "correspondence.Message",
    "correspondence.Complaint",
    "consents.ConsentRecord",
    "careers.JobApplication",
    "register.Recipient",
)


def row_counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in COUNTED}


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-seq").first()


def event_json(event: AuditEvent) -> str:
    return json.dumps(
        {
            "actor": event.actor,
            "action": event.action,
            "purpose": event.purpose,
            "reason": event.reason,
            "object_type": event.object_type,
            "object_ids": event.object_ids,
            "subject_ref": event.subject_ref,
            "data": event.data,
        },
        ensure_ascii=False,
        default=str,
    )


def assert_clean_event(event: AuditEvent, *, action: str, values=()) -> None:
    """The event is the expected action, names none of `values`, and the chain verifies."""
    assert event is not None, "no audit event was recorded"
    assert event.action == action
    text = event_json(event).lower()
    for value in values:
        if value:
            assert str(value).lower() not in text, f"a personal value is in the audit event {action}"
    assert audit_verify().ok
