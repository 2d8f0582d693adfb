"""Bearer tokens with scopes (B3): hashed at rest, expiring, revocable; 401 and 403 as JSON."""

import datetime as dt

import pytest
from django.db import connection

from waarborg.api.models import SCOPE_READ, SCOPE_WRITE, ApiToken
from waarborg.api.services import api_token_create, api_token_revoke, token_hash
from waarborg.api.tests.conftest import TOKEN_USED
from waarborg.core import clock
from waarborg.core.actors import CLI
from waarborg.core.errors import PermissionDenied, ValidationError
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event

pytestmark = pytest.mark.django_db
D = dt.date
ALICE = {"type": "access", "email": "alice.devries@example.nl"}
UNAUTHORISED = {"detail": "a valid API token is needed: Authorization: Bearer <token>"}


@pytest.mark.promise("B3")
def test_it_keeps_only_a_keyed_hash_of_the_token(issued):
    token = issued.token
    assert issued.secret.startswith(token.prefix + "_") and len(issued.secret) > 40
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM api_apitoken WHERE id = %s", [token.pk])
        raw_row = [str(value) for value in cursor.fetchone()]
    assert not any(issued.secret in value for value in raw_row)
    random_part = issued.secret[len(token.prefix) + 1 :]  # may itself hold "_": not split on it
    assert not any(random_part in value for value in raw_row)
    assert token_hash(issued.secret) in raw_row and token.token_hash != issued.secret
    assert token.prefix in raw_row  # the prefix names it; it is no secret
    assert_clean_event(last_event(), action="api.token.create", values=[issued.secret])


@pytest.mark.promise("B3")
@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer ", "Basic YWxpY2U6c2VjcmV0", "Bearer wb_00000000_" + "x" * 43, "Bearer nonsense"],
    ids=["none", "empty", "blank", "basic", "unknown", "malformed"],
)
def test_it_answers_401_without_a_valid_token_and_writes_nothing(personas, as_client, issued, header):
    client = as_client(None)
    headers = {"Authorization": header} if header else {}
    before = database_snapshot()
    responses = [
        client.client.post("/api/v1/privacy-requests", ALICE, content_type="application/json", headers=headers),
        client.client.get("/api/v1/privacy-requests/1", headers=headers),
    ]
    for response in responses:
        assert response.status_code == 401
        assert response.json() == UNAUTHORISED
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert_nothing_changed(before)


@pytest.mark.promise("B3")
def test_it_refuses_a_revoked_or_expired_token(personas, make_token, as_client):
    revoked = make_token(name="old-form")
    api_token_revoke(actor=CLI, prefix=revoked.token.prefix)
    short = make_token(name="short-lived", days=1)
    with clock.as_of(clock.today() + dt.timedelta(days=2)):
        before = database_snapshot()
        for issued in (revoked, short):
            response = as_client(issued.secret).post(ALICE)
            assert response.status_code == 401 and response.json() == UNAUTHORISED
            assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'
        assert_nothing_changed(before)
    assert ApiToken.objects.get(pk=short.token.pk).status(clock.now()) == "active"
    assert as_client(short.secret).post(ALICE).status_code == 201  # still valid today


@pytest.mark.promise("B3", "B2")
def test_it_answers_403_for_a_token_without_the_scope(personas, make_token, as_client):
    writer = as_client(make_token([SCOPE_WRITE], name="form").secret)
    reader = as_client(make_token([SCOPE_READ], name="form").secret)
    created = writer.post(ALICE)
    assert created.status_code == 201
    before = database_snapshot()
    denied_read = writer.get(created.json()["id"])
    denied_write = reader.post(ALICE)
    assert (denied_read.status_code, denied_write.status_code) == (403, 403)
    assert denied_read.json() == {"detail": "this token lacks the scope privacy-requests:read"}
    assert denied_write.json() == {"detail": "this token lacks the scope privacy-requests:write"}
    assert_nothing_changed(before, except_for=TOKEN_USED)
    assert reader.get(created.json()["id"]).status_code == 200


@pytest.mark.promise("B3")
def test_it_notes_when_a_token_was_last_used(personas, api, issued):
    assert issued.token.last_used_at is None
    with clock.as_of(D(2026, 7, 1)):
        api.post(ALICE)
        assert ApiToken.objects.get(pk=issued.token.pk).last_used_at == clock.now()


@pytest.mark.promise("B3")
def test_it_checks_what_a_token_is_made_with(personas, frank, carol):
    before = database_snapshot()
    for kwargs, field in (
        ({"name": "Website Form", "scopes": [SCOPE_WRITE]}, "name"),
        ({"name": "form", "scopes": []}, "scope"),
        ({"name": "form", "scopes": ["customers:read"]}, "scope"),
        ({"name": "form", "scopes": [SCOPE_WRITE], "days": 0}, "days"),
        ({"name": "form", "scopes": [SCOPE_WRITE], "days": 731}, "days"),
        ({"name": "form", "scopes": [SCOPE_WRITE], "created_by": personas.alice}, "by"),
    ):
        with pytest.raises(ValidationError) as caught:
            api_token_create(actor=CLI, **kwargs)
        assert caught.value.field == field
    with pytest.raises(PermissionDenied):
        api_token_create(actor=carol, name="form", scopes=[SCOPE_WRITE])
    assert_nothing_changed(before)
    made = api_token_create(actor=frank, name="form", scopes=[SCOPE_READ, SCOPE_WRITE, SCOPE_READ])
    assert made.token.created_by == frank and made.token.scopes == [SCOPE_READ, SCOPE_WRITE]


def test_it_needs_no_csrf_token_but_a_bearer_token(personas, api):
    # The API client enforces CSRF checks: a bearer token is no cookie, so none is needed.
    assert api.client.handler.enforce_csrf_checks
    assert api.post(ALICE).status_code == 201
