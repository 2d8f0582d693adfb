"""Need-to-know (B2): which record types each role may read.

Selectors ask `require(viewer, scope)`; a role without the scope gets PermissionDenied, and a
customer is always narrowed to their own customer. One role per task (LAW: role-based access).
"""

from __future__ import annotations

from waarborg.core.errors import PermissionDenied

CUSTOMER = "customer"
SUPPORT = "support"
FINANCE = "finance"
PRIVACY = "privacy"
ADMIN = "admin"
FINANCE_ARCHIVE = "finance_archive"  # opens the locked fiscal archive, with a reason (R4)

ROLES = {
    CUSTOMER: ("Klant", "Customer"),
    SUPPORT: ("Support", "Support"),
    FINANCE: ("Financiën", "Finance"),
    PRIVACY: ("Privacy officer", "Privacy officer"),
    ADMIN: ("Beheerder", "Administrator"),
    FINANCE_ARCHIVE: ("Fiscaal archief", "Fiscal archive"),
}
STAFF_ROLES = (SUPPORT, FINANCE, PRIVACY, ADMIN, FINANCE_ARCHIVE)

# scope -> roles that may read it. Customers read only their own rows (see selectors).
SCOPES: dict[str, frozenset[str]] = {
    "customers": frozenset({CUSTOMER, SUPPORT, FINANCE, PRIVACY}),
    "contacts": frozenset({CUSTOMER, SUPPORT, FINANCE, PRIVACY}),
    "subscriptions": frozenset({CUSTOMER, SUPPORT, FINANCE}),
    "invoices": frozenset({CUSTOMER, FINANCE}),
    "payments": frozenset({CUSTOMER, FINANCE}),
    "payment_methods": frozenset({CUSTOMER, FINANCE}),
    "tickets": frozenset({CUSTOMER, SUPPORT}),
    "documents": frozenset({SUPPORT}),
    "consents": frozenset({CUSTOMER, SUPPORT, PRIVACY}),
    "login_events": frozenset({CUSTOMER, SUPPORT, PRIVACY}),
    "complaints": frozenset({SUPPORT, PRIVACY}),
    "applications": frozenset({PRIVACY}),
    "register": frozenset({PRIVACY, ADMIN}),
    "audit": frozenset({PRIVACY}),
    "accounts": frozenset({ADMIN}),
    "staff": frozenset({ADMIN}),  # the staff page: add, change the role, deactivate, reset the authenticator
    "subject_search": frozenset({PRIVACY}),
    "requests": frozenset({SUPPORT, PRIVACY}),  # privacy requests: support registers, privacy handles
    "incidents": frozenset({PRIVACY}),  # incidents and personal-data breaches (art. 33–34)
    "dunning": frozenset({FINANCE}),  # the dunning board: cases, contests, approvals, ladders
    "fiscal_archive": frozenset({FINANCE_ARCHIVE}),  # only via waarborg.erasure.archive
    "operations": frozenset({ADMIN}),  # the daily runs: counts and failures per job, no personal data
}


def can(viewer, scope: str) -> bool:
    if viewer is None or not getattr(viewer, "is_active", False):
        return False
    return getattr(viewer, "role", None) in SCOPES.get(scope, frozenset())


def require(viewer, scope: str) -> None:
    if not can(viewer, scope):
        raise PermissionDenied("access.role_may_not_read", {"scope": scope})


def scopes_of(role: str) -> list[str]:
    return sorted(scope for scope, roles in SCOPES.items() if role in roles)
