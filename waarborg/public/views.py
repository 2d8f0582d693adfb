"""The privacy statement and the contact page (K1, K3): no sign-in, no personal data."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import get_language

from waarborg.consents.models import CONSENT_PURPOSES
from waarborg.public import statement


def _lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def privacy(request):
    """The statement: the controller's words around the facts the personal-data map declares."""
    lang = _lang()
    return render(
        request,
        "public/privacy.html",
        {
            "categories": statement.categories_in_use(lang),
            "purposes": statement.purposes_in_use(lang),
            "recipients": statement.recipients_in_use(lang),
            "retention": statement.retention_in_use(lang),
            "consent_kinds": [names[1] if lang == "en" else names[0] for names in CONSENT_PURPOSES.values()],
            "policy_version": settings.WAARBORG_POLICY_VERSION,
        },
    )


def contact(request):
    return render(request, "public/contact.html")
