"""The public privacy-request form and the pages the one-time links in its mails open (G7, G8).

- The form registers the request with the privacy services, which find the person and send the
  lightest identity check that suffices: a one-time link to an e-mail address on file, else a
  link to upload a redacted ID copy. The page answers the same for everyone — whether we know
  the person, do not, or cannot tell who is meant: it never reveals who is a customer.
- `/privacyverzoek/bevestigen/<link>/<token>/`: confirm with a button (a mail scanner that
  opens the link does not use it up); `/privacyverzoek/identiteit/<link>/<token>/`: upload the
  redacted copy, stored encrypted by `id_document_upload`. A link that is unknown, used,
  replaced, expired, locked or of a closed request gets a page that says so; nothing changes. A
  request nobody confirmed within 14 days is closed by the daily run: its link's page says
  that, and how to ask again.
"""

from __future__ import annotations

import logging
import uuid

from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from waarborg.core import clock
from waarborg.core.errors import NotFound, ValidationError, WaarborgError
from waarborg.privacy.handling import SUBJECT
from waarborg.privacy.identity import (
    ID_DOCUMENT_DAYS,
    LINK_HOURS,
    LINK_MAX_ATTEMPTS,
    UNCONFIRMED_DAYS,
    id_document_upload,
    privacy_request_start_verification,
    privacy_request_verify_email_link,
)
from waarborg.privacy.intake import privacy_request_create
from waarborg.privacy.models import PrivacyRequest, VerificationLink
from waarborg.public.request_forms import SERVICE_FIELDS, IdUploadForm, PublicRequestForm
from waarborg.web import privacy_texts

log = logging.getLogger(__name__)

# Who acts when someone uses the public form or a one-time link (the audit trail's actor).
ACTOR = SUBJECT
# Refusals that depend on who the identifiers belong to: never shown, the answer is the same.
WHO_FIELDS = frozenset({"email", "phone", "customer", "customer_number", "name", "postcode"})
KOPIEID_URL = (
    "https://www.rijksoverheid.nl/onderwerpen/identiteitsfraude/vraag-en-antwoord/veilige-kopie-identiteitsbewijs"
)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def request_form(request):
    form = PublicRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        made = None
        try:
            made = privacy_request_create(
                actor=ACTOR,
                channel=PrivacyRequest.Channel.FORM,
                language=privacy_texts.lang(),
                **form.service_kwargs(),
            )
        except NotFound:
            made = None  # nobody known by these details: the same answer
        except ValidationError as error:
            if error.field not in WHO_FIELDS:
                privacy_texts.add_service_error(form, error, SERVICE_FIELDS)
        if not form.errors:
            if made is not None and made.is_open and made.subject_rows and not made.is_verified:
                _start_check(made)
            return redirect("public:request_received")
    return render(
        request,
        "public/requests/form.html",
        {"form": form, "type_help": privacy_texts.TYPE_HELP, "signed_in_customer": _is_customer(request.user)},
    )


def _is_customer(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and not user.is_staff_role)


def _start_check(made: PrivacyRequest) -> None:
    """Send the identity check; a mail that cannot go out now is left to the privacy officer,
    who sees the request unverified in the queue (the visitor's answer stays the same)."""
    try:
        privacy_request_start_verification(actor=ACTOR, request=made)
    except (OSError, ValidationError) as exc:
        log.warning("privacy request %s: identity check not sent (%s)", made.pk, type(exc).__name__)


@never_cache
def request_received(request):
    return render(request, "public/requests/received.html", {"link_hours": LINK_HOURS})


# --- The one-time links -----------------------------------------------------------------------

# What went wrong with a link, from the code of the services' refusal (or from looking before use).
PROBLEMS = ("invalid", "unconfirmed", "used", "replaced", "expired", "locked", "closed", "verified")
_PROBLEM_BY_CODE = {
    "privacy.closed_unconfirmed": "unconfirmed",
    "privacy.link_used": "used",
    "privacy.link_replaced": "replaced",
    "privacy.link_expired": "expired",
    "privacy.link_locked": "locked",
    "privacy.closed": "closed",
    "privacy.already_verified": "verified",
}


def _problem_of(error: WaarborgError) -> str:
    return _PROBLEM_BY_CODE.get(error.code, "invalid")


def link_problem(link_id: str, kind: str) -> str | None:
    """What stands in the way of using the link, read before use (nothing is written; the token
    is checked, and a wrong one counted, only when the link is used)."""
    try:
        public_id = uuid.UUID(str(link_id))
    except ValueError:
        return "invalid"
    link = VerificationLink.objects.select_related("request").filter(public_id=public_id, kind=kind).first()
    if link is None:
        return "invalid"
    if link.request.status == PrivacyRequest.Status.UNCONFIRMED:
        return "unconfirmed"  # closed because nobody confirmed it: say so, not "expired"
    if link.used_at is not None:
        return "used"
    if link.revoked_at is not None:
        return "replaced"
    if clock.now() >= link.expires_at:
        return "expired"
    if link.failed_attempts >= LINK_MAX_ATTEMPTS:
        return "locked"
    if not link.request.is_open:
        return "closed"
    if link.request.is_verified:
        return "verified"
    return None


def _problem_page(request, problem: str):
    status = 404 if problem == "invalid" else 410
    context = {"problem": problem, "link_hours": LINK_HOURS, "unconfirmed_days": UNCONFIRMED_DAYS}
    return render(request, "public/requests/link_problem.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, link: str, token: str):
    problem = link_problem(link, VerificationLink.Kind.EMAIL_LINK)
    if problem is not None:
        return _problem_page(request, problem)
    if request.method != "POST":
        return render(request, "public/requests/confirm.html")
    try:
        verified = privacy_request_verify_email_link(link_id=link, token=token)
    except (ValidationError, NotFound) as error:
        return _problem_page(request, _problem_of(error))
    return render(
        request,
        "public/requests/confirmed.html",
        {"req": verified, "answer_by": verified.extended_due or verified.promise_due},
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def upload(request, link: str, token: str):
    problem = link_problem(link, VerificationLink.Kind.ID_UPLOAD)
    if problem is not None:
        return _problem_page(request, problem)
    form = IdUploadForm(request.POST, request.FILES) if request.method == "POST" else IdUploadForm()
    if request.method == "POST" and form.is_valid():
        content, content_type = form.content()
        try:
            id_document_upload(
                link_id=link,
                token=token,
                content=content,
                content_type=content_type,
                redaction_confirmed=form.cleaned_data["redaction_confirmed"],
            )
        except NotFound as error:
            return _problem_page(request, _problem_of(error))
        except ValidationError as error:
            if error.field not in ("file", "redaction_confirmed"):
                return _problem_page(request, _problem_of(error))
            privacy_texts.add_service_error(
                form, error, SERVICE_FIELDS | {"redaction_confirmed": "redaction_confirmed"}
            )
        else:
            return render(request, "public/requests/uploaded.html", {"id_days": ID_DOCUMENT_DAYS})
    return render(
        request,
        "public/requests/upload.html",
        {"form": form, "kopieid_url": KOPIEID_URL, "id_days": ID_DOCUMENT_DAYS},
    )
