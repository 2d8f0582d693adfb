"""Turning an account's second factor (an authenticator app, TOTP) on and off.

Both are services: atomic, audited, and allowed only to the account itself, an administrator or
the system. The device's key is never in the audit trail; the event names the account only.
"""

from __future__ import annotations

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from waarborg.accounts.models import Account
from waarborg.accounts.services import account_subject_ref
from waarborg.audit.services import audit_record
from waarborg.core.access import check_actor
from waarborg.core.actors import account_of
from waarborg.core.errors import ValidationError

PURPOSE = "U2"  # the customer relationship: the account and how it signs in


def _may_change(actor, account: Account) -> None:
    """The account itself, or whoever may manage accounts (an administrator, the system)."""
    own = account_of(actor)
    if own is not None and own.pk == account.pk and own.is_active:
        return
    check_actor(actor=actor, scope="accounts", customers_may=False)


def _record(actor, account: Account, action: str) -> None:
    audit_record(
        actor=actor,
        action=action,
        purpose=PURPOSE,
        object_type="accounts.account",
        object_ids=[account.pk],
        subject_ref=account_subject_ref(account),
        data={"fields": ["second_factor"]},
    )


@transaction.atomic
def second_factor_turn_on(*, actor, account: Account, device: TOTPDevice) -> TOTPDevice:
    """Confirm the device being enrolled as the account's one second factor (any other goes)."""
    _may_change(actor, account)
    device = TOTPDevice.objects.select_for_update().filter(pk=device.pk, user_id=account.pk).first()
    if device is None:
        raise ValidationError("accounts.authenticator_not_in_setup", field="device")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=account.pk).exclude(pk=device.pk).delete()
    _record(actor, account, "account.second_factor.on")
    return device


@transaction.atomic
def second_factor_turn_off(*, actor, account: Account) -> int:
    """Remove every second factor of the account; 0 (and no event) when it had none."""
    _may_change(actor, account)
    count, _ = TOTPDevice.objects.filter(user_id=account.pk).delete()
    if count:
        _record(actor, account, "account.second_factor.off")
    return count
