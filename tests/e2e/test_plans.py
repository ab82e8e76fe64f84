"""An editor plans the migration of the most exposed workflow and cuts it over by swapping its alias."""

import pytest
from playwright.sync_api import expect

from tests.benchmarks.makers import import_run, make_suite, native_document, results_for
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, workflow_with

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_editor_plans_a_migration_from_evidence_and_cuts_over_by_swapping_the_alias(
    page, log_in, console_errors
):
    acme = OrganizationFactory(slug="acme", name="Acme Health Marketing")
    editor = UserFactory(username="eddie.editor")
    MembershipFactory(user=editor, organization=acme, role="editor")
    regulated = workflow_with(
        organization=acme,
        name="Patient education drafts",
        models=["qwen3.5:9b"],
        data_sensitivity="regulated",
        criticality="high",
        switching_difficulty=4,
        monthly_cost=400,
    )
    workflow_with(organization=acme, name="Social captions", models=["gpt-4o-mini"], criticality="low")
    make_suite(acme, name="Compliance copy", cases=0, workflows=[regulated])
    import_run(
        acme,
        native_document(
            results_for("gpt-4o", passed=5) + results_for("llama3.3:70b", passed=4, failed=1),
            suite="Compliance copy",
        ),
    )

    log_in(editor)
    page.goto("/o/acme/inventory/")  # sorted by exposure, highest first
    first = page.get_by_test_id("workflow-table").locator("tbody tr").first
    expect(first).to_contain_text("Patient education drafts")
    first.get_by_role("link", name="Patient education drafts").click()
    why = page.get_by_test_id("exposure-why")
    expect(why).to_contain_text("Alibaba")
    score_before = float(why.locator(".score").inner_text())

    # A plan from the best eligible alternative: the regulated workflow is offered no API-only model.
    page.get_by_test_id("migration-card").get_by_role("link", name="Plan a migration").click()
    expect(page.get_by_test_id("must-stay-local")).to_be_visible()
    options = page.get_by_test_id("target-options")
    expect(options).to_contain_text("Llama 3.3 70B Instruct")
    expect(options).not_to_contain_text("GPT-4o")
    expect(page.get_by_test_id("rejected-targets")).to_contain_text("GPT-4o — not self-hostable")
    manual = page.get_by_label("Or pick a model by hand")
    expect(manual.locator("option", has_text="GPT-4o")).to_have_count(0)
    page.get_by_label("Languages served").fill("1")
    page.get_by_role("button", name="Create plan").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Patient education drafts → Llama 3.3 70B Instruct"
    )
    expect(page.get_by_test_id("evidence-warnings")).to_contain_text("Only 5 cases")
    expect(page.get_by_test_id("plan-status")).to_have_text("draft")

    # Completing a step in place starts the plan, and the exposure's "why" says so.
    archive = page.get_by_test_id("step-archive")
    archive.get_by_label("Owner").fill("maria.ops")
    archive.get_by_label("Status").select_option("done")
    archive.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("step-archive").get_by_test_id("step-status")).to_have_text("Done")
    expect(page.get_by_test_id("plan-status")).to_have_text("in progress")
    expect(page.get_by_test_id("exposure-why")).to_contain_text("Migration plan in progress")

    # The workflow goes behind an alias, then the suite and the shadow run are done.
    page.get_by_label("Or a new alias").fill("patient-drafts")
    page.get_by_role("button", name="Put behind the alias").click()
    expect(page.get_by_test_id("registry-card")).to_contain_text("patient-drafts")
    expect(page.get_by_test_id("step-alias").get_by_test_id("step-status")).to_have_text("Done")
    for kind in ("revalidate", "shadow"):
        step = page.get_by_test_id(f"step-{kind}")
        step.get_by_label("Status").select_option("done")
        step.get_by_role("button", name="Save").click()
        expect(page.get_by_test_id(f"step-{kind}").get_by_test_id("step-status")).to_have_text("Done")

    # The summary (exposure and cut-over form) is refreshed after each step: wait for the last one.
    expect(page.get_by_test_id("exposure-why")).to_contain_text("4 of 6 steps done")

    # The cut-over is one change of mapping: the alias now points at Llama.
    page.get_by_label("Why now").fill("Shadow run clean for a week")
    page.get_by_role("button", name="Cut over: point patient-drafts at llama3.3:70b").click()
    expect(page.get_by_test_id("cut-over-done")).to_be_visible()
    why = page.get_by_test_id("exposure-why")
    expect(why).to_contain_text("Cut-over completed")
    expect(why).to_contain_text("Meta")
    expect(why).not_to_contain_text("Alibaba")
    assert float(why.locator(".score").inner_text()) < score_before

    # The registry keeps who, when and why.
    page.get_by_test_id("registry-card").get_by_role("link", name="patient-drafts").click()
    expect(page.get_by_test_id("mapping-production").get_by_test_id("deployment-model")).to_have_text(
        "llama3.3:70b"
    )
    history = page.get_by_test_id("alias-history")
    expect(history).to_contain_text("Shadow run clean for a week")
    expect(history).to_contain_text("eddie.editor")

    # The plans page draws the timeline and still reads on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/o/acme/plans/", wait_until="domcontentloaded")
    expect(page.locator(".chart .main-svg").first).to_be_visible(timeout=60_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    console_errors.assert_none()
