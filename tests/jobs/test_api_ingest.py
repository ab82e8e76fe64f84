"""POST /api/v1/ingest/<kind>: token-authenticated pushes from producers elsewhere (contract in docs/contracts.md)."""

import json

import pytest
from django.utils import timezone

from apps.accounts.models import ApiToken
from apps.accounts.tokens import api_token_create, api_token_revoke
from apps.jobs.models import ImportJob
from apps.scanner.models import Finding
from tests.jobs.conftest import scan_document, scan_payload

pytestmark = pytest.mark.django_db

URL = "/api/v1/ingest/scan"


def push(client, raw_token: str | None, body: bytes, url: str = URL, **extra):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw_token}"} if raw_token else {}
    return client.post(url, data=body, content_type="application/json", **headers, **extra)


def test_it_answers_202_with_the_job_and_its_status_url(
    client, api_token, django_capture_on_commit_callbacks
):
    token, raw = api_token
    with django_capture_on_commit_callbacks(execute=True):
        response = push(client, raw, scan_payload(7))

    assert response.status_code == 202
    job = ImportJob.objects.get()
    assert response.json() == {"job": job.pk, "status_url": f"/api/v1/jobs/{job.pk}"}
    assert (job.source, job.started_by_token, job.organization) == ("api", token, token.organization)
    assert job.status == ImportJob.Status.SUCCEEDED
    assert Finding.objects.count() == 7


def test_the_same_bytes_again_answer_with_the_first_job_and_create_nothing(
    client, api_token, django_capture_on_commit_callbacks
):
    _, raw = api_token
    payload = scan_payload(4)
    with django_capture_on_commit_callbacks(execute=True):
        first = push(client, raw, payload)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = push(client, raw, payload)

    assert second.status_code == 202
    assert second.json() == first.json()
    assert callbacks == []
    assert ImportJob.objects.count() == 1
    assert Finding.objects.count() == 4


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer rb_not-a-real-token", "Basic dXNlcjpwYXNz", "rb_missing-the-scheme"],
)
def test_a_missing_or_unknown_token_is_401(client, authorization):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = client.post(URL, data=scan_payload(1), content_type="application/json", **headers)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "token" in response.json()["error"]
    assert not ImportJob.objects.exists()


def test_a_revoked_token_is_401(client, api_token):
    token, raw = api_token
    api_token_revoke(token=token)

    response = push(client, raw, scan_payload(1))

    assert response.status_code == 401
    assert "revoked" in response.json()["error"]
    assert not ImportJob.objects.exists()


def test_an_expired_token_is_401(client, organization):
    token, raw = api_token_create(organization=organization, name="short-lived", expires_in_days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timezone.timedelta(seconds=1))

    assert push(client, raw, scan_payload(1)).status_code == 401


def test_an_unknown_kind_is_404(client, api_token):
    _, raw = api_token
    response = push(client, raw, scan_payload(1), url="/api/v1/ingest/spreadsheets")
    assert response.status_code == 404
    assert "scan, bench, signals, inventory" in response.json()["error"]


def test_malformed_json_is_400_with_a_readable_reason(client, api_token):
    _, raw = api_token
    response = push(client, raw, b'{"schema": "riskboard.scan/1", "findings": [')

    assert response.status_code == 400
    body = response.json()
    assert "nothing was imported" in body["error"]
    assert body["errors"][0]["message"].startswith("not valid JSON")
    assert not ImportJob.objects.exists()


def test_a_schema_violation_is_400_naming_each_field(client, api_token):
    _, raw = api_token
    document = scan_document(2)
    document["findings"][0]["kind"] = "weights"
    document["findings"][1]["line"] = "five"

    response = push(client, raw, json.dumps(document).encode())

    assert response.status_code == 400
    errors = {error["where"]: error["message"] for error in response.json()["errors"]}
    assert set(errors) == {"findings/0/kind", "findings/1/line"}
    assert '"weights" is not one of' in errors["findings/0/kind"]
    assert "is not of type" in errors["findings/1/line"]
    assert not ImportJob.objects.exists()


def test_a_payload_over_the_limit_is_413(client, api_token, settings):
    _, raw = api_token
    payload = scan_payload(20)
    settings.RISKBOARD_MAX_PAYLOAD_BYTES = len(payload) - 1

    response = push(client, raw, payload)

    assert response.status_code == 413
    assert f"{len(payload) - 1:,} bytes" in response.json()["error"]
    assert not ImportJob.objects.exists()


def test_a_body_longer_than_its_content_length_claims_is_413(rf, api_token, settings):
    """The size is checked on the bytes read, not only on the Content-Length header."""
    from io import BytesIO

    from apps.jobs.api import ingest

    _, raw = api_token
    payload = scan_payload(20)
    settings.RISKBOARD_MAX_PAYLOAD_BYTES = 100
    request = rf.post(URL, data=b"", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    request.META["CONTENT_LENGTH"] = "50"  # a client that lies about its size
    request._stream = BytesIO(payload)

    response = ingest(request, kind="scan")

    assert response.status_code == 413
    assert not ImportJob.objects.exists()


def test_it_notes_when_the_token_was_last_used(client, api_token):
    token, raw = api_token
    assert token.last_used_at is None
    push(client, raw, scan_payload(1))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_it_needs_no_csrf_token(api_token):
    from django.test import Client

    _, raw = api_token
    response = push(Client(enforce_csrf_checks=True), raw, scan_payload(1))
    assert response.status_code == 202
