"""Helpers for tests of views behind `staff_required` / `customer_required`."""

from __future__ import annotations

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp as _totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from waarborg.auth_web.flow import PENDING_KEY


def confirmed_device(account) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=account, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=account, name="authenticator", confirmed=True)
    return device


def current_code(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    """The code the authenticator app shows now (or `offset_steps` steps away)."""
    return (
        f"{_totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset_steps):0{device.digits}d}"
    )


def sign_in(client, account) -> None:
    """Signed in as a finished sign-in leaves it: staff (and customers with a device) verified."""
    client.force_login(account, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session.pop(PENDING_KEY, None)
    session.save()
    if account.is_staff_role or TOTPDevice.objects.filter(user=account, confirmed=True).exists():
        device = confirmed_device(account)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
