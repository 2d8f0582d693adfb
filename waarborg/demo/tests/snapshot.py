"""A comparable picture of the data: every value except surrogate keys and moments of writing."""

from __future__ import annotations

from django.apps import apps

# How a row is named when another row points at it (instead of its surrogate key).
NATURAL_KEYS = {
    "customers.Customer": "number",
    "customers.Contact": "email",
    "accounts.Account": "email",
    "billing.Invoice": "number",
    "billing.PaymentMethod": "mandate_reference",
    "catalogue.Product": "code",
    "catalogue.Subscription": "label",
    "correspondence.Ticket": "number",
}
MODELS = [
    "customers.Customer",
    "customers.Contact",
    "customers.Document",
    "accounts.Account",
    "accounts.LoginEvent",
    "catalogue.Product",
    "catalogue.Subscription",
    "billing.Invoice",
    "billing.InvoiceLine",
    "billing.Payment",
    "billing.PaymentMethod",
    "correspondence.Ticket",
    "correspondence.Message",
    "correspondence.Complaint",
    "consents.ConsentRecord",
    "careers.JobApplication",
    "register.Recipient",
]
# Written at the moment of saving, or salted: these differ between two identical loads.
VOLATILE = {"accounts.Account": {"password", "created_at"}}


def snapshot() -> dict[str, list[tuple]]:
    picture = {}
    for label in MODELS:
        model = apps.get_model(label)
        columns = []
        for f in model._meta.concrete_fields:
            if f.primary_key or f.name in VOLATILE.get(label, ()):
                continue
            if f.is_relation:
                target = f.related_model._meta.label
                columns.append(f"{f.name}__{NATURAL_KEYS[target]}" if target in NATURAL_KEYS else f"{f.name}__isnull")
            else:
                columns.append(f.name)
        rows = model._default_manager.values_list(*columns)
        picture[label] = sorted(tuple(str(v) for v in row) for row in rows)
    return picture
