"""A deactivated privacy officer's open requests go back to the queue (no handler), each audited;
registered with `waarborg.accounts.staff.on_deactivation` by the privacy app."""

from __future__ import annotations

from waarborg.accounts.models import Account
from waarborg.privacy.handling import audit
from waarborg.privacy.models import PrivacyRequest


def requests_hand_back(account: Account, actor) -> int:
    """Clear `account` as handler of every open request; the number handed back."""
    open_requests = list(
        PrivacyRequest.objects.select_for_update()
        .filter(handler_id=account.pk, status__in=PrivacyRequest.OPEN_STATUSES)
        .order_by("pk")
    )
    for request in open_requests:
        request.handler = None
        request.save(update_fields=["handler"])
        audit(actor, "privacy.request.unassign", request, handler=None, reason="handler_deactivated")
    return len(open_requests)
