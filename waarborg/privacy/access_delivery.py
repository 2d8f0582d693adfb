"""Answering a verified access request (art. 15, G1) with its package, delivered.

`access_deliver` builds the package (`fulfil.privacy_request_fulfil`), answers the request and
hands the package over, in one transaction — no answer without its delivery:

- by e-mail: a one-time download link (`delivery.issue_link`) in the answer itself, which says
  until when it works and that it works once; a customer with a portal account can download the
  same package once in the portal instead (`delivery.portal_package_take`): one download in all;
- by post (asked by post, or no e-mail address): no link; the answer is a letter, and the privacy
  officer prints the package or puts it on a data carrier (`access_package_read`).

A mail that cannot be sent is refused with a code and changes nothing.
"""

from __future__ import annotations

import smtplib
import socket
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from waarborg.accounts.models import Account
from waarborg.core import clock, roles
from waarborg.core.errors import ValidationError
from waarborg.privacy import notices
from waarborg.privacy.delivery import Recipient, issue_link, package_file
from waarborg.privacy.fulfil import package_path, privacy_request_fulfil
from waarborg.privacy.handling import audit, lock_request, require_type, require_verified
from waarborg.privacy.models import DownloadLink, PrivacyRequest, RecipientNotice
from waarborg.privacy.selectors import require_handler

Type = PrivacyRequest.Type
PORTAL_PATH = "/portaal/privacyverzoeken/{pk}/"  # the request's page in the portal (portal:request)
MAIL_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, socket.gaierror)


@dataclass(frozen=True)
class AccessDelivery:
    request: PrivacyRequest
    link: DownloadLink | None  # None when the package goes by post
    in_portal: bool  # the customer can download it in the portal too
    notice: notices.Notice  # the answer: e-mailed, or the letter to post


def has_portal(request: PrivacyRequest) -> bool:
    """The request shows in a customer's portal (its account, or an account of its contact person)."""
    if not (request.account_id or request.contact_id):
        return False
    own = Q(pk=request.account_id) if request.account_id else Q()
    if request.contact_id:
        own |= Q(contact_id=request.contact_id)
    return Account.objects.filter(own, is_active=True, role=roles.CUSTOMER).exists()


def portal_url(request: PrivacyRequest) -> str:
    return settings.WAARBORG_SITE_URL + PORTAL_PATH.format(pk=request.pk)


def _until(moment, lang: str) -> str:
    local = moment.astimezone(clock.AMSTERDAM)
    hour = local.strftime("%H:%M")
    return f"{notices.format_date(local.date(), lang)} {'om' if lang == 'nl' else 'at'} {hour}"


def access_deliver(*, actor, request: PrivacyRequest, note: str = "", by_post: bool = False) -> AccessDelivery:
    """Build the package of a verified access request, answer it, and deliver the package.

    Refused, with nothing changed: another type of request, a request not verified or already
    answered, no e-mail address without `by_post`, a mail that cannot be sent now.
    """
    require_handler(actor)
    require_type(request, Type.ACCESS)
    try:
        with transaction.atomic():
            current = lock_request(request)
            require_verified(current)
            if not by_post and not current.email:
                raise ValidationError("privacy.no_email_send_by_post", field="by_post")
            lang = current.language
            link, details = None, {"how": "post"}
            in_portal = not by_post and has_portal(current)
            if not by_post:
                link, url = issue_link(
                    current,
                    recipient=Recipient.SUBJECT,
                    sent_to=current.email,
                    package_name=package_path(current).name,
                    now=clock.now(),
                )
                details = {
                    "how": "link",
                    "url": url,
                    "until": _until(link.expires_at, lang),
                    "portal": in_portal,
                    "portal_url": portal_url(current) if in_portal else "",
                }
                audit(
                    actor,
                    "privacy.package.deliver",
                    current,
                    object_type="privacy.downloadlink",
                    ids=[link.pk],
                    to=link.recipient,
                    by="link",
                    emailed=True,
                    portal=in_portal,
                )
            _path, _counts = privacy_request_fulfil(
                actor=actor, request=current, note=note, by_post=by_post, delivery=details
            )
            current.refresh_from_db()
            text = notices.render(
                "answer", lang, notices.base_context(current, lang) | _answer_context(current, details)
            )
    except MAIL_ERRORS:  # the answer could not be mailed: rolled back, the package removed
        raise ValidationError("privacy.delivery_mail_failed", field="by_post") from None
    request.refresh_from_db()
    return AccessDelivery(request, link, in_portal, notices.Notice(request, text.subject, text.body, not by_post))


def _answer_context(current: PrivacyRequest, details: dict) -> dict:
    """What `privacy_request_complete` put into the answer, read back from the answered request."""
    recipients = sorted(
        RecipientNotice.objects.filter(request=current, status=RecipientNotice.Status.DONE)
        .values_list("recipient__name", flat=True)
        .distinct()
    )
    return {
        "note": current.answer_note,
        "package_ref": current.package_ref,
        "delivery": details,
        "recipients": recipients,
    }


def access_package_read(*, actor, request: PrivacyRequest) -> tuple[bytes, str]:
    """The stored package of an access request answered by post, for the privacy officer to print or
    put on a data carrier; every read is recorded."""
    require_handler(actor)
    require_type(request, Type.ACCESS)
    if request.status != PrivacyRequest.Status.COMPLETED or request.answered_by != "post" or not request.package_ref:
        raise ValidationError("privacy.package_not_by_post", field="status")
    try:
        data = package_file(request.package_ref).read_bytes()
    except (FileNotFoundError, ValueError):
        raise ValidationError("privacy.package_not_stored", field="package") from None
    with transaction.atomic():
        audit(actor, "privacy.package.read", request, by="post")
    return data, request.package_ref
