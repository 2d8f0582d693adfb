"""`waarborg serve` for real (gunicorn, two workers, SQLite): it answers, refuses what it must,
and its logs hold no token, no client address and no personal value (D10, B1)."""

import json
import signal
import subprocess
import sys

import pytest

from tests.deploy.helpers import clean_env, free_port, get, waarborg, wait_for

TOKEN = "q" * 40


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve")
    env = clean_env(tmp, WAARBORG_METRICS_TOKEN=TOKEN, WAARBORG_TRUSTED_PROXIES="10.1.1.1")
    assert waarborg(["migrate", "-v0"], env, timeout=300).returncode == 0
    port = free_port()
    out, err = tmp / "stdout.log", tmp / "stderr.log"
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "waarborg", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            env=env,
            stdout=stdout,
            stderr=stderr,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/healthz")
        yield base, process, out, err
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


@pytest.mark.promise("B4")
def test_it_serves_pages_static_files_and_the_health_check(served):
    base, *_ = served
    status, _, body = get(base + "/privacy/")
    assert status == 200 and b"<h1" in body
    status, headers, _ = get(base + "/static/backoffice/backoffice.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    status, _, body = get(base + "/healthz")
    assert status == 503  # a fresh database: no daily run, no audit check yet
    assert json.loads(body)["checks"]["database"]["ok"] is True


@pytest.mark.promise("B1")
def test_it_refuses_what_it_must_with_a_4xx(served):
    base, *_ = served
    # a forwarded header from an address that is not a trusted proxy
    assert get(base + "/", {"X-Forwarded-For": "203.0.113.9"})[0] == 400
    assert get(base + "/", {"X-Forwarded-Proto": "https"})[0] == 400
    # a host that is not ours
    assert get(base + "/", {"Host": "evil.example"})[0] == 400
    # metrics without, or with a wrong, token
    assert get(base + "/metrics")[0] == 401
    assert get(base + "/metrics", {"Authorization": "Bearer " + "w" * 40})[0] == 401
    status, _, body = get(base + "/metrics", {"Authorization": f"Bearer {TOKEN}"})
    assert status == 200 and b"waarborg_http_request_duration_seconds_count" in body


@pytest.mark.promise("D10", "B1")
def test_its_logs_hold_no_token_address_or_personal_value(served):
    base, process, out, err = served
    get(base + "/privacyverzoek/bevestigen/4f1c9e/Sup3rGeheimT0ken/?email=jan@example.nl")
    get(base + "/wachtwoord-herstellen/MQ/abc-5f0e1d2c3b4a/")
    get(base + "/backoffice/klanten/?q=Jansen+0612345678")
    get(base + "/aanmelden/", {"X-Forwarded-For": "203.0.113.9"})
    get(base + "/metrics", {"Authorization": "Bearer " + "w" * 40})
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    lines = out.read_text().splitlines() + err.read_text().splitlines()
    logged = "\n".join(line for line in lines if not line.startswith("waarborg: serving on"))
    assert '"GET /privacyverzoek/bevestigen/[token] HTTP/1.1" 404' in logged
    assert '"GET /wachtwoord-herstellen/[token] HTTP/1.1"' in logged
    assert '"GET /backoffice/klanten/ HTTP/1.1"' in logged
    assert '"GET /aanmelden/ HTTP/1.1" 400' in logged
    for secret in ("Sup3rGeheimT0ken", "4f1c9e", "abc-5f0e1d2c3b4a", "jan@", "Jansen", "0612345678"):
        assert secret not in logged
    for address in ("127.0.0.1", "203.0.113.9", "10.1.1.1"):
        assert address not in logged
    assert "w" * 40 not in logged and TOKEN not in logged
