"""A leader opens a benchmark comparison and reads the best alternative for a workflow."""

import pytest
from playwright.sync_api import expect

from tests.benchmarks.makers import import_run, make_suite, native_document, results_for
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, workflow_with

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_viewer_opens_a_comparison_and_reads_the_best_alternative(page, log_in, console_errors):
    acme = OrganizationFactory(slug="acme", name="Acme Marketing")
    viewer = UserFactory(username="vera.viewer")
    MembershipFactory(user=viewer, organization=acme, role="viewer")
    workflow = workflow_with(organization=acme, name="Kiosk answers", models=["gpt-4o"])
    make_suite(acme, name="Kiosk", cases=0, workflows=[workflow])
    run = import_run(
        acme,
        native_document(
            results_for("gpt-4o", passed=5, cost_usd=0.002, latency_ms=900.0)
            + results_for("llama3.3:70b", passed=5, cost_usd=0.0006, latency_ms=2500.0)
            + results_for("qwen2.5:7b", passed=4, failed=1, latency_ms=800.0),
            suite="Kiosk",
            name="Kiosk answers: open models vs GPT-4o",
        ),
    )

    log_in(viewer)
    page.goto("/o/acme/benchmarks/")
    page.get_by_role("link", name="Kiosk answers: open models vs GPT-4o").click()

    row = page.get_by_test_id(f"alternative-{workflow.pk}")
    expect(row.get_by_test_id("best-alternative")).to_have_text("Llama 3.3 70B Instruct")
    expect(page.locator(".chart .main-svg").first).to_be_visible()  # plotly drew the charts

    # Tighter thresholds, set in the shareable URL by the form: p95 under one second.
    page.get_by_label("Min pass rate (%)").fill("70")
    page.get_by_label("Max p95 latency (ms)").fill("1000")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(f"/o/acme/benchmarks/runs/{run.pk}/?min_pass_rate=70&max_latency=1000&max_cost=")
    expect(row.get_by_test_id("best-alternative")).to_have_text("Qwen2.5-7B-Instruct")

    # The answer behind a cell opens in place.
    page.get_by_test_id("matrix").locator("details summary").first.click()
    expect(page.get_by_test_id("matrix").locator("pre.output").first).to_be_visible()

    console_errors.assert_none()
