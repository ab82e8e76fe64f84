"""Upload a repository archive: stored as a scan job, extracted safely, scanned with progress, recorded."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.jobs.models import ImportJob
from apps.scanner.models import Finding, Scan
from tests.scanner.archives import SMALL_REPOSITORY, tar_gz_bytes, zip_bytes
from tests.support.celery_worker import worker  # noqa: F401  (the real-worker fixture)

UPLOAD_URL = reverse("scanner:upload", kwargs={"org_slug": "acme"})


def upload(client, name: str, content: bytes):
    return client.post(UPLOAD_URL, {"archive": SimpleUploadedFile(name, content)})


@pytest.mark.django_db
def test_an_archive_with_path_traversal_fails_its_job_naming_the_member(
    editor_client, organization, django_capture_on_commit_callbacks
):
    hostile = zip_bytes({"app/ok.py": 'MODEL = "qwen-max"\n', "../../etc/cron.d/evil": "* * * * * root sh\n"})

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(editor_client, "site.zip", hostile)

    job = ImportJob.objects.get(organization=organization)
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.errors[0]["where"] == "archive"
    assert "../../etc/cron.d/evil" in job.errors[0]["message"]
    assert not Scan.objects.exists()


@pytest.mark.django_db
def test_an_upload_that_is_not_an_archive_is_refused(editor_client, organization):
    response = upload(editor_client, "notes.txt", b"just text")
    assert response.status_code == 422
    assert "Upload a .zip or .tar.gz" in response.content.decode()
    response = upload(editor_client, "fake.zip", b'{"schema": "riskboard.scan/1"}')
    assert response.status_code == 422
    assert "is not a .zip or .tar.gz archive" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_the_same_archive_twice_is_one_job(editor_client, organization, django_capture_on_commit_callbacks):
    content = zip_bytes(SMALL_REPOSITORY)
    with django_capture_on_commit_callbacks(execute=True):
        upload(editor_client, "site.zip", content)
    response = upload(editor_client, "site.zip", content)
    assert ImportJob.objects.count() == 1
    assert response.url == ImportJob.objects.get().get_absolute_url()


def wait_finished(job_id: int, *, timeout: float = 60) -> tuple[ImportJob, list[tuple[int, int]]]:
    """Poll the job like its page does; also return the progress seen while it ran."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = ImportJob.objects.defer("payload").get(pk=job_id)
        if job.status == ImportJob.Status.RUNNING:
            seen.append((job.progress_done, job.progress_total))
        if job.is_finished:
            return job, seen
        time.sleep(0.01)
    raise AssertionError(f"job {job_id} still {job.status}")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_tar_gz_is_scanned_by_the_worker_with_progress_in_files(worker, editor_client, organization):  # noqa: F811
    # Enough files that the scan takes a moment, so its live progress can be seen from here.
    filler = {f"docs/page_{number:04}.md": f"Page {number}\n" * 20 for number in range(4000)}
    files = {**SMALL_REPOSITORY, **filler}

    response = upload(editor_client, "site.tar.gz", tar_gz_bytes(files))

    job = ImportJob.objects.get(organization=organization)
    assert response.url == job.get_absolute_url()
    job, seen = wait_finished(job.pk)
    assert job.status == ImportJob.Status.SUCCEEDED, (job.errors, worker.logs())
    assert (job.progress_done, job.progress_total) == (len(files), len(files))
    assert any(total == len(files) for _done, total in seen), seen  # the total in files, shown while running
    scan = Scan.objects.get(job=job)
    assert (scan.root, scan.source_key, scan.files_scanned) == (
        "site.tar.gz",
        "upload:site.tar.gz",
        len(files),
    )
    recorded = sorted(
        Finding.objects.filter(scan=scan).values_list("path", "line", "kind", "identifier", "vendor")
    )
    assert recorded == [
        ("app/draft.py", 1, "model", "Qwen/Qwen2.5-7B-Instruct", "alibaba"),
        ("app/review.py", 3, "model", "gpt-4o-mini", "openai"),
        ("requirements.txt", 1, "package", "openai", "openai"),
        ("requirements.txt", 2, "package", "dashscope", "alibaba"),
    ]
    assert job.counts["findings_untracked"] == 4
