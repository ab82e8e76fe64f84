"""Signals raise a vendor's risk for the organization that received them, move its workflows' exposure,
and say why; they never touch the shared catalog level or another organization's scores."""

import pytest

from apps.inventory.models import OrganizationVendorRisk, Vendor
from apps.inventory.selectors import vendor_risks_for_organization
from apps.watch.models import Signal
from apps.watch.services.signals import signal_set_status
from tests.factories import workflow_with
from tests.watch.factories import contract_signal, import_signals

pytestmark = pytest.mark.django_db

LLAMA = "meta-llama/Llama-3.1-8B-Instruct"


def test_a_critical_license_change_raises_the_vendor_for_us_and_the_workflow_page_names_it(
    organization, editor
):
    workflow = workflow_with(organization=organization, models=[LLAMA], name="Weekly blog localisation")
    score_before = workflow.exposure_score
    meta = Vendor.objects.get(slug="meta")
    assert meta.risk_level == "medium"

    job = import_signals(organization, [contract_signal(subject=LLAMA)])

    assert job.status == "succeeded"
    ours = vendor_risks_for_organization(organization=organization)[meta.id]
    assert (ours.level, ours.raised_by_signals) == ("high", True)
    assert f"license_change {LLAMA} llama3.1 → other (critical" in ours.reason
    meta.refresh_from_db()
    assert (meta.risk_level, meta.risk_source) == ("medium", "manual"), (
        "the shared catalog level is untouched"
    )
    workflow.refresh_from_db()
    assert workflow.exposure_score > score_before
    factors = {factor["key"]: factor for factor in workflow.exposure_factors}
    assert factors["vendor_risk"]["value"] == "high (Meta, raised by signals)"
    assert factors["recent_signals"]["points"] == 6
    assert f"license_change {LLAMA} llama3.1 → other" in factors["recent_signals"]["value"]


def test_another_organizations_signals_move_nothing_of_ours(organization, other_organization):
    ours = workflow_with(organization=organization, models=[LLAMA], name="Ours")
    before = ours.exposure_score

    import_signals(other_organization, [contract_signal(subject=LLAMA)])

    ours.refresh_from_db()
    assert ours.exposure_score == before
    assert not OrganizationVendorRisk.objects.filter(organization=organization).exists()
    assert vendor_risks_for_organization(organization=organization)[
        Vendor.objects.get(slug="meta").id
    ].level == ("medium")


def test_marking_the_signal_noise_returns_us_to_the_catalog_level(organization, editor):
    workflow = workflow_with(organization=organization, models=[LLAMA])
    score_before = workflow.exposure_score
    import_signals(organization, [contract_signal(subject=LLAMA)])

    signal_set_status(signal=Signal.objects.get(), status="noise", user=editor)

    assert not OrganizationVendorRisk.objects.filter(organization=organization).exists()
    workflow.refresh_from_db()
    assert workflow.exposure_score == score_before
    assert "recent_signals" not in {factor["key"] for factor in workflow.exposure_factors}


def test_signals_never_lower_the_catalog_level(organization):
    alibaba = Vendor.objects.get(slug="alibaba")
    assert alibaba.risk_level == "high"

    import_signals(
        organization,
        [
            contract_signal(
                kind="new_release", subject="Qwen/Qwen4-8B", vendor="alibaba", severity="info", detail={}
            )
        ],
    )

    assert vendor_risks_for_organization(organization=organization)[alibaba.id].level == "high"


def test_a_warning_moves_only_this_organizations_workflows(organization, other_organization):
    mine = workflow_with(organization=organization, models=[LLAMA])
    theirs = workflow_with(organization=other_organization, models=[LLAMA])
    theirs_before = theirs.exposure_score

    import_signals(
        organization,
        [
            contract_signal(
                kind="cadence_slip", subject="meta-llama", severity="warning", detail={"overdue_days": 40}
            )
        ],
    )

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (
        "cadence_slip meta-llama" in {f["key"]: f for f in mine.exposure_factors}["recent_signals"]["value"]
    )
    assert theirs.exposure_score == theirs_before
