from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Organization
from apps.common.vendors import HF_ORG_VENDORS
from apps.exposure.services import exposure_refresh, exposure_refresh_for_vendor
from apps.inventory import catalog_data
from apps.inventory.models import (
    RISK_RANK,
    AIModel,
    Dependency,
    ModelAlias,
    OrganizationVendorRisk,
    Tool,
    ToolModel,
    Vendor,
    Workflow,
)
from apps.inventory.selectors import catalog_alias_index, effective_risk, model_for_identifier


def catalog_sync(*, vendor_model=Vendor, model_model=AIModel, alias_model=ModelAlias) -> dict[str, int]:
    """Add the shipped catalog's missing vendors, models and aliases. Never overwrites an admin's edits.

    Model classes are parameters so a data migration can pass its historical models.
    """
    created = {"vendors": 0, "models": 0, "aliases": 0}
    vendors = {vendor.slug: vendor for vendor in vendor_model.objects.all()}
    for spec in catalog_data.VENDORS:
        if spec["slug"] not in vendors:
            vendors[spec["slug"]] = vendor_model.objects.create(**spec)
            created["vendors"] += 1
    models_by_slug = {model.slug: model for model in model_model.objects.all()}
    new_models = []
    for (
        slug,
        vendor_slug,
        name,
        family,
        license_id,
        open_weights,
        self_hostable,
        sizes,
        modalities,
        languages,
        released,
        _aliases,
    ) in catalog_data.MODELS:
        if slug in models_by_slug:
            continue
        new_models.append(
            model_model(
                slug=slug,
                vendor=vendors[vendor_slug],
                name=name,
                family=family,
                license=license_id,
                open_weights=open_weights,
                self_hostable=self_hostable,
                parameter_sizes=sizes,
                modalities=modalities,
                languages_supported=languages,
                release_date=date.fromisoformat(released) if released else None,
            )
        )
    for model in model_model.objects.bulk_create(new_models):
        models_by_slug[model.slug] = model
    created["models"] = len(new_models)
    existing_aliases = set(alias_model.objects.values_list("alias", flat=True))
    new_aliases = []
    for spec in catalog_data.MODELS:
        slug, aliases = spec[0], spec[-1]
        for alias in aliases:
            normalised = alias.strip().lower()
            if normalised in existing_aliases:
                continue
            existing_aliases.add(normalised)
            new_aliases.append(
                alias_model(model=models_by_slug[slug], alias=normalised, kind=_alias_kind(alias))
            )
    alias_model.objects.bulk_create(new_aliases)
    created["aliases"] = len(new_aliases)
    return created


def _alias_kind(alias: str) -> str:
    if alias.count("/") == 1 and alias.split("/")[0].lower() in HF_ORG_VENDORS:
        return ModelAlias.Kind.HUGGING_FACE
    if ":" in alias:
        return ModelAlias.Kind.OLLAMA
    if "/" in alias:
        return ModelAlias.Kind.LITELLM
    return ModelAlias.Kind.API


@transaction.atomic
def vendor_set_risk(
    *, vendor: Vendor, risk_level: str, reason: str, source: str = Vendor.RiskSource.MANUAL
) -> Vendor:
    """Set the catalog's risk level of a vendor (staff) and move every dependent workflow's exposure."""
    vendor.risk_level = risk_level
    vendor.risk_reason = reason
    vendor.risk_source = source
    vendor.risk_updated_at = timezone.now()
    vendor.full_clean()
    vendor.save()
    exposure_refresh_for_vendor(vendor_id=vendor.id)
    return vendor


@transaction.atomic
def organization_vendor_risk_set(
    *, organization: Organization, vendor: Vendor, risk_level: str, reason: str
) -> bool:
    """Record what an organization's signals say about a vendor; True when its effective risk changed.

    A level at or below the catalog's adds nothing, so the record is dropped. Only this
    organization's workflows are refreshed.
    """
    current = OrganizationVendorRisk.objects.filter(organization=organization, vendor=vendor).first()
    before = effective_risk(vendor, current)
    if RISK_RANK[risk_level] <= RISK_RANK[vendor.risk_level]:
        if current is not None:
            current.delete()
        after = effective_risk(vendor, None)
    else:
        current, _ = OrganizationVendorRisk.objects.update_or_create(
            organization=organization, vendor=vendor, defaults={"risk_level": risk_level, "reason": reason}
        )
        after = effective_risk(vendor, current)
    if after == before:
        return False
    workflow_ids = (
        Dependency.objects.filter(workflow__organization=organization, model__vendor=vendor)
        .values_list("workflow_id", flat=True)
        .distinct()
    )
    exposure_refresh(workflow_ids=list(workflow_ids))
    return True


@transaction.atomic
def tool_create(
    *,
    organization: Organization,
    name: str,
    models: list[tuple[AIModel, str]] = (),
    website: str = "",
    notes: str = "",
) -> Tool:
    tool = Tool(organization=organization, name=name.strip(), website=website, notes=notes)
    tool.full_clean()
    tool.save()
    for model, certainty in models:
        ToolModel.objects.create(tool=tool, model=model, certainty=certainty)
    return tool


@dataclass(frozen=True)
class DependencySpec:
    """A dependency as a form or a spreadsheet row describes it."""

    declared_model: str
    via_tool: Tool | None = None
    role: str = Dependency.Role.PRIMARY
    notes: str = ""

    @property
    def key(self) -> tuple:
        return (self.declared_model.strip().lower(), self.via_tool.id if self.via_tool else None, self.role)


def _dependency_key(dependency: Dependency) -> tuple:
    return (dependency.declared_model.strip().lower(), dependency.via_tool_id, dependency.role)


def dependencies_sync(
    *,
    workflow: Workflow,
    specs: list[DependencySpec],
    user: AbstractBaseUser | None,
    index: dict[str, int],
    remove_missing: bool,
) -> int:
    """Make the workflow's dependencies match `specs`. Returns how many were created."""
    existing = {_dependency_key(dependency): dependency for dependency in workflow.dependencies.all()}
    wanted = {}
    for spec in specs:
        wanted.setdefault(spec.key, spec)
    created = 0
    for key, spec in wanted.items():
        dependency = existing.get(key)
        if dependency is None:
            dependency = Dependency(
                workflow=workflow,
                declared_model=spec.declared_model.strip(),
                via_tool=spec.via_tool,
                role=spec.role,
                notes=spec.notes,
                created_by=user,
                model=model_for_identifier(spec.declared_model, index=index),
            )
            dependency.full_clean(validate_unique=False)
            dependency.save()
            created += 1
        elif dependency.notes != spec.notes and spec.notes:
            dependency.notes = spec.notes
            dependency.save(update_fields=["notes"])
    if remove_missing:
        for key, dependency in existing.items():
            if key not in wanted:
                dependency.delete()
    return created


@transaction.atomic
def workflow_save(
    *, workflow: Workflow, dependencies: list[DependencySpec], user: AbstractBaseUser | None = None
) -> Workflow:
    """Create or update a workflow with exactly the given dependencies, then refresh its exposure."""
    workflow.full_clean()
    workflow.save()
    dependencies_sync(
        workflow=workflow, specs=dependencies, user=user, index=catalog_alias_index(), remove_missing=True
    )
    exposure_refresh(workflow_ids=[workflow.id])
    workflow.refresh_from_db()
    return workflow


@transaction.atomic
def workflow_delete(*, workflow: Workflow) -> None:
    workflow.delete()


@transaction.atomic
def dependency_link_model(*, dependency: Dependency, model: AIModel) -> Dependency:
    """Map a flagged dependency (its model matched nothing) to a catalog model."""
    dependency.model = model
    dependency.full_clean(validate_unique=False)
    dependency.save(update_fields=["model"])
    exposure_refresh(workflow_ids=[dependency.workflow_id])
    return dependency
