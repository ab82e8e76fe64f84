"""A chunked request body (no Content-Length) is read up to the limit or refused, never taken as empty."""

import http.client
import io
import json

import pytest

from apps.jobs.api import ingest
from apps.jobs.models import ImportJob
from tests.jobs.conftest import scan_payload

URL = "/api/v1/ingest/scan"


def chunked_request(rf, raw_token: str, body: bytes, *, server_dechunks: bool):
    request = rf.post(
        URL, data=b"", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw_token}"
    )
    request.META.pop("CONTENT_LENGTH", None)
    request.META["HTTP_TRANSFER_ENCODING"] = "chunked"
    request.META["wsgi.input"] = io.BytesIO(body)  # what gunicorn hands over, already de-chunked
    if server_dechunks:
        request.META["wsgi.input_terminated"] = True
    return request


@pytest.mark.django_db
def test_a_chunked_body_is_read_when_the_server_dechunks_it(rf, api_token):
    _, raw = api_token
    response = ingest(chunked_request(rf, raw, scan_payload(3), server_dechunks=True), kind="scan")

    assert response.status_code == 202, response.content
    assert ImportJob.objects.get().size == len(scan_payload(3))


@pytest.mark.django_db
def test_a_chunked_body_over_the_limit_is_413(rf, api_token, settings):
    _, raw = api_token
    settings.RISKBOARD_MAX_PAYLOAD_BYTES = 100
    response = ingest(chunked_request(rf, raw, scan_payload(20), server_dechunks=True), kind="scan")

    assert response.status_code == 413
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_a_chunked_body_the_server_cannot_dechunk_is_411(rf, api_token):
    _, raw = api_token
    response = ingest(chunked_request(rf, raw, scan_payload(3), server_dechunks=False), kind="scan")

    assert response.status_code == 411
    assert "Content-Length" in json.loads(response.content)["error"]
    assert not ImportJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_chunked_request_over_the_wire_is_never_taken_as_empty(live_server, api_token):
    """Django's development server does not de-chunk: the answer is 411, not 400 'the payload is empty'."""
    _, raw = api_token
    host, port = live_server.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    body = scan_payload(2)
    connection.request(
        "POST",
        URL,
        body=iter([body[:50], body[50:]]),
        headers={"Authorization": f"Bearer {raw}", "Content-Type": "application/json"},
        encode_chunked=True,
    )
    response = connection.getresponse()

    assert response.status == 411, response.read()
    assert not ImportJob.objects.exists()
