import re

import pytest
from playwright.sync_api import expect

from apps.inventory.models import Workflow
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHEET = "workflow,model,criticality,switching difficulty\nBlog localisation,qwen-mt,high,hard\nKiosk copy,qwen3.5:0.8b,medium,4\n"
BAD_SHEET = SHEET + "Edge signage,qwen3.5:0.8b,urgent,2\n"


def upload(page, kind_label: str, name: str, content: str) -> None:
    page.goto("/o/acme/jobs/upload/")
    page.get_by_label("Kind").select_option(label=kind_label)
    page.get_by_label("File").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": content.encode()}]
    )
    page.get_by_role("button", name="Upload and import").click()


def test_an_editor_uploads_a_sheet_follows_the_job_and_opens_what_it_imported(page, log_in, console_errors):
    acme = OrganizationFactory(slug="acme", name="Acme Marketing")
    editor = UserFactory(username="maria.ops")
    MembershipFactory(user=editor, organization=acme, role="editor")
    log_in(editor)

    upload(page, "Inventory", "audit.csv", SHEET)
    expect(page).to_have_url(re.compile(r"/o/acme/jobs/\d+/$"))
    expect(page.locator("#job-progress")).to_contain_text("Succeeded")
    expect(page.locator(".stats")).to_contain_text("Workflows created")
    page.get_by_test_id("job-result").click()
    expect(page.get_by_test_id("workflow-table")).to_contain_text("Kiosk copy")

    # The same bytes again answer with the same job; a bad sheet fails whole, naming the row.
    upload(page, "Inventory", "audit.csv", SHEET)
    expect(page.locator(".messages")).to_contain_text("already uploaded")
    upload(page, "Inventory", "audit-v2.csv", BAD_SHEET)
    expect(page.locator("#job-progress")).to_contain_text("Failed")
    expect(page.locator("#job-progress")).to_contain_text("row 4/criticality")
    assert Workflow.objects.filter(organization=acme).count() == 2
    console_errors.assert_none()
