"""The provisioning webhook against a real local HTTP server: signed, retried with backoff,
nothing lost and nothing done twice (A2, A4)."""

import datetime as dt
import hashlib
import hmac
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine

from config.env import env_webhook
from waarborg.billing.services import payment_record
from waarborg.core import clock
from waarborg.core.errors import ConfigError
from waarborg.dunning.adapters import BLOCK, UNBLOCK, deliver_outbox, provision
from waarborg.dunning.models import ProvisioningMessage

from .conftest import ACTIVE, BLOCKED, DUE, D, run_days

pytestmark = pytest.mark.django_db

SECRET = "s" * 40
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


class Platform:
    """A provisioning platform on localhost that answers with the scripted status codes."""

    def __init__(self, codes=(200,)):
        self.codes = list(codes)
        self.requests: list[dict] = []
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                platform.requests.append({"headers": dict(self.headers), "body": body})
                code = platform.codes.pop(0) if len(platform.codes) > 1 else platform.codes[0]
                self.send_response(code)
                self.end_headers()
                self.wfile.write(b"ok" if code < 300 else b"error")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def platform(settings):
    servers = []

    def start(codes=(200,)):
        server = Platform(codes)
        servers.append(server)
        settings.WAARBORG_PROVISIONING_WEBHOOK_URL = server.url
        settings.WAARBORG_PROVISIONING_WEBHOOK_SECRET = SECRET
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def down_url(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.WAARBORG_PROVISIONING_WEBHOOK_URL = f"http://127.0.0.1:{port}/hook"
    settings.WAARBORG_PROVISIONING_WEBHOOK_SECRET = SECRET
    return settings.WAARBORG_PROVISIONING_WEBHOOK_URL


def verify(request) -> dict:
    headers = request["headers"]
    expected = hmac.new(
        SECRET.encode(), headers["X-Waarborg-Timestamp"].encode() + b"." + request["body"], hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(headers["X-Waarborg-Signature"], f"sha256={expected}")
    payload = json.loads(request["body"])
    assert headers["Idempotency-Key"] == payload["id"]
    return payload


@pytest.mark.promise("A2")
def test_the_block_step_tells_the_platform_with_a_signed_message(consumer, platform):
    server = platform()
    consumer.invoice()
    results = run_days(DUE, D(2026, 2, 16))
    assert results[-1]["provisioning"] == {"delivered": 1}
    (request,) = server.requests
    payload = verify(request)
    assert payload["action"] == "block" and payload["reason"] == "non_payment"
    assert payload["subscription"] == {
        "id": consumer.hosting.pk,
        "label": "site.example",
        "product": "webhosting-basis",
    }
    assert payload["customer"] == {"id": consumer.customer.pk}
    assert payload["id"].startswith(f"case:{consumer.case().pk}:step:3:block:")
    message = ProvisioningMessage.objects.get()
    assert message.status == "delivered" and message.attempts == 1 and message.key == payload["id"]
    assert run_days(D(2026, 2, 17), D(2026, 2, 17))[0]["provisioning"] == {}  # never again


@pytest.mark.promise("A2")
def test_an_unreachable_platform_is_retried_with_backoff_and_nothing_is_lost(consumer, down_url, settings):
    with time_machine.travel(START, tick=False) as traveller:
        provision(BLOCK, consumer.hosting, key="test:block:1", reason="non_payment")
        assert consumer.status() == (BLOCKED, ACTIVE)  # recorded here at once
        assert deliver_outbox() == {"delivered": 0, "failed": 1, "waiting": 0}
        message = ProvisioningMessage.objects.get()
        assert message.attempts == 1 and message.last_error == "connection refused"
        assert message.next_attempt_at == START + dt.timedelta(seconds=60)
        assert deliver_outbox() == {"delivered": 0, "failed": 0, "waiting": 1}  # not due yet
        traveller.move_to(START + dt.timedelta(seconds=61))
        assert deliver_outbox()["failed"] == 1
        message.refresh_from_db()
        assert message.attempts == 2 and message.next_attempt_at == START + dt.timedelta(seconds=61 + 300)
        server = Platform()
        try:
            settings.WAARBORG_PROVISIONING_WEBHOOK_URL = server.url
            traveller.move_to(START + dt.timedelta(seconds=400))
            assert deliver_outbox()["delivered"] == 1
            assert verify(server.requests[0])["id"] == "test:block:1"
        finally:
            server.stop()
    message.refresh_from_db()
    assert message.status == "delivered" and message.attempts == 3 and message.last_error == ""


@pytest.mark.promise("A2")
def test_a_500_is_retried_and_the_same_key_lets_the_platform_do_nothing_twice(consumer, platform):
    server = platform(codes=(500, 200))
    with time_machine.travel(START, tick=False) as traveller:
        provision(BLOCK, consumer.hosting, key="test:block:2", reason="non_payment")
        provision(BLOCK, consumer.hosting, key="test:block:2", reason="non_payment")  # already blocked: no message
        assert deliver_outbox()["failed"] == 1
        assert ProvisioningMessage.objects.get().last_error == "HTTP 500"
        traveller.move_to(START + dt.timedelta(minutes=2))
        assert deliver_outbox()["delivered"] == 1
        traveller.move_to(START + dt.timedelta(days=2))
        assert deliver_outbox() == {"delivered": 0, "failed": 0, "waiting": 0}
    keys = [r["headers"]["Idempotency-Key"] for r in server.requests]
    assert keys == ["test:block:2", "test:block:2"]
    assert ProvisioningMessage.objects.count() == 1


@pytest.mark.promise("A2")
def test_messages_for_one_service_go_out_in_order(consumer, platform):
    server = platform(codes=(500, 200))
    with time_machine.travel(START, tick=False) as traveller:
        provision(BLOCK, consumer.hosting, key="test:block:3", reason="non_payment")
        assert deliver_outbox()["failed"] == 1
        consumer.hosting.refresh_from_db()
        provision(UNBLOCK, consumer.hosting, key="test:unblock:3", reason="paid")
        provision(BLOCK, consumer.mail, key="test:block:4", reason="non_payment")
        counts = deliver_outbox()
        assert counts == {"delivered": 1, "failed": 0, "waiting": 2}  # the unblock waits for the block
        traveller.move_to(START + dt.timedelta(minutes=5))
        assert deliver_outbox()["delivered"] == 2
    actions = [(json.loads(r["body"])["action"], json.loads(r["body"])["subscription"]["id"]) for r in server.requests]
    assert actions == [
        ("block", consumer.hosting.pk),
        ("block", consumer.mail.pk),
        ("block", consumer.hosting.pk),
        ("unblock", consumer.hosting.pk),
    ]


@pytest.mark.promise("A2", "A5")
def test_a_payment_sends_the_unblock_right_after_it_commits(
    consumer, personas, platform, django_capture_on_commit_callbacks
):
    server = platform()
    invoice = consumer.invoice()
    run_days(DUE, D(2026, 2, 16))
    with clock.as_of(D(2026, 2, 18)), django_capture_on_commit_callbacks(execute=True):
        payment_record(actor=personas.dave, invoice=invoice, amount="121.00")
    assert [json.loads(r["body"])["action"] for r in server.requests] == ["block", "unblock"]
    assert ProvisioningMessage.objects.filter(status="pending").count() == 0


def test_the_webhook_settings_are_parsed_strictly(monkeypatch):
    url, secret = "WAARBORG_PROVISIONING_WEBHOOK_URL", "WAARBORG_PROVISIONING_WEBHOOK_SECRET"
    monkeypatch.delenv(url, raising=False)
    monkeypatch.delenv(secret, raising=False)
    assert env_webhook(url, secret) == ("", "")
    monkeypatch.setenv(secret, SECRET)
    with pytest.raises(ConfigError, match="is set but WAARBORG_PROVISIONING_WEBHOOK_URL is not"):
        env_webhook(url, secret)
    for bad in ("ftp://x.example/hook", "platform.example/hook", "http://user@x.example/", "http://x.example:abc/"):
        monkeypatch.setenv(url, bad)
        with pytest.raises(ConfigError, match=url):
            env_webhook(url, secret)
    monkeypatch.setenv(url, "http://platform.example/hook")
    with pytest.raises(ConfigError, match="https://"):
        env_webhook(url, secret, https=True)
    assert env_webhook(url, secret) == ("http://platform.example/hook", SECRET)
    monkeypatch.setenv(secret, "short")
    with pytest.raises(ConfigError, match="at least 32 characters"):
        env_webhook(url, secret)
