import json

import pytest
from django.test import Client

from waarborg.api.models import SCOPE_READ, SCOPE_WRITE
from waarborg.api.services import api_token_create
from waarborg.core.actors import CLI

URL = "/api/v1/privacy-requests"
COUNTED = (
    "privacy.PrivacyRequest",
    "privacy.VerificationLink",
    "privacy.RectificationProposal",
    "api.ApiToken",
    "api.ApiRequest",
)
BOTH = [SCOPE_WRITE, SCOPE_READ]
# What a refused request with a valid token rightly writes (for `assert_nothing_changed`).
TOKEN_USED = {"api.ApiToken.last_used_at": "a valid token is marked as used even when its request is refused"}


@pytest.fixture(autouse=True)
def mail(smtp_server):
    """The identity check's mail goes through a real local SMTP server."""
    return smtp_server


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.FILES_DIR = tmp_path / "files"
    return settings.FILES_DIR


@pytest.fixture
def make_token(db):
    def make(scopes=BOTH, *, name="website-form", days=30):
        return api_token_create(actor=CLI, name=name, scopes=scopes, days=days)

    return make


@pytest.fixture
def issued(make_token):
    return make_token()


class Api:
    """The Django test client with a token: `api.post(payload)`, `api.get(pk)` → response."""

    def __init__(self, secret: str | None):
        self.client = Client(enforce_csrf_checks=True)
        self.secret = secret

    def headers(self):
        return {"Authorization": f"Bearer {self.secret}"} if self.secret else {}

    def post(self, payload, *, raw: str | None = None):
        body = raw if raw is not None else json.dumps(payload)
        return self.client.post(URL, body, content_type="application/json", headers=self.headers())

    def get(self, pk):
        return self.client.get(f"{URL}/{pk}", headers=self.headers())


@pytest.fixture
def api(issued):
    return Api(issued.secret)


@pytest.fixture
def as_client():
    return Api
