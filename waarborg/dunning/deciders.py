"""Who may decide in dunning: the finance role, and for the decisions a person must take, a
named finance employee (never the system)."""

from __future__ import annotations

from waarborg.core import roles
from waarborg.core.actors import System, is_account
from waarborg.core.errors import PermissionDenied


def require_finance(actor) -> None:
    """Refuse anyone but the system or an active finance account."""
    if isinstance(actor, System):
        return
    if not getattr(actor, "is_active", False) or getattr(actor, "role", None) != roles.FINANCE:
        raise PermissionDenied("dunning.finance_only")


def require_named_employee(actor) -> None:
    """A decision by a person: an active finance account, never the system."""
    if not is_account(actor):
        raise PermissionDenied("dunning.person_decides")
    require_finance(actor)
