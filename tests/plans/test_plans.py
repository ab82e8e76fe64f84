"""Migration plans: a target from benchmark evidence that respects data sensitivity, steps, cut-over,
and the exposure factors they move (apps/plans/exposure_factors.py)."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from apps.inventory.models import AIModel
from apps.plans import services
from apps.plans.models import AliasChange, MigrationPlan, PlanStep
from apps.plans.selectors import plans_migrate_first, target_options
from tests.benchmarks.makers import import_run, make_suite, native_document, results_for
from tests.factories import workflow_with
from tests.plans.makers import make_alias

pytestmark = pytest.mark.django_db


def factors(workflow) -> dict:
    workflow.refresh_from_db()
    return {factor["key"]: factor for factor in workflow.exposure_factors}


@pytest.fixture
def regulated(organization):
    workflow = workflow_with(
        organization=organization,
        name="Patient education drafts",
        models=["qwen3.5:9b"],
        data_sensitivity="regulated",
        category="content",
        monthly_cost=Decimal("300"),
    )
    make_suite(organization, name="Compliance copy", cases=0, workflows=[workflow])
    import_run(
        organization,
        native_document(
            results_for("gpt-4o", passed=5) + results_for("llama3.3:70b", passed=4, failed=1),
            suite="Compliance copy",
        ),
    )
    return workflow


def test_a_regulated_workflow_is_offered_no_api_only_target(regulated):
    options = target_options(workflow=regulated)

    assert options.must_stay_local
    assert [option.standing.name for option in options.eligible] == ["Llama 3.3 70B Instruct"]
    assert [(r.standing.name, r.reasons) for r in options.rejected] == [("GPT-4o", ("not self-hostable",))]
    assert options.best.evidence["cases"] == 5 and options.best.evidence["pass_rate"] == 0.8


def test_choosing_an_api_only_model_by_hand_for_regulated_data_is_refused(regulated):
    with pytest.raises(ValidationError, match="not self-hostable"):
        services.plan_create(
            workflow=regulated, target_identifier="gpt-4o", target_model=AIModel.objects.get(slug="gpt-4o")
        )
    assert not MigrationPlan.objects.exists()


def test_a_plan_gets_the_default_steps_and_counts_only_once_started(organization, regulated):
    option = target_options(workflow=regulated).best
    plan = services.plan_create(
        workflow=regulated, target_identifier=option.standing.identifier, evidence=option.evidence
    )
    assert [step.kind for step in plan.steps.all()] == [
        "archive",
        "alias",
        "revalidate",
        "shadow",
        "cutover",
        "decommission",
    ]
    assert "migration_plan" not in factors(regulated)  # a draft is not mitigation
    before = regulated.exposure_score

    archive = plan.steps.get(kind="archive")
    services.step_update(step=archive, owner="maria.ops", due=archive.due, status="done")

    plan.refresh_from_db()
    assert plan.status == "in_progress"
    why = factors(regulated)["migration_plan"]
    assert why["points"] == -5 and why["value"].startswith("to Llama 3.3 70B Instruct, 1 of 6 steps done")
    assert regulated.exposure_score == pytest.approx(before - 5)


def test_the_cut_over_swaps_the_alias_and_the_workflow_moves_with_it(organization, editor):
    workflow = workflow_with(
        organization=organization, name="Lead qualification agent", models=["qwen2.5:7b"], category="agent"
    )
    before = factors(workflow)
    assert before["vendor_risk"]["value"].startswith("high (Alibaba")
    plan = services.plan_create(workflow=workflow, target_identifier="llama3.3:70b")
    with pytest.raises(ValidationError, match="behind a registry alias"):
        services.plan_cut_over(plan=plan, user=editor)

    alias = services.workflow_put_behind_alias(workflow=workflow, new_alias_name="agents", user=editor)
    assert plan.steps.get(kind="alias").status == "done"

    change = services.plan_cut_over(plan=plan, user=editor, reason="Shadow run clean")

    assert change.source == AliasChange.Source.CUTOVER and change.changed_by == editor
    assert [d["model"] for d in change.before["deployments"]] == ["qwen2.5:7b"]
    assert [d["model"] for d in change.after["deployments"]] == ["llama3.3:70b"]
    assert [d.model.name for d in workflow.dependencies.all()] == ["Llama 3.3 70B Instruct"]
    after = factors(workflow)
    assert after["vendor_risk"]["value"].startswith("medium (Meta")
    assert after["migration_cut_over"]["points"] == -8
    assert "migration_plan" not in after
    assert alias.deployments.get(environment="production").model == "llama3.3:70b"


def test_a_cut_over_step_cannot_be_ticked_by_hand(organization):
    workflow = workflow_with(organization=organization, name="Drafts", models=["qwen2.5:7b"])
    plan = services.plan_create(workflow=workflow, target_identifier="llama3.3:70b")
    step = plan.steps.get(kind="cutover")

    with pytest.raises(ValidationError, match="Cut over"):
        services.step_update(step=step, owner="", due=step.due, status="done")


def test_an_alias_with_a_fallback_on_another_vendor_earns_the_abstraction_credit(organization):
    workflow = workflow_with(organization=organization, name="Drafts", models=["qwen2.5:7b"])
    fallback = make_alias(organization, name="drafts-fallback", model="openai/gpt-4o-mini")
    alias = make_alias(organization, name="drafts", model="ollama/qwen2.5:7b")
    services.workflow_put_behind_alias(workflow=workflow, alias=alias)
    assert "registry_abstraction" not in factors(workflow)
    before = factors(workflow)

    services.alias_set_mapping(
        alias=alias,
        environment="production",
        deployments=[services.DeploymentSpec(model="ollama/qwen2.5:7b", api_base="http://gpu-1:11434")],
        fallbacks=[fallback],
        reason="fallback on OpenAI",
    )

    after = factors(workflow)
    assert after["registry_abstraction"]["value"] == "alias drafts, falls back on OpenAI (GPT-4o mini)"
    assert "no_fallback" in before and "no_fallback" not in after  # the fallback is now a dependency too
    roles = sorted((d.role, d.declared_model) for d in workflow.dependencies.all())
    assert roles == [("fallback", "openai/gpt-4o-mini"), ("primary", "qwen2.5:7b")]


def test_a_staging_change_does_not_move_production_workflows(organization):
    workflow = workflow_with(organization=organization, name="Drafts", models=["qwen2.5:7b"])
    alias = make_alias(organization, name="drafts", model="ollama/qwen2.5:7b")
    services.workflow_put_behind_alias(workflow=workflow, alias=alias)

    services.alias_set_mapping(
        alias=alias,
        environment="staging",
        deployments=[services.DeploymentSpec(model="ollama/llama3.3:70b")],
        fallbacks=[],
        reason="try Llama in staging",
    )

    assert [d.declared_model for d in workflow.dependencies.all()] == ["qwen2.5:7b"]


def test_migrate_first_ranks_by_exposure_times_spend_over_effort(organization):
    cheap = workflow_with(
        organization=organization, name="Captions", models=["qwen2.5:7b"], monthly_cost=Decimal("50")
    )
    costly = workflow_with(
        organization=organization, name="Localisation", models=["qwen2.5:7b"], monthly_cost=Decimal("3000")
    )
    unknown = workflow_with(organization=organization, name="Kiosk copy", models=["qwen3.5:0.8b"])

    rows = plans_migrate_first(organization=organization)

    assert [row.workflow for row in rows] == [costly, cheap, unknown]
    assert rows[0].priority == pytest.approx(
        round(costly.exposure_score * 3000 / (rows[0].effort_days / 7), 1)
    )
    assert rows[2].priority is None


def test_plans_json_follows_the_contract(organization):
    workflow = workflow_with(
        organization=organization, name="Lead qualification agent", models=["qwen2.5:7b"]
    )
    plan = services.plan_create(workflow=workflow, target_identifier="llama3.3:70b")
    step = plan.steps.first()
    services.step_update(step=step, owner="maria.ops", due=step.due, status=PlanStep.Status.DONE)
    out = StringIO()

    call_command("plans", "--organization", organization.slug, "--json", stdout=out)

    document = json.loads(out.getvalue())
    assert document["schema"] == "riskboard.plans/1"
    (entry,) = document["plans"]
    assert entry["workflow"] == "Lead qualification agent"
    assert entry["status"] == "in_progress"
    assert entry["target_model"] == "Llama 3.3 70B Instruct"
    assert entry["evidence"] is None
    assert entry["due"] == max(s["due"] for s in entry["steps"] if s["due"])
    assert entry["steps"][0] == {
        "title": "Archive current weights, prompts and configs",
        "kind": "archive",
        "status": "done",
        "owner": "maria.ops",
        "due": step.due.isoformat(),
    }


def test_a_bare_tag_is_served_by_the_same_local_runtime_with_its_base_and_fallbacks_kept(organization):
    workflow = workflow_with(organization=organization, name="Drafts", models=["qwen2.5:7b"])
    fallback = make_alias(organization, name="drafts-fallback", model="openai/gpt-4o-mini")
    alias = make_alias(organization, name="drafts", model="ollama/qwen2.5:7b", fallbacks=[fallback])
    services.workflow_put_behind_alias(workflow=workflow, alias=alias)
    plan = services.plan_create(workflow=workflow, target_identifier="llama3.3:70b")

    change = services.plan_cut_over(plan=plan)

    assert change.after == {
        "deployments": [
            services.DeploymentSpec(model="ollama/llama3.3:70b", api_base="http://gpu-1:11434").as_dict()
        ],
        "fallbacks": ["drafts-fallback"],
    }


def test_dropping_a_plan_takes_its_credit_away(organization):
    workflow = workflow_with(organization=organization, name="Drafts", models=["qwen2.5:7b"])
    plan = services.plan_create(workflow=workflow, target_identifier="llama3.3:70b")
    services.plan_set_status(plan=plan, status="in_progress")
    assert "migration_plan" in factors(workflow)

    services.plan_set_status(plan=plan, status="dropped")

    assert "migration_plan" not in factors(workflow)


def test_the_method_page_lists_the_plans_factors_from_the_registry(editor_client, organization):
    page = editor_client.get(f"/o/{organization.slug}/exposure/method/").content.decode()

    for label in ("Migration plan in progress", "Cut-over completed", "Behind a registry alias"):
        assert label in page


def test_the_plan_factor_names_the_steps_done_as_they_move(organization):
    workflow = workflow_with(organization=organization, name="Drafts", models=["qwen2.5:7b"])
    plan = services.plan_create(workflow=workflow, target_identifier="llama3.3:70b")
    first, second = plan.steps.all()[:2]
    services.step_update(step=first, owner="", due=first.due, status="done")
    services.step_update(step=second, owner="", due=second.due, status="skipped")

    assert factors(workflow)["migration_plan"]["value"].startswith(
        "to Llama 3.3 70B Instruct, 2 of 6 steps done"
    )
