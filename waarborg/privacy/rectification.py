"""Rectification (G2, art. 16): the subject proposes new values for their details; a privacy
officer approves (the contact service applies it, and the recipients are told) or rejects each.
"""

from __future__ import annotations

import re

from django.db import transaction

from waarborg.core import clock, datamap
from waarborg.core.errors import ValidationError
from waarborg.core.identifiers import normalise_email, normalise_phone, normalise_postcode
from waarborg.core.messages.privacy import FieldNames
from waarborg.customers.models import Contact
from waarborg.customers.services import clean_text, contact_update
from waarborg.privacy import actions
from waarborg.privacy.handling import audit, lock_request, require_verified
from waarborg.privacy.models import PrivacyRequest, RecipientNotice, RectificationProposal
from waarborg.privacy.recipient_notices import notify_recipients
from waarborg.privacy.resolve import CONTACT
from waarborg.privacy.selectors import check_own_or_handler, require_person_handler
from waarborg.privacy.validation import clean_free_text, refuse_bsn

RECTIFIABLE = ("first_name", "last_name", "street", "postcode", "town", "country", "email", "phone")


_REQUIRED_CONTACT_FIELDS = ("first_name", "last_name", "email")


def clean_proposal_value(field: str, value, contact: Contact) -> str:
    """A proposed new value for one of the contact person's details, in its normal form."""
    if field not in RECTIFIABLE:
        raise ValidationError("privacy.rectifiable_fields", {"fields": FieldNames(RECTIFIABLE)}, field="field")
    text = clean_text(value, field=field, max_length=254)
    refuse_bsn(text, field=field)
    if not text:
        if field in _REQUIRED_CONTACT_FIELDS:
            raise ValidationError("input.empty", {"field": field}, field=field)
        return ""
    if field == "email":
        return normalise_email(text)
    if field == "phone":
        return normalise_phone(text, contact.country or "NL")
    if field == "postcode":
        return normalise_postcode(text, contact.country or "NL")
    if field == "country":
        if not re.fullmatch(r"[A-Za-z]{2}", text):
            raise ValidationError("privacy.country_code", field=field)
        return text.upper()
    return text


@transaction.atomic
def rectification_proposal_add(*, actor, request: PrivacyRequest, field: str, value: str) -> RectificationProposal:
    """The subject (or staff on their behalf) proposes a new value for one detail."""
    check_own_or_handler(actor, request)
    current = lock_request(request)
    actions.require_available(current, actions.ADD_RECTIFICATION)
    contact = Contact.objects.get(pk=current.contact_id)
    value = clean_proposal_value(field, value, contact)
    proposal = RectificationProposal.objects.create(
        request=current, contact=contact, field=field, value=value, proposed_at=clock.now()
    )
    audit(
        actor,
        "privacy.rectification.propose",
        current,
        object_type="privacy.rectificationproposal",
        ids=[proposal.pk],
        field=field,
    )
    return proposal


def _lock_proposal(proposal: RectificationProposal) -> tuple[RectificationProposal, PrivacyRequest]:
    current = RectificationProposal.objects.select_for_update().get(pk=proposal.pk)
    request = lock_request(current.request)
    require_verified(request)
    if current.status != RectificationProposal.Status.PENDING:
        raise ValidationError("privacy.proposal_decided_already", field="status")
    return current, request


@transaction.atomic
def rectification_proposal_approve(*, actor, proposal: RectificationProposal) -> RectificationProposal:
    """Apply the new value through the contact service (which keeps the old value briefly), and
    make a notice task for every recipient of that data category (X3)."""
    require_person_handler(actor)
    current, request = _lock_proposal(proposal)
    if current.contact_id is None:
        raise ValidationError("privacy.contact_gone", field="contact")
    contact = Contact.objects.get(pk=current.contact_id)
    contact_update(actor=actor, contact=contact, data={current.field: current.value}, purpose="U1")
    now = clock.now()
    current.status = RectificationProposal.Status.APPROVED
    current.value = ""  # the contact person holds it now
    current.decided_at = now
    current.decided_by = actor
    current.save(update_fields=["status", "value", "decided_at", "decided_by"])
    category = datamap.entry_for(CONTACT).fields[current.field].category
    touched = notify_recipients(request, [category], RecipientNotice.Cause.RECTIFICATION, now)
    audit(
        actor,
        "privacy.rectification.approve",
        request,
        object_type="privacy.rectificationproposal",
        ids=[current.pk],
        field=current.field,
        notices=[n.pk for n in touched],
    )
    return current


@transaction.atomic
def rectification_proposal_reject(*, actor, proposal: RectificationProposal, reason: str) -> RectificationProposal:
    require_person_handler(actor)
    reason = clean_free_text(reason, field="reason", required=True)
    current, request = _lock_proposal(proposal)
    current.status = RectificationProposal.Status.REJECTED
    current.reject_reason = reason
    current.decided_at = clock.now()
    current.decided_by = actor
    current.save(update_fields=["status", "reject_reason", "decided_at", "decided_by"])
    audit(
        actor,
        "privacy.rectification.reject",
        request,
        object_type="privacy.rectificationproposal",
        ids=[current.pk],
        field=current.field,
    )
    return current
