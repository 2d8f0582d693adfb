"""Reads of the register of recipients (scope `register`: privacy officer and administrator)."""

from __future__ import annotations

import datetime as dt

from waarborg.core import clock, roles
from waarborg.core.errors import NotFound
from waarborg.register.models import Recipient


def recipient_list_for(*, viewer, category: str | None = None, kind: str | None = None):
    roles.require(viewer, "register")
    qs = Recipient.objects.all()
    if category:
        qs = qs.filter(category=category)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("category", "name")


def recipient_get_for(*, viewer, pk) -> Recipient:
    roles.require(viewer, "register")
    try:
        return Recipient.objects.get(pk=getattr(pk, "pk", pk))
    except (Recipient.DoesNotExist, ValueError, TypeError):
        raise NotFound(f"register.recipient {getattr(pk, 'pk', pk)} not found") from None


def recipients_without_valid_agreement(*, day: dt.date | None = None) -> list[Recipient]:
    """Recipients that may receive nothing today: a processor without a (current) agreement."""
    day = day or clock.today()
    return [r for r in Recipient.objects.order_by("key") if not r.agreement_valid_on(day)]
