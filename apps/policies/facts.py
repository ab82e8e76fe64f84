"""Workflows as policy subjects: the plain facts evaluation.py judges, read from the database.

Each dependency of a workflow is one subject (workflow, dependency, model and vendor facts); a workflow
without dependencies is one subject with its workflow facts. Other apps add workflow facts through
`register_workflow_facts` (e.g. the archive app: `workflow.verified_archive`; plans: `workflow.plan`),
without this module knowing them:

    register_workflow_facts(
        "archive", provider=verified_archive_facts,  # (workflow ids) -> {workflow id: {fact: value}}
        facts={"workflow.verified_archive": "true when ..."},
    )

Until an app provides `workflow.verified_archive` it is read from the exposure factors stored on the
workflow, so a missing archive capability counts as "no verified archive".
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from apps.inventory.models import Workflow
from apps.inventory.selectors import vendor_risks_for_organization
from apps.policies import evaluation
from apps.policies.findings import UNREVIEWED

WorkflowFactsProvider = Callable[[list[int]], Mapping[int, Mapping[str, Any]]]

_providers: dict[str, WorkflowFactsProvider] = {}


def register_workflow_facts(name: str, *, provider: WorkflowFactsProvider, facts: Mapping[str, str]) -> None:
    """Add (or replace, on a re-import) a provider of workflow facts; `facts` documents each name it sets."""
    evaluation.FACTS.update(facts)
    _providers[name] = provider


def _stored_factor_keys(workflow: Workflow) -> set[str]:
    return {entry.get("key") for entry in workflow.exposure_factors or [] if isinstance(entry, dict)}


def workflow_facts(workflow: Workflow) -> dict[str, Any]:
    factor_keys = _stored_factor_keys(workflow)
    vendors = {d.model.vendor_id for d in workflow.dependencies.all() if d.model_id}
    return {
        "_workflow_id": workflow.pk,
        "workflow.name": workflow.name,
        "workflow.criticality": workflow.criticality,
        "workflow.deployment": workflow.deployment,
        "workflow.data_sensitivity": workflow.data_sensitivity,
        "workflow.switching_difficulty": workflow.switching_difficulty,
        "workflow.exposure_band": workflow.exposure_band,
        "workflow.exposure_score": workflow.exposure_score,
        "workflow.vendor_count": len(vendors),
        "workflow.benchmarked_alternative": "benchmarked_alternative" in factor_keys,
        "workflow.verified_archive": "verified_archive" in factor_keys,
    }


def workflow_subjects(
    *, organization, workflows: Iterable[Workflow], approvals: Mapping[int, str]
) -> list[dict[str, Any]]:
    """Every subject of the given workflows (dependencies, models and vendors prefetched)."""
    workflows = list(workflows)
    risks = vendor_risks_for_organization(organization=organization)
    provided: dict[int, dict[str, Any]] = {}
    for provider in _providers.values():
        for workflow_id, facts in provider([w.pk for w in workflows]).items():
            provided.setdefault(workflow_id, {}).update(facts)
    subjects = []
    for workflow in workflows:
        base = workflow_facts(workflow) | provided.get(workflow.pk, {})
        dependencies = list(workflow.dependencies.all())
        if not dependencies:
            subjects.append(base)
        for dependency in dependencies:
            facts = base | {
                "dependency.role": dependency.role,
                "dependency.via_tool": dependency.via_tool_id is not None,
                "model.identifier": dependency.declared_model,
            }
            model = dependency.model
            if model is not None:
                facts |= {
                    "model.name": model.name,
                    "model.license": model.license,
                    "model.open_weights": model.open_weights,
                    "model.approval": approvals.get(model.pk, UNREVIEWED),
                    "vendor.slug": model.vendor.slug,
                    "vendor.risk": risks[model.vendor_id].level
                    if model.vendor_id in risks
                    else model.vendor.risk_level,
                }
            else:
                facts["model.approval"] = UNREVIEWED
            subjects.append(facts)
    return subjects


def workflows_for_evaluation(workflow_ids: list[int]):
    return (
        Workflow.objects.filter(pk__in=workflow_ids)
        .select_related("organization")
        .prefetch_related("dependencies__model__vendor")
    )
