"""An editor uploads a repository archive, watches its job finish, and works the untracked queue."""

import pytest
from playwright.sync_api import expect

from apps.inventory.models import Dependency
from apps.scanner.models import Dismissal, Finding
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
    WorkflowFactory,
    workflow_with,
)
from tests.scanner.archives import zip_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REPOSITORY = {
    "app/draft.py": 'DRAFT_MODEL = "Qwen/Qwen2.5-7B-Instruct"\n',
    "app/review.py": 'from openai import OpenAI\n\nclient.chat.completions.create(model="gpt-4o-mini", messages=[])\n',
    "requirements.txt": "openai==1.55\ndashscope\n",
    "scripts/try_llama.py": 'reviewer = ChatOllama(model="llama3.2", temperature=0)\n',
}


def test_an_editor_uploads_a_zip_links_one_finding_and_dismisses_another(
    page, log_in, console_errors, tmp_path
):
    acme = OrganizationFactory(slug="acme", name="Acme Marketing")
    editor = UserFactory(username="maria.ops")
    MembershipFactory(user=editor, organization=acme, role="editor")
    workflow_with(organization=acme, name="Blog drafts", models=["qwen2.5:7b"])
    ad_review = WorkflowFactory(organization=acme, name="Ad review")
    archive = tmp_path / "site.zip"
    archive.write_bytes(zip_bytes(REPOSITORY))

    log_in(editor)
    page.goto("/o/acme/inventory/")
    page.get_by_role("navigation", name="Inventory").get_by_role("link", name="Code scans").click()
    page.get_by_role("link", name="Upload an archive").click()
    page.get_by_label("Repository archive").set_input_files(str(archive))
    page.get_by_role("button", name="Upload and scan").click()

    # The job page follows the job until it ends.
    expect(page.locator("h1")).to_contain_text("site.zip")
    expect(page.locator("#job-progress [data-status]")).to_have_attribute("data-status", "succeeded")
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")

    page.goto("/o/acme/scanner/")
    page.locator("#scans tbody a").first.click()
    expect(page.get_by_test_id("scan-diff")).to_contain_text("first scan of")
    expect(page.locator('[data-vendor="alibaba"]').first).to_be_visible()

    page.get_by_role("link", name="Untracked dependencies").click()
    rows = page.get_by_test_id("untracked-row")
    # Qwen is in the inventory already (and covers DashScope); gpt-4o-mini, openai and llama3.2 are not.
    expect(rows).to_have_count(3)

    gpt = page.locator('[data-testid="untracked-row"][data-identifier="gpt-4o-mini"]')
    gpt.get_by_label("Workflow").select_option(label="Ad review")
    gpt.get_by_role("button", name="Link").click()
    expect(page.locator(".message-success")).to_contain_text("gpt-4o-mini is now a dependency of Ad review")
    expect(rows).to_have_count(1)  # the openai SDK is covered by the new OpenAI dependency

    llama = page.locator('[data-testid="untracked-row"][data-identifier="llama3.2"]')
    llama.get_by_label("Reason").fill("an experiment script, not production")
    llama.get_by_role("button", name="Dismiss").click()
    expect(page.locator(".message-success")).to_contain_text("llama3.2 is dismissed")
    expect(page.get_by_role("heading", name="Nothing untracked")).to_be_visible()

    dependency = Dependency.objects.get(workflow=ad_review)
    assert (dependency.declared_model, dependency.model.vendor.slug) == ("gpt-4o-mini", "openai")
    assert Dismissal.objects.get(organization=acme).identifier == "llama3.2"
    assert set(Finding.objects.values_list("status", flat=True)) == {"linked", "dismissed"}
    console_errors.assert_none()
