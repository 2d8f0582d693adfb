import pytest

from waarborg.auth_web import testing


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def as_alice(client, alice):
    testing.sign_in(client, alice)
    return client


@pytest.fixture
def as_bob(client, bob):
    testing.sign_in(client, bob)
    return client
