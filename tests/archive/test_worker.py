"""An archive run through a real Celery worker on the real Redis, as the start page queues it."""

import time

import pytest

from apps.archive import services
from apps.archive.models import ArchiveRun
from tests.archive.conftest import REPO, model_files
from tests.support.celery_worker import worker  # noqa: F401  (the real-worker fixture)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_worker_runs_the_archive_and_records_its_progress(hub, nas, organization, worker):  # noqa: F811
    location = services.location_create(organization=organization, url=f"file://{nas}")

    run = services.archive_run_submit(organization=organization, source=f"hf:{REPO}", locations=[location])

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.is_finished:
            break
        time.sleep(0.1)
    assert run.status == ArchiveRun.Status.SUCCEEDED, worker.logs()
    assert run.deliveries == 1 and run.progress_done == run.progress_total == sum(
        map(len, model_files().values())
    )
    folder = nas / REPO / run.artifact.revision
    assert (folder / "MANIFEST.sha256").read_text().count("\n") == len(model_files())
