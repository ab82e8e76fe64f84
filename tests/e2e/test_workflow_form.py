import re

import pytest
from playwright.sync_api import expect

from tests.factories import MembershipFactory, OrganizationFactory, ToolFactory, UserFactory, WorkflowFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_editor_logs_a_workflow_with_two_dependencies_and_finds_it_with_its_why(
    page, log_in, console_errors
):
    acme = OrganizationFactory(slug="acme", name="Acme Marketing")
    editor = UserFactory(username="maria.ops")
    MembershipFactory(user=editor, organization=acme, role="editor")
    ToolFactory(organization=acme, name="CopyNest")
    WorkflowFactory(organization=acme, name="Existing workflow")

    log_in(editor)
    page.goto("/o/acme/inventory/workflows/new/")

    # A bad value is caught inline, before saving.
    page.get_by_label("Name").fill("Existing workflow")
    page.get_by_label("Team").click()
    expect(page.locator("#field-name .error")).to_contain_text("already exists")
    page.get_by_label("Name").fill("Weekly blog localisation")
    page.get_by_label("Team").click()
    expect(page.locator("#field-name .error")).to_have_count(0)

    page.get_by_label("Team").fill("Localisation")
    page.get_by_label("Criticality").select_option("high")
    page.get_by_label("Switching difficulty").select_option("4")

    # First dependency: typed with type-ahead over the catalog's aliases.
    rows = page.get_by_test_id("dependency-row")
    first_model = rows.nth(0).get_by_label("Model")
    first_model.fill("qwen-mt")
    expect(page.locator("#catalog-models option").first).to_have_attribute("value", re.compile("Qwen-MT"))
    first_model.press("Tab")
    expect(rows.nth(0).locator(".match-ok")).to_contain_text("Qwen-MT")

    # Second dependency, added without a reload, used through a third-party tool.
    page.get_by_role("button", name="+ Add dependency").click()
    expect(rows).to_have_count(2)
    rows.nth(1).get_by_label("Model").fill("Qwen2.5-72B-Instruct")
    rows.nth(1).get_by_label("Through tool").select_option(label="CopyNest")

    # A third row added then removed does not come back.
    page.get_by_role("button", name="+ Add dependency").click()
    expect(rows).to_have_count(3)
    rows.nth(2).get_by_role("button", name="Remove").click()
    expect(page.get_by_test_id("dependency-row")).to_have_count(2)

    page.get_by_role("button", name="Save workflow").click()
    expect(page.locator("h1")).to_have_text("Weekly blog localisation")
    expect(page.get_by_test_id("exposure-why")).to_contain_text("Indirect dependency")
    expect(page.get_by_test_id("exposure-why")).to_contain_text("Vendor risk")

    # Found in the filtered list, with its exposure and the "why".
    page.goto("/o/acme/inventory/")
    page.get_by_label("Vendor").select_option(label="Alibaba (Qwen)")
    page.wait_for_url(re.compile(r"vendor=alibaba"))
    table = page.get_by_test_id("workflow-table")
    expect(table).to_contain_text("Weekly blog localisation")
    expect(table).not_to_contain_text("Existing workflow")
    table.locator("details.why summary").first.click()
    expect(table.locator("details.why").first).to_contain_text("Switching difficulty")
    expect(table.locator("details.why").first).to_contain_text("High")
    console_errors.assert_none()


def test_the_dashboard_draws_its_charts_without_errors(page, log_in, console_errors):
    from tests.factories import workflow_with

    acme = OrganizationFactory(slug="acme", name="Acme Marketing")
    viewer = UserFactory(username="lena.cmo")
    MembershipFactory(user=viewer, organization=acme, role="viewer")
    workflow_with(organization=acme, name="Kiosk copy", models=["qwen3.5:0.8b"], criticality="high")
    log_in(viewer)
    page.goto("/o/acme/exposure/")
    expect(page.locator(".chart .main-svg").first).to_be_visible()
    expect(page.get_by_test_id("most-exposed")).to_contain_text("Kiosk copy")
    console_errors.assert_none()
