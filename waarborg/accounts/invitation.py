"""A customer's contact person invited to the portal: support (or whoever may change the
customer's contacts) makes a portal account for the contact's own e-mail address, without a
usable password, and a one-time link valid 72 hours goes to that address, where the contact
chooses a password (the same link and page as a new staff member's: waarborg.accounts.enrolment).

Refused: a contact without an e-mail address, one with an account already, an address another
account signs in with. Atomic and audited; the token is never stored, only its keyed hash."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction

from waarborg.accounts.enrolment import VALID_HOURS, Invitation, token_hash
from waarborg.accounts.models import Account, EnrolmentLink
from waarborg.audit.services import audit_record
from waarborg.core import clock, roles
from waarborg.core.access import check_actor
from waarborg.core.errors import ValidationError
from waarborg.core.identifiers import normalise_email
from waarborg.customers.models import Contact
from waarborg.customers.services import customer_ref


@transaction.atomic
def portal_invite(*, actor, contact: Contact, purpose: str = "U2") -> Invitation:
    """A portal account for `contact` and its one-time link (to be mailed to the contact)."""
    check_actor(actor=actor, scope="contacts", customer_id=contact.customer_id)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if not contact.email:
        raise ValidationError("invitation.no_email", field="email")
    if Account.objects.filter(contact=contact).exists():
        raise ValidationError("invitation.has_account", field="contact")
    email = normalise_email(contact.email)
    if Account.objects.filter(email=email).exists():
        raise ValidationError("accounts.email_taken", field="email")
    account = Account(email=email, role=roles.CUSTOMER, contact=contact, is_active=True)
    account.set_unusable_password()
    account.save()
    token = secrets.token_urlsafe(32)
    now = clock.now()
    link = EnrolmentLink.objects.create(
        account=account, token_hash=token_hash(token), created_at=now, expires_at=now + dt.timedelta(hours=VALID_HOURS)
    )
    subject = customer_ref(contact.customer_id)
    audit_record(
        actor=actor,
        action="account.invite",
        purpose=purpose,
        object_type="accounts.account",
        object_ids=[account.pk],
        subject_ref=subject,
        data={"fields": ["email", "contact"], "role": roles.CUSTOMER, "link": link.pk, "valid_hours": VALID_HOURS},
    )
    return Invitation(account=account, link=link, token=token)
