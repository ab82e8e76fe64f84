"""Benchmark results through the job pipeline (upload or API): the `bench` importer."""

import json

import pytest

from apps.benchmarks.models import Run
from apps.jobs import services as jobs
from apps.jobs.models import ImportJob

pytestmark = pytest.mark.django_db


def submit(organization, payload: bytes, django_capture_on_commit_callbacks) -> ImportJob:
    with django_capture_on_commit_callbacks(execute=True):
        job, _created = jobs.job_submit(
            organization=organization, kind="bench", payload=payload, source="api", filename="results.json"
        )
    job.refresh_from_db()
    return job


def test_a_promptfoo_export_lands_as_one_run_of_the_job(
    organization, fixtures_dir, django_capture_on_commit_callbacks
):
    job = submit(
        organization,
        (fixtures_dir / "promptfoo_results.json").read_bytes(),
        django_capture_on_commit_callbacks,
    )

    assert job.status == "succeeded", job.errors
    run = Run.objects.get()
    assert (run.import_job, run.source, run.source_format) == (job, "import", "promptfoo")
    assert job.counts == {"run": run.pk, "results_created": 8, "models": 2}


def test_a_malformed_results_file_fails_the_job_with_the_field_named_and_writes_nothing(
    organization, django_capture_on_commit_callbacks
):
    payload = json.dumps(
        {"schema": "riskboard.bench/1", "results": [{"model": "m", "case": "c", "score": "high"}]}
    )

    job = submit(organization, payload.encode(), django_capture_on_commit_callbacks)

    assert job.status == "failed"
    assert job.errors == [{"where": "file", "message": 'results[0].score: expected a number, got "high"'}]
    assert Run.objects.count() == 0


def test_a_file_imported_from_the_command_line_and_then_uploaded_is_one_run(
    organization, fixtures_dir, django_capture_on_commit_callbacks
):
    from io import StringIO

    from django.core.management import call_command

    path = fixtures_dir / "riskboard_bench.json"
    call_command("import_results", str(path), stdout=StringIO())
    job = submit(organization, path.read_bytes(), django_capture_on_commit_callbacks)

    assert job.status == "succeeded"
    assert job.counts["results_created"] == 0
    assert Run.objects.count() == 1
