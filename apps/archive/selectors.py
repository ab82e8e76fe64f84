"""Reads of the archive, always scoped to an organization (or to workflow ids for the exposure factor)."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.accounts.models import Organization
from apps.archive import policy as rules
from apps.archive.models import ArchiveRun, Artifact, Copy, RedundancyPolicy, StorageLocation
from apps.inventory.models import AIModel, Dependency, Workflow


def policy_of(organization_id: int) -> rules.Policy:
    row = RedundancyPolicy.objects.filter(organization_id=organization_id).first()
    if row is None:
        return rules.Policy()
    return rules.Policy(
        min_copies=row.min_copies, min_off_site=row.min_off_site, max_age_days=row.max_age_days
    )


def copy_state(copy: Copy) -> rules.CopyState:
    return rules.CopyState(
        status=copy.status, last_verified_at=copy.last_verified_at, off_site=copy.location.off_site
    )


def location_list(*, organization: Organization) -> QuerySet[StorageLocation]:
    return StorageLocation.objects.filter(organization=organization)


def location_for(*, organization: Organization, location_id: int) -> StorageLocation:
    return get_object_or_404(StorageLocation, organization=organization, pk=location_id)


def artifact_list(*, organization: Organization) -> QuerySet[Artifact]:
    return (
        Artifact.objects.filter(organization=organization)
        .select_related("model__vendor", "workflow")
        .prefetch_related(Prefetch("copies", queryset=Copy.objects.select_related("location")))
        .order_by("kind", "source", "-created_at")
    )


def artifact_for(*, organization: Organization, artifact_id: int) -> Artifact:
    return get_object_or_404(artifact_list(organization=organization), pk=artifact_id)


def run_for(*, organization: Organization, run_id: int) -> ArchiveRun:
    return get_object_or_404(
        ArchiveRun.objects.select_related("artifact", "workflow", "started_by").prefetch_related("locations"),
        organization=organization,
        pk=run_id,
    )


def run_list(*, organization: Organization, limit: int = 10) -> list[ArchiveRun]:
    return list(ArchiveRun.objects.filter(organization=organization).select_related("artifact")[:limit])


def artifact_level(artifact: Artifact, policy: rules.Policy, *, now: datetime | None = None) -> str:
    now = now or timezone.now()
    return rules.coverage_level([copy_state(copy) for copy in artifact.copies.all()], policy, now=now)


@dataclass(frozen=True)
class WorkflowCoverage:
    workflow: Workflow
    level: str  # full | partial | none | n/a
    models: list[tuple[AIModel, str]]  # each open-weight primary model and its level


def _primary_open_models(workflow_ids: list[int]) -> dict[int, list[AIModel]]:
    """Per workflow, its open-weight primary catalog models (all dependencies when none is primary)."""
    rows = Dependency.objects.filter(workflow_id__in=workflow_ids, model__isnull=False).select_related(
        "model"
    )
    by_workflow: dict[int, list[Dependency]] = defaultdict(list)
    for dependency in rows:
        by_workflow[dependency.workflow_id].append(dependency)
    result = {}
    for workflow_id, dependencies in by_workflow.items():
        primaries = [d for d in dependencies if d.role == Dependency.Role.PRIMARY] or dependencies
        models = {d.model_id: d.model for d in primaries if d.model.open_weights}
        result[workflow_id] = sorted(models.values(), key=lambda model: model.name)
    return result


def model_levels(
    *, organization_ids: Iterable[int], now: datetime | None = None
) -> dict[tuple[int, int], str]:
    """(organization id, model id) → how well that model's weights are archived (best artifact)."""
    now = now or timezone.now()
    levels: dict[tuple[int, int], list[str]] = defaultdict(list)
    policies: dict[int, rules.Policy] = {}
    artifacts = (
        Artifact.objects.filter(organization_id__in=set(organization_ids), model__isnull=False)
        .exclude(kind=Artifact.Kind.BUNDLE)
        .prefetch_related(Prefetch("copies", queryset=Copy.objects.select_related("location")))
    )
    for artifact in artifacts:
        policy = policies.setdefault(artifact.organization_id, policy_of(artifact.organization_id))
        levels[(artifact.organization_id, artifact.model_id)].append(
            artifact_level(artifact, policy, now=now)
        )
    return {key: rules.best_level(found) for key, found in levels.items()}


def archive_levels_by_workflow(workflow_ids: Iterable[int], *, now: datetime | None = None) -> dict[int, str]:
    """Workflow id → full | partial | none | n/a (see policy.py)."""
    workflow_ids = list(workflow_ids)
    organization_of = dict(Workflow.objects.filter(pk__in=workflow_ids).values_list("pk", "organization_id"))
    models_of = _primary_open_models(workflow_ids)
    levels = model_levels(organization_ids=set(organization_of.values()), now=now)
    return {
        workflow_id: rules.workflow_level(
            levels.get((organization_of[workflow_id], model.pk), rules.NONE)
            for model in models_of.get(workflow_id, [])
        )
        for workflow_id in workflow_ids
    }


def coverage_for_organization(
    *, organization: Organization, now: datetime | None = None
) -> list[WorkflowCoverage]:
    """Every workflow with its archive coverage, the least covered and most exposed first."""
    now = now or timezone.now()
    workflows = list(Workflow.objects.filter(organization=organization).select_related("client"))
    models_of = _primary_open_models([workflow.pk for workflow in workflows])
    levels = model_levels(organization_ids=[organization.pk], now=now)
    rows = []
    for workflow in workflows:
        models = [
            (model, levels.get((organization.pk, model.pk), rules.NONE))
            for model in models_of.get(workflow.pk, [])
        ]
        rows.append(WorkflowCoverage(workflow, rules.workflow_level(level for _, level in models), models))
    order = {rules.NONE: 0, rules.PARTIAL: 1, rules.FULL: 2, rules.NOT_APPLICABLE: 3}
    rows.sort(key=lambda row: (order[row.level], -row.workflow.exposure_score, row.workflow.name))
    return rows


def workflow_coverage(*, workflow: Workflow, now: datetime | None = None) -> WorkflowCoverage:
    levels = model_levels(organization_ids=[workflow.organization_id], now=now)
    models = [
        (model, levels.get((workflow.organization_id, model.pk), rules.NONE))
        for model in _primary_open_models([workflow.pk]).get(workflow.pk, [])
    ]
    return WorkflowCoverage(workflow, rules.workflow_level(level for _, level in models), models)


def hf_repo_for_model(model: AIModel) -> str:
    """The model's Hugging Face repository as the catalog spells it (aliases are stored lower-cased)."""
    from apps.inventory.catalog_data import MODELS

    for spec in MODELS:
        if spec[0] == model.slug:
            for alias in spec[-1]:
                if "/" in alias and ":" not in alias:
                    return alias
    alias = model.aliases.filter(kind="hf").values_list("alias", flat=True).first()
    return alias or ""


def verifications_for(*, artifact: Artifact, limit: int = 20) -> list:
    from apps.archive.models import Verification

    return list(Verification.objects.filter(copy__artifact=artifact).select_related("copy__location")[:limit])
