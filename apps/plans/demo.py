"""Demo plans and registry: the article's abstraction layer and a migration under way.

Northwind's localisation workflow is put behind a `localisation` alias (two load-balanced GPU
deployments, a fallback on OpenAI: the abstraction credit) and gets a plan to the best eligible
alternative of its benchmark run, started. Idempotent: an organization with a plan is left alone.
"""

from django.db import transaction

from apps.accounts.models import Organization
from apps.inventory.models import Workflow
from apps.plans import services
from apps.plans.models import MigrationPlan, PlanStep, RegistryAlias
from apps.plans.selectors import target_options


@transaction.atomic
def seed_plans(organizations: dict[str, Organization]) -> None:
    organization = organizations.get("northwind")
    if organization is None or MigrationPlan.objects.filter(organization=organization).exists():
        return
    workflow = Workflow.objects.filter(
        organization=organization, name="Weekly blog and docs localisation"
    ).first()
    if workflow is None:
        return
    fallback = RegistryAlias.objects.filter(organization=organization, name="localisation-fallback").first()
    if fallback is None:
        fallback = services.alias_create(
            organization=organization,
            name="localisation-fallback",
            description="Commercial API when our GPUs fail",
        )
        services.alias_set_mapping(
            alias=fallback,
            environment="production",
            deployments=[services.DeploymentSpec(model="openai/gpt-4o-mini", api_key_env="OPENAI_API_KEY")],
            fallbacks=[],
            reason="Budgeted fallback on another vendor",
        )
    alias = RegistryAlias.objects.filter(organization=organization, name="localisation").first()
    if alias is None:
        alias = services.alias_create(
            organization=organization, name="localisation", description="Blog, docs and email translation"
        )
        services.alias_set_mapping(
            alias=alias,
            environment="production",
            deployments=[
                services.DeploymentSpec(
                    model="ollama/qwen-mt", api_base="http://gpu-1.internal:11434", rpm=120
                ),
                services.DeploymentSpec(
                    model="ollama/qwen-mt", api_base="http://gpu-2.internal:11434", rpm=120
                ),
            ],
            fallbacks=[fallback],
            reason="Localisation calls the alias instead of the model",
        )
    services.workflow_put_behind_alias(workflow=workflow, alias=alias)
    best = target_options(workflow=workflow).best
    if best is None:
        return
    plan = services.plan_create(
        workflow=workflow,
        target_identifier=best.standing.identifier,
        evidence=best.evidence,
        languages_served=12,
        notes="If Qwen-MT stalls: parallel-test the alternative on our own strings first (the article's scenario 1).",
    )
    archive = plan.steps.get(kind=PlanStep.Kind.ARCHIVE)
    services.step_update(step=archive, owner="Ines Duarte", due=archive.due, status=PlanStep.Status.DONE)
