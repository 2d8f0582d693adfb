"""End to end, as deployed (B3, D10): PostgreSQL, `waarborg serve` with three workers behind
Debian's nginx with the shipped site (deploy/nginx/waarborg.conf) terminating TLS with a
self-signed certificate on 127.0.0.1; Chromium enrols and signs in a staff member over https.

nginx reaches the application server from 127.0.0.3 (the only trusted proxy) while the browser
connects from 127.0.0.1, so the login records show whose address counted. Runs in CI's
PostgreSQL pass; needs nginx, openssl and Chromium. Its own database and nginx instance (an
unprivileged port, a prefix in a temporary directory) are made and removed by the test.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django_otp.oath import hotp, totp

from tests.deploy.helpers import free_port, production_env, waarborg, wait_for, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
NGINX = Path("/usr/sbin/nginx")
CHROMIUM = Path("/usr/bin/chromium")
SITE = ROOT / "deploy" / "nginx" / "waarborg.conf"
CLIENT, APP, PROXY = "127.0.0.1", "127.0.0.2", "127.0.0.3"  # browser, gunicorn, nginx's side to gunicorn
PASSWORD = "een-lang-geheim-wachtwoord-voor-beheer"
EMAIL = "beheerder@duinhost.example"


def _missing() -> str | None:
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        return "needs PostgreSQL (DATABASE_URL)"
    for tool in (NGINX, CHROMIUM, Path(shutil.which("openssl") or "/nonexistent")):
        if not tool.exists():
            return f"{tool} is not installed"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    return None


pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.browser,
    pytest.mark.skipif(_missing() is not None, reason=_missing() or ""),
]


def _database_url(name: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + name))


def _admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(_database_url("postgres"), autocommit=True) as conn:
        conn.execute(sql)


def _query(url: str, sql: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()


def _site(tmp: Path, *, https_port: int, http_port: int, app_port: int) -> str:
    """The shipped site with this machine's ports, certificate and log directory."""
    text = SITE.read_text()
    swaps = [
        ("listen 80;", f"listen {CLIENT}:{http_port};"),
        ("listen [::]:80;", ""),
        ("listen 443 ssl http2;", f"listen {CLIENT}:{https_port} ssl http2;"),
        ("listen [::]:443 ssl http2;", ""),
        ("server_name waarborg.example.nl;", "server_name localhost;"),
        ("/etc/letsencrypt/live/waarborg.example.nl/fullchain.pem", str(tmp / "cert.pem")),
        ("/etc/letsencrypt/live/waarborg.example.nl/privkey.pem", str(tmp / "key.pem")),
        ("/var/log/nginx/", f"{tmp}/logs/"),
        ("proxy_pass http://127.0.0.1:8000;", f"proxy_pass http://{APP}:{app_port};\n        proxy_bind {PROXY};"),
    ]
    for old, new in swaps:
        assert old in text, f"the shipped nginx site no longer has {old!r}"
        text = text.replace(old, new)
    return text


def _nginx_conf(tmp: Path, site: str) -> str:
    user = "user root root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {tmp}/temp/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/logs/main.error.log crit;\n"
        "events { worker_connections 128; }\n"
        f"http {{\n    access_log {tmp}/logs/default.access.log;\n{temp}\n    include {tmp}/site.conf;\n}}\n"
    )


@pytest.fixture
def deployment(tmp_path):
    name = f"wb_e2e_{os.getpid()}"
    url = _database_url(name)
    _admin_sql(f'DROP DATABASE IF EXISTS "{name}"')
    _admin_sql(f'CREATE DATABASE "{name}"')
    https_port, http_port, app_port = free_port(), free_port(), free_port(APP)
    env = production_env(
        tmp_path,
        DATABASE_URL=url,
        WAARBORG_ALLOWED_HOSTS="localhost",
        WAARBORG_SITE_URL=f"https://localhost:{https_port}",
        WAARBORG_TRUSTED_PROXIES=PROXY,
        WAARBORG_MAIL="file",
    )
    processes = []
    try:
        assert waarborg(["migrate", "-v0"], env, timeout=300).returncode == 0
        added = waarborg(["staff", "add", "--email", EMAIL, "--role", "admin", "--name", "Bea Beheer"], env)
        assert added.returncode == 0, added.stderr
        link = re.search(r"https://localhost:\d+/aanmelden/welkom/(\S+)/", added.stdout)
        token = link.group(1)

        (tmp_path / "logs").mkdir()
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (tmp_path / "temp" / kind).mkdir(parents=True)
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"]
            + ["-addext", "subjectAltName=DNS:localhost", "-keyout", str(tmp_path / "key.pem")]
            + ["-out", str(tmp_path / "cert.pem")],
            check=True,
            capture_output=True,
        )
        (tmp_path / "site.conf").write_text(
            _site(tmp_path, https_port=https_port, http_port=http_port, app_port=app_port)
        )
        (tmp_path / "nginx.conf").write_text(_nginx_conf(tmp_path, "site.conf"))

        server_out, server_err = (tmp_path / "serve.out").open("w"), (tmp_path / "serve.err").open("w")
        server = subprocess.Popen(
            [sys.executable, "-m", "waarborg", "serve", "--bind", f"{APP}:{app_port}", "--workers", "3"],
            env=env,
            stdout=server_out,
            stderr=server_err,
        )
        processes.append(server)
        nginx = subprocess.Popen(
            [str(NGINX), "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=(tmp_path / "nginx.stderr").open("w"),
        )
        processes.append(nginx)
        wait_for(f"http://{APP}:{app_port}/healthz", headers={"Host": "localhost"})
        wait_for_port(CLIENT, https_port)
        yield {
            "base": f"https://localhost:{https_port}",
            "token": token,
            "url": url,
            "logs": tmp_path,
            "server": server,
            "nginx": nginx,
        }
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)
        _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        yield browser
        browser.close()


def _code(page, *, steps_ahead: int = 0) -> str:
    shown = page.locator("#totp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(shown + "=" * (-len(shown) % 8))
    return f"{totp(key, drift=steps_ahead):06d}"


def _fresh_code(url: str, key: bytes) -> str:
    """The code an authenticator app shows next that the server still accepts: after the step the
    server last accepted (a code is good once), within its tolerance around its recorded drift,
    and still so if a step boundary passes before it is checked."""
    while True:
        ((last_t, drift, step, t0, tolerance),) = _query(
            url, "SELECT last_t, drift, step, t0, tolerance FROM otp_totp_totpdevice"
        )
        now = (int(time.time()) - t0) // step
        good = [t for t in range(now + drift + 1 - tolerance, now + drift + tolerance + 1) if t > last_t]
        if good:
            return f"{hotp(key, good[0]):06d}"
        time.sleep(step - (int(time.time()) - t0) % step + 0.5)


@pytest.mark.promise("B3", "D10")
def test_a_staff_member_enrols_and_signs_in_over_https_behind_nginx(deployment, chromium):
    from playwright.sync_api import expect

    base, token = deployment["base"], deployment["token"]
    context = chromium.new_context(ignore_https_errors=True, locale="nl-NL")
    context.set_default_timeout(15_000)
    page = context.new_page()

    # The enrolment link: choose a password, then set up the authenticator app.
    first = page.goto(f"{base}/aanmelden/welkom/{token}/")
    assert first.status == 200
    assert "max-age=31536000" in first.headers["strict-transport-security"]
    page.locator("input[name=new_password1]").fill(PASSWORD)
    page.locator("input[name=new_password2]").fill(PASSWORD)
    page.get_by_role("button", name="Wachtwoord opslaan en verder").click()
    expect(page).to_have_url(re.compile(r"/aanmelden/instellen/$"))
    page.get_by_label("Code uit uw authenticator-app").fill(_code(page))
    key_text = page.locator("#totp-secret").inner_text()
    page.get_by_role("button", name="Bevestigen en doorgaan").click()
    expect(page).to_have_url(re.compile(r"/backoffice/$"))

    # Signed out and in again: password, then the next code of the app.
    page.get_by_role("button", name=re.compile("Afmelden")).first.click()
    page.goto(f"{base}/aanmelden/")
    page.get_by_label("E-mailadres").fill(EMAIL)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page).to_have_url(re.compile(r"/aanmelden/code/$"))
    key = base64.b32decode(key_text.replace(" ", "") + "=" * (-len(key_text.replace(" ", "")) % 8))
    page.get_by_label("Code uit uw authenticator-app").fill(_fresh_code(deployment["url"], key))
    page.get_by_role("button", name="Bevestigen").click()
    expect(page).to_have_url(re.compile(r"/backoffice/$"))
    landed = page.goto(f"{base}/backoffice/")
    assert landed.status == 200
    assert "includeSubDomains" in landed.headers["strict-transport-security"]

    session = next(c for c in context.cookies() if c["name"] == "sessionid")
    assert session["secure"] is True and session["httpOnly"] is True
    context.close()

    # The login records hold the browser's address, passed on by nginx; never nginx's own.
    events = _query(
        deployment["url"], "SELECT host(ip_address), succeeded, method FROM accounts_loginevent ORDER BY at"
    )
    assert [e[2] for e in events] == ["totp", "totp"] and all(e[1] for e in events)
    assert {e[0] for e in events} == {CLIENT}

    # The logs: requests are there, tokens, addresses and the e-mail address are not.
    for process, stop in ((deployment["server"], signal.SIGTERM), (deployment["nginx"], signal.SIGQUIT)):
        process.send_signal(stop)
        process.wait(timeout=30)
    logs = deployment["logs"]
    nginx_log = "\n".join(p.read_text() for p in sorted((logs / "logs").glob("*.log")))
    served = [ln for ln in (logs / "serve.out").read_text().splitlines() if not ln.startswith("waarborg: serving on")]
    server_log = "\n".join(served) + (logs / "serve.err").read_text()
    assert '"GET /aanmelden/welkom/[token] HTTP/' in nginx_log and '"POST /aanmelden/code/ HTTP/' in nginx_log
    assert '"GET /aanmelden/welkom/[token] HTTP/1.0" 200' in server_log
    assert '"POST /aanmelden/instellen/ HTTP/1.0" 302' in server_log
    for text in (nginx_log, server_log):
        assert token not in text
        assert EMAIL not in text and "beheerder" not in text
        assert not re.search(r"\b127\.0\.0\.\d+\b", text)
