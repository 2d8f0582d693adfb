"""Answering a privacy request (X5, G10): extending the term once, refusing with reasons, and
completing a verified request with the answer.

`privacy_request_extend` adds two months, once, told to the requester within four weeks;
`privacy_request_refuse` closes a request with its reasons and the right to complain and to go
to court; `privacy_request_complete` closes a verified request once its type's steps are done
(proposals decided, erasure carried out, restriction in place, recipients told), stopping the
purposes of an objection or a withdrawal.
"""

from __future__ import annotations

import re

from django.db import transaction

from waarborg.accounts.models import Account
from waarborg.consents.models import CONSENT_PURPOSES
from waarborg.consents.services import consent_withdraw
from waarborg.core import clock
from waarborg.core.errors import ValidationError
from waarborg.core.messages.privacy import REFUSAL_PARTS
from waarborg.core.messages.words import Named
from waarborg.customers.models import Contact
from waarborg.customers.services import clean_choice
from waarborg.erasure.models import ErasureCase
from waarborg.privacy import actions, deadlines, notices
from waarborg.privacy.handling import (
    audit,
    copy_into,
    lock_request,
    require_verified,
    revoke_links,
    send_to_requester,
    unpause,
)
from waarborg.privacy.identity import destroy_pending_documents
from waarborg.privacy.models import PrivacyRequest, RecipientNotice, RectificationProposal
from waarborg.privacy.notices import Notice
from waarborg.privacy.processing_limits import stop_processing
from waarborg.privacy.selectors import consent_purposes, objectable_purposes, require_handler
from waarborg.privacy.validation import clean_free_text

_PACKAGE_REF = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

Type = PrivacyRequest.Type
Status = PrivacyRequest.Status


# --- Extension (X5) ---------------------------------------------------------------------


@transaction.atomic
def privacy_request_extend(*, actor, request: PrivacyRequest, reason: str, by_post: bool = False) -> Notice:
    """Extend the term by two further months (art. 12(3)): only with reasons, told to the requester on or
    before the promised date (day 28), and only once. The notice is e-mailed now, or — with
    `by_post` — posted today by the caller with the returned text.
    """
    require_handler(actor)
    reason = clean_free_text(reason, field="reason", required=True)
    current = lock_request(request)
    actions.require_available(current, actions.EXTEND, today=clock.today())
    now = clock.now()
    current.extended_due = deadlines.extended_due(current.received_at)
    current.extension_reason = reason
    current.extension_notice_sent_at = now
    current.save(update_fields=["extended_due", "extension_reason", "extension_notice_sent_at"])
    text = notices.render(
        "extension", current.language, notices.base_context(current, current.language) | {"reason": reason}
    )
    audit(actor, "privacy.request.extend", current, months=deadlines.MAX_EXTENSION_MONTHS, by_post=bool(by_post))
    emailed = send_to_requester(current, text, by_post=by_post)
    copy_into(request, current)
    return Notice(request, text.subject, text.body, emailed)


# --- Refusal (G10) ----------------------------------------------------------------------


_REFUSAL_MUST_SAY = {
    "nl": ("Autoriteit Persoonsgegevens", "rechtbank", "zes weken", "artikel 35"),
    "en": ("Autoriteit Persoonsgegevens", "rechtbank", "six weeks", "art. 35"),
}


def check_refusal_text(body: str, *, reason: str, lang: str) -> None:
    """A refusal states its reasons, the right to complain to the AP and the right to go to court."""
    missing = [phrase for phrase in _REFUSAL_MUST_SAY[lang] if phrase not in body]
    if reason not in body:
        missing.insert(0, "the reasons")
    if missing:
        raise ValidationError(
            "privacy.refusal_text_incomplete", {"missing": Named(REFUSAL_PARTS, *missing)}, field="reason"
        )


@transaction.atomic
def privacy_request_refuse(
    *,
    actor,
    request: PrivacyRequest,
    reason: str,
    ground: str = PrivacyRequest.Ground.OTHER,
    justification: str = "",
    earlier_requests=(),
    by_post: bool = False,
) -> Notice:
    """Refuse a request (art. 12(4)/(5)): with reasons, and the right to complain to the Autoriteit
    Persoonsgegevens and to petition the rechtbank within six weeks (UAVG art. 35(2)).

    "Manifestly unfounded" or "excessive" also needs a written justification and the earlier
    requests of the same person it rests on. Any ID copy still held is destroyed.
    """
    require_handler(actor)
    reason = clean_free_text(reason, field="reason", required=True)
    ground = clean_choice(ground, field="ground", choices=PrivacyRequest.Ground.choices)
    heavy = ground in (PrivacyRequest.Ground.MANIFESTLY_UNFOUNDED, PrivacyRequest.Ground.EXCESSIVE)
    justification = clean_free_text(justification, field="justification", required=heavy)
    current = lock_request(request)
    actions.require_available(current, actions.REFUSE)
    earlier = _clean_earlier(current, earlier_requests, required=heavy)
    context = notices.base_context(current, current.language) | {
        "reason": reason,
        "ground_label": notices.GROUND_LABELS[ground][notices.idx(current.language)],
        "justification": justification,
        "earlier": [e.number for e in earlier],
    }
    text = notices.render("refusal", current.language, context)
    check_refusal_text(text.body, reason=reason, lang=current.language)
    now = clock.now()
    current.status = Status.REFUSED
    current.refusal_ground = ground
    current.refusal_reason = reason
    current.refusal_justification = justification
    current.answered_at = now
    current.closed_at = now
    current.answered_by = "post" if by_post else "email"
    unpause(current, now)
    current.save()
    current.earlier_requests.set(earlier)
    revoke_links(current, now)
    destroyed = destroy_pending_documents(current, now)
    audit(actor, "privacy.request.refuse", current, ground=ground, earlier=[e.number for e in earlier])
    if destroyed:
        audit(actor, "privacy.id.destroy", current, object_type="privacy.iddocument", ids=destroyed, why="closed")
    emailed = send_to_requester(current, text, by_post=by_post)
    copy_into(request, current)
    return Notice(request, text.subject, text.body, emailed)


def _same_person(a: PrivacyRequest, b: PrivacyRequest) -> bool:
    if a.contact_id and a.contact_id == b.contact_id:
        return True
    if a.email and a.email == b.email:
        return True
    return bool(set(a.subject_rows or ()) & set(b.subject_rows or ()))


def _clean_earlier(request: PrivacyRequest, earlier_requests, *, required: bool) -> list[PrivacyRequest]:
    ids = [getattr(e, "pk", e) for e in earlier_requests or ()]
    if required and not ids:
        raise ValidationError("privacy.earlier_requests_missing", field="earlier_requests")
    found = list(PrivacyRequest.objects.filter(pk__in=ids).order_by("received_at", "pk"))
    if len(found) != len(set(ids)):
        raise ValidationError("privacy.earlier_request_unknown", field="earlier_requests")
    for other in found:
        if other.pk == request.pk or other.received_at > request.received_at or not _same_person(request, other):
            raise ValidationError("privacy.not_an_earlier_request", {"number": other.number}, field="earlier_requests")
    return found


# --- Completion -------------------------------------------------------------------------


def _clean_keep(request: PrivacyRequest, keep_purposes) -> dict[str, str]:
    keep = dict(keep_purposes or {})
    if keep and request.type != Type.OBJECTION:
        raise ValidationError("privacy.keep_only_in_objection", field="keep_purposes")
    out = {}
    for purpose, reason in keep.items():
        if purpose not in request.purposes:
            raise ValidationError("privacy.purpose_not_objected", {"purpose": purpose}, field="keep_purposes")
        out[purpose] = clean_free_text(reason, field="keep_purposes", required=True)
    return out


def _erasure_notice(request: PrivacyRequest, lang: str) -> str:
    """The erasure engine's account of a carried-out plan, in the requester's language."""
    case = ErasureCase.objects.filter(privacy_request_id=request.pk).order_by("-pk").first()
    if case is None:
        return ""
    result = case.result or {}
    # Held (an active contract, an open claim): the interim account — nothing erased yet, what will be.
    notice = result.get("notice") or result.get("notice_pending") or {}
    return notice.get("en" if lang == "en" else "nl", "")


@transaction.atomic
def privacy_request_complete(
    *,
    actor,
    request: PrivacyRequest,
    note: str = "",
    keep_purposes: dict[str, str] | None = None,
    package_ref: str = "",
    by_post: bool = False,
    delivery: dict | None = None,
) -> Notice:
    """Answer and close a verified request.

    Closing waits for: every recipient notice done or waived (X3); a rectification's proposals
    decided; an erasure plan carried out; a restriction in place. An objection stops its purposes
    for the subject — except those kept with compelling legitimate grounds (`keep_purposes`:
    purpose -> reason); a withdrawal withdraws the consents and stops the purposes resting on
    them. `package_ref` names the access or portability package sent; `delivery` says in the
    answer how the requester gets it (`access_delivery`: the link, until when, the portal, or post).
    """
    require_handler(actor)
    note = clean_free_text(note, field="note")
    package_ref = (package_ref or "").strip()
    if package_ref and not _PACKAGE_REF.match(package_ref):
        raise ValidationError("privacy.package_ref_invalid", field="package_ref")
    current = lock_request(request)
    require_verified(current)
    keep = _clean_keep(current, keep_purposes)
    actions.require_available(current, actions.COMPLETE)
    proposals = list(RectificationProposal.objects.filter(request=current).order_by("pk"))
    lang = current.language
    i = notices.idx(lang)
    if current.type == Type.ERASURE and not note:
        note = _erasure_notice(current, lang)  # what was erased, what kept, why and until when
    context = notices.base_context(current, lang) | {
        "note": note,
        "package_ref": package_ref,
        "delivery": delivery or {},
    }
    now = clock.now()
    data: dict = {}
    if current.type == Type.RECTIFICATION:
        context["approved"] = [
            notices.field_label(p.field, lang) for p in proposals if p.status == RectificationProposal.Status.APPROVED
        ]
        context["rejected"] = [
            {"field": notices.field_label(p.field, lang), "reason": p.reject_reason}
            for p in proposals
            if p.status == RectificationProposal.Status.REJECTED
        ]
    elif current.type == Type.OBJECTION:
        allowed = objectable_purposes()
        stopped = {p: allowed.get(p, ("legitimate_interest",)) for p in current.purposes if p not in keep}
        made = stop_processing(current, stopped, now)
        context["stopped"] = [notices.purpose_label(p, lang) for p in stopped]
        context["kept"] = [{"purpose": notices.purpose_label(p, lang), "reason": r} for p, r in keep.items()]
        data = {"stopped": sorted(stopped, key=lambda p: int(p[1:])), "kept": sorted(keep), "stops": len(made)}
    elif current.type == Type.WITHDRAWAL:
        withdrawn = 0
        if current.account_id or current.contact_id:
            account = Account.objects.filter(pk=current.account_id).first() if current.account_id else None
            contact = Contact.objects.filter(pk=current.contact_id).first() if current.contact_id else None
            if account is not None and contact is not None and account.contact_id not in (None, contact.pk):
                account = None
            for kind in current.consent_kinds:
                withdrawn += len(consent_withdraw(actor=actor, kind=kind, account=account, contact=contact))
        on_consent = set(consent_purposes())
        purposes = sorted(
            {p for kind in current.consent_kinds for p in CONSENT_PURPOSES[kind][2] if p in on_consent},
            key=lambda p: int(p[1:]),
        )
        made = stop_processing(current, {p: ("consent",) for p in purposes}, now)
        context["kinds"] = [CONSENT_PURPOSES[k][i] for k in current.consent_kinds]
        context["stopped"] = [notices.purpose_label(p, lang) for p in purposes]
        data = {"stopped": purposes, "consents_withdrawn": withdrawn, "stops": len(made)}
    elif current.type == Type.PORTABILITY:
        context["transmit_to"] = current.transmit_to
    context["recipients"] = sorted(
        RecipientNotice.objects.filter(request=current, status=RecipientNotice.Status.DONE)
        .values_list("recipient__name", flat=True)
        .distinct()
    )
    text = notices.render("answer", lang, context)
    current.status = Status.COMPLETED
    current.answer_note = note
    current.package_ref = package_ref
    current.answered_at = now
    current.closed_at = now
    current.answered_by = "post" if by_post else "email"
    current.save()
    audit(actor, "privacy.request.complete", current, type=current.type, by_post=bool(by_post), **data)
    emailed = send_to_requester(current, text, by_post=by_post)
    copy_into(request, current)
    return Notice(request, text.subject, text.body, emailed)
