"""The AI bill of materials of a report as CycloneDX 1.6 JSON, built with cyclonedx-python-lib.

- One `machine-learning-model` component per catalog model the workflows use: name, `supplier.name`
  = the vendor (and its website), the licence as an SPDX id where one exists (`Apache-2.0`) and as
  `license.name` otherwise (`llama3.1`, `proprietary`), a `pkg:huggingface/...` purl and a
  distribution reference when the catalog knows the model's Hugging Face id, and the vendor slug,
  family and open-weights flag as `riskboard:*` properties. A declared model that matches no
  catalog entry is a component too (no supplier, `riskboard:catalog` = `unmatched`), so nothing is
  hidden from the BOM.
- Each workflow is an `application` component whose `dependencies` entry lists its models; its
  criticality, switching difficulty, exposure and fallbacks are `riskboard:*` properties, which the
  `cyclonedx` ingest kind (cyclonedx_import.py) reads back.
- `metadata.component` is the portfolio (the client, or the organization) and depends on every workflow.
The catalog has no model versions; a component carries no version rather than an invented one.
"""

from cyclonedx.model import ExternalReference, ExternalReferenceType, Property, XsUri
from cyclonedx.model.bom import Bom
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.model.contact import OrganizationalEntity
from cyclonedx.model.dependency import Dependency
from cyclonedx.model.license import DisjunctiveLicense
from cyclonedx.output.json import JsonV1Dot6
from cyclonedx.schema import SchemaVersion
from cyclonedx.spdx import fixup_id
from cyclonedx.validation.json import JsonStrictValidator
from django.utils.text import slugify
from packageurl import PackageURL

from apps.accounts.models import Client, Organization
from apps.inventory.models import AIModel, ModelAlias
from apps.inventory.models import Dependency as WorkflowDependency
from apps.reports.sections import ReportScope

PROPERTY_PREFIX = "riskboard:"


def _indexed_register_dependency(bom: Bom):
    """`bom.register_dependency` that finds a registered target through a dict.

    cyclonedx-python-lib scans every dependency on each call (and its output step calls it once per
    component), which is quadratic: 47 s for an organization of 2,000 workflows. Same result, linear.
    (Set on the instance: a subclass of Bom would not serialize, the library's serializer knows Bom only.)
    """
    index: dict[str, Dependency] = {}

    def register_dependency(target, depends_on=None) -> None:
        ref = target.bom_ref.value
        entry = index.get(ref)
        if entry is None:
            entry = index[ref] = Dependency(ref=target.bom_ref)
            bom.dependencies.add(entry)
        if depends_on:
            entry.dependencies.update(Dependency(ref=dependable.bom_ref) for dependable in depends_on)
            for dependable in depends_on:
                register_dependency(dependable)

    return register_dependency


def _licence(model: AIModel) -> DisjunctiveLicense:
    spdx_id = fixup_id(model.license) if model.license else None
    return DisjunctiveLicense(id=spdx_id) if spdx_id else DisjunctiveLicense(name=model.license or "unknown")


def _hf_id(model: AIModel) -> str | None:
    ids = sorted(
        a.alias for a in model.aliases.all() if a.kind == ModelAlias.Kind.HUGGING_FACE and "/" in a.alias
    )
    return ids[0] if ids else None


def model_component(model: AIModel) -> Component:
    references = []
    purl = None
    hf_id = _hf_id(model)
    if hf_id:
        namespace, name = hf_id.split("/", 1)
        purl = PackageURL(type="huggingface", namespace=namespace, name=name)
        references.append(
            ExternalReference(
                type=ExternalReferenceType.DISTRIBUTION, url=XsUri(f"https://huggingface.co/{hf_id}")
            )
        )
    if model.vendor.website:
        references.append(
            ExternalReference(type=ExternalReferenceType.WEBSITE, url=XsUri(model.vendor.website))
        )
    return Component(
        type=ComponentType.MACHINE_LEARNING_MODEL,
        name=model.name,
        bom_ref=f"model:{model.slug}",
        supplier=OrganizationalEntity(
            name=model.vendor.name, urls=[XsUri(model.vendor.website)] if model.vendor.website else None
        ),
        licenses=[_licence(model)],
        purl=purl,
        external_references=references,
        properties=[
            Property(name=f"{PROPERTY_PREFIX}vendor", value=model.vendor.slug),
            Property(name=f"{PROPERTY_PREFIX}family", value=model.family),
            Property(name=f"{PROPERTY_PREFIX}open_weights", value=str(model.open_weights).lower()),
        ],
    )


def unmatched_component(declared: str) -> Component:
    return Component(
        type=ComponentType.MACHINE_LEARNING_MODEL,
        name=declared,
        bom_ref=f"model-unmatched:{slugify(declared) or 'model'}",
        properties=[Property(name=f"{PROPERTY_PREFIX}catalog", value="unmatched")],
    )


def bom_for(*, organization: Organization, client: Client | None = None) -> Bom:
    scope = ReportScope(organization=organization, client=client)
    workflows = list(scope.workflows().prefetch_related("dependencies__model__aliases"))
    subject = client.name if client else organization.name
    bom = Bom()
    bom.register_dependency = _indexed_register_dependency(bom)
    portfolio = Component(
        type=ComponentType.APPLICATION,
        name=f"AI workflows of {subject}",
        bom_ref="portfolio",
        supplier=OrganizationalEntity(name=organization.name),
    )
    bom.metadata.component = portfolio

    models: dict[str, Component] = {}

    def component_for(dependency: WorkflowDependency) -> Component:
        if dependency.model_id:
            key = f"model:{dependency.model.slug}"
            if key not in models:
                models[key] = model_component(dependency.model)
        else:
            key = unmatched_component(dependency.declared_model).bom_ref.value
            if key not in models:
                models[key] = unmatched_component(dependency.declared_model)
        return models[key]

    applications = []
    for workflow in workflows:
        dependencies = list(workflow.dependencies.all())
        used = [component_for(d) for d in dependencies]
        properties = [
            Property(name=f"{PROPERTY_PREFIX}criticality", value=workflow.criticality),
            Property(name=f"{PROPERTY_PREFIX}switching_difficulty", value=str(workflow.switching_difficulty)),
            Property(name=f"{PROPERTY_PREFIX}category", value=workflow.category),
            Property(name=f"{PROPERTY_PREFIX}deployment", value=workflow.deployment),
            Property(name=f"{PROPERTY_PREFIX}exposure_score", value=f"{workflow.exposure_score:g}"),
            Property(name=f"{PROPERTY_PREFIX}exposure_band", value=workflow.exposure_band),
        ]
        properties += [
            Property(name=f"{PROPERTY_PREFIX}fallback", value=component.bom_ref.value)
            for dependency, component in zip(dependencies, used, strict=True)
            if dependency.role == WorkflowDependency.Role.FALLBACK
        ]
        application = Component(
            type=ComponentType.APPLICATION,
            name=workflow.name,
            bom_ref=f"workflow:{workflow.pk}",
            properties=properties,
        )
        applications.append((application, used))

    for component in models.values():
        bom.components.add(component)
    for application, used in applications:
        bom.components.add(application)
        bom.register_dependency(application, list({c.bom_ref.value: c for c in used}.values()))
    bom.register_dependency(portfolio, [application for application, _used in applications])
    for component in models.values():
        bom.register_dependency(component, [])
    return bom


def bom_json(*, organization: Organization, client: Client | None = None) -> str:
    return JsonV1Dot6(bom_for(organization=organization, client=client)).output_as_string(indent=2)


def schema_errors(document: str, *, version: SchemaVersion = SchemaVersion.V1_6) -> list[dict[str, str]]:
    """Every violation of the official CycloneDX JSON schema (shipped in cyclonedx-python-lib)."""
    found = JsonStrictValidator(version).validate_str(document, all_errors=True)
    errors = []
    for error in found or []:
        detail = error.data
        path = "/".join(str(part) for part in getattr(detail, "absolute_path", [])) or "(document)"
        errors.append({"where": path, "message": getattr(detail, "message", str(error))})
    return errors
