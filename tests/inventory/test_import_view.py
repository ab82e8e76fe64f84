import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.inventory.models import Workflow

pytestmark = pytest.mark.django_db

SHEET = b"\xef\xbb\xbfworkflow,model,criticality,switching difficulty\r\nBlog,qwen-mt,high,4\r\nAds,qwen3-vl,medium,3\r\n"


def import_url(organization):
    return reverse("inventory:import", kwargs={"org_slug": organization.slug})


def test_preview_writes_nothing_then_commit_imports_everything(editor_client, organization):
    preview = editor_client.post(import_url(organization), {"file": SimpleUploadedFile("audit.csv", SHEET)})
    assert preview.status_code == 200
    assert not Workflow.objects.exists()
    summary = preview.context["summary"]
    assert (summary.workflows_created, summary.dependencies_created) == (2, 2)
    committed = editor_client.post(
        import_url(organization), {"commit": "1", "pending": preview.context["pending"]}
    )
    assert committed.status_code == 302
    assert set(Workflow.objects.values_list("name", flat=True)) == {"Blog", "Ads"}


def test_the_preview_lists_every_error(editor_client, organization):
    bad = SHEET + b"Kiosk,qwen3.5:0.8b,urgent,4\r\nEdge,qwen3.5:0.8b,low,ten\r\n"
    response = editor_client.post(import_url(organization), {"file": SimpleUploadedFile("audit.csv", bad)})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Row 4" in page and "Row 5" in page and "2 problems found" in page
    assert not Workflow.objects.exists()


def test_a_tampered_preview_is_refused(editor_client, organization):
    response = editor_client.post(import_url(organization), {"commit": "1", "pending": "forged"})
    assert response.status_code == 404
    assert not Workflow.objects.exists()


def test_a_non_spreadsheet_is_refused_with_a_reason(editor_client, organization):
    response = editor_client.post(import_url(organization), {"file": SimpleUploadedFile("notes.txt", b"hi")})
    assert response.status_code == 422 and "Upload a .csv or .xlsx file." in response.content.decode()
    broken = editor_client.post(
        import_url(organization), {"file": SimpleUploadedFile("audit.xlsx", b"not a zip")}
    )
    assert broken.status_code == 422 and "not a readable XLSX workbook" in broken.content.decode()
