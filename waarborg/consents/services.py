"""Giving, refusing and withdrawing consent (C1, G4, M1).

A consent record keeps what was agreed to, under which policy version, when, and when it was
withdrawn. Withdrawing is one call, exactly like giving.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Q

from waarborg.accounts.models import Account
from waarborg.audit.services import audit_record
from waarborg.consents.models import CONSENT_PURPOSES, ConsentRecord
from waarborg.core import clock
from waarborg.core.access import check_actor, is_customer_viewer
from waarborg.core.actors import is_system
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError
from waarborg.customers.models import Contact
from waarborg.customers.services import clean_choice, clean_text, customer_ref

_DEVICE_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def _purpose_of(kind: str) -> str:
    return CONSENT_PURPOSES[kind][2][0]


def _subject(actor, *, account: Account | None, contact: Contact | None, device_id: str):
    """Whose consent: a customer acts only for themselves; others name the subject."""
    device_id = (device_id or "").strip()
    if device_id and not _DEVICE_ID.match(device_id):
        raise ValidationError("consents.device_id_invalid", field="device_id")
    if is_customer_viewer(actor):
        if account is not None and account.pk != actor.pk:
            raise NotFound("consents.account_not_found", {"id": account.pk})
        if contact is not None and contact.pk != actor.contact_id:
            raise NotFound("consents.contact_not_found", {"id": contact.pk})
        account = actor
        contact = contact or actor.contact
    if account is None and contact is None and not device_id:
        raise ValidationError("consents.subject_required", field="account")
    if account is not None and contact is not None and account.contact_id not in (None, contact.pk):
        raise ValidationError("consents.different_people", field="contact")
    return account, contact, device_id


def _subject_ref(account: Account | None, contact: Contact | None) -> str:
    if contact is not None:
        return customer_ref(contact.customer_id)
    if account is not None:
        return customer_ref(account.customer_id) if account.contact_id else f"account:{account.pk}"
    return ""


def _matching(*, kind: str, account, contact, device_id: str):
    condition = Q()
    if account is not None:
        condition |= Q(account=account)
    if contact is not None:
        condition |= Q(contact=contact)
    if device_id:
        condition |= Q(device_id=device_id)
    return ConsentRecord.objects.filter(condition, kind=kind)


def _record(
    *,
    actor,
    kind: str,
    granted: bool,
    policy_version: str,
    account,
    contact,
    device_id: str,
    source: str,
    parental_consent_ref: str,
    subject_under_16: bool,
) -> ConsentRecord:
    if not is_system(actor) and not is_customer_viewer(actor):
        raise PermissionDenied("consents.own_only")
    kind = clean_choice(kind, field="kind", choices=list(CONSENT_PURPOSES))
    policy_version = clean_text(policy_version, field="policy_version", max_length=16, required=True)
    source = clean_text(source, field="source", max_length=16, required=True)
    parental = clean_text(parental_consent_ref, field="parental_consent_ref", max_length=64)
    if granted and subject_under_16 and not parental:
        raise ValidationError("consents.under_16", field="parental_consent_ref")
    account, contact, device_id = _subject(actor, account=account, contact=contact, device_id=device_id)
    record = ConsentRecord.objects.create(
        account=account,
        contact=contact,
        device_id=device_id,
        kind=kind,
        granted=granted,
        policy_version=policy_version,
        source=source,
        given_at=clock.now(),
        parental_consent_ref=parental,
    )
    fields = ["kind", "granted", "policy_version", "given_at"]
    if device_id:
        fields.append("device_id")
    if parental:
        fields.append("parental_consent_ref")
    audit_record(
        actor=actor,
        action="consent.give" if granted else "consent.refuse",
        purpose=_purpose_of(kind),
        object_type="consents.consentrecord",
        object_ids=[record.pk],
        subject_ref=_subject_ref(account, contact),
        data={"fields": fields, "kind": kind, "policy_version": policy_version, "source": source},
    )
    return record


@transaction.atomic
def consent_give(
    *,
    actor,
    kind: str,
    policy_version: str,
    account: Account | None = None,
    contact: Contact | None = None,
    device_id: str = "",
    source: str = "portal",
    parental_consent_ref: str = "",
    subject_under_16: bool = False,
) -> ConsentRecord:
    """Record consent for `kind` under `policy_version`.

    A signed-in customer gives consent for themselves (their account and contact person); the
    system records it for a named account, contact person or device (cookie banner). Staff do
    not give consent for someone. Under 16, a parent's or guardian's consent reference is
    required (M1).
    """
    return _record(
        actor=actor,
        kind=kind,
        granted=True,
        policy_version=policy_version,
        account=account,
        contact=contact,
        device_id=device_id,
        source=source,
        parental_consent_ref=parental_consent_ref,
        subject_under_16=subject_under_16,
    )


@transaction.atomic
def consent_refuse(
    *,
    actor,
    kind: str,
    policy_version: str,
    account: Account | None = None,
    contact: Contact | None = None,
    device_id: str = "",
    source: str = "portal",
) -> ConsentRecord:
    """Record that consent for `kind` was refused (the proof a cookie banner's "no" was kept)."""
    return _record(
        actor=actor,
        kind=kind,
        granted=False,
        policy_version=policy_version,
        account=account,
        contact=contact,
        device_id=device_id,
        source=source,
        parental_consent_ref="",
        subject_under_16=False,
    )


@transaction.atomic
def consent_withdraw(
    *,
    actor,
    kind: str,
    account: Account | None = None,
    contact: Contact | None = None,
    device_id: str = "",
) -> list[ConsentRecord]:
    """Withdraw every standing consent for `kind` of this subject, in one call (G4).

    Returns the records withdrawn (each keeps its policy version and date given, and now has
    its date withdrawn). Staff with the consents scope may withdraw on the subject's request.
    """
    if not is_system(actor) and not is_customer_viewer(actor):
        check_actor(actor=actor, scope="consents")
    kind = clean_choice(kind, field="kind", choices=list(CONSENT_PURPOSES))
    account, contact, device_id = _subject(actor, account=account, contact=contact, device_id=device_id)
    standing = list(
        _matching(kind=kind, account=account, contact=contact, device_id=device_id)
        .filter(granted=True, withdrawn_at__isnull=True)
        .select_for_update()
        .order_by("pk")
    )
    if not standing:
        return []
    now = clock.now()
    ConsentRecord.objects.filter(pk__in=[r.pk for r in standing]).update(withdrawn_at=now)
    for record in standing:
        record.withdrawn_at = now
    audit_record(
        actor=actor,
        action="consent.withdraw",
        purpose=_purpose_of(kind),
        object_type="consents.consentrecord",
        object_ids=[r.pk for r in standing],
        subject_ref=_subject_ref(account, contact),
        data={
            "fields": ["withdrawn_at"],
            "kind": kind,
            "policy_versions": sorted({r.policy_version for r in standing}),
        },
    )
    return standing
