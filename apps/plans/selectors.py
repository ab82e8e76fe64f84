"""Reads of the plans app. Every selector takes the organization (or an object already scoped by it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from apps.accounts.models import Client, Organization
from apps.benchmarks.models import Run
from apps.benchmarks.ranking import (
    DEFAULT_THRESHOLDS,
    ModelStanding,
    Rejection,
    must_stay_local,
    rank_alternatives,
    thresholds_for_workflow,
)
from apps.benchmarks.selectors import _current_models, latest_runs_by_suite, run_comparison
from apps.inventory.models import AIModel, Dependency, Workflow
from apps.plans import stepgen
from apps.plans.evidence import evidence_warnings, languages_of_cases
from apps.plans.litellm_config import Deployment
from apps.plans.models import (
    AliasChange,
    AliasDeployment,
    AliasFallback,
    MigrationPlan,
    PlanStep,
    RegistryAlias,
    WorkflowAlias,
)
from apps.plans.priority import PriorityInputs, migrate_first_priority, sort_key

# -- plans ----------------------------------------------------------------------------------------


def plan_queryset(*, organization: Organization) -> QuerySet[MigrationPlan]:
    return (
        MigrationPlan.objects.filter(organization=organization)
        .select_related("workflow__client", "target_model__vendor", "organization")
        .prefetch_related("steps")
    )


def plan_list(*, organization: Organization, client: Client | None = None) -> QuerySet[MigrationPlan]:
    plans = plan_queryset(organization=organization)
    if client is not None:
        plans = plans.filter(workflow__client=client)
    return plans


def plan_for(*, organization: Organization, plan_id: int) -> MigrationPlan:
    return get_object_or_404(plan_queryset(organization=organization), pk=plan_id)


def step_for(*, organization: Organization, step_id: int) -> PlanStep:
    return get_object_or_404(
        PlanStep.objects.select_related("plan__workflow", "plan__organization"),
        plan__organization=organization,
        pk=step_id,
    )


def open_plan_for_workflow(*, workflow: Workflow) -> MigrationPlan | None:
    return workflow.migration_plans.filter(status__in=MigrationPlan.OPEN).first()


def latest_plan_for_workflow(*, workflow: Workflow) -> MigrationPlan | None:
    return (
        open_plan_for_workflow(workflow=workflow)
        or workflow.migration_plans.exclude(status=MigrationPlan.Status.DROPPED).first()
    )


def plan_warnings(*, plan: MigrationPlan) -> list[str]:
    return evidence_warnings(plan.evidence, languages_served=plan.languages_served)


def plan_due(plan: MigrationPlan) -> dt.date | None:
    dues = [step.due for step in plan.steps.all() if step.due]
    return max(dues) if dues else None


def plan_document(plan: MigrationPlan) -> dict:
    """One plan as docs/contracts.md's `riskboard.plans/1` shows it."""
    due = plan_due(plan)
    return {
        "workflow": plan.workflow.name,
        "client": plan.workflow.client.name if plan.workflow.client_id else None,
        "status": plan.status,
        "target_model": plan.target_name,
        "target_identifier": plan.target_identifier,
        "evidence": plan.evidence,
        "due": due.isoformat() if due else None,
        "cut_over_at": plan.cut_over_at.isoformat() if plan.cut_over_at else None,
        "warnings": plan_warnings(plan=plan),
        "steps": [
            {
                "title": step.title,
                "kind": step.kind,
                "status": step.status,
                "owner": step.owner or None,
                "due": step.due.isoformat() if step.due else None,
            }
            for step in plan.steps.all()
        ],
    }


# -- choosing a target from benchmark evidence ------------------------------------------------------


@dataclass
class TargetOption:
    standing: ModelStanding
    run: Run
    suite_name: str
    evidence: dict


@dataclass
class TargetOptions:
    must_stay_local: bool
    eligible: list[TargetOption] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)

    @property
    def best(self) -> TargetOption | None:
        return self.eligible[0] if self.eligible else None


def target_options(*, workflow: Workflow) -> TargetOptions:
    """Alternatives from the latest finished run of each suite linked to the workflow, best first.

    Ranked with the exposure factor's thresholds (apps/benchmarks/ranking.py), self-hostable only when
    the workflow's data must stay local, so a regulated workflow is never offered an API-only target.
    """
    local = must_stay_local(data_sensitivity=workflow.data_sensitivity, deployment=workflow.deployment)
    options = TargetOptions(must_stay_local=local)
    suites = list(workflow.bench_suites.prefetch_related("cases"))
    latest = latest_runs_by_suite(suite_ids=[suite.pk for suite in suites])
    ids, names, _display = _current_models(workflow)
    thresholds = thresholds_for_workflow(
        DEFAULT_THRESHOLDS, data_sensitivity=workflow.data_sensitivity, deployment=workflow.deployment
    )
    seen: set[str] = set()
    for suite in suites:
        run = latest.get(suite.pk)
        if run is None:
            continue
        comparison = run_comparison(run=run)
        summaries = {column.standing.identifier: column.summary for column in comparison.columns}
        languages = languages_of_cases([case.vars for case in suite.cases.all()])
        ranking = rank_alternatives(
            comparison.standings, current_ids=ids, current_names=names, thresholds=thresholds
        )
        for standing in ranking.eligible:
            if standing.identifier in seen:
                continue
            seen.add(standing.identifier)
            summary = summaries[standing.identifier]
            options.eligible.append(
                TargetOption(
                    standing=standing,
                    run=run,
                    suite_name=suite.name,
                    evidence={
                        "run": run.pk,
                        "suite": suite.name,
                        "model": standing.identifier,
                        "cases": summary.cases,
                        "pass_rate": summary.pass_rate,
                        "mean_score": summary.mean_score,
                        "latency_ms_p95": summary.latency_ms_p95,
                        "languages": languages,
                    },
                )
            )
        options.rejected.extend(ranking.rejected)
    options.eligible.sort(
        key=lambda option: (
            -(option.standing.pass_rate or 0),
            -(option.standing.mean_score if option.standing.mean_score is not None else -1),
            option.standing.name.lower(),
        )
    )
    return options


def manual_target_models(*, workflow: Workflow) -> QuerySet[AIModel]:
    """Catalog models a person may pick by hand: self-hostable only when the data must stay local."""
    models = AIModel.objects.select_related("vendor").exclude(vendor__slug="unknown")
    if must_stay_local(data_sensitivity=workflow.data_sensitivity, deployment=workflow.deployment):
        models = models.filter(self_hostable=True)
    current = [
        d.model_id for d in workflow.dependencies.all() if d.role == Dependency.Role.PRIMARY and d.model_id
    ]
    return models.exclude(pk__in=current).order_by("vendor__name", "name")


# -- "migrate first" ------------------------------------------------------------------------------


@dataclass
class MigrateFirstRow:
    workflow: Workflow
    plan: MigrationPlan | None
    effort_days: int
    priority: float | None

    @property
    def effort_weeks(self) -> float:
        return round(self.effort_days / 7, 1)


def _remaining_days(plan: MigrationPlan) -> int:
    """Days of the plan's unfinished steps up to and including the cut-over."""
    total = 0
    for step in plan.steps.all():
        if not step.is_finished:
            total += step.duration_days
        if step.kind == PlanStep.Kind.CUTOVER:
            break
    return total


def plans_migrate_first(
    *, organization: Organization, client: Client | None = None, limit: int | None = None
) -> list[MigrateFirstRow]:
    """Open plans and workflows without one, ranked by exposure × monthly spend ÷ effort (priority.py).

    Workflows already cut over (a done plan, or an open one past its cut-over) and workflows without
    any dependency are left out: there is nothing to migrate. Ranked over plain values (one query for
    the workflows, one for their plans), so an agency with thousands of workflows ranks quickly; only
    the rows returned are loaded as objects.
    """
    workflows = Workflow.objects.filter(
        organization=organization, pk__in=Dependency.objects.values("workflow_id")
    )
    if client is not None:
        workflows = workflows.filter(client=client)
    plans: dict[int, list[MigrationPlan]] = {}
    for plan in (
        MigrationPlan.objects.filter(organization=organization)
        .exclude(status=MigrationPlan.Status.DROPPED)
        .prefetch_related("steps")
    ):
        plans.setdefault(plan.workflow_id, []).append(plan)
    behind_alias = set(
        WorkflowAlias.objects.filter(workflow__organization=organization).values_list(
            "workflow_id", flat=True
        )
    )
    default_effort: dict[tuple, int] = {}
    ranked = []
    for pk, name, score, cost, category, difficulty in workflows.values_list(
        "pk", "name", "exposure_score", "monthly_cost", "category", "switching_difficulty"
    ):
        workflow_plans = plans.get(pk, [])
        if any(plan.status == MigrationPlan.Status.DONE or plan.cut_over_at for plan in workflow_plans):
            continue
        plan = next((plan for plan in workflow_plans if plan.is_open), None)
        if plan is not None:
            effort = _remaining_days(plan)
        else:
            key = (category, difficulty, pk in behind_alias)
            if key not in default_effort:
                default_effort[key] = stepgen.days_to_cut_over(
                    stepgen.default_steps(
                        category=category, switching_difficulty=difficulty, behind_alias=key[2]
                    )
                )
            effort = default_effort[key]
        priority = migrate_first_priority(
            PriorityInputs(exposure_score=score, monthly_cost=cost, effort_days=effort)
        )
        ranked.append((sort_key(priority, score, name), pk, plan, effort, priority))
    ranked.sort(key=lambda item: item[0])
    if limit:
        ranked = ranked[:limit]
    objects = Workflow.objects.select_related("client", "organization").in_bulk([item[1] for item in ranked])
    return [
        MigrateFirstRow(workflow=objects[pk], plan=plan, effort_days=effort, priority=priority)
        for _key, pk, plan, effort, priority in ranked
    ]


# -- timeline -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineBar:
    plan_label: str
    step: str
    status: str
    start: dt.date
    end: dt.date
    overdue: bool


def plan_timeline(
    *, organization: Organization, client: Client | None = None, today: dt.date | None = None
) -> list[TimelineBar]:
    """The steps of open and done plans as bars from start to due, in plan order (for charts.py)."""
    today = today or dt.date.today()
    bars = []
    plans = plan_list(organization=organization, client=client).exclude(status=MigrationPlan.Status.DROPPED)
    for plan in plans.order_by("start_date", "pk"):
        label = plan.workflow.name
        if plan.workflow.client_id and client is None:
            label = f"{label} ({plan.workflow.client.name})"
        for step in plan.steps.all():
            if step.due is None or step.status == PlanStep.Status.SKIPPED:
                continue
            start = step.due - dt.timedelta(days=step.duration_days)
            bars.append(
                TimelineBar(
                    plan_label=label,
                    step=step.title,
                    status=step.status,
                    start=start,
                    end=step.due,
                    overdue=step.due < today and not step.is_finished,
                )
            )
    return bars


# -- the registry ---------------------------------------------------------------------------------


def alias_list(*, organization: Organization) -> QuerySet[RegistryAlias]:
    return RegistryAlias.objects.filter(organization=organization).prefetch_related(
        Prefetch("deployments", queryset=AliasDeployment.objects.select_related("catalog_model__vendor")),
        Prefetch("fallbacks", queryset=AliasFallback.objects.select_related("fallback")),
        Prefetch("workflow_links", queryset=WorkflowAlias.objects.select_related("workflow")),
    )


def alias_for(*, organization: Organization, alias_id: int) -> RegistryAlias:
    return get_object_or_404(alias_list(organization=organization), pk=alias_id)


def alias_changes(*, alias: RegistryAlias) -> QuerySet[AliasChange]:
    return alias.changes.select_related("changed_by", "plan")


def alias_environments(*, alias: RegistryAlias) -> list[str]:
    present = {deployment.environment for deployment in alias.deployments.all()}
    return ["production", "staging"] + sorted(present - {"production", "staging"})


def workflow_alias(*, workflow: Workflow) -> WorkflowAlias | None:
    return WorkflowAlias.objects.select_related("alias").filter(workflow=workflow).first()


def registry_config(*, organization: Organization, environment: str) -> tuple[list[Deployment], dict]:
    """The organization's aliases in one environment as a LiteLLM config's entries and fallbacks."""
    deployments = [
        Deployment(
            model_name=row.alias.name,
            model=row.model,
            api_base=row.api_base,
            api_version=row.api_version,
            api_key_env=row.api_key_env,
            rpm=row.rpm,
            tpm=row.tpm,
            extra_params=row.extra_params,
            model_info=row.model_info,
        )
        for row in AliasDeployment.objects.filter(alias__organization=organization, environment=environment)
        .select_related("alias")
        .order_by("alias__name", "position", "id")
    ]
    fallbacks: dict[str, list[str]] = {}
    for row in (
        AliasFallback.objects.filter(alias__organization=organization, environment=environment)
        .select_related("alias", "fallback")
        .order_by("alias__name", "position", "id")
    ):
        fallbacks.setdefault(row.alias.name, []).append(row.fallback.name)
    return deployments, fallbacks


def registry_config_for_bundle(workflow: Workflow) -> dict[str, bytes]:
    """The LiteLLM config a workflow behind an alias runs on, for the workflow's archive bundle.

    The whole organization's mapping per environment: the alias's fallbacks name other aliases, and
    a restore needs them too. Keys appear only as `os.environ/NAME` references, never as secrets.
    """
    from apps.plans.litellm_config import render_config

    link = workflow_alias(workflow=workflow)
    if link is None:
        return {}
    files = {}
    for environment in sorted({deployment.environment for deployment in link.alias.deployments.all()}):
        deployments, fallbacks = registry_config(organization=workflow.organization, environment=environment)
        files[f"litellm/{environment}/config.yaml"] = render_config(deployments, fallbacks).encode()
    return files
