"""Navigation: what each role sees in the header and on the back-office landing page."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from waarborg.core import roles

# The back office's sections, one per scope of waarborg.core.roles. A section's page registers
# the URL name "backoffice:<scope>" (or, an app with its own namespace, "<scope>:index"); until
# it exists, the section is listed without a link.
SCOPE_LABELS = {
    "customers": _("Customers"),
    "contacts": _("Contact persons"),
    "subscriptions": _("Subscriptions"),
    "invoices": _("Invoices"),
    "payments": _("Payments"),
    "payment_methods": _("Payment methods"),
    "tickets": _("Tickets"),
    "documents": _("Documents"),
    "consents": _("Consents"),
    "login_events": _("Sign-in attempts"),
    "complaints": _("Complaints"),
    "applications": _("Job applications"),
    "register": _("Register of processing"),
    "audit": _("Audit trail"),
    "accounts": _("Accounts"),
    "subject_search": _("Find a data subject"),
    "requests": _("Privacy requests"),
    "dunning": _("Dunning"),
    "incidents": _("Incidents and data breaches"),
    "operations": _("Daily runs"),
    "staff": _("Staff members"),
}


def role_label(role: str) -> str:
    nl, en = roles.ROLES.get(role, (role, role))
    return en if (get_language() or "nl").startswith("en") else nl


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def backoffice_sections(role: str) -> list[dict]:
    sections = []
    for scope in roles.scopes_of(role):
        sections.append(
            {
                "scope": scope,
                "label": SCOPE_LABELS.get(scope, scope),
                "url": _url(f"backoffice:{scope}") or _url(f"{scope}:index"),
            }
        )
    return sorted(sections, key=lambda section: str(section["label"]).casefold())


def header_links(user) -> list[dict]:
    """The main navigation for the header, by who is signed in."""
    if not getattr(user, "is_authenticated", False):
        return [{"label": _("Start"), "url": reverse("web:start"), "name": "web:start"}]
    if user.is_staff_role:
        return [{"label": _("Back office"), "url": reverse("web:backoffice"), "name": "web:backoffice"}]
    return [
        {"label": _("My portal"), "url": reverse("web:portal"), "name": "web:portal"},
        {"label": _("Security"), "url": reverse("auth_web:security"), "name": "auth_web:security"},
    ]
