"""Security headers, CSRF on the sign-in form, production settings (B1, B3, B5)."""

import os
import subprocess
import sys

import pytest
from django.test import Client

from waarborg.auth_web.tests.conftest import PASSWORD
from waarborg.testing.checks import unchanged


@pytest.mark.django_db
@pytest.mark.promise("B1", "B5")
@pytest.mark.parametrize("path", ["/", "/aanmelden/", "/wachtwoord-vergeten/", "/bestaat-niet/"])
def test_every_page_sends_the_security_headers(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
@pytest.mark.promise("B1")
@pytest.mark.parametrize("path", ["/", "/aanmelden/", "/wachtwoord-vergeten/"])
def test_pages_carry_no_inline_script_or_style(client, path):
    body = client.get(path).content.decode()
    assert "<script" not in body
    assert "<style" not in body and " style=" not in body
    assert " on" not in body.replace(" one", "").lower().split(">")[0]  # no onload= on <html>


@pytest.mark.django_db
@pytest.mark.promise("B1", "B3")
def test_the_sign_in_form_requires_the_csrf_token(customer):
    client = Client(enforce_csrf_checks=True)
    with unchanged():  # refused before anything was checked
        refused = client.post("/aanmelden/", {"email": customer.email, "password": PASSWORD})
    assert refused.status_code == 403
    assert "_auth_user_id" not in client.session

    client.get("/aanmelden/")
    token = client.cookies["csrftoken"].value
    accepted = client.post("/aanmelden/", {"email": customer.email, "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
@pytest.mark.promise("B3")
def test_cookies_are_http_only_and_the_session_expires(client, customer, settings):
    response = client.post("/aanmelden/", {"email": customer.email, "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


@pytest.mark.promise("B5")
def test_production_settings_turn_on_hsts_and_secure_cookies(tmp_path):
    env = {
        **os.environ,
        "WAARBORG_ENV": "production",
        "WAARBORG_DATA_DIR": str(tmp_path),
        "WAARBORG_SECRET_KEY": "s" * 50,
        "WAARBORG_ENCRYPTION_KEY": "e" * 44,
        "WAARBORG_AUDIT_KEY": "a" * 44,
        "WAARBORG_IDENTIFIER_KEY": "i" * 44,
        "WAARBORG_ALLOWED_HOSTS": "waarborg.example",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.LANGUAGE_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.DEBUG)"
    )
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["31536000", "True", "True", "True", "True", "False"]
