"""The encrypted backup stream: round trip in chunks; any change, swap, cut or wrong key refused;
prune keeps backups no longer than WAARBORG_BACKUP_DAYS; the privacy statement says how long."""

import datetime as dt
import io
import struct

import pytest

from waarborg.backup import container
from waarborg.backup.container import BackupError, DecryptingReader, EncryptingWriter, WrongKey
from waarborg.backup.prune import backup_prune

KEY = "k" * 43


def _seal(plain: bytes, *, key=KEY, created="2025-01-01T00:00:00+00:00") -> bytes:
    out = io.BytesIO()
    writer = EncryptingWriter(out, key, meta={"created": created})
    for start in range(0, len(plain), 70_000):
        writer.write(plain[start : start + 70_000])
    writer.close()
    return out.getvalue()


def _open(sealed: bytes, key=KEY) -> bytes:
    return DecryptingReader(io.BytesIO(sealed), key).read()


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(container, "CHUNK", 4096)


def _chunks(sealed: bytes) -> tuple[bytes, list[bytes]]:
    (size,) = struct.unpack(">I", sealed[len(container.MAGIC) : len(container.MAGIC) + 4])
    start = len(container.MAGIC) + 4 + size
    head, rest, chunks = sealed[:start], sealed[start:], []
    while rest:
        (n,) = struct.unpack(">I", rest[:4])
        chunks.append(rest[: 4 + n])
        rest = rest[4 + n :]
    return head, chunks


@pytest.mark.promise("B3")
def test_it_round_trips_in_chunks(small_chunks):
    plain = bytes(range(256)) * 100
    sealed = _seal(plain)
    assert plain[:1000] not in sealed
    assert len(_chunks(sealed)[1]) == len(plain) // 4096 + 1
    assert _open(sealed) == plain


@pytest.mark.promise("B3")
def test_it_refuses_a_changed_swapped_dropped_or_cut_chunk_and_a_wrong_key(small_chunks):
    sealed = _seal(b"x" * 20_000)
    head, chunks = _chunks(sealed)
    flipped = bytearray(sealed)
    flipped[-10] ^= 1
    for bad in (
        bytes(flipped),
        head + chunks[1] + chunks[0] + b"".join(chunks[2:]),  # swapped
        head + b"".join(chunks[:1] + chunks[2:]),  # one dropped
        head + b"".join(chunks[:-1]),  # the last one cut off
        sealed + b"more",
        head.replace(b"2025-01-01", b"2024-01-01") + b"".join(chunks),  # the header changed
    ):
        with pytest.raises(BackupError):
            _open(bad)
    with pytest.raises(WrongKey):
        _open(sealed, key="w" * 43)
    with pytest.raises(BackupError, match="not a Waarborg backup"):
        _open(b"PK\x03\x04 not a backup")


def test_prune_deletes_backups_older_than_the_term(tmp_path, settings, db):
    settings.WAARBORG_BACKUP_DAYS = 35
    now = dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC)
    tmp_path = tmp_path / "backups"
    tmp_path.mkdir()
    for name, age in (("old.wbk", 36), ("edge.wbk", 34), ("new.wbk", 1)):
        (tmp_path / name).write_bytes(_seal(b"x", created=(now - dt.timedelta(days=age)).isoformat()))
    (tmp_path / "notes.txt").write_text("not a backup")
    result = backup_prune(tmp_path, now=now)
    assert [p.name for p in result.deleted] == ["old.wbk"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edge.wbk", "new.wbk", "notes.txt"]


@pytest.mark.promise("R1", "K2")
def test_the_privacy_statement_says_how_long_backups_are_kept(client, settings, db):
    settings.WAARBORG_BACKUP_DAYS = 42
    body = client.get("/privacy/").content.decode()
    assert "hoogstens 42 dagen" in body
