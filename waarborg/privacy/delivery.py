"""Delivering a portability package (art. 20, G6): to the subject, or to the organisation they name.

After the identity check, `portability_deliver` builds the package and answers the request
(`fulfil.privacy_request_fulfil`), then hands the package over:

- to the subject: a one-time download link, mailed to the address given (or returned for a
  letter when there is none);
- to another organisation the subject named (`transmit_to`): an e-mail address gets the same
  kind of link; an https:// address gets the ZIP by HTTPS POST (`portability_push`), with a
  timeout; a failure is recorded and can be tried again. Plain http:// is refused — except to
  this machine when DEBUG or the test setting WAARBORG_ALLOW_HTTP_PUSH is on.

A link's token is random; only its keyed hash is stored. A link expires after `LINK_DAYS` days,
serves the ZIP once and locks after a few wrong tokens. Audit events name ids and kinds, never
an address or a URL.

The same links carry an access package (`access_delivery`); the portal offers that package to its
customer once as well (`portal_package_take`), spending the mailed link with it.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import ssl
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction

from waarborg.core import clock
from waarborg.core.access import is_customer_viewer
from waarborg.core.crypto import keyed_hash, keyed_hash_matches
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError
from waarborg.core.identifiers import normalise_email
from waarborg.privacy import notices
from waarborg.privacy.fulfil import PACKAGE_DIR, privacy_request_fulfil
from waarborg.privacy.handling import SUBJECT, audit
from waarborg.privacy.models import DownloadLink, PackagePush, PrivacyRequest
from waarborg.privacy.selectors import check_own_or_handler, require_handler

log = logging.getLogger(__name__)

DOWNLOAD_PATH = "/privacyverzoek/download/{link}/{token}/"
LINK_DAYS = 7
LINK_MAX_ATTEMPTS = 5  # wrong tokens before a link locks
PUSH_TIMEOUT = 30  # seconds
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})

Recipient = DownloadLink.Recipient


@dataclass(frozen=True)
class Delivery:
    request: PrivacyRequest
    link: DownloadLink | None
    push: PackagePush | None
    emailed: bool  # the link went out by e-mail
    url: str  # only when the link was not e-mailed (to post); never kept


# --- Where it goes ------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return keyed_hash(token or "", purpose="privacy-download")


def check_push_url(url: str) -> str:
    """An https:// address of the organisation; http:// only to this machine in development."""
    parts = urlsplit((url or "").strip())
    if parts.username or parts.password:
        raise ValidationError("privacy.push_url_credentials", field="transmit_to")
    if parts.scheme == "https" and parts.hostname:
        return parts.geturl()
    allow_http = settings.DEBUG or getattr(settings, "WAARBORG_ALLOW_HTTP_PUSH", False)
    if parts.scheme == "http" and parts.hostname in LOOPBACK and allow_http:
        return parts.geturl()
    raise ValidationError("privacy.push_url_not_https", field="transmit_to")


def destination(request: PrivacyRequest) -> tuple[str, str]:
    """(kind, address): ("subject", e-mail or ""), ("email", address) or ("push", URL)."""
    target = (request.transmit_to or "").strip()
    if not target:
        return "subject", request.email
    if "://" in target:
        return "push", check_push_url(target)
    try:
        return "email", normalise_email(target)
    except ValidationError:
        raise ValidationError("privacy.destination_invalid", field="transmit_to") from None


def package_file(name: str) -> Path:
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise ValueError("not a package name")
    return Path(settings.FILES_DIR) / PACKAGE_DIR / name


def issue_link(request: PrivacyRequest, *, recipient: str, sent_to: str, package_name: str, now) -> tuple:
    """A new one-time link to the stored package: (the link, its URL). Only the token's keyed hash
    is kept; the URL is returned to be mailed or printed, never stored."""
    token = secrets.token_urlsafe(32)
    link = DownloadLink.objects.create(
        request=request,
        recipient=recipient,
        sent_to=sent_to,
        package_name=package_name,
        token_hash=_token_hash(token),
        created_at=now,
        expires_at=now + dt.timedelta(days=LINK_DAYS),
    )
    return link, settings.WAARBORG_SITE_URL + DOWNLOAD_PATH.format(link=link.public_id, token=token)


# --- Delivery -----------------------------------------------------------------------------


def portability_deliver(*, actor, request: PrivacyRequest, note: str = "", by_post: bool = False) -> Delivery:
    """Build the package of a verified portability request, answer it, and deliver the package.

    The answer, the package, the link or push record and the link's mail are one transaction:
    nothing is answered without its delivery. A push goes out after that, and is recorded
    whether it worked or not (retry with `portability_push`).
    """
    require_handler(actor)
    if request.type != PrivacyRequest.Type.PORTABILITY:
        raise ValidationError("privacy.portability_only", field="type")
    kind, address = destination(request)
    path = None
    try:
        with transaction.atomic():
            path, _counts = privacy_request_fulfil(actor=actor, request=request, note=note, by_post=by_post)
            now = clock.now()
            link = push = None
            url, emailed = "", False
            if kind == "push":
                push = PackagePush.objects.create(request=request, url=address, package_name=path.name, created_at=now)
                audit(
                    actor,
                    "privacy.package.deliver",
                    request,
                    object_type="privacy.packagepush",
                    ids=[push.pk],
                    to="organisation",
                    by="https",
                )
            else:
                link, url = issue_link(
                    request,
                    recipient=Recipient.SUBJECT if kind == "subject" else Recipient.ORGANISATION,
                    sent_to=address if not (kind == "subject" and by_post) else "",
                    package_name=path.name,
                    now=now,
                )
                emailed = bool(link.sent_to)
                audit(
                    actor,
                    "privacy.package.deliver",
                    request,
                    object_type="privacy.downloadlink",
                    ids=[link.pk],
                    to=link.recipient,
                    by="link",
                    emailed=emailed,
                )
                if emailed:
                    name = "package_link" if kind == "subject" else "package_link_organisation"
                    lang = request.language
                    context = notices.base_context(request, lang) | {"url": url, "link_days": LINK_DAYS}
                    notices.send([link.sent_to], notices.render(name, lang, context))
    except BaseException:
        if path is not None:
            path.unlink(missing_ok=True)
        raise
    if push is not None:
        push = portability_push(actor=actor, push=push)
    return Delivery(request, link, push, emailed, "" if emailed else url)


# --- The push (art. 20(2)) ----------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is not followed: the data goes to the address named, or not at all."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _post(url: str, data: bytes, *, filename: str, reference: str) -> str:
    """POST the ZIP; "" when the organisation took it (2xx), else a short error code."""
    opener = urllib.request.build_opener(_NoRedirect, urllib.request.HTTPSHandler(context=ssl.create_default_context()))
    # The scheme is https (or http to this machine in development): check_push_url.
    req = urllib.request.Request(  # noqa: S310
        url,
        data=data,
        method="POST",
        headers={
            "Content-Type": "application/zip",
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Privacy-Request": reference,
        },
    )
    try:
        with opener.open(req, timeout=PUSH_TIMEOUT) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        return f"http {exc.code}"
    except TimeoutError:
        return "timeout"
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, ssl.SSLError):
            return "tls"
        if isinstance(exc.reason, TimeoutError):
            return "timeout"
        return "unreachable"
    except ssl.SSLError:
        return "tls"
    except OSError:
        return "unreachable"
    return "" if 200 <= status < 300 else f"http {status}"


def portability_push(*, actor, push: PackagePush) -> PackagePush:
    """Send (or send again) the package to the organisation's https:// address; recorded either way."""
    require_handler(actor)
    with transaction.atomic():
        current = PackagePush.objects.select_for_update().select_related("request").get(pk=push.pk)
        if current.status == PackagePush.Status.SENT:
            raise ValidationError("privacy.package_sent_already", field="status")
        url = check_push_url(current.url)
        try:
            data = package_file(current.package_name).read_bytes()
        except FileNotFoundError:
            raise ValidationError("privacy.package_not_stored", field="package") from None
    error = _post(url, data, filename=current.package_name, reference=current.request.number)
    with transaction.atomic():
        current = PackagePush.objects.select_for_update().select_related("request").get(pk=push.pk)
        now = clock.now()
        current.attempts += 1
        current.last_attempt_at = now
        current.last_error = error
        if error:
            current.status = PackagePush.Status.FAILED
        else:
            current.status = PackagePush.Status.SENT
            current.sent_at = now
        current.save(update_fields=["attempts", "last_attempt_at", "last_error", "status", "sent_at"])
        audit(
            actor,
            "privacy.package.push",
            current.request,
            object_type="privacy.packagepush",
            ids=[current.pk],
            result=current.status,
            error=error,
            attempt=current.attempts,
        )
    if error:
        log.warning("privacy package push %s failed (%s)", current.pk, error)
    return current


# --- The download link --------------------------------------------------------------------


def download_link_problem(link_id) -> str | None:
    """What stands in the way of the link, read before use (nothing written, token not checked)."""
    try:
        public_id = uuid.UUID(str(link_id))
    except ValueError:
        return "invalid"
    link = DownloadLink.objects.filter(public_id=public_id).first()
    if link is None:
        return "invalid"
    return _problem(link)


def _problem(link: DownloadLink) -> str | None:
    if link.used_at is not None:
        return "used"
    if clock.now() >= link.expires_at:
        return "expired"
    if link.failed_attempts >= LINK_MAX_ATTEMPTS:
        return "locked"
    return None


def _refuse_problem(problem: str | None) -> None:
    """Refuse a link that cannot be used (see `_problem`)."""
    if problem == "used":
        raise ValidationError("privacy.link_used", field="token")
    if problem == "expired":
        raise ValidationError("privacy.download_link_expired", {"days": LINK_DAYS}, field="token")
    if problem == "locked":
        raise ValidationError("privacy.download_link_locked", field="token")


def _spend(link: DownloadLink, actor, **data) -> bytes:
    """The package's bytes; the (locked) link is used up by it, and the download audited."""
    try:
        content = package_file(link.package_name).read_bytes()
    except FileNotFoundError:
        raise ValidationError("privacy.package_gone", field="token") from None
    link.used_at = clock.now()
    link.save(update_fields=["used_at"])
    audit(
        actor,
        "privacy.package.download",
        link.request,
        object_type="privacy.downloadlink",
        ids=[link.pk],
        to=link.recipient,
        **data,
    )
    return content


def download_link_take(*, link_id, token: str) -> tuple[bytes, str]:
    """Serve the package once: (ZIP bytes, file name). The link is spent by it."""
    try:
        public_id = uuid.UUID(str(link_id))
    except ValueError:
        raise NotFound("privacy.link_invalid") from None
    refused = None
    with transaction.atomic():
        link = DownloadLink.objects.select_for_update().select_related("request").filter(public_id=public_id).first()
        if link is None:
            raise NotFound("privacy.link_invalid")
        _refuse_problem(_problem(link))
        if not keyed_hash_matches(link.token_hash, token or "", purpose="privacy-download"):
            link.failed_attempts += 1
            link.save(update_fields=["failed_attempts"])
            if link.failed_attempts >= LINK_MAX_ATTEMPTS:
                audit(
                    SUBJECT,
                    "privacy.package.link_locked",
                    link.request,
                    object_type="privacy.downloadlink",
                    ids=[link.pk],
                )
            refused = NotFound("privacy.link_invalid")
        else:
            data = _spend(link, SUBJECT)
    if refused is not None:
        raise refused
    return data, link.package_name


# --- In the portal (an access package) ----------------------------------------------------


def portal_link(request: PrivacyRequest) -> DownloadLink | None:
    """The link of an access request's package that the portal offers too: one download in all."""
    if request.type != PrivacyRequest.Type.ACCESS:
        return None
    return request.download_links.filter(recipient=Recipient.SUBJECT).exclude(sent_to="").order_by("-pk").first()


def link_state(link: DownloadLink) -> str:
    """ "open", or what stands in the way: "used", "expired" or "locked"."""
    return _problem(link) or "open"


def portal_package_take(*, actor, request: PrivacyRequest) -> tuple[bytes, str]:
    """Serve a customer their own access package in the portal, once: the mailed link is spent by it."""
    if not is_customer_viewer(actor):
        raise PermissionDenied("privacy.portal_download_own")
    check_own_or_handler(actor, request)  # another's request: NotFound
    found = portal_link(request)
    if found is None:
        raise NotFound("privacy.no_package_in_portal")
    with transaction.atomic():
        link = DownloadLink.objects.select_for_update().select_related("request").get(pk=found.pk)
        _refuse_problem(_problem(link))
        data = _spend(link, actor, via="portal")
    return data, link.package_name
