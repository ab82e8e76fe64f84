"""Payloads are kept only as long as a job needs them: an uploaded file goes with its import's
success, a failed job's payload after RISKBOARD_FAILED_PAYLOAD_DAYS (beat task, controlled clock)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.jobs import services
from apps.jobs.models import ImportJob
from tests.jobs.conftest import scan_payload
from tests.scanner.archives import SMALL_REPOSITORY, zip_bytes

pytestmark = pytest.mark.django_db


def submit(organization, payload: bytes, **kwargs):
    job, _ = services.job_submit(
        organization=organization, kind="scan", payload=payload, source="ui", **kwargs
    )
    return job


def test_an_uploaded_archive_is_deleted_when_its_import_succeeds(organization):
    job = submit(organization, zip_bytes(SMALL_REPOSITORY), filename="site.zip")

    job = services.job_run(job_id=job.pk)

    assert job.status == "succeeded"
    stored = ImportJob.objects.get(pk=job.pk)
    assert bytes(stored.payload) == b"" and stored.payload_deleted_at is not None
    assert stored.size > 0 and stored.sha256  # what it was stays on record


def test_a_json_document_is_kept_as_the_record_of_what_was_imported(organization):
    payload = scan_payload(2)
    job = services.job_run(job_id=submit(organization, payload).pk)

    stored = ImportJob.objects.get(pk=job.pk)
    assert (
        stored.status == "succeeded"
        and bytes(stored.payload) == payload
        and stored.payload_deleted_at is None
    )


HOSTILE = zip_bytes({"../evil.py": "x = 1\n"})


@pytest.fixture
def failed_job(organization):
    job = services.job_run(job_id=submit(organization, HOSTILE, filename="evil.zip").pk)
    assert job.status == "failed"
    return job


def test_a_failed_jobs_payload_is_kept_for_its_retention_then_deleted(failed_job, settings):
    settings.RISKBOARD_FAILED_PAYLOAD_DAYS = 14
    finished = failed_job.finished_at

    assert services.job_payloads_expire(now=finished + timedelta(days=13, hours=23)) == 0
    assert bytes(ImportJob.objects.get(pk=failed_job.pk).payload) != b""

    assert services.job_payloads_expire(now=finished + timedelta(days=14, minutes=1)) == 1
    stored = ImportJob.objects.get(pk=failed_job.pk)
    assert bytes(stored.payload) == b"" and stored.payload_deleted_at == finished + timedelta(
        days=14, minutes=1
    )
    assert services.job_payloads_expire(now=finished + timedelta(days=30)) == 0  # once


def test_a_job_whose_payload_was_deleted_cannot_be_retried_but_the_same_file_again_is(
    failed_job, organization, editor_client
):
    services.job_payloads_expire(now=failed_job.finished_at + timedelta(days=60))
    with pytest.raises(ValidationError, match="upload the file again"):
        services.job_retry(job=failed_job)
    page = editor_client.get(failed_job.get_absolute_url()).content.decode()
    assert "Retry this job" not in page and "upload the file again to retry it" in page

    again, created = services.job_submit(
        organization=organization,
        kind="scan",
        payload=HOSTILE,
        source="ui",
        filename="evil.zip",
    )

    stored = ImportJob.objects.get(pk=failed_job.pk)
    assert (again.pk, created, stored.status, stored.payload_deleted_at) == (
        failed_job.pk,
        False,
        "queued",
        None,
    )
    assert bytes(stored.payload) != b""


def test_the_retention_is_said_on_the_upload_pages_and_scheduled(editor_client, settings):
    settings.RISKBOARD_FAILED_PAYLOAD_DAYS = 9
    for name in ("jobs:upload", "scanner:upload"):
        page = editor_client.get(reverse(name, kwargs={"org_slug": "acme"})).content.decode()
        assert "deleted as soon as its import succeeds" in page and "kept 9 days for a retry" in page
    assert settings.CELERY_BEAT_SCHEDULE["jobs-expire-failed-payloads"]["task"] == (
        "apps.jobs.tasks.expire_failed_payloads"
    )
