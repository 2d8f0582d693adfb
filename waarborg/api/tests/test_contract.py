"""Property-based: generated calls, valid and invalid, against /api/v1/openapi.json.

Schemathesis reads the published document through Django's WSGI application and sends a few
examples per operation and mode: no answer is a server error, every status, content type and
body is one the document declares, and an error names no field the caller made up.
"""

import tempfile
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis.configuration import set_hypothesis_home_dir  # noqa: E402

# Hypothesis keeps caches in a directory of its own: in the temporary directory, not the tree.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "waarborg-hypothesis")

from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections  # noqa: E402
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application  # noqa: E402
from waarborg.api.api import _KNOWN_LOC  # noqa: E402

pytestmark = pytest.mark.django_db
EXAMPLES = 12
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def same_connection():
    """Calls go straight to the WSGI application: keep the test's database connection open.

    (Django's own test client does the same; otherwise the end of each request closes the
    connection that holds the test's transaction.)
    """
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def _errors_name_only_known_fields(response):
    if response.status_code < 400:
        return
    detail = response.json()["detail"]
    if isinstance(detail, str):
        return
    for item in detail:
        for part in item["loc"]:
            assert isinstance(part, int) or part in _KNOWN_LOC or part == "*", "an error repeats a key it was sent"


@pytest.mark.promise("G7", "B3")
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
@pytest.mark.parametrize(
    ("path", "method"), [("/api/v1/privacy-requests", "POST"), ("/api/v1/privacy-requests/{id}", "GET")]
)
def test_it_holds_to_its_openapi_document_for_generated_calls(personas, issued, same_connection, path, method, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operation = schema[path][method]
    headers = {"Authorization": f"Bearer {issued.secret}"}

    @given(case=operation.as_strategy(generation_mode=mode), known=st.booleans())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,  # no example store in the working tree
        derandomize=True,  # examples from a fixed seed
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def call(case, known):
        if known and mode == GenerationMode.POSITIVE and isinstance(case.body, dict):
            # Half the valid bodies name a person we know, so that some are registered.
            for key in ("phone", "customer_number", "name", "postcode"):
                case.body.pop(key, None)
            case.body["email"] = personas.alice.email
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)
        _errors_name_only_known_fields(response)

    call()
