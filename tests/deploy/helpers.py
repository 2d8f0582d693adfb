"""Running `waarborg` as an operator would: in a subprocess, with its own environment."""

from __future__ import annotations

import base64
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request


def clean_env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WAARBORG_", "DATABASE_URL", "PROMETHEUS_"))}
    env.update({"WAARBORG_DATA_DIR": str(tmp_path / "data"), "PYTHONWARNINGS": "ignore"})
    env.update(extra)
    return env


def production_env(tmp_path, **extra) -> dict:
    """A correct production configuration (keys made up for the test)."""
    settings = {
        "WAARBORG_ENV": "production",
        "WAARBORG_SECRET_KEY": secrets.token_urlsafe(50),
        "WAARBORG_ENCRYPTION_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "WAARBORG_AUDIT_KEY": secrets.token_hex(32),
        "WAARBORG_IDENTIFIER_KEY": secrets.token_hex(32),
        "WAARBORG_ALLOWED_HOSTS": "waarborg.example.nl",
        "WAARBORG_TRUSTED_PROXIES": "127.0.0.1,::1",
    }
    return clean_env(tmp_path, **{**settings, **extra})


def waarborg(args, env, timeout=180):
    return subprocess.run(
        [sys.executable, "-m", "waarborg", *args], capture_output=True, text=True, env=env, timeout=timeout
    )


def one_line_error(result) -> str:
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    assert len(lines) == 1, result.stderr
    return lines[0]


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def wait_for(url: str, *, seconds: float = 45, headers: dict | None = None) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=5)  # noqa: S310
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def get(url: str, headers: dict | None = None, method: str = "GET", data: bytes | None = None):
    """(status, headers, body) of a plain HTTP request; errors are answers too."""
    request = urllib.request.Request(url, headers=headers or {}, method=method, data=data)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def wait_for_port(host: str, port: int, *, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with socket.create_connection((host, port), timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
