"""The newsletter (U6, U10): only to contact persons whose consent stands and who did not object.

Before each mail: consent_is_given(kind="marketing_email", contact=…) and processing_allowed for
both purposes the consent serves (U6, U10); a withdrawal, a refusal, an objection, a withdrawal by
privacy request or a restriction means no mail. A contact person of a customer whose contract has
ended (R2: its erasure is on the way) or whose records are locked away (R4) gets nothing either. Every mail carries a one-click unsubscribe link (a signed
token in the address; also as List-Unsubscribe with One-Click, RFC 8058) that withdraws the
consent. The audit trail gets the counts, never an address.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse

from waarborg.audit.services import audit_record
from waarborg.consents.models import CONSENT_PURPOSES
from waarborg.consents.selectors import consent_is_given
from waarborg.consents.services import consent_withdraw
from waarborg.core.actors import System
from waarborg.core.errors import NotFound, ValidationError
from waarborg.customers.models import Contact, Customer
from waarborg.privacy.selectors import processing_allowed

KIND = "marketing_email"
PURPOSES = CONSENT_PURPOSES[KIND][2]  # ("U6", "U10")
UNSUBSCRIBE_ACTOR = System("unsubscribe_link")
_SALT = "waarborg.engagement.unsubscribe"
SUBJECT_MAX = 200
BODY_MAX = 100_000

FOOTER = (
    "U ontvangt deze e-mail omdat u toestemming gaf voor onze nieuwsbrief.\n"
    "Afmelden met één klik: {url}\n"
    "\n"
    "You receive this e-mail because you consented to our newsletter.\n"
    "Unsubscribe with one click: {url}\n"
)


# --- The unsubscribe link ---------------------------------------------------------------


def unsubscribe_token(contact: Contact) -> str:
    return signing.dumps(contact.pk, salt=_SALT)


def unsubscribe_url(contact: Contact) -> str:
    return settings.WAARBORG_SITE_URL + reverse("engagement:unsubscribe", args=[unsubscribe_token(contact)])


def _contact_of(token: str) -> Contact:
    try:
        pk = signing.loads(token or "", salt=_SALT)
    except signing.BadSignature:
        raise NotFound("engagement.unsubscribe_link_invalid") from None
    contact = Contact.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if contact is None:
        raise NotFound("engagement.unsubscribe_link_invalid")
    return contact


@transaction.atomic
def newsletter_unsubscribe(*, token: str) -> int:
    """Withdraw the newsletter consent of the contact person the link was made for (G4).

    One step, like giving it; returns how many standing consent records were withdrawn (0 when
    it had been withdrawn already). The withdrawal is audited by consent_withdraw.
    """
    contact = _contact_of(token)
    withdrawn = len(consent_withdraw(actor=UNSUBSCRIBE_ACTOR, kind=KIND, contact=contact))
    for account in contact.accounts.all().order_by("pk"):
        withdrawn += len(consent_withdraw(actor=UNSUBSCRIBE_ACTOR, kind=KIND, account=account, contact=contact))
    return withdrawn


# --- Who receives it --------------------------------------------------------------------


@dataclass
class Audience:
    recipients: list[Contact] = field(default_factory=list)
    without_consent: int = 0  # no standing consent: never given, refused or withdrawn
    stopped: int = 0  # consent stands, but an objection, a withdrawal request or a restriction stops it
    locked: int = 0  # the contract has ended (its erasure is on the way), or the records are locked away (R4)


def may_receive(contact: Contact) -> bool:
    """The newsletter may go to this contact person now."""
    return _reason_not(contact) is None


def _reason_not(contact: Contact) -> str | None:
    if not consent_is_given(kind=KIND, contact=contact):
        return "without_consent"
    customer = contact.customer
    if customer.restricted_at is not None or customer.status == Customer.Status.ENDED:
        return "locked"
    if not all(processing_allowed(contact, purpose) for purpose in PURPOSES):
        return "stopped"
    return None


def audience() -> Audience:
    result = Audience()
    candidates = (
        Contact.objects.filter(consents__kind=KIND, consents__granted=True, consents__withdrawn_at__isnull=True)
        .select_related("customer")
        .distinct()
        .order_by("pk")
    )
    for contact in candidates:
        reason = _reason_not(contact)
        if reason is None:
            result.recipients.append(contact)
        elif reason != "without_consent":
            setattr(result, reason, getattr(result, reason) + 1)
    result.without_consent = Contact.objects.count() - len(result.recipients) - result.stopped - result.locked
    return result


# --- Sending ----------------------------------------------------------------------------


@dataclass
class SendResult:
    sent: int
    without_consent: int
    stopped: int
    locked: int
    failed: int
    dry_run: bool
    error: str = ""  # the mail server's failure that ended the run, if any

    def counts(self) -> dict:
        return {
            "sent": self.sent,
            "without_consent": self.without_consent,
            "stopped": self.stopped,
            "locked": self.locked,
            "failed": self.failed,
            "dry_run": self.dry_run,
        }


def _clean(subject: str, body: str) -> tuple[str, str]:
    subject = (subject or "").strip()
    if not subject:
        raise ValidationError("engagement.subject_empty", field="subject")
    if "\n" in subject or "\r" in subject or len(subject) > SUBJECT_MAX:
        raise ValidationError("engagement.subject_form", {"max": SUBJECT_MAX}, field="subject")
    body = (body or "").strip()
    if not body:
        raise ValidationError("engagement.body_empty", field="body")
    if len(body) > BODY_MAX:
        raise ValidationError("engagement.body_too_long", {"max": BODY_MAX}, field="body")
    return subject, body


def message_for(contact: Contact, subject: str, body: str, connection=None) -> EmailMessage:
    url = unsubscribe_url(contact)
    return EmailMessage(
        subject=subject,
        body=f"{body}\n\n-- \n{FOOTER.format(url=url)}",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[contact.email],
        headers={"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        connection=connection,
    )


def newsletter_send(*, actor, subject: str, body: str, dry_run: bool = False) -> SendResult:
    """Send the newsletter to every contact person who may receive it, one mail each.

    Each contact person is checked again right before their mail (a withdrawal meanwhile counts).
    A refused address is counted as failed and the run goes on; when the mail server fails, the
    run stops, and the result says how far it got. The audit event holds the counts only.
    """
    subject, body = _clean(subject, body)
    planned = audience()
    result = SendResult(0, planned.without_consent, planned.stopped, planned.locked, 0, dry_run)
    if dry_run:
        result.sent = len(planned.recipients)
        _audit(actor, result)
        return result
    connection = None
    done = 0  # recipients dealt with (sent, refused, or found stopped meanwhile)
    try:
        if planned.recipients:
            connection = get_connection()
            connection.open()
        for contact in planned.recipients:
            reason = _reason_not(contact)
            if reason is not None:
                setattr(result, reason, getattr(result, reason) + 1)
            else:
                try:
                    connection.send_messages([message_for(contact, subject, body, connection)])
                except smtplib.SMTPRecipientsRefused:
                    result.failed += 1
                else:
                    result.sent += 1
            done += 1
    except (OSError, smtplib.SMTPException) as exc:
        result.error = type(exc).__name__
        result.failed += len(planned.recipients) - done
    finally:
        if connection is not None:
            try:
                connection.close()
            except (OSError, smtplib.SMTPException):
                pass
        _audit(actor, result)
    return result


@transaction.atomic
def _audit(actor, result: SendResult) -> None:
    audit_record(
        actor=actor,
        action="newsletter.dry_run" if result.dry_run else "newsletter.send",
        purpose=PURPOSES[0],
        object_type="engagement.newsletter",
        data=result.counts() | ({"error": result.error} if result.error else {}),
    )
