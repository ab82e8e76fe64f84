import datetime as dt
from decimal import Decimal

import pytest

from apps.plans import services
from apps.plans.actions import plan_action_fields
from tests.factories import workflow_with

pytestmark = pytest.mark.django_db


def test_the_top_workflows_without_a_plan_and_late_plans_become_actions(organization):
    unplanned = workflow_with(
        organization=organization, name="Localisation", models=["qwen2.5:7b"], monthly_cost=Decimal("900")
    )
    late = workflow_with(
        organization=organization, name="Drafts", models=["qwen2.5:7b"], monthly_cost=Decimal("100")
    )
    services.plan_create(workflow=late, target_identifier="llama3.3:70b", start_date=dt.date(2020, 1, 1))
    on_time = workflow_with(
        organization=organization, name="Captions", models=["qwen2.5:7b"], monthly_cost=Decimal("50")
    )
    services.plan_create(workflow=on_time, target_identifier="llama3.3:70b")

    actions = plan_action_fields(organization=organization)

    assert [(a["kind"], a["workflow"]) for a in actions] == [
        ("no_plan", "Localisation"),
        ("migrate_first", "Drafts"),
    ]
    assert actions[0]["url"] == f"/o/{organization.slug}/plans/new/{unplanned.pk}/"
    assert actions[0]["url_role"] == "editor"
    assert "was due 2020-01-03" in actions[1]["reason"]


def test_the_dashboard_lists_the_no_plan_action_with_a_link_for_editors_only(
    client, organization, editor, viewer
):
    workflow_with(
        organization=organization, name="Localisation", models=["qwen2.5:7b"], monthly_cost=Decimal("900")
    )

    client.force_login(editor)
    as_editor = client.get(f"/o/{organization.slug}/exposure/").content.decode()
    client.force_login(viewer)
    as_viewer = client.get(f"/o/{organization.slug}/exposure/").content.decode()

    assert (
        "Plan the migration of Localisation" in as_editor
        and "Plan the migration of Localisation" in as_viewer
    )
    assert f"/o/{organization.slug}/plans/new/" in as_editor
    assert f"/o/{organization.slug}/plans/new/" not in as_viewer
