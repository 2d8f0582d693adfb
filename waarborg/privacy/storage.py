"""Uploaded ID copies at rest: encrypted (Fernet, waarborg.core.crypto), destroyed after the check.

Files live under FILES_DIR/privacy-id with random names; the database holds only that name.
Destroying overwrites the file before removing it.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from django.conf import settings

from waarborg.core.crypto import decrypt, encrypt
from waarborg.core.errors import ValidationError

MAX_BYTES = 10 * 1024 * 1024
# Accepted types and the bytes their files start with.
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}


# Where the copies live under the files directory (declared to the map in PrivacyConfig.ready).
DIRECTORY = "privacy-id"


def _directory() -> Path:
    path = Path(settings.FILES_DIR) / DIRECTORY
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _path(name: str) -> Path:
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise ValueError("not a stored file name")
    return _directory() / name


def check_upload(content: bytes, content_type: str) -> None:
    if content_type not in SIGNATURES:
        raise ValidationError("privacy.upload_type", field="file")
    if not content:
        raise ValidationError("privacy.upload_empty", field="file")
    if len(content) > MAX_BYTES:
        raise ValidationError("privacy.upload_too_large", {"mb": MAX_BYTES // (1024 * 1024)}, field="file")
    if not content.startswith(SIGNATURES[content_type]):
        raise ValidationError("privacy.upload_not_its_type", field="file")


def store(content: bytes) -> str:
    """Encrypt and write `content`; returns the stored name."""
    name = f"{secrets.token_hex(16)}.fernet"
    token = encrypt(base64.b64encode(content).decode("ascii")).encode("ascii")
    fd = os.open(_path(name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(token)
    return name


def read(name: str) -> bytes:
    return base64.b64decode(decrypt(_path(name).read_text("ascii")))


def exists(name: str) -> bool:
    return bool(name) and _path(name).exists()


def destroy(name: str) -> None:
    """Overwrite and remove the stored file; a file already gone is fine."""
    if not name:
        return
    path = _path(name)
    try:
        size = path.stat().st_size
        with open(path, "r+b") as fh:
            fh.write(b"\0" * size)
            fh.flush()
            os.fsync(fh.fileno())
        path.unlink()
    except FileNotFoundError:
        return
