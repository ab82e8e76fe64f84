import pytest
from django.core.management import call_command

from apps.accounts.models import Organization
from apps.inventory.models import Dependency, Workflow

pytestmark = pytest.mark.django_db


def test_the_demo_covers_the_five_scenarios_and_loads_twice_without_duplicates(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    assert "demo       / riskboard-demo" in capsys.readouterr().out
    assert set(Organization.objects.values_list("slug", "kind")) == {
        ("northwind", "company"),
        ("brightline", "agency"),
    }
    names = set(Workflow.objects.values_list("name", flat=True))
    assert {
        "Weekly blog and docs localisation",
        "Competitor ad-creative analysis",
        "Patient education drafting",
        "Lead qualification agent",
        "In-store kiosk recommendations",
    } <= names
    localisation = Workflow.objects.get(name="Weekly blog and docs localisation")
    assert (localisation.monthly_volume, localisation.monthly_cost) == (200_000, 200)
    assert Workflow.objects.get(name="Patient education drafting").data_sensitivity == "regulated"
    assert Dependency.objects.filter(via_tool__isnull=False).exists()
    assert Dependency.objects.filter(model__isnull=True).exists()  # one unmapped model to review
    assert (
        Workflow.objects.filter(exposure_band="high").exists()
        and Workflow.objects.filter(exposure_band="low").exists()
    )
