"""Strict parsing of environment variables.

Every setting comes from the environment. A value that does not parse is a configuration error
with one clear line, never a silent default: a typo in production must stop the start, not
quietly weaken security.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit

from waarborg.core.errors import SettingError

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    low = value.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise SettingError(f"{name} must be one of true/false/1/0/yes/no/on/off, not {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise SettingError(f"{name} must be a whole number, not {value!r}") from None
    if minimum is not None and number < minimum:
        raise SettingError(f"{name} must be at least {minimum}, not {number}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env_str(name, default)
    assert value is not None
    if value not in choices:
        raise SettingError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def env_email(name: str, default: str) -> str:
    value = env_str(name, default)
    assert value is not None
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value.strip()) or len(value) > 254:
        raise SettingError(f"{name} must be an e-mail address, not {value!r}")
    return value.strip().lower()


def env_url(name: str, default: str, *, https: bool = False) -> str:
    """An absolute http(s) URL without a trailing slash; `https` demands TLS."""
    value = (env_str(name, default) or "").strip().rstrip("/")
    parts = urlsplit(value)
    bad = parts.scheme not in ("http", "https") or not parts.hostname or "*" in parts.netloc
    if bad or parts.query or parts.fragment:
        raise SettingError(f"{name} must be an absolute URL such as https://example.nl, not {value!r}")
    if https and parts.scheme != "https":
        raise SettingError(f"{name} must start with https:// when WAARBORG_ENV=production")
    return value


def data_dir(name: str = "WAARBORG_DATA_DIR") -> Path:
    """The data directory (database, stored files, generated keys); created when missing."""
    raw = env_str(name)
    if raw:
        path = Path(raw).expanduser()
    else:
        base = env_str("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        path = Path(base) / "waarborg"
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        raise SettingError(f"{name}: cannot create or write the data directory {str(path)!r} ({exc.strerror})") from None
    return path.resolve()


def database_from_url(url: str, *, sqlite_default: Path) -> dict:
    """Django DATABASES['default'] from a DATABASE_URL (postgres://… or sqlite:///…)."""
    sqlite_options = {
        # WAL for concurrent readers; secure_delete so erased rows leave no bytes in the file;
        # IMMEDIATE so that two writers never deadlock on a lock upgrade (the audit chain).
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA secure_delete=ON; PRAGMA foreign_keys=ON; "
            "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(sqlite_default),
            "OPTIONS": sqlite_options,
        }
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if not path or path == "/":
            raise SettingError("DATABASE_URL: a sqlite URL needs a file path, e.g. sqlite:////srv/w.db")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path, "OPTIONS": sqlite_options}
    if parts.scheme in ("postgres", "postgresql", "pgsql"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise SettingError("DATABASE_URL: a postgres URL needs a database name")
        try:
            port = parts.port
        except ValueError:
            raise SettingError("DATABASE_URL: the port is not a number") from None
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "OPTIONS": {"connect_timeout": 5},
        }
    raise SettingError("DATABASE_URL must start with postgres:// or sqlite:///")


def keyfile_secrets(directory: Path) -> dict[str, str]:
    """Keys generated once per data directory, for development and the demo.

    Production must set them in the environment (the settings refuse otherwise), so that keys
    live apart from the data they protect.
    """
    path = directory / "keys.json"
    if path.exists():
        try:
            stored = json.loads(path.read_text())
        except (OSError, ValueError):
            raise SettingError(f"the key file in the data directory is unreadable: {path.name}") from None
    else:
        stored = {}
    wanted = {
        "secret_key": lambda: secrets.token_urlsafe(50),
        "encryption_key": lambda: _fernet_key(),
        "audit_key": lambda: secrets.token_hex(32),
        "identifier_key": lambda: secrets.token_hex(32),
    }
    changed = False
    for key, make in wanted.items():
        if key not in stored:
            stored[key] = make()
            changed = True
    if changed:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as fh:
                json.dump(stored, fh)
        except OSError as exc:
            raise SettingError(f"cannot write the key file in the data directory ({exc.strerror})") from None
    return stored


def _fernet_key() -> str:
    import base64

    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def env_webhook(url_name: str, secret_name: str, *, https: bool = False) -> tuple[str, str]:
    """An optional webhook: (URL, signing secret), or ("", "") when the URL is unset.

    The URL must be absolute http(s) (https when `https`); the secret is required with it, at
    least 32 characters, and refused without it (a secret nobody uses is a configuration slip).
    """
    url = (os.environ.get(url_name) or "").strip()
    secret = os.environ.get(secret_name) or ""
    if not url:
        if secret:
            raise SettingError(f"{secret_name} is set but {url_name} is not")
        return "", ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.fragment or parts.username:
        raise SettingError(f"{url_name} must be an absolute URL such as https://platform.example/hook")
    try:
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        raise SettingError(f"{url_name}: the port is not a number") from None
    if https and parts.scheme != "https":
        raise SettingError(f"{url_name} must start with https:// when WAARBORG_ENV=production")
    if len(secret) < 32:
        raise SettingError(f"{secret_name} must be set with {url_name}, at least 32 characters")
    return url, secret


def env_keys(name: str, *, fernet: bool = False) -> list[str]:
    """A comma-separated list of old keys (oldest first); `fernet` demands Fernet keys."""
    keys = env_list(name, [])
    if fernet:
        import base64
        import binascii

        for number, key in enumerate(keys, 1):
            try:
                ok = len(base64.urlsafe_b64decode(key.encode())) == 32
            except (binascii.Error, ValueError):
                ok = False
            if not ok:
                raise SettingError(f"{name}: key {number} is not a Fernet key (32 url-safe base64 bytes)")
    return keys


def env_daily_time(name: str, default: str) -> dt.time:
    """A time of day as HH:MM (Europe/Amsterdam) that every day has exactly once.

    02:00–02:59 is refused: in Amsterdam that hour is skipped when summer time starts and
    repeated when it ends, so a job planned then would run not at all or twice on those days.
    """
    value = (env_str(name, default) or "").strip()
    match = re.fullmatch(r"([01][0-9]|2[0-3]):([0-5][0-9])", value)
    if not match:
        raise SettingError(f"{name} must be a time of day as HH:MM (00:00 to 23:59), not {value!r}")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour == 2:
        raise SettingError(
            f"{name} must not fall between 02:00 and 02:59, an hour that Europe/Amsterdam skips or repeats "
            f"when daylight saving time changes, not {value!r}"
        )
    return dt.time(hour, minute)

def env_networks(name: str) -> tuple:
    """Comma-separated IP addresses or networks (CIDR), e.g. `127.0.0.1, ::1, 10.0.0.0/24`."""
    import ipaddress

    networks = []
    for item in env_list(name, []):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise SettingError(
                f"{name} must list IP addresses or networks such as 127.0.0.1 or 10.0.0.0/24, not {item!r}"
            ) from None
    return tuple(networks)


def is_local_host(host: str) -> bool:
    """`localhost` or a loopback address: this machine."""
    import ipaddress

    host = host.strip().strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def env_smtp(*, production: bool) -> dict:
    """Django's mail settings from WAARBORG_SMTP_*: host, port, user and password, and TLS.

    `WAARBORG_SMTP_TLS` is `starttls`, `tls` (TLS from the first byte) or `none`; the default is
    `none` for a mail server on this machine and `starttls` for any other. Production refuses
    `none` unless the server is local, and a user without a password (or the other way round).
    """
    host = (env_str("WAARBORG_SMTP_HOST", "localhost") or "").strip()
    local = is_local_host(host)
    tls = env_choice("WAARBORG_SMTP_TLS", "none" if local else "starttls", ("starttls", "tls", "none"))
    if production and tls == "none" and not local:
        raise SettingError(
            "WAARBORG_SMTP_TLS=none is refused when WAARBORG_ENV=production unless WAARBORG_SMTP_HOST is "
            "this machine (localhost)"
        )
    user = env_str("WAARBORG_SMTP_USER", "") or ""
    password = env_str("WAARBORG_SMTP_PASSWORD", "") or ""
    if bool(user) != bool(password):
        raise SettingError("WAARBORG_SMTP_USER and WAARBORG_SMTP_PASSWORD must be set together")
    return {
        "EMAIL_HOST": host,
        "EMAIL_PORT": env_int("WAARBORG_SMTP_PORT", 25, minimum=1),
        "EMAIL_HOST_USER": user,
        "EMAIL_HOST_PASSWORD": password,
        "EMAIL_USE_TLS": tls == "starttls",
        "EMAIL_USE_SSL": tls == "tls",
        "EMAIL_TIMEOUT": 30,
        "WAARBORG_SMTP_TLS": tls,
    }


def env_secret_token(name: str, *, minimum: int = 32) -> str:
    """An optional shared secret (a bearer token); at least `minimum` characters when set."""
    value = (os.environ.get(name) or "").strip()
    if value and (len(value) < minimum or any(ch.isspace() for ch in value)):
        raise SettingError(f"{name} must be at least {minimum} characters without spaces")
    return value


def env_bind(name: str, default: str) -> str:
    """HOST:PORT to listen on (an IPv6 address in brackets: `[::1]:8000`)."""
    value = (env_str(name, default) or "").strip()
    parse_bind(value, name)
    return value


def parse_bind(value: str, name: str = "--bind") -> tuple[str, int]:
    """(host, port) of HOST:PORT, or SettingError naming `name`."""
    host, sep, port = value.rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    ok = bool(sep and host and port.isdigit() and 0 < int(port) < 65536)
    if ok and not re.fullmatch(r"[A-Za-z0-9.\-]+|[0-9A-Fa-f:]+", host):
        ok = False
    if not ok:
        raise SettingError(f"{name} must be HOST:PORT, such as 127.0.0.1:8000, not {value!r}")
    return host, int(port)
