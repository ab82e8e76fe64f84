"""/api/v1/openapi.json describes every ingest API endpoint."""

import pytest
from django.urls import get_resolver, reverse


@pytest.mark.django_db
def test_it_serves_an_openapi_3_1_document_naming_every_endpoint(client):
    response = client.get(reverse("api:openapi"))

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    server = document["servers"][0]["url"]
    documented = {f"{server}{path}" for path in document["paths"]}
    assert documented == {"/api/v1/ingest/{kind}", "/api/v1/jobs/{id}", "/api/v1/openapi.json"}
    assert set(document["paths"]["/ingest/{kind}"]["post"]["responses"]) == {
        "202",
        "400",
        "401",
        "404",
        "411",
        "413",
    }
    kinds = document["paths"]["/ingest/{kind}"]["post"]["parameters"][0]["schema"]["enum"]
    assert kinds == ["scan", "bench", "signals", "inventory", "cyclonedx"]


def test_every_api_route_is_documented():
    api_routes = [pattern for pattern in get_resolver().url_patterns if str(pattern.pattern) == "api/v1/"]
    names = {entry.name for entry in api_routes[0].url_patterns}
    assert names == {"ingest", "job_status", "openapi"}
