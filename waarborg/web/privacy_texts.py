"""The words of the privacy-request screens (portal, public pages, back office).

- labels for the codes of waarborg.privacy (types, statuses, channels, grounds, …), translated;
- `service_message(error)`: a refusal of the privacy services (English, naming fields and rules)
  in the visitor's language, and `add_service_error(form, error)` to show it at its field.

The services decide; this module only puts their codes and refusals into words.
"""

from __future__ import annotations

import re

from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from waarborg.consents.models import CONSENT_PURPOSES
from waarborg.core import datamap
from waarborg.core.errors import ValidationError

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

_FIELD = r"(?P<field>[a-z_]+)"
# (pattern on the service's message, the message to show); the first match wins.
_MESSAGES: list[tuple[str, object]] = [
    # who the request is about
    (r"no data subject is known by these identifiers", _("Nobody is known by these details.")),
    (r"the identifiers given point to different people", _("These details belong to different people.")),
    (
        r"these identifiers fit more than one person",
        _("These details fit more than one person: add the person's e-mail address, or name and postcode."),
    ),
    (
        r"give an identifier",
        _("Give an e-mail address, a phone number, a customer number, or a name with a postcode."),
    ),
    (r"not a valid e-mail address", _("This is not a valid e-mail address. For example: name@example.nl.")),
    (r"not a valid phone number", _("This is not a valid phone number.")),
    (r"a customer number is K", _("A customer number is a K followed by 5 to 9 digits, such as K123456.")),
    (r"a Dutch postcode looks like", _("A Dutch postcode has four digits and two letters, for example 1234 AB.")),
    (r"not a valid postcode", _("This is not a valid postcode.")),
    (r"a name is needed", _("Enter a name.")),
    (r"a country is a two-letter code", _("A country is a two-letter code, such as NL.")),
    # input rules
    (
        _FIELD + r" contains a number that looks like a BSN",
        _("This contains a number that looks like a citizen service number (BSN). We never store one: leave it out."),
    ),
    (_FIELD + r" is required$", _("This field is required.")),
    (_FIELD + r" cannot be empty$", _("This cannot be empty.")),
    (_FIELD + r" is longer than (?P<max>\d+) characters", _("This is longer than %(max)s characters.")),
    (_FIELD + r" must be one of", _("Choose one of the options.")),
    (r"the date received lies in the future", _("The date received lies in the future.")),
    (r"the date received is not a date", _("Enter the date received, for example 2026-03-02.")),
    (r"give the date the request was received", _("Enter the date the request was received.")),
    (r"purposes are named only in an objection", _("Purposes are named only in an objection.")),
    (
        r"an objection applies to purposes",
        _("An objection applies only to purposes that rest on consent or on our legitimate interest."),
    ),
    (r"consent kinds are named only", _("Consents are named only in a withdrawal of consent.")),
    (
        r"an organisation to send data to is named only",
        _("An organisation to send data to is named only in a portability request."),
    ),
    (r"corrections belong to a rectification request", _("Corrections belong to a rectification request.")),
    (
        r"corrections need the contact person",
        _("Corrections need the contact person the request is about; there is none."),
    ),
    (
        r"these details can be corrected",
        _(
            "Only these details can be corrected: first name, last name, street, postcode, town, country, "
            "e-mail address and phone number."
        ),
    ),
    # the state of a request
    (r"request (?P<number>\S+) is closed", _("Request %(number)s is closed: nothing can be changed any more.")),
    (
        r"request (?P<number>\S+) of this type is still open",
        _("Request %(number)s of this type is still open for the same person: it is handled there."),
    ),
    (
        r"a request of this type with these details is still open",
        _("A request of this type with these details is still open: it will be answered."),
    ),
    (r"the requester's identity has not been verified yet", _("The requester's identity has not been verified yet.")),
    (r"the requester's identity is already verified", _("The requester's identity has been verified already.")),
    (r"this request is already verified", _("The requester's identity has been verified already.")),
    (r"say how the identity was checked", _("Say how the identity was checked.")),
    (r"this applies to a request of type", _("This does not apply to a request of this type.")),
    (r"a request is handled by an active privacy officer", _("A request is handled by an active privacy officer.")),
    (r"name the privacy officer", _("Name the privacy officer who handles the request.")),
    # one-time links and ID copies
    (r"this link is not valid", _("This link is not valid.")),
    (r"this link has been used already", _("This link has been used already: it works once.")),
    (r"this link was replaced by a newer one", _("This link was replaced by a newer one.")),
    (r"this link has expired \(it is valid for (?P<hours>\d+) hours\)", _("This link has expired.")),
    (r"this link is locked after too many tries", _("This link is locked after too many tries.")),
    (r"this request is closed", _("This request has been closed.")),
    (
        r"black out the photo",
        _("Black out the photo, the MRZ strip, the document number and the BSN, and confirm that you did."),
    ),
    (r"upload a PDF, JPEG or PNG file", _("Upload a PDF, JPEG or PNG file.")),
    (r"the file is empty", _("The file is empty.")),
    (r"the file is larger than (?P<mb>\d+) MB", _("The file is larger than %(mb)s MB.")),
    (r"the file is not what its type says", _("The file is not a PDF, JPEG or PNG file.")),
    (r"this identity document has been destroyed", _("This ID copy has been destroyed already.")),
    # extension and refusal
    (r"the term has been extended already", _("The term has been extended already: that is possible only once.")),
    (
        r"too late to extend",
        _("Too late to extend: the requester must be told within four weeks of receipt (the promised date)."),
    ),
    (
        r"link the earlier requests",
        _("Link the earlier requests of this person that make this one manifestly unfounded or excessive."),
    ),
    (r"an earlier request named does not exist", _("An earlier request named does not exist.")),
    (
        r"(?P<number>\S+) is not an earlier request of the same person",
        _("%(number)s is not an earlier request of the same person."),
    ),
    (r"the refusal text lacks", _("The refusal text lacks a required part; it was not sent.")),
    (
        r"the request has no e-mail address",
        _("The request has no e-mail address: send this by post, and tick that you do."),
    ),
    # the type's own steps
    (r"this proposal has been decided already", _("This correction has been decided already.")),
    (r"the contact person no longer exists", _("The contact person no longer exists.")),
    (r"this notice has been closed already", _("This notice has been closed already.")),
    (r"the restriction is in place already", _("The restriction is in place already.")),
    (r"name the data categories to restrict", _("Name the data categories to restrict.")),
    (r"the subject's data no longer exists", _("The subject's data no longer exists.")),
    (r"unknown data categories", _("Unknown data categories.")),
    (r"no restriction of this request is in place", _("No restriction of this request is in place.")),
    (r"the erasure plan has been approved already", _("The erasure plan has been approved already.")),
    (r"there is no proposed erasure plan to review", _("There is no proposed erasure plan to review.")),
    (r"only an approved erasure plan can be carried out", _("Only an approved erasure plan can be carried out.")),
    (r"a plan counts rows", _("The erasure plan is not in the expected form.")),
    # completion
    (r"decide every proposed correction first", _("Decide every proposed correction first.")),
    (r"the erasure plan has not been carried out yet", _("The erasure plan has not been carried out yet.")),
    (r"apply the restriction first", _("Apply the restriction first.")),
    (
        r"(?P<count>\d+) recipient notice\(s\) are still open",
        _("Recipient notices still open: %(count)s. Mark each one done, or waive it with a reason."),
    ),
    (r"purposes are kept only when an objection", _("Purposes are kept only when an objection is decided.")),
    (r"(?P<purpose>U\d+) was not objected to", _("%(purpose)s was not objected to.")),
    (r"a package reference is", _("A package reference consists of letters, digits and . _ : -")),
    (
        r"this request is about someone we know",
        _("This request is about someone we know: answer it once the identity is checked."),
    ),
    (r"verify the requester's identity first", _("The requester's identity has not been verified yet.")),
    (r"nothing is held about this subject any more", _("Nothing is held about this person any more.")),
    (
        r"the organisation to send the data to is named without",
        _("The organisation is named without an e-mail address or an https:// address."),
    ),
    (r"personal data is sent only over an https", _("Personal data is sent only to an https:// address.")),
    (r"an address to send data to carries no user name", _("The address may not contain a user name or password.")),
    (r"the package has been sent already", _("The package has been sent already.")),
    (r"the package is no longer stored", _("The package is no longer stored.")),
    (r"these fields cannot be changed here", _("These details cannot be changed here.")),
]
_COMPILED = [(re.compile(pattern), message) for pattern, message in _MESSAGES]


def service_message(error: Exception) -> str:
    """The refusal in the visitor's language (an unknown one: a general line with its text)."""
    text = str(error)
    for pattern, message in _COMPILED:
        match = pattern.match(text)
        if match:
            values = {k: v for k, v in match.groupdict().items() if k != "field"}
            return str(message) % values if values else str(message)
    return gettext("This could not be done: %(reason)s") % {"reason": text}


def add_service_error(form, error: ValidationError, fields: dict[str, str | None] | None = None) -> None:
    """Show a service's refusal at the form field it names (`fields` maps service names to the
    form's), or above the form."""
    name = (fields or {}).get(error.field or "", error.field)
    form.add_error(name if name in form.fields else None, service_message(error))
