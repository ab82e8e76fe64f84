"""Writes of the plans app: the model registry (aliases, mappings, imports) and migration plans."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from apps.accounts.models import Organization
from apps.benchmarks.ranking import must_stay_local
from apps.exposure.services import exposure_refresh
from apps.inventory.matching import match_model_id
from apps.inventory.models import AIModel, Dependency, Workflow
from apps.inventory.selectors import catalog_alias_index, model_for_identifier
from apps.inventory.services import DependencySpec, dependencies_sync
from apps.plans import stepgen
from apps.plans.litellm_config import ConfigError, ParsedConfig
from apps.plans.models import (
    AliasChange,
    AliasDeployment,
    AliasFallback,
    MigrationPlan,
    PlanStep,
    RegistryAlias,
    WorkflowAlias,
)

PRODUCTION = "production"

# -- the registry ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeploymentSpec:
    model: str
    api_base: str = ""
    api_version: str = ""
    api_key_env: str = ""
    rpm: int | None = None
    tpm: int | None = None
    extra_params: dict = field(default_factory=dict)
    model_info: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def deployment_spec(deployment: AliasDeployment) -> DeploymentSpec:
    return DeploymentSpec(
        model=deployment.model,
        api_base=deployment.api_base,
        api_version=deployment.api_version,
        api_key_env=deployment.api_key_env,
        rpm=deployment.rpm,
        tpm=deployment.tpm,
        extra_params=deployment.extra_params,
        model_info=deployment.model_info,
    )


def alias_mapping(*, alias: RegistryAlias, environment: str) -> dict:
    """The alias's mapping in one environment as plain data (what history stores and compares)."""
    return {
        "deployments": [
            deployment_spec(deployment).as_dict()
            for deployment in alias.deployments.filter(environment=environment).order_by("position", "id")
        ],
        "fallbacks": list(
            alias.fallbacks.filter(environment=environment)
            .order_by("position", "id")
            .values_list("fallback__name", flat=True)
        ),
    }


@transaction.atomic
def alias_create(*, organization: Organization, name: str, description: str = "") -> RegistryAlias:
    alias = RegistryAlias(organization=organization, name=name.strip(), description=description.strip())
    alias.full_clean()
    alias.save()
    return alias


@transaction.atomic
def alias_set_mapping(
    *,
    alias: RegistryAlias,
    environment: str,
    deployments: list[DeploymentSpec],
    fallbacks: list[RegistryAlias],
    user: AbstractBaseUser | None = None,
    reason: str = "",
    source: str = AliasChange.Source.UI,
    plan: MigrationPlan | None = None,
    index: dict[str, int] | None = None,
    refresh: bool = True,
) -> AliasChange | None:
    """Replace the alias's mapping in `environment`; record who, when and why. None when nothing changed.

    A production change moves every workflow behind the alias (and behind an alias that falls back on
    it): their direct dependencies follow the mapping and their exposure is refreshed.
    """
    for fallback in fallbacks:
        if fallback.organization_id != alias.organization_id:
            raise ValidationError({"fallbacks": "A fallback alias belongs to another organization."})
        if fallback.pk == alias.pk:
            raise ValidationError({"fallbacks": f"{alias.name} cannot fall back on itself."})
    before = alias_mapping(alias=alias, environment=environment)
    ordered_fallbacks = list(dict.fromkeys(fallbacks))
    after = {
        "deployments": [spec.as_dict() for spec in deployments],
        "fallbacks": [fallback.name for fallback in ordered_fallbacks],
    }
    if before == after:
        return None
    index = index if index is not None else catalog_alias_index()
    alias.deployments.filter(environment=environment).delete()
    alias.fallbacks.filter(environment=environment).delete()
    for position, spec in enumerate(deployments):
        deployment = AliasDeployment(
            alias=alias,
            environment=environment,
            position=position,
            catalog_model_id=match_model_id(spec.model, index),
            **spec.as_dict(),
        )
        deployment.full_clean()
        deployment.save()
    for position, fallback in enumerate(ordered_fallbacks):
        row = AliasFallback(alias=alias, environment=environment, position=position, fallback=fallback)
        row.full_clean()
        row.save()
    change = AliasChange(
        alias=alias,
        environment=environment,
        source=source,
        reason=reason.strip(),
        before=before,
        after=after,
        plan=plan,
        changed_by=user,
    )
    change.full_clean()
    change.save()
    if environment == PRODUCTION and refresh:
        _workflows_follow_aliases(aliases=[alias], user=user, index=index)
    return change


def _affected_workflows(aliases: Iterable[RegistryAlias]) -> list[Workflow]:
    alias_ids = {alias.pk for alias in aliases}
    alias_ids |= set(
        AliasFallback.objects.filter(environment=PRODUCTION, fallback_id__in=alias_ids).values_list(
            "alias_id", flat=True
        )
    )
    return list(
        Workflow.objects.filter(registry_link__alias_id__in=alias_ids).prefetch_related("dependencies__model")
    )


def _workflows_follow_aliases(
    *, aliases: Iterable[RegistryAlias], user: AbstractBaseUser | None, index: dict[str, int]
) -> None:
    workflows = _affected_workflows(aliases)
    for workflow in workflows:
        workflow_follow_alias(workflow=workflow, user=user, index=index, refresh=False)
    if workflows:
        exposure_refresh(workflow_ids=[workflow.pk for workflow in workflows])


def workflow_follow_alias(
    *,
    workflow: Workflow,
    user: AbstractBaseUser | None = None,
    index: dict[str, int] | None = None,
    refresh: bool = True,
) -> None:
    """Make the workflow's direct dependencies what its alias maps to in production.

    Primary = the alias's deployments; fallback = the deployments of its fallback aliases. Dependencies
    through a third-party tool are left alone. A dependency already naming the same catalog model in
    the same role keeps its name (and history). An alias with no production deployment changes nothing.
    """
    link = WorkflowAlias.objects.select_related("alias").filter(workflow=workflow).first()
    if link is None:
        return
    deployments = list(link.alias.deployments.filter(environment=PRODUCTION).order_by("position", "id"))
    if not deployments:
        return
    index = index if index is not None else catalog_alias_index()
    fallback_models = [
        deployment.model
        for fallback in link.alias.fallbacks.filter(environment=PRODUCTION)
        .select_related("fallback")
        .order_by("position", "id")
        for deployment in fallback.fallback.deployments.filter(environment=PRODUCTION).order_by(
            "position", "id"
        )
    ]
    existing = list(workflow.dependencies.all())
    by_model_role = {
        (dependency.model_id, dependency.role): dependency.declared_model
        for dependency in existing
        if dependency.model_id and dependency.via_tool_id is None
    }

    def spec(model: str, role: str) -> DependencySpec:
        model_id = match_model_id(model, index)
        declared = by_model_role.get((model_id, role), model) if model_id else model
        return DependencySpec(declared_model=declared, role=role, notes="")

    specs = [spec(deployment.model, Dependency.Role.PRIMARY) for deployment in deployments]
    primary_keys = {item.key for item in specs}
    specs += [
        item
        for item in (spec(model, Dependency.Role.FALLBACK) for model in fallback_models)
        if item.key not in primary_keys
    ]
    specs += [
        DependencySpec(
            declared_model=dependency.declared_model,
            via_tool=dependency.via_tool,
            role=dependency.role,
            notes=dependency.notes,
        )
        for dependency in existing
        if dependency.via_tool_id
    ]
    dependencies_sync(workflow=workflow, specs=specs, user=user, index=index, remove_missing=True)
    if refresh:
        exposure_refresh(workflow_ids=[workflow.pk])


def _unique_alias_name(organization: Organization, base: str) -> str:
    base = (slugify(base) or "workflow")[:90]
    name, number = base, 2
    while RegistryAlias.objects.filter(organization=organization, name=name).exists():
        name, number = f"{base}-{number}", number + 1
    return name


@transaction.atomic
def workflow_put_behind_alias(
    *,
    workflow: Workflow,
    alias: RegistryAlias | None = None,
    new_alias_name: str = "",
    user: AbstractBaseUser | None = None,
) -> RegistryAlias:
    """Point the workflow at an alias (an existing one, or a new one mapped to what it uses today).

    A new alias (or one without a production mapping) gets the workflow's direct primary models as
    deployments, and its direct fallbacks behind a `<alias>-fallback` alias. An alias that already maps
    somewhere moves the workflow there. The open plan's "registry alias" step is marked done.
    """
    organization = workflow.organization
    if alias is None:
        alias = alias_create(
            organization=organization,
            name=new_alias_name.strip() or _unique_alias_name(organization, workflow.name),
            description=f"Created for {workflow.name}",
        )
    elif alias.organization_id != organization.pk:
        raise ValidationError({"alias": "This alias belongs to another organization."})
    WorkflowAlias.objects.update_or_create(workflow=workflow, defaults={"alias": alias})
    index = catalog_alias_index()
    if not alias.deployments.filter(environment=PRODUCTION).exists():
        direct = [dependency for dependency in workflow.dependencies.all() if dependency.via_tool_id is None]
        primaries = [
            DeploymentSpec(model=d.declared_model) for d in direct if d.role == Dependency.Role.PRIMARY
        ]
        fallbacks = [
            DeploymentSpec(model=d.declared_model) for d in direct if d.role == Dependency.Role.FALLBACK
        ]
        if not primaries:
            raise ValidationError(
                "The workflow has no direct model to map the alias to: add its model first."
            )
        fallback_aliases = []
        if fallbacks:
            fallback_alias = RegistryAlias.objects.filter(
                organization=organization, name=f"{alias.name}-fallback"
            ).first()
            fallback_alias = fallback_alias or alias_create(
                organization=organization,
                name=f"{alias.name}-fallback",
                description=f"Fallback of {alias.name}",
            )
            alias_set_mapping(
                alias=fallback_alias,
                environment=PRODUCTION,
                deployments=fallbacks,
                fallbacks=[],
                user=user,
                reason=f"Fallbacks of {workflow.name}",
                index=index,
                refresh=False,
            )
            fallback_aliases.append(fallback_alias)
        alias_set_mapping(
            alias=alias,
            environment=PRODUCTION,
            deployments=primaries,
            fallbacks=fallback_aliases,
            user=user,
            reason=f"{workflow.name} put behind the alias",
            index=index,
            refresh=False,
        )
    workflow_follow_alias(workflow=workflow, user=user, index=index, refresh=False)
    for plan in workflow.migration_plans.filter(status__in=MigrationPlan.OPEN):
        plan.steps.filter(kind=PlanStep.Kind.ALIAS).exclude(status__in=PlanStep.FINISHED).update(
            status=PlanStep.Status.DONE, completed_at=timezone.now()
        )
        _plan_progress(plan=plan)
    exposure_refresh(workflow_ids=[workflow.pk])
    return alias


@dataclass
class RegistryImportResult:
    aliases_created: int = 0
    aliases_updated: int = 0
    deployments: int = 0
    unmatched_models: list[str] = field(default_factory=list)


@transaction.atomic
def registry_import(
    *,
    organization: Organization,
    config: ParsedConfig,
    environment: str = PRODUCTION,
    user: AbstractBaseUser | None = None,
    reason: str = "",
) -> RegistryImportResult:
    """Every alias of the config gets exactly the file's mapping in `environment` (others are untouched).

    The config is already checked (litellm_config.parse_config); a fallback naming an alias that is
    neither in the file nor in the organization fails the whole import.
    """
    result = RegistryImportResult()
    index = catalog_alias_index()
    existing = {alias.name: alias for alias in RegistryAlias.objects.filter(organization=organization)}
    unknown = [
        {
            "where": f"router_settings.fallbacks.{name}[{position}]",
            "message": f"{target!r} is neither a model_name in the file nor an alias of {organization.slug}",
        }
        for name, targets in config.fallbacks.items()
        for position, target in enumerate(targets)
        if target not in existing and target not in config.aliases
    ]
    if unknown:
        raise ConfigError(unknown)
    aliases: dict[str, RegistryAlias] = {}
    for name in config.aliases:
        alias = existing.get(name)
        if alias is None:
            alias = alias_create(organization=organization, name=name)
            result.aliases_created += 1
        aliases[name] = alias
    for name in config.fallbacks:
        aliases.setdefault(name, existing.get(name))
    changed = []
    for name, alias in aliases.items():
        specs = [
            DeploymentSpec(
                model=deployment.model,
                api_base=deployment.api_base,
                api_version=deployment.api_version,
                api_key_env=deployment.api_key_env,
                rpm=deployment.rpm,
                tpm=deployment.tpm,
                extra_params=deployment.extra_params,
                model_info=deployment.model_info,
            )
            for deployment in config.deployments
            if deployment.model_name == name
        ]
        fallback_aliases = [
            aliases.get(target) or existing[target] for target in config.fallbacks.get(name, [])
        ]
        change = alias_set_mapping(
            alias=alias,
            environment=environment,
            deployments=specs,
            fallbacks=fallback_aliases,
            user=user,
            reason=reason or "Imported from a LiteLLM config",
            source=AliasChange.Source.IMPORT,
            index=index,
            refresh=False,
        )
        if change is not None:
            changed.append(alias)
            if change.before["deployments"] or change.before["fallbacks"]:
                result.aliases_updated += 1
    result.deployments = len(config.deployments)
    unmatched = {d.model for d in config.deployments if match_model_id(d.model, index) is None}
    result.unmatched_models = sorted(unmatched)
    if environment == PRODUCTION and changed:
        _workflows_follow_aliases(aliases=changed, user=user, index=index)
    return result


# -- migration plans ------------------------------------------------------------------------------


def _check_target(workflow: Workflow, target_model: AIModel | None, target_identifier: str) -> None:
    if not target_identifier.strip():
        raise ValidationError({"target_identifier": "Name the model the registry will point to."})
    if target_model is None:
        return
    if must_stay_local(data_sensitivity=workflow.data_sensitivity, deployment=workflow.deployment) and not (
        target_model.self_hostable
    ):
        raise ValidationError(
            {
                "target_model": f"{target_model.name} is not self-hostable, and this workflow's data must stay "
                "local: choose a model you can run on your own hardware."
            }
        )
    current = {
        d.model_id for d in workflow.dependencies.all() if d.role == Dependency.Role.PRIMARY and d.model_id
    }
    if target_model.pk in current:
        raise ValidationError({"target_model": f"{workflow.name} already runs on {target_model.name}."})


@transaction.atomic
def plan_create(
    *,
    workflow: Workflow,
    target_identifier: str,
    target_model: AIModel | None = None,
    evidence: dict | None = None,
    languages_served: int | None = None,
    start_date: dt.date | None = None,
    notes: str = "",
    user: AbstractBaseUser | None = None,
) -> MigrationPlan:
    """A plan with the default steps for the workflow's category and difficulty (apps/plans/stepgen.py)."""
    if target_model is None:
        target_model = model_for_identifier(target_identifier)
    _check_target(workflow, target_model, target_identifier)
    if workflow.migration_plans.filter(status__in=MigrationPlan.OPEN).exists():
        raise ValidationError(f"{workflow.name} already has an open migration plan.")
    start = start_date or timezone.localdate()
    plan = MigrationPlan(
        organization=workflow.organization,
        workflow=workflow,
        target_model=target_model,
        target_identifier=target_identifier.strip(),
        evidence=evidence,
        languages_served=languages_served,
        start_date=start,
        notes=notes,
        created_by=user,
    )
    plan.full_clean()
    plan.save()
    primaries = [d for d in workflow.dependencies.all() if d.role == Dependency.Role.PRIMARY]
    specs = stepgen.default_steps(
        category=workflow.category,
        switching_difficulty=workflow.switching_difficulty,
        current_api_only=bool(primaries) and all(d.model_id and not d.model.open_weights for d in primaries),
        behind_alias=WorkflowAlias.objects.filter(workflow=workflow).exists(),
        target_name=plan.target_name,
        has_suite=workflow.bench_suites.exists(),
    )
    dues = stepgen.schedule(specs, start)
    PlanStep.objects.bulk_create(
        PlanStep(
            plan=plan,
            position=position,
            kind=spec.kind,
            title=spec.title,
            detail=spec.detail,
            duration_days=spec.duration_days,
            due=due,
            status=PlanStep.Status.SKIPPED if spec.skipped else PlanStep.Status.TODO,
            owner=workflow.owner,
        )
        for position, (spec, due) in enumerate(zip(specs, dues, strict=True))
    )
    exposure_refresh(workflow_ids=[workflow.pk])
    return plan


def _plan_progress(*, plan: MigrationPlan) -> None:
    """Draft → in progress once a step moves; in progress → done once every step is finished."""
    statuses = set(plan.steps.values_list("status", flat=True))
    now = timezone.now()
    if plan.status == MigrationPlan.Status.DRAFT and statuses & {
        PlanStep.Status.IN_PROGRESS,
        PlanStep.Status.DONE,
    }:
        plan.status = MigrationPlan.Status.IN_PROGRESS
    if plan.status in MigrationPlan.OPEN and statuses <= set(PlanStep.FINISHED) and plan.cut_over_at:
        plan.status = MigrationPlan.Status.DONE
        plan.completed_at = now
    plan.save(update_fields=["status", "completed_at", "updated_at"])


@transaction.atomic
def step_update(
    *,
    step: PlanStep,
    owner: str,
    due: dt.date | None,
    status: str,
    user: AbstractBaseUser | None = None,
) -> PlanStep:
    plan = step.plan
    if not plan.is_open:
        raise ValidationError(
            f"This plan is {plan.get_status_display().lower()}: its steps no longer change."
        )
    if status == PlanStep.Status.DONE and step.status != PlanStep.Status.DONE:
        if step.kind == PlanStep.Kind.CUTOVER:
            raise ValidationError({"status": "Use “Cut over” to finish this step: it swaps the alias."})
        if (
            step.kind == PlanStep.Kind.ALIAS
            and not WorkflowAlias.objects.filter(workflow=plan.workflow).exists()
        ):
            raise ValidationError(
                {"status": "Put the workflow behind an alias first (the button below the step)."}
            )
    if step.kind == PlanStep.Kind.CUTOVER and step.status == PlanStep.Status.DONE and status != step.status:
        raise ValidationError(
            {"status": "The cut-over is done; swap the alias back in the registry to roll back."}
        )
    moved = status != step.status or due != step.due
    step.owner = owner.strip()
    step.due = due
    if status != step.status:
        step.completed_at = timezone.now() if status in PlanStep.FINISHED else None
    step.status = status
    step.full_clean()
    step.save()
    _plan_progress(plan=plan)
    if moved:  # the plan factor's "why" names the steps done and the due date
        exposure_refresh(workflow_ids=[plan.workflow_id])
    return step


@transaction.atomic
def plan_set_status(
    *, plan: MigrationPlan, status: str, user: AbstractBaseUser | None = None
) -> MigrationPlan:
    allowed = {
        MigrationPlan.Status.DRAFT: {MigrationPlan.Status.IN_PROGRESS, MigrationPlan.Status.DROPPED},
        MigrationPlan.Status.IN_PROGRESS: {MigrationPlan.Status.DROPPED},
    }
    if status not in allowed.get(plan.status, set()):
        raise ValidationError(
            f"A {plan.get_status_display().lower()} plan cannot become "
            f"{MigrationPlan.Status(status).label.lower() if status in MigrationPlan.Status.values else status!r}."
        )
    plan.status = status
    plan.full_clean()
    plan.save()
    exposure_refresh(workflow_ids=[plan.workflow_id])
    return plan


LOCAL_RUNTIMES = frozenset({"ollama", "ollama_chat", "hosted_vllm", "vllm", "lm_studio"})


def _provider(model: str) -> str:
    return model.split("/", 1)[0] if "/" in model else ""


@transaction.atomic
def plan_cut_over(
    *, plan: MigrationPlan, user: AbstractBaseUser | None = None, reason: str = ""
) -> AliasChange:
    """The cut-over step: the workflow's production alias now points at the plan's target.

    A deployment on the same provider as today's keeps its api_base and key reference; fallbacks stay.
    Every workflow behind the alias moves with it (that is what an alias is for).
    """
    if not plan.is_open:
        raise ValidationError(f"This plan is {plan.get_status_display().lower()}.")
    link = WorkflowAlias.objects.select_related("alias").filter(workflow=plan.workflow).first()
    if link is None:
        raise ValidationError(
            "Put the workflow behind a registry alias first: the cut-over swaps that alias."
        )
    alias = link.alias
    current = alias_mapping(alias=alias, environment=PRODUCTION)
    target = plan.target_identifier
    first = current["deployments"][0] if current["deployments"] else None
    self_hostable = plan.target_model is None or plan.target_model.self_hostable
    if first and "/" not in target and _provider(first["model"]) in LOCAL_RUNTIMES and self_hostable:
        # A bare tag (llama3.3:70b) served by the same local runtime as today's model.
        target = f"{_provider(first['model'])}/{target}"
    carried = next(
        (
            deployment
            for deployment in current["deployments"]
            if _provider(deployment["model"]) and _provider(deployment["model"]) == _provider(target)
        ),
        None,
    )
    spec = DeploymentSpec(
        model=target,
        api_base=carried["api_base"] if carried else "",
        api_version=carried["api_version"] if carried else "",
        api_key_env=carried["api_key_env"] if carried else "",
    )
    fallbacks = [
        row.fallback for row in alias.fallbacks.filter(environment=PRODUCTION).select_related("fallback")
    ]
    change = alias_set_mapping(
        alias=alias,
        environment=PRODUCTION,
        deployments=[spec],
        fallbacks=fallbacks,
        user=user,
        reason=reason.strip()
        or f"Cut-over of the migration plan for {plan.workflow.name} to {plan.target_name}",
        source=AliasChange.Source.CUTOVER,
        plan=plan,
        refresh=False,
    )
    if change is None:
        raise ValidationError(f"{alias.name} already points at {target}.")
    now = timezone.now()
    plan.steps.filter(kind=PlanStep.Kind.CUTOVER).update(status=PlanStep.Status.DONE, completed_at=now)
    plan.cut_over_at = now
    if plan.status == MigrationPlan.Status.DRAFT:
        plan.status = MigrationPlan.Status.IN_PROGRESS
    plan.save(update_fields=["cut_over_at", "status", "updated_at"])
    _plan_progress(plan=plan)
    _workflows_follow_aliases(aliases=[alias], user=user, index=catalog_alias_index())
    exposure_refresh(workflow_ids=[plan.workflow_id])
    return change
