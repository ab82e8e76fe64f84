from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone

from apps.exposure.factors import factor, provided_inputs_for
from apps.exposure.scoring import ExposureInputs, exposure_score
from apps.inventory.models import RISK_RANK, Dependency, OrganizationVendorRisk, Workflow
from apps.inventory.selectors import effective_risk

REFRESH_BATCH = 500


def exposure_inputs_for(
    workflow: Workflow,
    provided: dict | None = None,
    raised_risks: dict[int, OrganizationVendorRisk] | None = None,
) -> ExposureInputs:
    """Read a workflow (with dependencies, models, vendors prefetched) into the score's plain inputs.

    `provided` holds what registered factors' providers read for this workflow (factor key → value);
    `raised_risks` (vendor id → the workflow organization's own signal-raised level) lifts the
    catalog's vendor risk for this organization only.
    """
    raised_risks = raised_risks or {}
    dependencies = list(workflow.dependencies.all())
    primaries = [d for d in dependencies if d.role == Dependency.Role.PRIMARY] or dependencies
    fallbacks = [d for d in dependencies if d.role == Dependency.Role.FALLBACK]
    primary_vendors = {d.model.vendor for d in primaries if d.model_id}
    unmapped = tuple(sorted({d.declared_model for d in primaries if not d.model_id}))
    risk_views = {vendor: effective_risk(vendor, raised_risks.get(vendor.id)) for vendor in primary_vendors}
    risks = [view.level for view in risk_views.values()]
    if unmapped:
        risks.append("medium")  # an unknown maker is treated as medium risk
    vendor_risk = max(risks, key=RISK_RANK.__getitem__) if risks else None
    primary_vendor_ids = {vendor.id for vendor in primary_vendors}
    fallback_elsewhere = any(d.model_id and d.model.vendor_id not in primary_vendor_ids for d in fallbacks)
    return ExposureInputs(
        criticality=workflow.criticality,
        switching_difficulty=workflow.switching_difficulty,
        vendor_risk=vendor_risk,
        vendor_names=tuple(
            sorted(
                f"{vendor.name}, raised by signals" if view.raised_by_signals else vendor.name
                for vendor, view in risk_views.items()
            )
        ),
        api_only=any(d.model_id and not d.model.open_weights for d in primaries),
        indirect=any(d.via_tool_id for d in primaries),
        has_dependencies=bool(dependencies),
        fallback_on_other_vendor=fallback_elsewhere,
        data_sensitivity=workflow.data_sensitivity,
        unmapped_models=unmapped,
        provided=provided or {},
    )


def _workflows_with_inputs(workflow_ids: Iterable[int]):
    return Workflow.objects.filter(pk__in=list(workflow_ids)).prefetch_related("dependencies__model__vendor")


_refresh_listeners: list[Callable[[list[int]], None]] = []


def register_refresh_listener(listener: Callable[[list[int]], None]) -> None:
    """Run `listener(workflow_ids)` inside every exposure refresh, after the scores are stored.

    For capabilities that judge what the score judges (policies read the refreshed exposure), so they
    stay true on every import and change without the exposure app knowing them.
    """
    if listener not in _refresh_listeners:
        _refresh_listeners.append(listener)


@transaction.atomic
def exposure_refresh(*, workflow_ids: Iterable[int]) -> int:
    """Recompute the exposure of the given workflows and store what moved. Returns how many moved.

    Scoring is cheap and writing is not: a workflow whose score, band and factors are what is stored
    already is left as it is, so the daily refresh of a large organization writes only the few
    workflows that an ageing signal or a lapsed copy actually moved.
    """
    ids = list(workflow_ids)
    now = timezone.now()
    moved = 0
    for start in range(0, len(ids), REFRESH_BATCH):
        batch_ids = ids[start : start + REFRESH_BATCH]
        provided = provided_inputs_for(batch_ids)
        workflows = list(_workflows_with_inputs(batch_ids))
        raised: dict[int, dict[int, OrganizationVendorRisk]] = {}
        for row in OrganizationVendorRisk.objects.filter(
            organization_id__in={workflow.organization_id for workflow in workflows}
        ):
            raised.setdefault(row.organization_id, {})[row.vendor_id] = row
        changed = []
        for workflow in workflows:
            inputs = exposure_inputs_for(
                workflow, provided.get(workflow.id), raised.get(workflow.organization_id)
            )
            exposure = exposure_score(inputs)
            factors = [factor.as_dict() for factor in exposure.factors]
            stored = (workflow.exposure_score, workflow.exposure_band, workflow.exposure_factors)
            if workflow.exposure_updated_at is not None and stored == (
                exposure.score,
                exposure.band,
                factors,
            ):
                continue
            workflow.exposure_score = exposure.score
            workflow.exposure_band = exposure.band
            workflow.exposure_factors = factors
            workflow.exposure_updated_at = now
            changed.append(workflow)
        Workflow.objects.bulk_update(
            changed, ["exposure_score", "exposure_band", "exposure_factors", "exposure_updated_at"]
        )
        moved += len(changed)
    for listener in _refresh_listeners:
        listener(ids)
    return moved


def exposure_refresh_for_vendor(*, vendor_id: int) -> int:
    """A vendor's risk moved: refresh every workflow that depends on one of its models."""
    workflow_ids = (
        Dependency.objects.filter(model__vendor_id=vendor_id).values_list("workflow_id", flat=True).distinct()
    )
    return exposure_refresh(workflow_ids=list(workflow_ids))


def exposure_factor_moved(*, factor_key: str, workflow_ids: Iterable[int]) -> None:
    """A registered factor's input moved for these workflows: refresh them once the change commits.

    The apps that own a factor's data call this (e.g. a benchmark run finished); the refresh runs as
    a task, so a long import does not wait for it and a rolled-back change refreshes nothing.
    """
    from apps.exposure.tasks import exposure_refresh_task

    factor(factor_key)  # an unregistered key is a programming error, caught at the call site
    ids = sorted(set(workflow_ids))
    if ids:
        transaction.on_commit(lambda: exposure_refresh_task.delay(ids))
