"""A scan pushed by a client's CI to POST /api/v1/ingest/scan is recorded and reconciled like any other."""

import json

import pytest

from apps.accounts.tokens import api_token_create
from apps.scanner.models import Finding, Scan
from tests.factories import workflow_with
from tests.scanner.recording import finding, scan_document

pytestmark = pytest.mark.django_db


def push(client, raw_token: str, document: dict):
    return client.post(
        "/api/v1/ingest/scan",
        data=json.dumps(document).encode(),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw_token}",
    )


def test_a_ci_push_is_reconciled_and_compared_with_the_previous_push_of_that_pipeline(
    client, organization, django_capture_on_commit_callbacks
):
    workflow_with(organization=organization, models=["qwen-max"])
    _token, raw = api_token_create(organization=organization, name="web repo CI")
    _other, other_raw = api_token_create(organization=organization, name="mobile repo CI")

    with django_capture_on_commit_callbacks(execute=True):
        first = push(client, raw, scan_document([finding("app.py", 1, "qwen-max")], root="."))
        push(client, other_raw, scan_document([finding("m.py", 1, "o3", vendor="openai")], root="."))
        second = push(
            client,
            raw,
            scan_document(
                [finding("app.py", 5, "qwen-max"), finding("b.py", 1, "o3", vendor="openai")], root="."
            ),
        )

    assert first.status_code == second.status_code == 202
    web = Scan.objects.filter(source_key="api:web repo CI:.").order_by("id")
    assert web.count() == 2
    assert Scan.objects.filter(source_key="api:mobile repo CI:.").count() == 1
    latest = web.last()
    assert dict(latest.findings.values_list("identifier", "status")) == {
        "qwen-max": "linked",
        "o3": "untracked",
    }
    assert latest.job.counts["findings_linked"] == 1
    assert Finding.objects.filter(status="linked").count() == 2
