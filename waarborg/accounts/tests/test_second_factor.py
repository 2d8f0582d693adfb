"""Turning a second factor on and off is a service: atomic, audited, and only for the account
itself, an administrator or the system."""

import pytest
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from waarborg.accounts.second_factor import second_factor_turn_off, second_factor_turn_on
from waarborg.core.actors import SYSTEM
from waarborg.core.errors import PermissionDenied
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event, unchanged

pytestmark = pytest.mark.django_db


def _pending(account) -> TOTPDevice:
    return TOTPDevice.objects.create(user=account, name="authenticator", confirmed=False)


def _devices(account) -> list[tuple[int, bool]]:
    return list(TOTPDevice.objects.filter(user=account).order_by("pk").values_list("pk", "confirmed"))


@pytest.mark.promise("B3", "B4")
def test_a_customer_turns_their_second_factor_on_and_off_and_both_are_audited(personas):
    alice = personas.alice
    old = TOTPDevice.objects.create(user=alice, name="old", confirmed=True)
    device = second_factor_turn_on(actor=alice, account=alice, device=_pending(alice))
    assert _devices(alice) == [(device.pk, True)]  # the earlier device went
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    event = last_event()
    assert (event.action, event.actor, event.object_ids) == (
        "account.second_factor.on",
        f"account:{alice.pk}",
        [str(alice.pk)],
    )
    assert_clean_event(event, action="account.second_factor.on", values=[alice.email, device.key])

    assert second_factor_turn_off(actor=alice, account=alice) == 1
    assert _devices(alice) == []
    assert last_event().action == "account.second_factor.off"


@pytest.mark.promise("B3", "B4")
def test_an_administrator_or_the_system_may_reset_a_staff_members_second_factor(personas):
    carol = personas.carol
    TOTPDevice.objects.create(user=carol, name="authenticator", confirmed=True)
    assert second_factor_turn_off(actor=personas.frank, account=carol) == 1
    assert last_event().actor == f"account:{personas.frank.pk}"
    TOTPDevice.objects.create(user=carol, name="authenticator", confirmed=True)
    assert second_factor_turn_off(actor=SYSTEM, account=carol) == 1
    assert last_event().actor == "system"


@pytest.mark.promise("B3", "B4")
def test_nobody_else_touches_another_accounts_second_factor_and_nothing_changes(personas):
    alice = personas.alice
    TOTPDevice.objects.create(user=alice, name="authenticator", confirmed=True)
    pending = _pending(alice)
    before = database_snapshot()
    for intruder in (personas.bob, personas.carol, personas.erin):
        with pytest.raises(PermissionDenied), transaction.atomic():
            second_factor_turn_off(actor=intruder, account=alice)
        with pytest.raises(PermissionDenied), transaction.atomic():
            second_factor_turn_on(actor=intruder, account=alice, device=pending)
    assert_nothing_changed(before)


def test_turning_off_what_is_not_there_records_nothing(personas):
    with unchanged():
        assert second_factor_turn_off(actor=personas.alice, account=personas.alice) == 0
