import re

import pytest
from playwright.sync_api import expect

from apps.archive import services
from tests.archive.conftest import REPO, hub, nas, s3  # noqa: F401  (the local Hub, NAS folder and S3 server)
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, workflow_with

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_editor_archives_the_model_of_a_highly_exposed_workflow_and_sees_it_covered(
    page,
    log_in,
    console_errors,
    hub,  # noqa: F811
    s3,  # noqa: F811
    nas,  # noqa: F811
):
    acme = OrganizationFactory(slug="acme", name="Acme Marketing")
    editor = UserFactory(username="maria.ops")
    MembershipFactory(user=editor, organization=acme, role="editor")
    kiosks = workflow_with(
        organization=acme,
        models=["Qwen/Qwen3.5-0.8B"],
        name="Edge retail kiosks",
        criticality="high",
        switching_difficulty=4,
    )
    kiosks.refresh_from_db()
    assert kiosks.exposure_band == "high"
    services.location_create(organization=acme, url=f"file://{nas}", name="Office NAS")
    services.location_create(organization=acme, url="s3://offsite-models/models", name="Offsite bucket")
    log_in(editor)

    page.goto(f"/o/acme/inventory/workflows/{kiosks.pk}/")
    card = page.get_by_test_id("workflow-archive")
    expect(card).to_contain_text("Not archived")
    card.get_by_role("link", name="Archive this workflow's model").click()

    expect(page.get_by_label("Hugging Face repository")).to_have_value(f"hf:{REPO}")
    expect(page.get_by_label(re.compile("Office NAS"))).to_be_checked()
    expect(page.get_by_label(re.compile("Offsite bucket"))).to_be_checked()
    page.get_by_role("button", name="Start archiving").click()

    expect(page).to_have_url(re.compile(r"/o/acme/archive/runs/\d+/$"))
    progress = page.locator("#archive-progress")
    expect(progress).to_contain_text("Succeeded")
    expect(progress.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    expect(page.get_by_test_id("run-coverage")).to_contain_text("Protected")

    page.get_by_test_id("run-artifact").click()
    expect(page.get_by_test_id("copy-table")).to_contain_text("Offsite bucket")
    expect(page.get_by_test_id("restore")).to_contain_text("from_pretrained(path)")

    page.goto(f"/o/acme/inventory/workflows/{kiosks.pk}/")
    expect(page.get_by_test_id("workflow-archive")).to_contain_text("Protected")
    expect(page.get_by_test_id("exposure-why")).to_contain_text("Verified archive")

    page.goto("/o/acme/archive/")
    expect(page.locator('tr[data-workflow="Edge retail kiosks"]')).to_contain_text("Protected")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/o/acme/archive/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    console_errors.assert_none()
