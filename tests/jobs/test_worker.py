"""Jobs imported by a real Celery worker process on the real Redis and PostgreSQL (no eager mode).

The fault tests kill real processes with SIGKILL. Nothing in the product knows about them: there
is no test hook in the import code. What kills the worker is this test, standing in for what kills
workers in production: the machine going away (the whole worker, mid-import) and the kernel's
OOM killer (the pool process that holds the payload, every time it picks the job up).
"""

import os
import signal
import time

import pytest
from django.db.models import Count

from apps.jobs import services
from apps.jobs.models import ImportJob
from apps.scanner.models import Finding, Scan
from tests.jobs.conftest import scan_payload, wait_for_job

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

LARGE_SCAN = 100_000


def submit(organization, payload: bytes) -> ImportJob:
    job, created = services.job_submit(organization=organization, kind="scan", payload=payload, source="cli")
    assert created
    return job


def test_it_imports_a_scan_through_the_worker(worker, organization):
    job = submit(organization, scan_payload(40))

    job = wait_for_job(job.pk, workers=worker)

    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert job.counts["findings_created"] == 40
    assert job.deliveries == 1
    assert job.worker_host.startswith(worker.queue)
    assert Finding.objects.filter(scan__job=job, scan__organization=organization).count() == 40


def test_a_redelivered_task_does_nothing_once_the_job_succeeded(worker, organization):
    from apps.jobs.tasks import import_job_run

    job = wait_for_job(submit(organization, scan_payload(10)).pk, workers=worker)
    finished_at = job.finished_at

    redelivery = import_job_run.delay(job.pk)  # what Redis does when an acknowledgement is lost
    assert "succeeded" in worker.wait_for_task(redelivery.id)

    job.refresh_from_db()
    assert (job.status, job.deliveries, job.finished_at) == (ImportJob.Status.SUCCEEDED, 1, finished_at)
    assert Scan.objects.count() == 1
    assert Finding.objects.count() == 10


def test_progress_is_visible_while_the_import_runs_and_a_killed_worker_loses_nothing(worker, organization):
    job = submit(organization, scan_payload(LARGE_SCAN))

    # Wait until the first worker is visibly in the middle of the import, then pull the plug.
    running = wait_for_job(job.pk, workers=worker, statuses=[ImportJob.Status.RUNNING], timeout=60)
    deadline = time.monotonic() + 60
    while running.progress_done == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
        running.refresh_from_db(fields=["progress_done", "progress_total", "status"])
    assert 0 < running.progress_done < LARGE_SCAN == running.progress_total, "no live progress seen"
    worker.current.kill()

    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING
    assert not Finding.objects.exists(), "the killed import left rows behind"

    # Redis hands the unacknowledged task to the next worker once the visibility timeout passes.
    worker.start()
    job = wait_for_job(job.pk, workers=worker, timeout=90)

    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert job.deliveries == 2  # the first delivery died before committing; the second did the work
    assert job.counts["findings_created"] == LARGE_SCAN
    assert Scan.objects.filter(job=job).count() == 1
    assert Finding.objects.filter(scan__job=job).count() == LARGE_SCAN
    duplicates = Finding.objects.values("scan", "path", "line", "kind", "identifier").annotate(
        copies=Count("id")
    )
    assert not duplicates.filter(copies__gt=1).exists()


def test_a_payload_that_kills_its_worker_every_time_fails_after_three_deliveries(worker, organization):
    """The OOM killer's part is played by this test: whenever a pool process starts importing this
    payload (the job shows `running` with that process's pid), it is SIGKILLed. The worker's main
    process sees its child die and, with reject_on_worker_lost, puts the task back on the queue."""
    job = submit(organization, scan_payload(50_000, seed="poison-"))
    killed: set[tuple[int, int]] = set()

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job.refresh_from_db(fields=["status", "worker_pid", "deliveries", "errors"])
        if job.is_finished:
            break
        attempt = (job.deliveries, job.worker_pid)
        if job.status == ImportJob.Status.RUNNING and job.worker_pid and attempt not in killed:
            os.kill(job.worker_pid, signal.SIGKILL)
            killed.add(attempt)
        time.sleep(0.01)

    assert job.status == ImportJob.Status.FAILED, worker.logs()
    assert len(killed) == ImportJob.MAX_DELIVERIES == job.deliveries == 3
    assert job.errors[0]["where"] == "worker"
    assert "stopped its worker 3 times" in job.errors[0]["message"]
    assert not Scan.objects.exists()
    assert not Finding.objects.exists()
    assert worker.current.alive  # the worker itself survives; only the import was given up
