"""Provisioning: block, unblock or cancel a service.

Two adapters:

- `BuiltinAdapter` records the state in Waarborg through the catalogue services (always on);
- `WebhookAdapter` also tells the provisioning platform, when WAARBORG_PROVISIONING_WEBHOOK_URL
  is set: a JSON message, signed with HMAC-SHA256 (header X-Waarborg-Signature), written to an
  outbox in the transaction of the decision and POSTed by `deliver_outbox` (the daily run, the
  `waarborg dunning outbox` command, and right after a payment). A failed delivery is retried
  with a growing delay; nothing is lost, and the key in the message (and the Idempotency-Key
  header) lets the platform do nothing twice. Messages for one service go out in order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import socket
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.db.models import F

from waarborg.catalogue.models import Subscription
from waarborg.catalogue.services import subscription_block, subscription_cancel, subscription_unblock
from waarborg.core import clock
from waarborg.core.actors import System
from waarborg.dunning.models import ProvisioningMessage

log = logging.getLogger(__name__)

ACTOR = System("dunning")  # the audit trail's name for a change dunning makes to a service
BLOCK, UNBLOCK, CANCEL = "block", "unblock", "cancel"
# Seconds to wait after the 1st, 2nd, ... failed delivery; the last value repeats.
BACKOFF = (60, 300, 1800, 7200, 21600, 86400)
LEASE_SECONDS = 120  # a delivery in progress is not picked up by a second worker meanwhile
TIMEOUT_SECONDS = 10
SIGNATURE_HEADER = "X-Waarborg-Signature"
TIMESTAMP_HEADER = "X-Waarborg-Timestamp"


def backoff_seconds(attempts: int) -> int:
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


class BuiltinAdapter:
    """Records the service's state in Waarborg (the catalogue services, audited)."""

    name = "builtin"

    def apply(self, action: str, subscription: Subscription, *, key: str, reason: str, purpose: str) -> str:
        """Returns what happened: done, already, or skipped (the state does not allow it)."""
        status = subscription.status
        if action == BLOCK:
            if status == Subscription.Status.BLOCKED:
                return "already"
            if status != Subscription.Status.ACTIVE:
                return "skipped"
            subscription_block(actor=ACTOR, subscription=subscription, reason=reason, purpose=purpose)
            return "done"
        if action == UNBLOCK:
            if status != Subscription.Status.BLOCKED:
                return "skipped"
            subscription_unblock(actor=ACTOR, subscription=subscription, reason=reason, purpose=purpose)
            return "done"
        if action == CANCEL:
            if status == Subscription.Status.CANCELLED:
                return "already"
            end = max(clock.today(), subscription.start_date)
            subscription_cancel(actor=ACTOR, subscription=subscription, end_date=end, purpose=purpose)
            return "done"
        raise ValueError(f"unknown provisioning action {action!r}")


class WebhookAdapter:
    """Queues a signed message for the provisioning platform (see deliver_outbox)."""

    name = "webhook"

    def __init__(self, url: str, secret: str):
        self.url = url
        self.secret = secret

    def enqueue(self, action: str, subscription: Subscription, *, key: str, reason: str, context: dict) -> bool:
        now = clock.now()
        payload = {
            "id": key,
            "action": action,
            "reason": reason,
            "subscription": {
                "id": subscription.pk,
                "label": subscription.label,
                "product": subscription.product.code if subscription.product_id else "",
            },
            "customer": {"id": subscription.customer_id},
            "created_at": now.isoformat(),
            **context,
        }
        _, created = ProvisioningMessage.objects.get_or_create(
            key=key,
            defaults={
                "action": action,
                "subscription": subscription,
                "customer_id": subscription.customer_id,
                "payload": payload,
                "next_attempt_at": now,
                "created_at": now,
            },
        )
        return created


def webhook() -> WebhookAdapter | None:
    url = getattr(settings, "WAARBORG_PROVISIONING_WEBHOOK_URL", "") or ""
    secret = getattr(settings, "WAARBORG_PROVISIONING_WEBHOOK_SECRET", "") or ""
    if not url:
        return None
    return WebhookAdapter(url, secret)


def provision(
    action: str,
    subscription: Subscription,
    *,
    key: str,
    reason: str,
    context: dict | None = None,
    purpose: str = "U4",
) -> str:
    """Apply `action` to `subscription` in Waarborg and queue it for the platform; idempotent by `key`.

    Call inside the transaction of the decision. Returns the built-in outcome (done, already,
    skipped); the platform is told only when the state changed here.
    """
    outcome = BuiltinAdapter().apply(action, subscription, key=key, reason=reason, purpose=purpose)
    hook = webhook()
    if hook is not None and outcome == "done":
        hook.enqueue(action, subscription, key=key, reason=reason, context=context or {})
    return outcome


# --- Delivery --------------------------------------------------------------------------------


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={mac}"


def _post(url: str, secret: str, message: ProvisioningMessage) -> None:
    body = json.dumps(message.payload, sort_keys=True, separators=(",", ":")).encode()
    timestamp = str(int(clock.now().timestamp()))
    request = urllib.request.Request(  # noqa: S310 (the URL is configured and checked to be http(s))
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Waarborg-provisioning/1",
            "Idempotency-Key": message.key,
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(secret, timestamp, body),
        },
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        response.read(1024)


def _error_code(exc: Exception) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code}"
    if isinstance(exc, urllib.error.URLError):
        reason = exc.reason
        if isinstance(reason, ConnectionRefusedError):
            return "connection refused"
        if isinstance(reason, (TimeoutError, socket.timeout)):
            return "timeout"
        return f"unreachable ({type(reason).__name__})"
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return "timeout"
    return type(exc).__name__


def _claim(message_id: int, seen_next: dt.datetime, now: dt.datetime) -> bool:
    """Take a lease on one message: only one worker delivers it at a time."""
    lease = now + dt.timedelta(seconds=LEASE_SECONDS)
    return (
        ProvisioningMessage.objects.filter(
            pk=message_id, status=ProvisioningMessage.Status.PENDING, next_attempt_at=seen_next
        ).update(next_attempt_at=lease)
        == 1
    )


def deliver_outbox(*, ids=None, limit: int | None = None) -> dict[str, int]:
    """POST the pending messages that are due; returns {"delivered": n, "failed": n, "waiting": n}."""
    counts = {"delivered": 0, "failed": 0, "waiting": 0}
    hook = webhook()
    if hook is None:
        return counts
    now = clock.now()
    qs = ProvisioningMessage.objects.filter(status=ProvisioningMessage.Status.PENDING).order_by("pk")
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    blocked_subscriptions: set[int] = set()
    done = 0
    for message in qs.iterator(chunk_size=500):
        if limit is not None and done >= limit:
            break
        if message.subscription_id in blocked_subscriptions:
            counts["waiting"] += 1
            continue
        earlier = ProvisioningMessage.Status.PENDING in ProvisioningMessage.objects.filter(
            subscription_id=message.subscription_id, pk__lt=message.pk
        ).values_list("status", flat=True)  # the service's index, not the status index
        if earlier or message.next_attempt_at > now:
            blocked_subscriptions.add(message.subscription_id)  # keep the order per service
            counts["waiting"] += 1
            continue
        if not _claim(message.pk, message.next_attempt_at, now):
            continue
        done += 1
        try:
            _post(hook.url, hook.secret, message)
        except Exception as exc:  # noqa: BLE001 (every failure is retried; the code is recorded)
            code = _error_code(exc)
            attempts = message.attempts + 1
            ProvisioningMessage.objects.filter(pk=message.pk).update(
                attempts=F("attempts") + 1,
                last_error=code[:120],
                next_attempt_at=now + dt.timedelta(seconds=backoff_seconds(attempts)),
            )
            log.warning("provisioning message %s not delivered (%s), attempt %s", message.pk, code, attempts)
            blocked_subscriptions.add(message.subscription_id)
            counts["failed"] += 1
        else:
            ProvisioningMessage.objects.filter(pk=message.pk).update(
                status=ProvisioningMessage.Status.DELIVERED,
                attempts=F("attempts") + 1,
                last_error="",
                delivered_at=clock.now(),
            )
            counts["delivered"] += 1
    return counts


def deliver_after_commit(keys: list[str]) -> None:
    """Try the messages written in this transaction once it commits (a payment: be quick)."""
    if not keys or webhook() is None:
        return

    def run():
        try:
            ids = list(ProvisioningMessage.objects.filter(key__in=keys).values_list("pk", flat=True))
            deliver_outbox(ids=ids)
        except Exception:  # the daily run retries; a payment must not fail on the platform
            log.exception("provisioning delivery after commit failed")

    transaction.on_commit(run)
