"""An admin blocks a model; an editor sees it flagged; the dashboard lists the violation; the admin accepts
the risk for 30 days; with a controlled clock the acceptance lapses and the violation and the alert return."""

import urllib.request
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.policies.services import acceptances_lapse
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.watch.factories import alert_rule

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_block_flag_accept_and_lapse(page, log_in, console_errors, live_server):
    # The live server's first request loads every URLconf and template: on a loaded machine that alone
    # can outlast the browser's timeout, so wait for it here, once, without the browser.
    urllib.request.urlopen(live_server.url + "/accounts/login/", timeout=180).read()
    page.context.set_default_timeout(60_000)  # first renders of the dashboard and forms, on a busy machine
    acme = OrganizationFactory(slug="acme", name="Acme Marketing")
    admin = UserFactory(username="ada.admin")
    editor = UserFactory(username="maria.ops")
    MembershipFactory(user=admin, organization=acme, role="admin")
    MembershipFactory(user=editor, organization=acme, role="editor")
    alert_rule(acme, name="Everything that matters")

    # An admin blocks Qwen2.5 7B.
    log_in(admin)
    page.goto("/o/acme/policies/approvals/")
    page.get_by_label("Model").select_option(label="Qwen2.5-7B-Instruct · Alibaba (Qwen)")
    page.get_by_label("Status").select_option("blocked")
    page.get_by_label("Reason").fill("Leadership change: roadmap uncertain")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_test_id("approval-table")).to_contain_text("Qwen2.5-7B-Instruct")
    expect(page.get_by_test_id("approval-table").locator("[data-approval=blocked]")).to_be_visible()

    # An editor sees it flagged in the workflow form's type-ahead, and saves anyway.
    page.context.clear_cookies()
    log_in(editor)
    page.goto("/o/acme/inventory/workflows/new/")
    page.get_by_label("Name").fill("Weekly blog localisation")
    page.get_by_label("Criticality").select_option("high")
    model = page.get_by_test_id("dependency-row").nth(0).get_by_label("Model")
    model.fill("qwen2.5:7b")
    expect(page.locator("#catalog-models option").first).to_contain_text("BLOCKED")
    model.press("Tab")
    expect(page.get_by_test_id("blocked-model")).to_contain_text("Leadership change")
    page.get_by_role("button", name="Save workflow").click()
    expect(page.locator("h1")).to_have_text("Weekly blog localisation")
    expect(page.get_by_test_id("workflow-violation")).to_contain_text("A blocked model in use")
    workflow_url = page.url

    # The dashboard lists the violation.
    page.goto("/o/acme/exposure/")
    violations = page.get_by_test_id("policy-violations")
    expect(violations).to_contain_text("A blocked model in use")
    expect(violations).to_contain_text("Weekly blog localisation")

    # The admin accepts the risk for 30 days: it is shown apart, as accepted.
    page.context.clear_cookies()
    log_in(admin)
    page.goto(workflow_url)
    page.get_by_role("link", name="Decide the risk treatment").click()
    page.get_by_label("Accept", exact=True).check()
    page.get_by_label("Justification").fill("Migration to Llama planned for January")
    page.get_by_label("Accept for").select_option("30")
    page.get_by_role("button", name="Save treatment").click()
    expect(page.get_by_test_id("risk-treatment")).to_contain_text("Risk accepted until")
    page.goto("/o/acme/exposure/")
    expect(page.get_by_test_id("accepted-risks")).to_contain_text("Weekly blog localisation")
    expect(page.get_by_test_id("policy-violations")).to_contain_text("No open violation")

    # 31 days later (a controlled clock): the beat task's service lapses the acceptance.
    assert acceptances_lapse(now=timezone.now() + timedelta(days=31)) == 1
    page.reload()
    expect(page.get_by_test_id("accepted-risks")).to_have_count(0)
    expect(page.get_by_test_id("policy-violations").get_by_test_id("violation-row")).to_contain_text(
        "Weekly blog localisation"
    )
    page.goto("/o/acme/watch/inbox/")
    expect(page.locator("main")).to_contain_text("Risk acceptance lapsed: Weekly blog localisation")
    page.goto(workflow_url)
    expect(page.get_by_test_id("risk-treatment")).to_contain_text("Acceptance lapsed")

    # The policies page at phone width.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/o/acme/policies/")
    expect(page.get_by_test_id("open-violations")).to_contain_text("Weekly blog localisation")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    console_errors.assert_none()
