"""`waarborg api token create | revoke | list` (B3)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waarborg.api.models import ApiToken
from waarborg.api.services import api_token_authenticate, token_hash
from waarborg.testing.checks import assert_clean_event, last_event, unchanged

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("api", "token", *args, stdout=out)
    return out.getvalue()


@pytest.mark.promise("B3")
def test_it_prints_a_new_token_once_and_lists_it_by_prefix(personas, frank):
    out = run(
        "create", "--name", "website-form", "--scope", "privacy-requests:write", "--days", "30", "--by", frank.email
    )
    token = ApiToken.objects.get()
    secret = out.strip().splitlines()[-1].strip()
    assert secret.startswith(token.prefix + "_") and token.token_hash == token_hash(secret)
    assert f"token {token.prefix} for website-form (privacy-requests:write), valid until" in out
    assert token.created_by == frank and api_token_authenticate(secret) == token
    listed = run("list")
    assert token.prefix in listed and "active" in listed and secret not in listed
    assert "1 tokens; 1 active" in listed
    rows = json.loads(run("list", "--format", "json"))
    assert rows[0]["prefix"] == token.prefix and rows[0]["scopes"] == ["privacy-requests:write"]
    assert secret not in json.dumps(rows)


@pytest.mark.promise("B3", "B4")
def test_it_revokes_a_token_by_its_prefix_at_once(personas):
    secret = run("create", "--name", "form", "--scope", "privacy-requests:read").strip().splitlines()[-1].strip()
    token = ApiToken.objects.get()
    assert f"revoked {token.prefix} (form)" in run("revoke", token.prefix.removeprefix("wb_"))
    assert_clean_event(last_event(), action="api.token.revoke", values=[secret])
    assert last_event().actor == "cli"
    assert api_token_authenticate(secret) is None
    assert "was already revoked on" in run("revoke", token.prefix)
    assert "revoked" in run("list")


def test_it_ends_with_one_line_and_a_non_zero_exit_on_bad_input(personas):
    with unchanged(), pytest.raises(CommandError) as unknown:
        run("revoke", "wb_00000000")
    assert unknown.value.returncode == 1
    for args in (
        ("revoke", "not-a-prefix"),
        ("create", "--name", "Bad Name", "--scope", "privacy-requests:read"),
        ("create", "--name", "form", "--scope", "privacy-requests:read", "--days", "9999"),
        ("create", "--name", "form", "--scope", "privacy-requests:read", "--by", "nobody@example.org"),
    ):
        with unchanged(), pytest.raises(CommandError) as bad:
            run(*args)
        assert bad.value.returncode == 2
    assert not ApiToken.objects.exists()
