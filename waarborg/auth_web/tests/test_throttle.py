"""Sign-in throttling (B1, B3): counted from LoginEvent rows, per account and per IP address."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from waarborg.accounts.models import LoginEvent
from waarborg.auth_web import testing
from waarborg.auth_web.tests.conftest import PASSWORD, page_text
from waarborg.testing.checks import assert_nothing_changed, database_snapshot, unchanged

LOGIN = "/aanmelden/"
# What a throttled sign-in rightly writes.
THROTTLED = {
    "accounts.LoginEvent": "each refused attempt is recorded: the throttle counts them",
    "audit.AuditEvent": "a throttled sign-in is audited",
}


def _try(client, email, password, ip="192.0.2.10"):
    return client.post(LOGIN, {"email": email, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
@pytest.mark.promise("B1", "B3")
def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(client, customer):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            assert _try(client, customer.email, "verkeerd-wachtwoord").status_code == 200
        before = database_snapshot()
        events_before = LoginEvent.objects.count()

        locked_right = _try(client, customer.email, PASSWORD)
        locked_wrong = _try(client, customer.email, "verkeerd-wachtwoord")

    # refused, whether the password was right or not, and told the same
    assert locked_right.status_code == locked_wrong.status_code == 429
    assert page_text(locked_right) == page_text(locked_wrong)
    # nothing else changed: no session, the account as it was, only the refusals recorded
    assert_nothing_changed(before, except_for=THROTTLED)
    assert "_auth_user_id" not in client.session
    refusals = LoginEvent.objects.order_by("at")[events_before:]
    assert [(e.succeeded, e.method) for e in refusals] == [(False, "throttled")] * 2

    # still locked from another address (per account), and just before the 15 minutes are up
    with time_machine.travel(start + dt.timedelta(minutes=14, seconds=50), tick=False):
        assert _try(client, customer.email, PASSWORD, ip="198.51.100.7").status_code == 429
    # refusals do not extend the lock: 15 minutes after the fifth failure it is over
    with time_machine.travel(start + dt.timedelta(minutes=15, seconds=1), tick=False):
        response = _try(client, customer.email, PASSWORD)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
@pytest.mark.promise("B1")
def test_failures_spread_wider_than_the_window_do_not_lock(client, customer):
    start = timezone.now()
    for i in range(8):
        with time_machine.travel(start + dt.timedelta(minutes=4 * i), tick=False):
            assert _try(client, customer.email, "verkeerd-wachtwoord").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=32), tick=False):
        assert _try(client, customer.email, PASSWORD).status_code == 302


@pytest.mark.django_db
@pytest.mark.promise("B1")
def test_a_successful_sign_in_resets_the_account_count(client, customer):
    for _ in range(4):
        _try(client, customer.email, "verkeerd-wachtwoord")
    assert _try(client, customer.email, PASSWORD).status_code == 302
    client.post("/afmelden/")
    _try(client, customer.email, "verkeerd-wachtwoord")
    assert _try(client, customer.email, PASSWORD).status_code == 302


@pytest.mark.django_db
@pytest.mark.promise("B1")
def test_one_address_guessing_many_accounts_is_locked_out(client, customer):
    for i in range(20):
        _try(client, f"gok{i}@voorbeeld.example", "wat-dan-ook-1234")
    with unchanged(except_for=THROTTLED):
        assert _try(client, customer.email, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # another address is not affected
    assert _try(client, customer.email, PASSWORD, ip="198.51.100.7").status_code == 302


@pytest.mark.django_db
@pytest.mark.promise("B1", "B3")
def test_wrong_codes_count_too(client, staff, no_otp_backoff):
    device = testing.confirmed_device(staff)
    right = testing.current_code(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    _try(client, staff.email, PASSWORD)
    for _ in range(5):
        assert client.post("/aanmelden/code/", {"code": wrong}, REMOTE_ADDR="192.0.2.10").status_code == 200
    ended = THROTTLED | {"sessions.Session": "the refusal ends the half-finished sign-in kept in the session"}
    with unchanged(except_for=ended):  # the right code is not even checked
        response = client.post("/aanmelden/code/", {"code": right}, REMOTE_ADDR="192.0.2.10")
        assert response.status_code == 429
        # and the password step is locked as well
        assert _try(client, staff.email, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    device.refresh_from_db()
    assert device.last_t == -1
