"""The OpenAPI document (a contract: /api/v1/openapi.json) and the docs page under the CSP."""

import json
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_it_publishes_the_openapi_document_with_both_paths_and_the_bearer_scheme():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    assert set(paths) == {"/api/v1/privacy-requests", "/api/v1/privacy-requests/{id}"}
    create, read = paths["/api/v1/privacy-requests"]["post"], paths["/api/v1/privacy-requests/{id}"]["get"]
    assert create["security"] == [{"BearerToken": ["privacy-requests:write"]}]
    assert read["security"] == [{"BearerToken": ["privacy-requests:read"]}]
    assert {"201", "400", "401", "403", "422"} <= set(create["responses"])
    assert {"200", "401", "403", "404"} <= set(read["responses"])
    scheme = document["components"]["securitySchemes"]["BearerToken"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert "privacy-requests:write" in scheme["description"] and "privacy-requests:read" in scheme["description"]
    # A 422 lists loc, msg and type, and a refusal of ours its code (the message catalogue's).
    refusal = create["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    item = document["components"]["schemas"][refusal]["properties"]["detail"]["items"]["$ref"].rsplit("/", 1)[1]
    item = document["components"]["schemas"][item]
    assert set(item["properties"]) == {"loc", "msg", "type", "code"}
    assert set(item["required"]) == {"loc", "msg", "type"}
    body = document["components"]["schemas"]["PrivacyRequestIn"]
    assert body["required"] == ["type"] and body["additionalProperties"] is False
    assert set(body["properties"]["type"]["enum"]) == {
        "access",
        "rectification",
        "erasure",
        "withdrawal",
        "objection",
        "portability",
        "restriction",
    }


def test_it_serves_the_docs_page_without_inline_scripts_or_outside_resources(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    for attributes, content in scripts:
        # Either a file of our own, or data (JSON) that the browser does not run.
        assert 'src="/static/' in attributes or 'type="application/json"' in attributes
        if "src=" in attributes:
            assert not content.strip()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    settings_json = re.search(r'id="swagger-settings">(.*?)</script>', html, re.S).group(1)
    assert json.loads(settings_json)["url"] == "/api/v1/openapi.json"
    assert json.loads(settings_json)["validatorUrl"] is None  # the badge would load an outside image
    for asset in re.findall(r"""(?:src|href)="(/static/[^"]+)\"""", html):
        assert client.get(asset).status_code == 200, asset


def test_it_answers_an_unknown_address_under_the_api_in_json(client):
    response = client.get("/api/v1/privacy-requests/")
    assert response.status_code == 404 and response.json() == {"detail": "no such address in this API"}


def test_it_answers_a_method_the_address_does_not_take_in_json(client):
    response = client.delete("/api/v1/privacy-requests/1")
    assert response.status_code == 405 and response.json() == {"detail": "method not allowed"}
    assert response["Allow"] == "GET"
