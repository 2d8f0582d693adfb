"""The words of the privacy-request screens (portal, public pages, back office).

- labels for the codes of waarborg.privacy (types, statuses, channels, grounds, …), translated;
- `service_message(error)`: a refusal of the privacy services in the visitor's language (the
  message catalogue's words, `error.text()`), and `add_service_error(form, error)` to show it at
  its field.

The services decide; this module only puts their codes into words.
"""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from waarborg.consents.models import CONSENT_PURPOSES
from waarborg.core import datamap
from waarborg.core.errors import WaarborgError

TYPES = {
    "access": _("Access"),
    "rectification": _("Rectification"),
    "erasure": _("Erasure"),
    "withdrawal": _("Withdrawal of consent"),
    "objection": _("Objection"),
    "portability": _("Data portability"),
    "restriction": _("Restriction of processing"),
}
ARTICLES = {
    "access": "art. 15",
    "rectification": "art. 16",
    "erasure": "art. 17",
    "withdrawal": "art. 7(3)",
    "objection": "art. 21",
    "portability": "art. 20",
    "restriction": "art. 18",
}
# What each type asks for, in the requester's words (the portal's and the public form's choice).
TYPE_HELP = {
    "access": _("A copy of the personal data we hold about you, with why we hold it, how long, and who receives it."),
    "rectification": _("Have personal data corrected that is wrong or incomplete."),
    "erasure": _("Have your personal data erased, except what the law obliges us to keep."),
    "withdrawal": _("Withdraw a consent you gave. What we did before the withdrawal remains lawful."),
    "objection": _("Object to processing that rests on our legitimate interest or on your consent."),
    "portability": _(
        "Receive your data in a common, machine-readable format, or have us send it to another organisation."
    ),
    "restriction": _(
        "Have us only store your data and not otherwise use it, for example while a correction is being checked."
    ),
}
# The portal's and the public form's addresses name the type in Dutch.
TYPE_SLUGS = {
    "access": "inzage",
    "rectification": "correctie",
    "erasure": "verwijdering",
    "withdrawal": "intrekking",
    "objection": "bezwaar",
    "portability": "overdracht",
    "restriction": "beperking",
}
SLUG_TYPES = {slug: code for code, slug in TYPE_SLUGS.items()}

STATUSES = {
    "received": _("Received"),
    "awaiting_id": _("Awaiting identity check"),
    "in_progress": _("In progress"),
    "completed": _("Completed"),
    "refused": _("Refused"),
    "unconfirmed": _("Closed: not confirmed"),
}
CHANNELS = {
    "portal": _("Portal"),
    "form": _("Public form"),
    "email": _("E-mail"),
    "post": _("Post"),
    "phone": _("Phone"),
    "api": _("API"),
}
METHODS = {
    "session": _("Signed in to the portal"),
    "email_link": _("One-time link to an e-mail address on file"),
    "id_document": _("Copy of an identity document"),
    "staff_check": _("Checked by the privacy officer"),
}
GROUNDS = {
    "unverified": _("Identity could not be established (art. 12(2) and (6))"),
    "manifestly_unfounded": _("Manifestly unfounded (art. 12(5))"),
    "excessive": _("Excessive, in particular repetitive (art. 12(5))"),
    "exemption": _("A legal exemption applies"),
    "other": _("Other reason"),
}
PLAN_STATUSES = {
    "": _("No plan yet"),
    "proposed": _("Proposed, to be reviewed"),
    "approved": _("Approved"),
    "rejected": _("Rejected"),
    "executed": _("Carried out"),
}
PLAN_ACTIONS = {"delete": _("Deleted"), "update": _("Changed"), "keep": _("Kept")}
NOTICE_STATUSES = {"open": _("To do"), "done": _("Notified"), "waived": _("Waived")}
NOTICE_CAUSES = {"rectification": _("Rectification"), "erasure": _("Erasure"), "restriction": _("Restriction")}
PROPOSAL_STATUSES = {"pending": _("To be decided"), "approved": _("Approved and applied"), "rejected": _("Rejected")}
ID_RESULTS = {"": _("Not reviewed yet"), "verified": _("Identity verified"), "rejected": _("Not sufficient")}
LINK_KINDS = {"email_link": _("Confirmation link"), "id_upload": _("Link to upload an ID copy")}
FIELDS = {
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "street": _("Street and number"),
    "postcode": _("Postcode"),
    "town": _("Town"),
    "country": _("Country"),
    "email": _("E-mail address"),
    "phone": _("Phone number"),
}
STAGES = {
    "handler_14": _("Day 14: half of the term has passed"),
    "lead_21": _("Day 21: one week left"),
    "privacy_26": _("Day 26: two days left"),
    "overdue_28": _("Day 28: the promised term has passed"),
    "extended_handler": _("Extended term: two weeks left"),
    "extended_lead": _("Extended term: one week left"),
    "extended_privacy": _("Extended term: two days left"),
    "extended_overdue": _("Extended term has passed"),
}
# The audit trail's actions of a request, as the timeline names them.
ACTIONS = {
    "privacy.request.create": _("Request registered"),
    "privacy.request.assign": _("Taken on"),
    "privacy.verification.start": _("Identity check sent"),
    "privacy.verification.email_link": _("Confirmed with the one-time link"),
    "privacy.request.verify": _("Identity checked by the privacy officer"),
    "privacy.link.locked": _("Link locked after too many tries"),
    "privacy.id.upload": _("ID copy uploaded"),
    "privacy.id.read": _("ID copy viewed"),
    "privacy.id.review": _("ID copy reviewed"),
    "privacy.id.destroy": _("ID copy destroyed"),
    "privacy.request.extend": _("Term extended"),
    "privacy.request.refuse": _("Request refused"),
    "privacy.rectification.propose": _("Correction proposed"),
    "privacy.rectification.approve": _("Correction approved and applied"),
    "privacy.rectification.reject": _("Correction rejected"),
    "privacy.notice.done": _("Recipient notified"),
    "privacy.notice.waived": _("Recipient notice waived"),
    "privacy.restriction.apply": _("Restriction applied"),
    "privacy.restriction.lift": _("Restriction lifted"),
    "privacy.erasure.plan": _("Erasure plan submitted"),
    "privacy.erasure.review": _("Erasure plan reviewed"),
    "privacy.erasure.executed": _("Erasure carried out"),
    "privacy.request.complete": _("Answered and closed"),
    "privacy.request.answer_no_data": _("Answered: nothing held under these details"),
    "privacy.request.unconfirmed": _("Closed: the requester did not confirm it"),
    "privacy.package.deliver": _("Package delivered"),
    "privacy.package.push": _("Package sent to the organisation"),
    "privacy.package.download": _("Package downloaded"),
    "privacy.package.link_locked": _("Download link locked after too many tries"),
    "privacy.deadline.warn": _("Deadline warning sent"),
    "privacy.request.view": _("Opened"),
}

LINK_STATES = {
    "open": _("open"),
    "used": _("used"),
    "replaced": _("replaced"),
    "expired": _("expired"),
    "locked": _("locked"),
}

LABELS = {
    "request_type": TYPES,
    "article": ARTICLES,
    "link_state": LINK_STATES,
    "request_status": STATUSES,
    "request_channel": CHANNELS,
    "verification_method": METHODS,
    "refusal_ground": GROUNDS,
    "plan_status": PLAN_STATUSES,
    "plan_action": PLAN_ACTIONS,
    "notice_status": NOTICE_STATUSES,
    "notice_cause": NOTICE_CAUSES,
    "proposal_status": PROPOSAL_STATUSES,
    "id_result": ID_RESULTS,
    "link_kind": LINK_KINDS,
    "contact_field": FIELDS,
    "warning_stage": STAGES,
    "privacy_action": ACTIONS,
}


def english() -> bool:
    return (get_language() or "nl").startswith("en")


def lang() -> str:
    return "en" if english() else "nl"


def label(kind: str, code) -> str:
    code = "" if code is None else str(code)
    if kind == "purpose":
        names = datamap.PURPOSES.get(code)
        return f"{code} — {names[1] if english() else names[0]}" if names else code
    if kind == "category":
        names = datamap.CATEGORIES.get(code)
        return f"{code} — {names[1] if english() else names[0]}" if names else code
    if kind == "consent_kind":
        names = CONSENT_PURPOSES.get(code)
        return (names[1] if english() else names[0]) if names else code
    return str(LABELS.get(kind, {}).get(code, code))


def purpose_choices(purposes) -> list[tuple[str, str]]:
    return [(code, label("purpose", code)) for code in purposes]


def consent_choices() -> list[tuple[str, str]]:
    return [(kind, label("consent_kind", kind)) for kind in CONSENT_PURPOSES]


def type_choices() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in TYPES.items()]


# --- The services' refusals, in the visitor's language -------------------------------------


def service_message(error: WaarborgError) -> str:
    """The refusal in the visitor's language, as the message catalogue words it."""
    return error.text()


def add_service_error(form, error: WaarborgError, fields: dict[str, str | None] | None = None) -> None:
    """Show a service's refusal at the form field it names (`fields` maps service names to the
    form's), or above the form."""
    name = (fields or {}).get(error.field or "", error.field)
    form.add_error(name if name in form.fields else None, service_message(error))
