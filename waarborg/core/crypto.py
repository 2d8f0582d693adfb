"""Encryption at rest (payment data, identity documents) and keyed hashes of identifiers.

Both kinds of key can be rotated (`waarborg keys rotate`, docs/operations.md):

- encryption: new values are encrypted under `WAARBORG_ENCRYPTION_KEY`; values under a key in
  `WAARBORG_ENCRYPTION_KEYS_OLD` still read until the rotation has re-encrypted them.
- identifier: a keyed hash is HMAC(key, value). Where the plaintext is kept (an IBAN) rotation
  hashes it again; where it is not (the erasure ledger, tokens) it stores HMAC(new key, old
  hash). A stored hash is therefore HMAC under a chain of keys ending in the current one, and a
  lookup compares against the value hashed under every such chain (`keyed_hash_candidates`).
  The chain is `WAARBORG_IDENTIFIER_KEYS_OLD` (oldest first) followed by the current key.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

_LETTERS = "abcdefghjkmnpqrstuvwxyz"  # key ids: letters only, so no id ever looks like a number


def key_id(secret: str) -> str:
    """A short, stable name for a key that reveals nothing of it (12 letters)."""
    digest = hmac.new(secret.encode(), b"waarborg key id", hashlib.sha256).digest()
    return "".join(_LETTERS[b % len(_LETTERS)] for b in digest[:12])


# --- encryption -----------------------------------------------------------------------------


def encryption_keys() -> list[str]:
    """The current encryption key first, then the old ones that still read."""
    old = [k for k in getattr(settings, "WAARBORG_ENCRYPTION_KEYS_OLD", []) or [] if k]
    return [settings.WAARBORG_ENCRYPTION_KEY, *[k for k in old if k != settings.WAARBORG_ENCRYPTION_KEY]]


@lru_cache(maxsize=8)
def _multi(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in keys])


def _fernet() -> MultiFernet:
    return _multi(tuple(encryption_keys()))


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValueError(
            "cannot decrypt a stored value: wrong WAARBORG_ENCRYPTION_KEY (or its old key missing "
            "from WAARBORG_ENCRYPTION_KEYS_OLD)?"
        ) from None


def encrypted_under_current(token: str) -> bool:
    """Whether the current key alone opens this token."""
    try:
        Fernet(settings.WAARBORG_ENCRYPTION_KEY.encode()).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def reencrypt(token: str) -> str:
    """The same plaintext, encrypted under the current key (read with any kept key)."""
    try:
        return _fernet().rotate(token.encode()).decode()
    except InvalidToken:
        raise ValueError("cannot re-encrypt a stored value: none of the configured encryption keys opens it") from None


def encryption_key_readable(token: str) -> str | None:
    """The id of the configured key that opens this token, or None."""
    for key in encryption_keys():
        try:
            Fernet(key.encode()).decrypt(token.encode())
        except InvalidToken:
            continue
        return key_id(key)
    return None


# --- keyed hashes ---------------------------------------------------------------------------


def identifier_keys() -> list[str]:
    """The chain of identifier keys, oldest first, the current key last."""
    current = settings.WAARBORG_IDENTIFIER_KEY
    old = [k for k in getattr(settings, "WAARBORG_IDENTIFIER_KEYS_OLD", []) or [] if k and k != current]
    return [*old, current]


def _hmac(key: str, purpose: str, value: str) -> str:
    return hmac.new((key + ":" + purpose).encode(), value.encode(), hashlib.sha256).hexdigest()


def keyed_hash(value: str, *, purpose: str = "identifier", key: str | None = None) -> str:
    """HMAC-SHA256 of a normalised identifier: comparable, not reversible without the key."""
    return _hmac(key or settings.WAARBORG_IDENTIFIER_KEY, purpose, value)


def rekeyed_hash(stored: str, *, purpose: str = "identifier", key: str | None = None) -> str:
    """A stored hash carried over to the current key: HMAC(current key, stored hash)."""
    return _hmac(key or settings.WAARBORG_IDENTIFIER_KEY, purpose, stored)


def keyed_hash_candidates(value: str, *, purpose: str = "identifier") -> list[str]:
    """Every form a stored hash of this value can have: under each chain of keys that ends in
    the current key (a hash made before one or more rotations and carried over), and under each
    old key alone (rows not yet rotated, such as a database restored from an older backup)."""
    keys = identifier_keys()
    out: list[str] = []
    for start in range(len(keys)):
        digest = value
        for key in keys[start:]:
            digest = _hmac(key, purpose, digest)
        out.append(digest)
    out += [_hmac(key, purpose, value) for key in keys[:-1]]
    return list(dict.fromkeys(out))


def keyed_hash_matches(stored: str, value: str, *, purpose: str) -> bool:
    """Whether a stored keyed hash is this value's (under any chain of kept keys), in constant time."""
    return any(hmac.compare_digest(stored or "", h) for h in keyed_hash_candidates(value, purpose=purpose))


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
