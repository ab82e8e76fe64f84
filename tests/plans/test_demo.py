import pytest
from django.core.management import call_command

from apps.inventory.models import Workflow
from apps.plans.models import MigrationPlan, RegistryAlias

pytestmark = pytest.mark.django_db


def test_the_demo_puts_localisation_behind_an_alias_with_a_plan_under_way():
    call_command("seed_demo")
    call_command("seed_demo")

    plan = MigrationPlan.objects.get()
    assert plan.workflow.name == "Weekly blog and docs localisation"
    assert plan.status == "in_progress" and plan.evidence["run"]
    alias = RegistryAlias.objects.get(name="localisation")
    assert alias.deployments.filter(environment="production").count() == 2
    workflow = Workflow.objects.get(name="Weekly blog and docs localisation")
    keys = {factor["key"] for factor in workflow.exposure_factors}
    assert {"migration_plan", "registry_abstraction"} <= keys
