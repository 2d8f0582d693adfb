"""The application server: gunicorn running Waarborg's WSGI application (`waarborg serve`).

Static files are served by the application itself (WhiteNoise). Every log line gunicorn writes —
its own messages and the access log — is redacted like the application's log: no e-mail
address, phone number, IBAN, postcode or IP address, no one-time token, no query string. The
access log names method, path, status, size and duration only: no client address, no referrer,
no browser.

Gunicorn is told to trust no forwarded header itself: which proxy may say what is decided in
one place, the proxy middleware (waarborg.operations.proxy, WAARBORG_TRUSTED_PROXIES).
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import sys
from pathlib import Path

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger, SafeAtoms

from waarborg.core.redact import redact_path, redact_text

ACCESS_FORMAT = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
# The request facts the access log may hold; everything else (address, headers, query) is "-".
ACCESS_ATOMS = ("t", "m", "U", "H", "s", "b", "B", "M", "D", "L", "T", "p")
MAX_WORKERS = 64
OPTIONAL = frozenset({"control_socket_disable"})


class RedactingLogFormatter(logging.Formatter):
    """Formats like logging.Formatter, then takes personal values and tokens out of the text."""

    def format(self, record: logging.LogRecord) -> str:
        saved = record.msg, record.args, record.exc_text
        record.msg, record.args, record.exc_text = redact_text(record.getMessage()), None, None
        try:
            return super().format(record)
        finally:
            record.msg, record.args, record.exc_text = saved

    def formatException(self, ei) -> str:
        return redact_text(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return redact_text(super().formatStack(stack_info))


class ServerLogger(Logger):
    """gunicorn's logger with redacting formatters and an access line without the client."""

    def setup(self, cfg):
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(RedactingLogFormatter(self.error_fmt, self.datefmt))
        for handler in self.access_log.handlers:
            handler.setFormatter(RedactingLogFormatter(self.access_fmt))

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        safe = {key: atoms[key] for key in ACCESS_ATOMS if key in atoms}
        safe["U"] = redact_path(environ.get("PATH_INFO", ""))
        try:
            self.access_log.info(ACCESS_FORMAT, SafeAtoms(safe))
        except Exception:  # noqa: BLE001 (as gunicorn itself: a log line never stops a response)
            self.error("could not write an access log line")


def child_exit(server, worker):
    """A worker is gone: its live request-timing files go too (multi-process metrics)."""
    from prometheus_client import multiprocess

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)


class WaarborgServer(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            if key in OPTIONAL and key not in self.cfg.settings:
                continue  # an older gunicorn without this setting
            self.cfg.set(key, value)

    def load(self):
        from django.core.wsgi import get_wsgi_application

        return get_wsgi_application()


def check_bind(host: str, port: int) -> str | None:
    """Why HOST:PORT cannot be listened on (e.g. "Address already in use"), or None."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return f"unknown host ({exc.strerror})"
    family, kind, proto, _, address = infos[0]
    probe = socket.socket(family, kind, proto)
    try:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(address)
    except OSError as exc:
        return exc.strerror or str(exc)
    finally:
        probe.close()
    return None


def prepare_metrics_directory(data_dir: Path) -> Path:
    """An empty directory for the workers' request timings, named in PROMETHEUS_MULTIPROC_DIR.

    Set before any worker counts a request; if prometheus_client was imported already, its value
    class is chosen again so that the timings go to the files.
    """
    directory = data_dir / "run" / "metrics"
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True, mode=0o700)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)
    if "prometheus_client" in sys.modules:
        from prometheus_client import values

        values.ValueClass = values.get_value_class()
    return directory


def options(*, bind: str, workers: int, log_level: str) -> dict:
    return {
        "bind": [bind],
        "workers": workers,
        "worker_class": "sync",  # behind nginx, which buffers slow clients
        "timeout": 60,
        "graceful_timeout": 30,
        "preload_app": True,  # a broken application fails once, at the start, not in every worker
        "proc_name": "waarborg",
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": log_level.lower(),
        "logger_class": ServerLogger,
        "secure_scheme_headers": {},  # the proxy middleware decides, from WAARBORG_TRUSTED_PROXIES
        "child_exit": child_exit,
        "limit_request_line": 8190,
        "control_socket_disable": True,  # no socket in the service user's home directory
    }
