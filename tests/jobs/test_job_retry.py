"""POST /o/<org>/jobs/<id>/retry/: an editor queues a failed job again from a clean slate."""

import pytest
from django.urls import reverse

from apps.jobs import services
from apps.jobs.models import ImportJob
from apps.scanner.models import Finding
from tests.jobs.conftest import scan_payload

pytestmark = pytest.mark.django_db


def url(job) -> str:
    return reverse("jobs:retry", kwargs={"org_slug": "acme", "job_id": job.pk})


@pytest.fixture
def failed_job(organization):
    job, _ = services.job_submit(
        organization=organization, kind="scan", payload=scan_payload(3), source="cli"
    )
    error = {"where": "worker", "message": "The import stopped its worker 3 times in a row"}
    ImportJob.objects.filter(pk=job.pk).update(status="failed", deliveries=3, errors=[error])
    return job


def test_an_editor_retries_a_failed_job(editor_client, failed_job, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url(failed_job))

    assert response.status_code == 302
    failed_job.refresh_from_db()
    assert (failed_job.status, failed_job.errors, failed_job.deliveries) == ("succeeded", [], 1)
    assert Finding.objects.count() == 3


def test_the_retry_button_shows_for_editors_on_failed_jobs(editor_client, failed_job):
    page = editor_client.get(failed_job.get_absolute_url()).content.decode()
    assert url(failed_job) in page


def test_only_a_failed_job_can_be_retried(editor_client, organization, django_capture_on_commit_callbacks):
    job, _ = services.job_submit(
        organization=organization, kind="scan", payload=scan_payload(1), source="cli"
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = editor_client.post(url(job), follow=True)

    assert "Only a failed job can be retried." in response.content.decode()
    assert callbacks == []


def test_a_viewer_cannot_retry(viewer_client, failed_job):
    assert viewer_client.post(url(failed_job)).status_code == 403
    failed_job.refresh_from_db()
    assert failed_job.status == "failed"
