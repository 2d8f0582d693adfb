"""Reads of accounts and sign-in events, scoped to the viewer (B2)."""

from __future__ import annotations

from waarborg.accounts.models import Account, LoginEvent
from waarborg.core import roles
from waarborg.core.access import filter_customer, get_scoped, is_customer_viewer, scope_queryset
from waarborg.core.errors import NotFound


def account_list_for(*, viewer, role: str | None = None):
    """Accounts, for administrators (scope `accounts`)."""
    roles.require(viewer, "accounts")
    qs = Account.objects.select_related("contact")
    if role:
        qs = qs.filter(role=role)
    return qs.order_by("pk")


def account_get_for(*, viewer, pk) -> Account:
    roles.require(viewer, "accounts")
    try:
        return Account.objects.select_related("contact").get(pk=getattr(pk, "pk", pk))
    except (Account.DoesNotExist, ValueError, TypeError):
        raise NotFound("access.not_found", {"object": "accounts.account", "id": getattr(pk, "pk", pk)}) from None


def login_event_list_for(*, viewer, account=None, customer=None):
    """Sign-in events, newest first.

    A customer sees only the sign-ins of their own account: the IP addresses of a colleague's
    sign-ins are that colleague's data, not the customer's. Support sees customers' sign-ins only.
    """
    qs = scope_queryset(
        LoginEvent.objects.select_related("account"),
        viewer=viewer,
        scope="login_events",
        customer_path="account__contact__customer_id",
    )
    if getattr(viewer, "role", None) == roles.SUPPORT:
        # Support helps customers: their sign-ins, never a colleague's (nor attempts on no account).
        qs = qs.filter(account__contact__isnull=False)
    if is_customer_viewer(viewer):
        qs = qs.filter(account_id=viewer.pk)
        if account is not None and getattr(account, "pk", account) != viewer.pk:
            raise NotFound("access.not_found", {"object": "accounts.account", "id": getattr(account, "pk", account)})
    elif account is not None:
        qs = qs.filter(account_id=getattr(account, "pk", account))
    qs = filter_customer(qs, viewer=viewer, customer=customer, customer_path="account__contact__customer_id")
    return qs.order_by("-at", "-pk")


def login_event_get_for(*, viewer, pk) -> LoginEvent:
    qs = LoginEvent.objects.select_related("account")
    if is_customer_viewer(viewer):
        qs = qs.filter(account_id=viewer.pk)
    return get_scoped(qs, viewer=viewer, scope="login_events", pk=pk, customer_path="account__contact__customer_id")
