"""Mail texts of incidents (templates in incidents/mail/): the reporter's confirmation, the
privacy officers' 72-hour warnings and the notice to customers whose own data a breach touched.
A template's first line is `Subject: …`. Warnings carry the incident number, dates and codes
only — never the description or the reporter's address."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from waarborg.core import clock

LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class Text:
    subject: str
    body: str


def language(code: str | None) -> str:
    code = (code or settings.LANGUAGE_CODE or "nl")[:2]
    return code if code in LANGUAGES else "nl"


def render(name: str, lang: str, context: dict) -> Text:
    with translation.override(language(lang)):
        text = render_to_string(f"incidents/mail/{name}.{language(lang)}.txt", context).lstrip()
    first, _, rest = text.partition("\n")
    if not first.startswith("Subject: "):
        raise ValueError(f"the mail template {name} does not start with a Subject line")
    body = "\n".join(line.rstrip() for line in rest.strip().splitlines())
    return Text(first[len("Subject: ") :].strip(), body + "\n")


def send(to: list[str], text: Text) -> int:
    """Send a plain-text mail now; errors propagate to the caller."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return 0
    EmailMessage(text.subject, text.body, settings.DEFAULT_FROM_EMAIL, recipients).send(fail_silently=False)
    return len(recipients)


def mail_context(incident) -> dict:
    """What every incident mail may say: the controller, the site, the number and the dates."""
    return {
        "controller": settings.WAARBORG_CONTROLLER,
        "site_url": settings.WAARBORG_SITE_URL,
        "number": incident.number,
        "received": incident.received_at.astimezone(clock.AMSTERDAM),
        "aware": incident.aware_at.astimezone(clock.AMSTERDAM) if incident.aware_at else None,
        "due": incident.due_at.astimezone(clock.AMSTERDAM) if incident.due_at else None,
        "triage_due": incident.triage_due_at.astimezone(clock.AMSTERDAM),
    }
