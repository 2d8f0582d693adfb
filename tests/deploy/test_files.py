"""The shipped deployment files (deploy/): the nginx site is valid, TLS is Mozilla's intermediate
profile, and its logs leave out client addresses and every page with a token (D10)."""

import os
import re
import subprocess
from pathlib import Path

import pytest

from waarborg.core.redact import token_prefixes

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SITE = (DEPLOY / "nginx" / "waarborg.conf").read_text()
NGINX = Path("/usr/sbin/nginx")


def _directives(name: str) -> list[str]:
    return re.findall(rf"^\s*{name}\s+([^;]+);", SITE, re.M)


@pytest.mark.promise("D10")
def test_the_nginx_log_cuts_the_token_off_every_page_that_has_one():
    mapped = {m.group(1) for m in re.finditer(r"^\s*~\^(/\S+/)\s+\1\[token\];", SITE, re.M)}
    assert mapped == set(token_prefixes())


@pytest.mark.promise("D10")
def test_the_nginx_logs_hold_no_client_address_and_no_query_string():
    (log_format,) = re.findall(r"log_format waarborg (.*?);", SITE, re.S)
    logged = set(re.findall(r"\$\{?(\w+)\}?", log_format))
    assert logged == {
        "time_iso8601",
        "request_method",
        "waarborg_log_path",  # the path without query string, the token cut off
        "server_protocol",
        "status",
        "body_bytes_sent",
        "request_time",
    }
    # every server logs in that format; nginx's error log names clients, so only critical errors
    assert _directives("access_log") == ["/var/log/nginx/waarborg.access.log waarborg"] * 2
    assert _directives("error_log") == ["/var/log/nginx/waarborg.error.log crit"] * 2


def test_tls_is_mozillas_intermediate_profile_and_the_proxy_headers_are_set_not_passed_on():
    assert _directives("ssl_protocols") == ["TLSv1.2 TLSv1.3"]
    (ciphers,) = _directives("ssl_ciphers")
    assert all(c.startswith("ECDHE-") and ("GCM" in c or "CHACHA20" in c) for c in ciphers.split(":"))
    assert _directives("ssl_prefer_server_ciphers") == ["off"]
    headers = dict(h.split(None, 1) for h in _directives("proxy_set_header"))
    assert headers["X-Forwarded-For"].startswith("$remote_addr")  # set, never appended to the client's own
    assert headers["X-Forwarded-Proto"] == "$scheme"
    assert headers["Forwarded"] == headers["X-Forwarded-Host"] == headers["X-Real-IP"] == '""'


@pytest.mark.skipif(not NGINX.exists(), reason="nginx is not installed")
def test_nginx_accepts_the_site(tmp_path):
    site = SITE.replace("/var/log/nginx/", f"{tmp_path}/")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"]
        + ["-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True,
        capture_output=True,
    )
    site = site.replace("/etc/letsencrypt/live/waarborg.example.nl/fullchain.pem", str(tmp_path / "cert.pem"))
    site = site.replace("/etc/letsencrypt/live/waarborg.example.nl/privkey.pem", str(tmp_path / "key.pem"))
    (tmp_path / "site.conf").write_text(site)
    user = "user root root;\n" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"{user}pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log crit;\nevents {{}}\n"
        f"http {{\n    access_log off;\n    include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        [str(NGINX), "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_the_service_runs_waarborg_serve_as_its_own_user_with_the_environment_file():
    unit = (DEPLOY / "systemd" / "waarborg.service").read_text()
    assert re.search(r"^ExecStart=/opt/waarborg/venv/bin/waarborg serve$", unit, re.M)
    assert "User=waarborg" in unit and "EnvironmentFile=/etc/waarborg/waarborg.env" in unit
    assert "Type=notify" in unit  # gunicorn tells systemd when it is ready
    env = (DEPLOY / "waarborg.env").read_text()
    for name in (
        "WAARBORG_ENV=production",
        "WAARBORG_TRUSTED_PROXIES=",
        "WAARBORG_METRICS_TOKEN=",
        "WAARBORG_SMTP_TLS=",
        "WAARBORG_BIND=127.0.0.1:8000",
    ):
        assert name in env
    assert subprocess.run(["sh", "-n", str(DEPLOY / "bin" / "waarborg")]).returncode == 0


def test_every_unit_runs_a_real_waarborg_command_as_the_service_with_its_settings():
    from django.core.management import get_commands

    commands = get_commands()
    units = sorted((DEPLOY / "systemd").glob("*.service"))
    assert {u.name for u in units} >= {"waarborg.service", "waarborg-scheduler.service", "waarborg-backup.service"}
    for unit in units:
        text = unit.read_text()
        assert "User=waarborg" in text and "EnvironmentFile=/etc/waarborg/waarborg.env" in text, unit.name
        runs = re.findall(r"/opt/waarborg/venv/bin/waarborg (\w+)", text)
        assert runs and all(name in commands for name in runs), (unit.name, runs)
    timer = (DEPLOY / "systemd" / "waarborg-backup.timer").read_text()
    assert "OnCalendar=" in timer and "Persistent=true" in timer
    backup = (DEPLOY / "systemd" / "waarborg-backup.service").read_text()
    assert "backup create --out" in backup and "backup prune --dir" in backup
