"""Objects of the plans app for tests, built through the real services."""

from apps.plans import services
from apps.plans.models import MigrationPlan
from tests.factories import workflow_with


def make_plan(organization, *, name=None, target="llama3.3:70b", **fields) -> MigrationPlan:
    workflow = workflow_with(
        organization=organization,
        name=name or f"Blog drafts of {organization.slug}",
        models=["qwen2.5:7b"],
        **fields,
    )
    return services.plan_create(workflow=workflow, target_identifier=target)


def make_alias(organization, *, name="drafts", model="ollama/qwen2.5:7b", fallbacks=()):
    alias = services.alias_create(organization=organization, name=name)
    services.alias_set_mapping(
        alias=alias,
        environment="production",
        deployments=[services.DeploymentSpec(model=model, api_base="http://gpu-1:11434")],
        fallbacks=list(fallbacks),
        reason="set up in a test",
    )
    return alias
