"""Encryption at rest (payment data, identity documents) and keyed hashes of identifiers."""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode())


def encrypt(text: str) -> str:
    return _fernet(settings.WAARBORG_ENCRYPTION_KEY).encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(settings.WAARBORG_ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValueError("cannot decrypt a stored value: wrong WAARBORG_ENCRYPTION_KEY?") from None


def keyed_hash(value: str, *, purpose: str = "identifier") -> str:
    """HMAC-SHA256 of a normalised identifier: comparable, not reversible without the key."""
    key = (settings.WAARBORG_IDENTIFIER_KEY + ":" + purpose).encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column whose value is Fernet-encrypted in the database."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)
