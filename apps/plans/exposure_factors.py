"""The exposure factors of the plans app, one registry entry each (apps/exposure/factors.py).

| factor                  | points | applies when |
|-------------------------|--------|--------------|
| migration plan          | −5     | the workflow has a plan in progress (a step has moved) that has not cut over yet |
| cut-over completed      | −8     | a plan (not dropped) swapped the workflow's alias to its target |
| registry abstraction    | −6     | the workflow calls a registry alias whose production mapping falls back on a model of another vendor than its deployments |

A draft plan counts for nothing: a plan nobody has started is not mitigation. The cut-over replaces
the plan credit (it is larger because the switch has been made and the old model is a rollback away).
The abstraction credit is the article's third practice: the swap is one config change, and a
fallback elsewhere already takes the traffic when the vendor fails. Plans and registry services
refresh the workflows they touch synchronously, in the same transaction as the change.
"""

from __future__ import annotations

from collections.abc import Iterable

from apps.exposure.factors import FactorDefinition

MIGRATION_PLAN = "migration_plan"
MIGRATION_CUT_OVER = "migration_cut_over"
REGISTRY_ABSTRACTION = "registry_abstraction"
MIGRATION_PLAN_POINTS = -5
MIGRATION_CUT_OVER_POINTS = -8
REGISTRY_ABSTRACTION_POINTS = -6


def plans_in_progress(workflow_ids: Iterable[int]) -> dict[int, str]:
    """Provider: {workflow id: "to <target>, N of M steps done, due <date>"} for plans in progress."""
    from apps.plans.models import MigrationPlan, PlanStep

    found = {}
    plans = (
        MigrationPlan.objects.filter(
            workflow_id__in=list(workflow_ids),
            status=MigrationPlan.Status.IN_PROGRESS,
            cut_over_at__isnull=True,
        )
        .select_related("target_model")
        .prefetch_related("steps")
    )
    for plan in plans:
        steps = list(plan.steps.all())
        done = sum(step.status in PlanStep.FINISHED for step in steps)
        dues = [step.due for step in steps if step.due]
        due = f", due {max(dues):%Y-%m-%d}" if dues else ""
        found[plan.workflow_id] = f"to {plan.target_name}, {done} of {len(steps)} steps done{due}"
    return found


def plans_cut_over(workflow_ids: Iterable[int]) -> dict[int, str]:
    """Provider: {workflow id: "now on <target> since <date>"} for the latest plan that cut over."""
    from apps.plans.models import MigrationPlan

    found: dict[int, str] = {}
    plans = (
        MigrationPlan.objects.filter(workflow_id__in=list(workflow_ids), cut_over_at__isnull=False)
        .exclude(status=MigrationPlan.Status.DROPPED)
        .select_related("target_model")
        .order_by("workflow_id", "-cut_over_at")
    )
    for plan in plans:
        found.setdefault(plan.workflow_id, f"now on {plan.target_name} since {plan.cut_over_at:%Y-%m-%d}")
    return found


def abstracted_workflows(workflow_ids: Iterable[int]) -> dict[int, str]:
    """Provider: {workflow id: "alias drafts, falls back on OpenAI (GPT-4o mini)"} (production mapping)."""
    from apps.plans.models import AliasDeployment, AliasFallback, WorkflowAlias

    links = list(WorkflowAlias.objects.filter(workflow_id__in=list(workflow_ids)).select_related("alias"))
    if not links:
        return {}
    alias_ids = {link.alias_id for link in links}
    fallbacks: dict[int, list[int]] = {}
    for row in AliasFallback.objects.filter(alias_id__in=alias_ids, environment="production").order_by(
        "position", "id"
    ):
        fallbacks.setdefault(row.alias_id, []).append(row.fallback_id)
    wanted = alias_ids | {fallback for ids in fallbacks.values() for fallback in ids}
    models: dict[int, list[tuple[int, str, str]]] = {}
    for deployment in AliasDeployment.objects.filter(
        alias_id__in=wanted, environment="production", catalog_model__isnull=False
    ).select_related("catalog_model__vendor"):
        model = deployment.catalog_model
        models.setdefault(deployment.alias_id, []).append((model.vendor_id, model.vendor.name, model.name))
    found = {}
    for link in links:
        primary_vendors = {vendor_id for vendor_id, _, _ in models.get(link.alias_id, [])}
        if not primary_vendors:
            continue
        elsewhere = [
            (vendor_name, model_name)
            for fallback_id in fallbacks.get(link.alias_id, [])
            for vendor_id, vendor_name, model_name in models.get(fallback_id, [])
            if vendor_id not in primary_vendors
        ]
        if elsewhere:
            vendor_name, model_name = elsewhere[0]
            found[link.workflow_id] = f"alias {link.alias.name}, falls back on {vendor_name} ({model_name})"
    return found


def _applies(key: str, points: float):
    return lambda inputs: (inputs.provided[key], points) if inputs.provided.get(key) else None


DEFINITIONS = (
    FactorDefinition(
        key=MIGRATION_PLAN,
        label="Migration plan in progress",
        order=110,
        points=str(MIGRATION_PLAN_POINTS),
        why="The switch is being rehearsed: a target, owners and dates exist.",
        evaluate=_applies(MIGRATION_PLAN, MIGRATION_PLAN_POINTS),
        provider=plans_in_progress,
        refreshed_when="a plan starts, a step moves, or the plan is dropped or cut over",
    ),
    FactorDefinition(
        key=MIGRATION_CUT_OVER,
        label="Cut-over completed",
        order=111,
        points=str(MIGRATION_CUT_OVER_POINTS),
        why="The workflow already runs on the plan's target; the old model is a rollback away.",
        evaluate=_applies(MIGRATION_CUT_OVER, MIGRATION_CUT_OVER_POINTS),
        provider=plans_cut_over,
        refreshed_when="a plan's cut-over swaps the alias, or the plan is dropped",
    ),
    FactorDefinition(
        key=REGISTRY_ABSTRACTION,
        label="Behind a registry alias with a fallback elsewhere",
        order=112,
        points=str(REGISTRY_ABSTRACTION_POINTS),
        why="A swap is one config change, and a fallback on another vendor takes over if this one fails.",
        evaluate=_applies(REGISTRY_ABSTRACTION, REGISTRY_ABSTRACTION_POINTS),
        provider=abstracted_workflows,
        refreshed_when="the workflow is put behind an alias, or a production mapping or fallback changes",
    ),
)
