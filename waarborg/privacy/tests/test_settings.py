"""The app's settings are parsed strictly: a bad value stops the start with one line."""

import os
import subprocess
import sys

import pytest


def _check(tmp_path, **env):
    full = {k: v for k, v in os.environ.items() if not k.startswith(("WAARBORG_", "DATABASE_URL"))}
    full.update({"WAARBORG_DATA_DIR": str(tmp_path / "data"), "PYTHONWARNINGS": "ignore", **env})
    code = "from django.conf import settings as s; print(s.WAARBORG_SITE_URL, s.WAARBORG_PRIVACY_TEAM_LEAD_EMAIL)"
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; {code}"],
        capture_output=True,
        text=True,
        env=full,
        timeout=120,
    )


@pytest.mark.promise("G9", "B5")
@pytest.mark.parametrize(
    ("env", "words"),
    [
        ({"WAARBORG_PRIVACY_TEAM_LEAD_EMAIL": "teamleider"}, "WAARBORG_PRIVACY_TEAM_LEAD_EMAIL must be an e-mail"),
        ({"WAARBORG_SITE_URL": "waarborg.example"}, "WAARBORG_SITE_URL must be an absolute URL"),
        ({"WAARBORG_SITE_URL": "https://*"}, "WAARBORG_SITE_URL must be an absolute URL"),
    ],
)
def test_it_refuses_a_bad_team_lead_address_or_site_url(tmp_path, env, words):
    result = _check(tmp_path, **env)
    assert result.returncode != 0 and words in result.stderr


@pytest.mark.promise("G9", "B5")
def test_it_reads_the_settings_and_defaults_to_the_controller_and_localhost(tmp_path):
    result = _check(tmp_path)
    assert result.stdout.split() == ["http://localhost:8000", "privacy@duinhost.example"]
    result = _check(
        tmp_path, WAARBORG_SITE_URL="https://klant.duinhost.example/", WAARBORG_PRIVACY_TEAM_LEAD_EMAIL="Lead@X.nl"
    )
    assert result.stdout.split() == ["https://klant.duinhost.example", "lead@x.nl"]


@pytest.mark.promise("B5")
def test_it_demands_https_links_in_production(tmp_path):
    production = {
        "WAARBORG_ENV": "production",
        "WAARBORG_SECRET_KEY": "s" * 50,
        "WAARBORG_ENCRYPTION_KEY": "e" * 44,
        "WAARBORG_AUDIT_KEY": "a" * 44,
        "WAARBORG_IDENTIFIER_KEY": "i" * 44,
        "WAARBORG_ALLOWED_HOSTS": "waarborg.example",
    }
    assert _check(tmp_path, **production).stdout.split()[0] == "https://waarborg.example"
    refused = _check(tmp_path, **production, WAARBORG_SITE_URL="http://waarborg.example")
    assert refused.returncode != 0 and "must start with https://" in refused.stderr
