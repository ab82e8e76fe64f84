"""A viewer from leadership reads the budget split against the band, opens the "alibaba ×15" scenario and
its delta, then follows the dashboard's first next action to the page where it is done."""

import pytest
from django.urls import get_resolver
from playwright.sync_api import expect

from apps.budget.services import scenario_save
from tests.budget.sheet import make_sheet
from tests.factories import MembershipFactory, UserFactory
from tests.watch.factories import stored_signal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_viewer_reads_the_split_a_scenario_and_follows_the_first_next_action(page, log_in, console_errors):
    agency = make_sheet()
    scenario_save(organization=agency, name="alibaba ×15", spec="alibaba*15")
    stored_signal(agency, vendor="alibaba", subject="Qwen/Qwen3-8B", severity="critical", source="hf:Qwen")
    leader = UserFactory(username="lena.leadership")
    MembershipFactory(user=leader, organization=agency, role="viewer")
    assert (
        get_resolver().url_patterns
    )  # import every view now: on a busy machine that alone outlasts a page timeout

    log_in(leader)
    page.goto("/o/sheet-agency/exposure/")
    page.get_by_role("link", name="Budget, scenarios and what to move →").click()
    split = page.get_by_test_id("budget-split")
    expect(split).to_contain_text("29 %")
    expect(split).to_contain_text("target 60 %–70 %")
    expect(split).to_contain_text("below the band")

    page.get_by_test_id("scenario-comparison").get_by_role("link", name="alibaba ×15").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("alibaba ×15")
    expect(page.get_by_test_id("scenario-delta")).to_have_text("+$13,767")
    deltas = page.get_by_test_id("scenario-deltas")
    expect(deltas.locator("tbody tr").first).to_contain_text("Ad creative analysis")
    expect(deltas.locator("tbody tr").first).to_contain_text("+$6,300")
    expect(page.get_by_role("button", name="Delete")).to_have_count(0)

    page.goto("/o/sheet-agency/exposure/")
    first = page.get_by_test_id("next-actions").locator("li").first
    expect(first).to_contain_text("Review the critical")
    expect(first).to_contain_text("Alibaba")
    first.get_by_role("link").click()
    page.wait_for_url("**/watch/?vendor=alibaba")
    expect(page.get_by_test_id("signal-table")).to_contain_text("Qwen/Qwen3-8B")

    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/o/sheet-agency/budget/", "/o/sheet-agency/exposure/"):
        page.goto(path)
        expect(page.get_by_test_id("budget-split")).to_be_visible()
        page.screenshot(path=f"/tmp/riskboard-phone-{path.split('/')[3]}.png", full_page=True)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
    console_errors.assert_none()
