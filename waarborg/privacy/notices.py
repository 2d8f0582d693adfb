"""Mail texts to data subjects and staff, in Dutch and English (templates in privacy/mail/).

A template's first line is `Subject: …`; the rest is the plain-text body. Texts to staff carry
request numbers, types and dates only, never a personal value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from waarborg.core import datamap
from waarborg.core.errors import ValidationError
from waarborg.customers.models import Contact
from waarborg.privacy import deadlines

LANGUAGES = ("nl", "en")

_MONTHS = {
    "nl": ("januari februari maart april mei juni juli augustus september oktober november december".split()),
    "en": "January February March April May June July August September October November December".split(),
}

TYPE_LABELS = {
    "access": ("inzage in uw persoonsgegevens", "access to your personal data"),
    "rectification": ("correctie van uw persoonsgegevens", "rectification of your personal data"),
    "erasure": ("verwijdering van uw persoonsgegevens", "erasure of your personal data"),
    "withdrawal": ("intrekking van uw toestemming", "withdrawal of your consent"),
    "objection": ("bezwaar tegen de verwerking", "objection to processing"),
    "portability": ("overdracht van uw gegevens (dataportabiliteit)", "data portability"),
    "restriction": ("beperking van de verwerking", "restriction of processing"),
}

GROUND_LABELS = {
    "unverified": (
        "wij kunnen niet vaststellen dat het verzoek van u komt (artikel 12, lid 2 en 6 AVG)",
        "we cannot establish that the request comes from you (GDPR art. 12(2) and (6))",
    ),
    "manifestly_unfounded": (
        "het verzoek is kennelijk ongegrond (artikel 12, lid 5 AVG)",
        "the request is manifestly unfounded (GDPR art. 12(5))",
    ),
    "excessive": (
        "het verzoek is buitensporig, met name door het repetitieve karakter (artikel 12, lid 5 AVG)",
        "the request is excessive, in particular because of its repetitive character (GDPR art. 12(5))",
    ),
    "exemption": ("een wettelijke uitzondering is van toepassing", "a legal exemption applies"),
    "other": ("zie de redenen hieronder", "see the reasons below"),
}

STATUS_LABELS = {
    "received": ("ontvangen", "received"),
    "awaiting_id": ("wacht op identiteitscontrole", "awaiting identity check"),
    "in_progress": ("in behandeling", "in progress"),
    "completed": ("afgehandeld", "completed"),
    "refused": ("geweigerd", "refused"),
    "unconfirmed": ("gesloten: niet bevestigd", "closed: not confirmed"),
}


def field_label(field: str, lang: str) -> str:
    """A contact person's detail as it reads in a sentence ('telefoonnummer' / 'phone number'):
    the personal-data map's label of that field."""
    entry = datamap.entry_for(Contact._meta.label)
    text = entry.field_label(field)[idx(lang)] if entry is not None else ""
    return text[:1].lower() + text[1:] if text else field


STAGE_LABELS = {
    "handler_14": ("dag 14: halverwege de termijn", "day 14: half of the term has passed"),
    "lead_21": ("dag 21: nog een week", "day 21: one week left"),
    "privacy_26": ("dag 26: nog twee dagen", "day 26: two days left"),
    "overdue_28": ("dag 28: de beloofde termijn is verstreken", "day 28: the promised term has passed"),
    "extended_handler": ("verlengde termijn: nog twee weken", "extended term: two weeks left"),
    "extended_lead": ("verlengde termijn: nog een week", "extended term: one week left"),
    "extended_privacy": ("verlengde termijn: nog twee dagen", "extended term: two days left"),
    "extended_overdue": ("verlengde termijn verstreken", "extended term has passed"),
}


def idx(lang: str) -> int:
    return 0 if lang == "nl" else 1


def format_date(day: dt.date | None, lang: str) -> str:
    if day is None:
        return ""
    return f"{day.day} {_MONTHS[lang][day.month - 1]} {day.year}"


def purpose_label(purpose: str, lang: str) -> str:
    return f"{purpose} {datamap.PURPOSES[purpose][idx(lang)]}" if purpose in datamap.PURPOSES else purpose


_TERM_UNITS = {
    "years": (("jaar", "jaar"), ("year", "years")),
    "months": (("maand", "maanden"), ("month", "months")),
    "days": (("dag", "dagen"), ("day", "days")),
}


def request_record_kept(closed_at, lang: str) -> dict:
    """How long the record of a privacy request is kept, from the map: the period of its rule
    ("2 jaar" / "2 years") and its last day when the request was closed at `closed_at`."""
    rule = datamap.entry_for("privacy.PrivacyRequest").fields["received_at"].retention
    i = idx(lang)
    parts = []
    for unit in ("years", "months", "days"):
        n = getattr(rule, unit)
        if n:
            parts.append(f"{n} {_TERM_UNITS[unit][i][0 if n == 1 else 1]}")
    joiner = " en " if lang == "nl" else " and "
    return {
        "record_period": joiner.join(parts),
        "record_kept_until": format_date(rule.kept_until(closed_at), lang),
    }


def base_context(request, lang: str) -> dict:
    i = idx(lang)
    return {
        "controller": settings.WAARBORG_CONTROLLER,
        "site_url": settings.WAARBORG_SITE_URL,
        "number": request.number,
        "type": request.type,
        "type_label": TYPE_LABELS[request.type][i],
        "status_label": STATUS_LABELS[request.status][i],
        "received": format_date(deadlines.received_date(request.received_at), lang),
        "promise_due": format_date(request.promise_due, lang),
        "legal_due": format_date(request.legal_due, lang),
        "extended_due": format_date(request.extended_due, lang),
        "due": format_date(request.due, lang),
        "extended": request.extended_due is not None,
    }


@dataclass(frozen=True)
class Text:
    subject: str
    body: str


@dataclass(frozen=True)
class Notice:
    """A text sent (or to be posted) to the requester: what it said and how it went."""

    request: object
    subject: str
    body: str
    emailed: bool


def render(name: str, lang: str, context: dict) -> Text:
    if lang not in LANGUAGES:
        raise ValidationError("privacy.no_texts_in_language", {"lang": lang}, field="language")
    text = render_to_string(f"privacy/mail/{name}.{lang}.txt", context).lstrip()
    first, _, rest = text.partition("\n")
    if not first.startswith("Subject: "):
        raise ValueError(f"the mail template {name}.{lang} does not start with a Subject line")
    body = "\n".join(line.rstrip() for line in rest.strip().splitlines())
    return Text(first[len("Subject: ") :].strip(), body + "\n")


def send(to: list[str], text: Text) -> int:
    """Send a plain-text mail now; errors propagate so that the caller's transaction rolls back."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return 0
    message = EmailMessage(text.subject, text.body, settings.DEFAULT_FROM_EMAIL, recipients)
    message.send(fail_silently=False)
    return len(recipients)
