"""/o/<org>/jobs/<id>/: a job's live progress (htmx polling until it ends), counts and errors."""

import pytest
from django.urls import reverse

from apps.jobs import services
from apps.jobs.models import ImportJob
from tests.jobs.conftest import scan_payload

pytestmark = pytest.mark.django_db


def url(job) -> str:
    return reverse("jobs:detail", kwargs={"org_slug": "acme", "job_id": job.pk})


@pytest.fixture
def job(organization):
    job, _ = services.job_submit(
        organization=organization, kind="scan", payload=scan_payload(4), source="cli"
    )
    return job


def test_a_running_job_polls_its_progress_every_second(viewer_client, job):
    ImportJob.objects.filter(pk=job.pk).update(status="running", progress_done=3, progress_total=4)

    response = viewer_client.get(url(job), headers={"HX-Request": "true"})

    fragment = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in fragment
    assert 'hx-trigger="every 1s"' in fragment
    assert f'hx-get="{url(job)}"' in fragment
    assert 'aria-valuenow="75"' in fragment and "3 of 4" in fragment


def test_the_polling_stops_when_the_job_ends(viewer_client, job, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.job_enqueue(job=job)

    response = viewer_client.get(url(job), headers={"HX-Request": "true"})

    fragment = response.content.decode()
    assert "hx-trigger" not in fragment and "hx-get" not in fragment
    assert 'aria-valuenow="100"' in fragment
    assert "Findings created" in fragment


def test_the_full_page_shows_every_error_of_a_failed_job(viewer_client, job):
    errors = [{"where": f"findings/{number}/line", "message": f"problem {number}"} for number in range(12)]
    ImportJob.objects.filter(pk=job.pk).update(status="failed", errors=errors)

    page = viewer_client.get(url(job)).content.decode()

    assert "<html" in page and "12 errors" in page
    for error in errors:
        assert error["where"] in page and error["message"] in page
    assert "Retry this job" not in page  # viewers cannot retry


def test_the_page_has_no_inline_script(viewer_client, job):
    page = viewer_client.get(url(job)).content.decode()
    assert "<script>" not in page
    for script in page.split("<script")[1:]:
        assert "src=" in script.split(">")[0]


def test_another_organizations_job_is_404(viewer_client, other_organization):
    theirs, _ = services.job_submit(
        organization=other_organization, kind="scan", payload=scan_payload(1), source="cli"
    )
    assert viewer_client.get(url(theirs)).status_code == 404


def test_a_finished_job_links_to_what_it_imported(viewer_client, job, django_capture_on_commit_callbacks):
    from apps.scanner.models import Scan

    assert 'data-testid="job-result"' not in viewer_client.get(url(job)).content.decode()  # still queued
    with django_capture_on_commit_callbacks(execute=True):
        services.job_enqueue(job=job)

    page = viewer_client.get(url(job)).content.decode()

    scan = Scan.objects.get(job=job)
    assert f'href="{scan.get_absolute_url()}" data-testid="job-result"' in page
