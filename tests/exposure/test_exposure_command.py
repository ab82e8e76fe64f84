import json

import pytest
from django.core.management import call_command

from apps.inventory.models import Vendor
from apps.inventory.services import vendor_set_risk
from tests.factories import workflow_with

pytestmark = pytest.mark.django_db


def exposure_json(capsys, *args):
    call_command("exposure", "--json", *args)
    return json.loads(capsys.readouterr().out)


def test_it_ranks_workflows_highest_first_with_their_factors(capsys, organization):
    workflow_with(
        organization=organization,
        name="Report summaries",
        models=["gpt-4o-mini"],
        fallbacks=["claude-3-5-haiku"],
        criticality="low",
        switching_difficulty=2,
    )
    workflow_with(
        organization=organization,
        name="Weekly blog localisation",
        models=["qwen-mt"],
        criticality="high",
        switching_difficulty=4,
    )
    document = exposure_json(capsys, "--organization", organization.slug)
    assert document["schema"] == "riskboard.exposure/1"
    first, second = document["workflows"]
    assert first["workflow"] == "Weekly blog localisation" and second["workflow"] == "Report summaries"
    assert (first["organization"], first["client"], first["band"]) == ("acme", None, "high")
    assert (
        first["score"] == 25 + 15 + 25 + 8 + 10
    )  # criticality, difficulty, high-risk vendor, API-only, no fallback
    assert first["factors"]["criticality"] == "high" and first["factors"]["switching_difficulty"] == 4
    assert first["factors"]["vendor_risk"].startswith("high")
    assert "no_fallback" not in second["factors"]
    assert 0 <= second["score"] < first["score"]


def test_a_vendor_risk_change_moves_dependent_workflows(capsys, organization):
    workflow = workflow_with(
        organization=organization, name="Kiosk", models=["qwen3.5:0.8b"], criticality="high"
    )
    before = workflow.exposure_score
    vendor_set_risk(
        vendor=Vendor.objects.get(slug="alibaba"), risk_level="low", reason="Apache 2.0 reaffirmed"
    )
    workflow.refresh_from_db()
    assert workflow.exposure_score == before - 20
    assert "low (Alibaba (Qwen))" in [factor["value"] for factor in workflow.exposure_factors]
