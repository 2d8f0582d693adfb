"""Recording sign-in attempts (U12) as LoginEvent rows, via accounts.services.

Every attempt is recorded: wrong passwords and codes, refusals by the throttle, and sign-ins that
succeeded. The row holds the account (when the address is known), the IP address and the
browser's user agent, nothing typed in.
"""

from __future__ import annotations

import ipaddress

from waarborg.accounts.services import login_event_record
from waarborg.operations.proxy import client_address

PASSWORD = "password"
TOTP = "totp"
THROTTLED = "throttled"

UNKNOWN_IP = "0.0.0.0"  # noqa: S104  (a placeholder value, not a bind address)


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or behind a trusted proxy the address it passed on
    in X-Forwarded-For (waarborg.operations.proxy; never a header from anyone else)."""
    raw = client_address(request)
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return UNKNOWN_IP


def user_agent(request) -> str:
    return (request.META.get("HTTP_USER_AGENT") or "")[:300]


def record_login_event(request, *, account, succeeded: bool, method: str):
    """One attempt, through the accounts service (which also writes the audit trail)."""
    return login_event_record(
        account=account,
        ip_address=client_ip(request),
        user_agent=user_agent(request),
        succeeded=succeeded,
        method=method,
    )
