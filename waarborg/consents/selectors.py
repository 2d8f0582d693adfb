"""Reads of consent records, scoped to the viewer (B2), and the check whether consent holds."""

from __future__ import annotations

from django.db.models import Q

from waarborg.consents.models import ConsentRecord
from waarborg.core import roles
from waarborg.core.access import is_customer_viewer
from waarborg.core.errors import NotFound


def _own(qs, viewer):
    condition = Q(account_id=viewer.pk)
    if viewer.contact_id:
        condition |= Q(contact_id=viewer.contact_id)
    return qs.filter(condition)


def consent_list_for(*, viewer, account=None, contact=None, kind: str | None = None):
    """Consent records, newest first. A customer sees only their own (account or contact person)."""
    roles.require(viewer, "consents")
    qs = ConsentRecord.objects.select_related("account", "contact")
    if is_customer_viewer(viewer):
        qs = _own(qs, viewer)
    if account is not None:
        qs = qs.filter(account_id=getattr(account, "pk", account))
    if contact is not None:
        qs = qs.filter(contact_id=getattr(contact, "pk", contact))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-given_at", "-pk")


def consent_get_for(*, viewer, pk) -> ConsentRecord:
    roles.require(viewer, "consents")
    qs = ConsentRecord.objects.select_related("account", "contact")
    if is_customer_viewer(viewer):
        qs = _own(qs, viewer)
    try:
        return qs.get(pk=getattr(pk, "pk", pk))
    except (ConsentRecord.DoesNotExist, ValueError, TypeError):
        raise NotFound("consents.record_not_found", {"id": getattr(pk, "pk", pk)}) from None


def consent_is_given(
    *, kind: str, account=None, contact=None, device_id: str = "", policy_version: str | None = None
) -> bool:
    """Does a standing consent for `kind` exist for this subject (optionally under this version)?

    The latest record decides: a later refusal or a withdrawal means no.
    """
    condition = Q()
    if account is not None:
        condition |= Q(account_id=getattr(account, "pk", account))
    if contact is not None:
        condition |= Q(contact_id=getattr(contact, "pk", contact))
    if device_id:
        condition |= Q(device_id=device_id)
    if not condition:
        return False
    latest = ConsentRecord.objects.filter(condition, kind=kind).order_by("-given_at", "-pk").first()
    if latest is None or not latest.granted or latest.withdrawn_at is not None:
        return False
    return policy_version is None or latest.policy_version == policy_version


def customer_consents_for(*, viewer, customer):
    """Consent records given by the customer's contact persons or through their accounts."""
    customer_id = getattr(customer, "pk", customer)
    return consent_list_for(viewer=viewer).filter(
        Q(contact__customer_id=customer_id) | Q(account__contact__customer_id=customer_id)
    )
