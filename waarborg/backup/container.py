"""The encrypted backup file: a header, then AES-256-GCM chunks, streamed.

    magic | header length (4 bytes) | header (JSON) | chunk* | final chunk

The key is derived from `WAARBORG_BACKUP_KEY` with HKDF-SHA256 and the header's random salt.
Each chunk is sealed with a nonce made of the header's random prefix and the chunk's number, and
with the header's hash, the chunk's number and a last-chunk flag as associated data: a changed
header or chunk, chunks swapped, dropped or cut off at the end all fail authentication. The
header carries a check value of the derived key, so a wrong key is told apart from a damaged
file. Nothing is held in memory beyond one chunk.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from waarborg.core.errors import WaarborgError

MAGIC = b"WAARBORG-BACKUP\x01"
CHUNK = 1024 * 1024
_MAX_HEADER = 64 * 1024
_TAG = 16


class BackupError(WaarborgError):
    """The file is not a backup this installation can open (damaged, foreign, wrong key)."""


class WrongKey(BackupError):
    pass


def _derive(secret: str, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"waarborg backup v1").derive(secret.encode())


def _check_value(key: bytes) -> str:
    return hmac.new(key, b"waarborg backup key check", hashlib.sha256).hexdigest()


def _aad(header_digest: bytes, number: int, final: bool) -> bytes:
    return header_digest + struct.pack(">QB", number, 1 if final else 0)


class EncryptingWriter(io.RawIOBase):
    """A write-only file object: what is written goes to `out` encrypted, chunk by chunk."""

    def __init__(self, out, secret: str, meta: dict | None = None):
        super().__init__()
        salt = os.urandom(16)
        self._prefix = os.urandom(8)
        self._key = AESGCM(_derive(secret, salt))
        header = {
            "format": 1,
            "cipher": "AES-256-GCM",
            "kdf": "HKDF-SHA256",
            "salt": base64.b64encode(salt).decode(),
            "nonce_prefix": base64.b64encode(self._prefix).decode(),
            "chunk": CHUNK,
            "check": _check_value(_derive(secret, salt)),
            **(meta or {}),
        }
        raw = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
        self._digest = hashlib.sha256(MAGIC + raw).digest()
        self._out = out
        self._buffer = bytearray()
        self._number = 0
        out.write(MAGIC + struct.pack(">I", len(raw)) + raw)

    def writable(self):
        return True

    def write(self, data) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:  # keep at least one byte back: the last chunk is flagged
            self._seal(bytes(self._buffer[:CHUNK]), final=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _seal(self, plain: bytes, *, final: bool) -> None:
        nonce = self._prefix + struct.pack(">I", self._number)
        sealed = self._key.encrypt(nonce, plain, _aad(self._digest, self._number, final))
        self._out.write(struct.pack(">I", len(sealed)) + sealed)
        self._number += 1

    def close(self):
        if not self.closed:
            self._seal(bytes(self._buffer), final=True)
            self._buffer.clear()
            self._out.flush()
        super().close()


def read_header(fh) -> tuple[dict, bytes]:
    magic = fh.read(len(MAGIC))
    if magic != MAGIC:
        raise BackupError("backup.not_a_backup")
    size_bytes = fh.read(4)
    if len(size_bytes) != 4:
        raise BackupError("backup.cut_off_header")
    (size,) = struct.unpack(">I", size_bytes)
    if size > _MAX_HEADER:
        raise BackupError("backup.header_damaged")
    raw = fh.read(size)
    try:
        header = json.loads(raw)
    except ValueError:
        raise BackupError("backup.header_damaged") from None
    if not isinstance(header, dict) or header.get("format") != 1:
        raise BackupError("backup.format_unknown")
    return header, hashlib.sha256(MAGIC + raw).digest()


class DecryptingReader(io.RawIOBase):
    """A read-only file object over an encrypted backup; raises BackupError on any damage."""

    def __init__(self, fh, secret: str):
        super().__init__()
        self._fh = fh
        self.header, self._digest = read_header(fh)
        try:
            salt = base64.b64decode(self.header["salt"])
            self._prefix = base64.b64decode(self.header["nonce_prefix"])
        except (KeyError, ValueError, TypeError):
            raise BackupError("backup.header_damaged") from None
        key = _derive(secret, salt)
        if not hmac.compare_digest(str(self.header.get("check", "")), _check_value(key)):
            raise WrongKey("backup.wrong_key")
        self._key = AESGCM(key)
        self._number = 0
        self._pending = memoryview(b"")
        self._done = False

    def readable(self):
        return True

    def _next_chunk(self) -> None:
        size_bytes = self._fh.read(4)
        if len(size_bytes) != 4:
            raise BackupError("backup.cut_off")
        (size,) = struct.unpack(">I", size_bytes)
        if size < _TAG or size > CHUNK + _TAG:
            raise BackupError("backup.damaged")
        sealed = self._fh.read(size)
        if len(sealed) != size:
            raise BackupError("backup.cut_off")
        nonce = self._prefix + struct.pack(">I", self._number)
        for final in (False, True):
            try:
                plain = self._key.decrypt(nonce, sealed, _aad(self._digest, self._number, final))
            except InvalidTag:
                continue
            self._number += 1
            self._pending = memoryview(plain)
            if final:
                if self._fh.read(1):
                    raise BackupError("backup.data_after_end")
                self._done = True
            return
        raise BackupError("backup.chunk_changed", {"chunk": self._number})

    def readinto(self, buffer) -> int:
        while not self._pending and not self._done:
            self._next_chunk()
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]  # a view: no copy
        return n
