"""An editor reads the signals timeline, filters it, marks a signal noise, and opens a vendor's cadence."""

import pytest
from playwright.sync_api import expect

from apps.watch.models import Source
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.watch.factories import contract_signal, import_signals

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_editor_filters_the_timeline_marks_noise_and_reads_a_vendors_cadence(page, log_in, console_errors):
    acme = OrganizationFactory(slug="acme", name="Acme Marketing")
    editor = UserFactory(username="maria.ops")
    MembershipFactory(user=editor, organization=acme, role="editor")
    import_signals(
        acme,
        [
            contract_signal(
                subject="Qwen/Qwen3-2B",
                vendor="alibaba",
                source="hf:Qwen",
                detail={"from": "apache-2.0", "to": "other"},
            ),
            contract_signal(
                kind="new_release",
                subject="Qwen/Qwen4-8B",
                vendor="alibaba",
                severity="info",
                source="hf:Qwen",
                detail={},
            ),
        ],
    )
    Source.objects.create(
        organization=acme,
        spec="hf:Qwen",
        kind="hf",
        snapshot={
            "kind": "hf",
            "vendor": "alibaba",
            "models": {
                f"Qwen/Qwen3-{index}B": {"created_at": f"2025-{month:02d}-10T10:00:00Z"}
                for index, month in enumerate([1, 2, 3, 4, 6], start=1)
            },
        },
    )

    log_in(editor)
    page.goto("/o/acme/watch/")
    table = page.get_by_test_id("signal-table")
    expect(table.locator("tbody tr")).to_have_count(2)

    page.get_by_label("Kind").select_option("license_change")
    expect(table.locator("tbody tr")).to_have_count(1)
    page.wait_for_url("**kind=license_change**")
    expect(table).to_contain_text("apache-2.0 → other")

    row = table.locator("tbody tr").first
    row.get_by_role("button", name="Noise").click()
    expect(row.get_by_test_id("signal-status")).to_have_text("Noise")

    row.get_by_role("link", name="Alibaba (Qwen)").click()
    expect(page.get_by_role("heading", name="Alibaba (Qwen)")).to_be_visible()
    expect(page.get_by_test_id("cadence").locator(".chart .main-svg").first).to_be_visible()
    expect(page.get_by_test_id("release-history")).to_contain_text("Qwen/Qwen3-5B")
    console_errors.assert_none()
