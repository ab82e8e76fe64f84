"""GET /api/v1/jobs/<id>: a job's status for the token's own organization only."""

import pytest

from apps.accounts.tokens import api_token_create
from apps.jobs import services
from tests.jobs.conftest import scan_payload

pytestmark = pytest.mark.django_db


def auth(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_it_returns_status_progress_counts_and_errors(
    client, organization, api_token, django_capture_on_commit_callbacks
):
    _, raw = api_token
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = services.job_submit(
            organization=organization, kind="scan", payload=scan_payload(3), source="cli"
        )

    response = client.get(f"/api/v1/jobs/{job.pk}", **auth(raw))

    assert response.status_code == 200
    body = response.json()
    assert {"id", "kind", "status", "progress", "counts", "errors"} <= body.keys()
    assert (body["id"], body["kind"], body["status"]) == (job.pk, "scan", "succeeded")
    assert body["progress"] == {"done": 3, "total": 3, "percent": 100}
    assert body["counts"]["findings_created"] == 3
    assert body["errors"] == []


def test_a_queued_job_reads_queued(client, organization, api_token):
    _, raw = api_token
    job, _ = services.job_submit(
        organization=organization, kind="scan", payload=scan_payload(1), source="cli"
    )

    body = client.get(f"/api/v1/jobs/{job.pk}", **auth(raw)).json()

    assert (body["status"], body["progress"]["done"], body["counts"]) == ("queued", 0, {})


def test_another_organizations_job_is_404(client, organization, other_organization, api_token):
    _, raw = api_token
    theirs, _ = services.job_submit(
        organization=other_organization, kind="scan", payload=scan_payload(2), source="cli"
    )

    response = client.get(f"/api/v1/jobs/{theirs.pk}", **auth(raw))

    assert response.status_code == 404
    assert "findings" not in response.content.decode()


def test_their_token_cannot_read_my_job_either(client, organization, other_organization):
    mine, _ = services.job_submit(
        organization=organization, kind="scan", payload=scan_payload(2), source="cli"
    )
    _, their_raw = api_token_create(organization=other_organization, name="theirs")

    assert client.get(f"/api/v1/jobs/{mine.pk}", **auth(their_raw)).status_code == 404


def test_an_unknown_job_is_404_and_no_token_is_401(client, api_token):
    _, raw = api_token
    assert client.get("/api/v1/jobs/987654", **auth(raw)).status_code == 404
    assert client.get("/api/v1/jobs/987654").status_code == 401


def test_a_failed_job_lists_its_errors(client, organization, api_token):
    from apps.jobs.models import ImportJob

    _, raw = api_token
    job, _ = services.job_submit(
        organization=organization, kind="scan", payload=scan_payload(1), source="cli"
    )
    error = {"where": "worker", "message": "The import stopped its worker 3 times in a row"}
    ImportJob.objects.filter(pk=job.pk).update(status="failed", errors=[error])

    body = client.get(f"/api/v1/jobs/{job.pk}", **auth(raw)).json()

    assert body["status"] == "failed"
    assert body["errors"] == [error]
