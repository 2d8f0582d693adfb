"""A real SMTP server on localhost for tests: mail goes through Django's SMTP backend and arrives here.

Use the `smtp_server` fixture (a plugin of the root conftest): it points Django's mail settings
at the server and yields it. `smtp_server.messages` are the parsed messages received so far,
`smtp_server.wait_for(n)` waits until n have arrived, and `smtp_server.settle()` returns every
message sent before it was called: it sends a marker message of its own through the server and
waits for that one, so a test proves that no (other) mail was sent without waiting out a timeout.
"""

from __future__ import annotations

import email
import email.policy
import smtplib
import socket
import threading
import time
import uuid
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

MARKER = "X-Waarborg-Test-Marker"


def free_port() -> int:
    """A port on localhost that nobody listens on (now): for a mail server that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Handler:
    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.markers: set[str] = set()
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            if message[MARKER]:
                self.markers.add(str(message[MARKER]))
            else:
                self.messages.append(message)
                self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


class LocalSMTP:
    def __init__(self):
        self.handler = _Handler()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=free_port())

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    @property
    def port(self) -> int:
        return self.controller.port

    @property
    def messages(self) -> list[EmailMessage]:
        return list(self.handler.messages)

    def wait_for(self, count: int, timeout: float = 30.0) -> list[EmailMessage]:
        # Returns as soon as `count` messages are in; the long default only matters on a loaded machine.
        deadline = time.monotonic() + timeout
        while len(self.handler.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages

    def settle(self, timeout: float = 30.0) -> list[EmailMessage]:
        """Every message sent before this call: a marker goes through the same server after them,
        and once it is in, so is everything sent before it (the marker itself is not kept).

        Django's SMTP backend waits for the server's answer to each message, so a send that has
        returned has arrived; the marker makes that a fact the test checks, not an assumption."""
        token = uuid.uuid4().hex
        marker = EmailMessage()
        marker[MARKER] = token
        marker["Subject"] = "marker"
        marker.set_content("marker")
        with smtplib.SMTP("127.0.0.1", self.port, timeout=timeout) as client:
            client.send_message(marker, from_addr="marker@localhost", to_addrs=["marker@localhost"])
        deadline = time.monotonic() + timeout
        while token not in self.handler.markers:
            assert time.monotonic() < deadline, "the SMTP server did not receive its marker"
            time.sleep(0.01)
        return self.messages

    def body(self, message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("plain", "html"))
        return part.get_content() if part is not None else ""


@pytest.fixture
def smtp_server(settings):
    server = LocalSMTP().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield server
    finally:
        server.stop()
