import re

import pytest

from waarborg.accounts.models import Account

PASSWORD = "een-lang-geheim-wachtwoord"


@pytest.fixture
def staff(db):
    return Account.objects.create_user("medewerker@duinhost.example", PASSWORD, role="support")


@pytest.fixture
def customer(db):
    return Account.objects.create_user("klant@voorbeeld.example", PASSWORD, role="customer")


@pytest.fixture
def no_otp_backoff(settings):
    """django-otp waits 1, 2, 4… seconds after a wrong code; tests that retry at once skip that."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def page_text(response) -> str:
    """The page without its per-response CSRF token, to compare two answers."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    """The real hasher is slow on purpose; these tests are about the flow, not the hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
