"""Signals move a vendor's risk and the exposure of the workflows that depend on it, and say why."""

import pytest

from apps.inventory.models import Vendor
from apps.watch.models import Signal
from apps.watch.services import signal_set_status
from tests.factories import workflow_with
from tests.watch.factories import contract_signal, import_signals

pytestmark = pytest.mark.django_db

LLAMA = "meta-llama/Llama-3.1-8B-Instruct"


def test_a_critical_license_change_raises_the_vendor_and_the_workflow_page_names_it(organization, editor):
    workflow = workflow_with(organization=organization, models=[LLAMA], name="Weekly blog localisation")
    score_before = workflow.exposure_score
    assert Vendor.objects.get(slug="meta").risk_level == "medium"

    job = import_signals(organization, [contract_signal(subject=LLAMA)])

    assert job.status == "succeeded"
    meta = Vendor.objects.get(slug="meta")
    assert (meta.risk_level, meta.risk_source) == ("high", "signals")
    assert f"license_change {LLAMA} llama3.1 → other (critical" in meta.risk_reason
    workflow.refresh_from_db()
    assert workflow.exposure_score > score_before
    factors = {factor["key"]: factor for factor in workflow.exposure_factors}
    assert factors["vendor_risk"]["value"].startswith("high") or "high" in factors["vendor_risk"]["value"]
    assert factors["recent_signals"]["points"] == 6
    assert f"license_change {LLAMA} llama3.1 → other" in factors["recent_signals"]["value"]


def test_marking_the_signal_noise_returns_the_vendor_to_the_level_the_admin_set(organization, editor):
    workflow = workflow_with(organization=organization, models=[LLAMA])
    score_before = workflow.exposure_score
    import_signals(organization, [contract_signal(subject=LLAMA)])

    signal_set_status(signal=Signal.objects.get(), status="noise", user=editor)

    meta = Vendor.objects.get(slug="meta")
    assert (meta.risk_level, meta.risk_source) == ("medium", "manual")
    assert not meta.risk_reason.startswith("From monitoring signals")
    workflow.refresh_from_db()
    assert workflow.exposure_score == score_before
    assert "recent_signals" not in {factor["key"] for factor in workflow.exposure_factors}


def test_signals_never_lower_a_level_an_admin_set_by_hand(organization):
    alibaba = Vendor.objects.get(slug="alibaba")
    assert (alibaba.risk_level, alibaba.risk_source) == ("high", "manual")

    import_signals(
        organization,
        [
            contract_signal(
                kind="new_release", subject="Qwen/Qwen4-8B", vendor="alibaba", severity="info", detail={}
            )
        ],
    )

    alibaba.refresh_from_db()
    assert (alibaba.risk_level, alibaba.risk_source) == ("high", "manual")


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
