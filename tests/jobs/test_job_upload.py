"""/o/<org>/jobs/upload/: editors upload a payload file; it becomes a job (source: ui)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.jobs.models import ImportJob
from apps.scanner.models import Finding
from tests.jobs.conftest import scan_document, scan_payload

pytestmark = pytest.mark.django_db

URL = reverse("jobs:upload", kwargs={"org_slug": "acme"})


def upload(client, payload: bytes, kind: str = "scan", name: str = "scan.json"):
    return client.post(URL, {"kind": kind, "file": SimpleUploadedFile(name, payload, "application/json")})


def test_an_editor_uploads_a_scan_and_lands_on_its_job(
    editor_client, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(editor_client, scan_payload(6))

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", kwargs={"org_slug": "acme", "job_id": job.pk})
    assert (job.source, job.filename, job.started_by_user) == ("ui", "scan.json", editor)
    assert job.status == "succeeded"
    assert Finding.objects.count() == 6


def test_the_same_file_again_leads_to_the_first_job(editor_client):
    payload = scan_payload(2)
    first = upload(editor_client, payload)
    second = upload(editor_client, payload, name="copy.json")

    assert second["Location"] == first["Location"]
    assert ImportJob.objects.count() == 1


def test_an_invalid_file_is_422_with_every_error_and_stores_nothing(editor_client):
    document = scan_document(2)
    document["findings"][0]["confidence"] = "certain"
    document["findings"][1]["path"] = ""

    response = upload(editor_client, json.dumps(document).encode())

    assert response.status_code == 422
    page = response.content.decode()
    assert "findings/0/confidence" in page and "findings/1/path" in page
    assert not ImportJob.objects.exists()


def test_a_file_over_the_limit_is_refused(editor_client, settings):
    settings.RISKBOARD_MAX_PAYLOAD_BYTES = 10
    response = upload(editor_client, scan_payload(1))
    assert response.status_code == 422
    assert "larger than" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_form_is_preselected_for_a_kind(editor_client):
    response = editor_client.get(URL + "?kind=bench")
    assert response.status_code == 200
    assert response.context["form"]["kind"].value() == "bench"


def test_a_viewer_cannot_upload(viewer_client):
    assert viewer_client.get(URL).status_code == 403
    assert upload(viewer_client, scan_payload(1)).status_code == 403
    assert not ImportJob.objects.exists()
