"""The audit sheet through the job pipeline (upload, API or CLI): same rules, whole or nothing."""

import json

import pytest

from apps.inventory.models import Workflow
from apps.jobs.models import ImportJob
from apps.jobs.services import job_submit

pytestmark = pytest.mark.django_db

SHEET = b"workflow,model,criticality,switching difficulty\nBlog,qwen-mt,high,4\nAds,qwen3-vl,medium,hard\n"


def submit(organization, payload: bytes, filename: str, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = job_submit(
            organization=organization, kind="inventory", payload=payload, source="api", filename=filename
        )
    job.refresh_from_db()
    return job


def test_a_csv_sheet_imports_through_a_job(organization, django_capture_on_commit_callbacks):
    job = submit(organization, SHEET, "audit.csv", django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert job.counts["workflows_created"] == 2 and job.counts["dependencies_created"] == 2
    assert Workflow.objects.get(name="Ads").switching_difficulty == 4


def test_the_json_form_imports_too(organization, django_capture_on_commit_callbacks):
    document = {
        "schema": "riskboard.inventory/1",
        "rows": [
            {"workflow": "Kiosk", "model": "qwen3.5:0.8b", "criticality": "high", "switching_difficulty": 4},
            {
                "workflow": "Kiosk",
                "model": "gemma3:1b",
                "criticality": "high",
                "switching_difficulty": 4,
                "role": "fallback",
            },
        ],
    }
    job = submit(organization, json.dumps(document).encode(), "", django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert Workflow.objects.get(name="Kiosk").dependencies.count() == 2


def test_a_bad_row_fails_the_job_with_the_row_and_writes_nothing(
    organization, django_capture_on_commit_callbacks
):
    job = submit(
        organization, SHEET + b"Edge,qwen3.5:0.8b,urgent,2\n", "audit.csv", django_capture_on_commit_callbacks
    )
    assert job.status == ImportJob.Status.FAILED
    assert {"where": "row 4/criticality", "message": "'urgent' is not one of high, medium, low"} in job.errors
    assert not Workflow.objects.exists()
