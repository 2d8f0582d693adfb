"""Publishing the privacy statement's versions (K2)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from waarborg.audit.services import audit_record
from waarborg.consents.models import CONSENT_PURPOSES
from waarborg.core import clock
from waarborg.core.actors import SYSTEM
from waarborg.public import statement
from waarborg.public.models import StatementVersion
from waarborg.web.context import AUTORITEIT_PERSOONSGEGEVENS_URL


def statement_context(lang: str) -> dict:
    """What the statement's template needs, for the language given."""
    return {
        "categories": statement.categories_in_use(lang),
        "purposes": statement.purposes_in_use(lang),
        "recipients": statement.recipients_in_use(lang),
        "retention": statement.retention_in_use(lang),
        "consent_kinds": [names[1] if lang == "en" else names[0] for names in CONSENT_PURPOSES.values()],
        "policy_version": settings.WAARBORG_POLICY_VERSION,
        "controller": settings.WAARBORG_CONTROLLER,
        "regulator_url": AUTORITEIT_PERSOONSGEGEVENS_URL,
    }


def statement_render(lang: str) -> str:
    with translation.override(lang):
        return render_to_string("public/_statement.html", statement_context(lang))


def statement_current() -> StatementVersion | None:
    return StatementVersion.objects.order_by("-published_at", "-pk").first()


def statement_publish(*, actor=SYSTEM) -> StatementVersion | None:
    """Keep the statement as shown now when its text differs from the newest kept version.

    Returns the new version, or None when nothing changed (safe to repeat: run daily).
    """
    html_nl, html_en = statement_render("nl"), statement_render("en")
    digest = hashlib.sha256(f"{html_nl}\x00{html_en}".encode()).hexdigest()
    current = statement_current()
    if current is not None and current.digest == digest:
        return None
    with transaction.atomic():
        made = StatementVersion.objects.create(
            version=settings.WAARBORG_POLICY_VERSION,
            published_at=clock.now(),
            digest=digest,
            html_nl=html_nl,
            html_en=html_en,
        )
        audit_record(
            actor=actor,
            action="statement.publish",
            purpose="U14",
            object_type="public.statementversion",
            object_ids=[made.pk],
            data={"version": made.version},
        )
    return made
