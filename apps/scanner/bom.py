"""`scan --format cyclonedx`: a CycloneDX 1.6 JSON ML-BOM of the models a scan found.

Built with cyclonedx-python-lib (docs/outside-formats.md): one `machine-learning-model` component per
distinct model, named by the catalog when the identifier matches it (supplier = vendor, licence as an
SPDX id where there is one, `license.name` otherwise), with every place it was found as evidence
occurrences (path and 1-based line). The scanned tree is the BOM's `application` and depends on them.
"""

from pathlib import PurePath

from cyclonedx.model import Property
from cyclonedx.model.bom import Bom, BomMetaData
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.model.component_evidence import ComponentEvidence, Occurrence
from cyclonedx.model.contact import OrganizationalEntity
from cyclonedx.model.license import DisjunctiveLicense
from cyclonedx.output.json import JsonV1Dot6
from cyclonedx.spdx import fixup_id
from packageurl import PackageURL

from apps.common.vendors import VENDOR_NAMES
from apps.inventory.matching import normalize
from apps.policies.evaluation import Violation
from apps.policies.findings import GateContext
from apps.scanner.findings import ScanResult


def _purl(identifier: str) -> PackageURL | None:
    parts = identifier.strip().split("/")
    if len(parts) == 2 and all(parts) and ":" not in identifier:
        return PackageURL(type="huggingface", namespace=parts[0], name=parts[1])
    return None


def _licence(licence: str) -> DisjunctiveLicense:
    spdx = fixup_id(licence)
    return DisjunctiveLicense(id=spdx) if spdx else DisjunctiveLicense(name=licence)


def scan_bom(result: ScanResult, context: GateContext, *, violations: list[Violation] = ()) -> Bom:
    violated: dict[int, list[Violation]] = {}
    for violation in violations:
        violated.setdefault(violation.subject_index, []).append(violation)
    groups: dict[str, dict] = {}
    for index, finding in enumerate(result.findings):
        if finding.kind != "model":
            continue
        model = context.catalog_model(finding)
        key = f"catalog:{model.slug}" if model else f"identifier:{normalize(finding.identifier)}"
        group = groups.setdefault(
            key,
            {"finding": finding, "model": model, "occurrences": [], "identifiers": set(), "violations": {}},
        )
        group["occurrences"].append(Occurrence(location=finding.path, line=finding.line))
        group["identifiers"].add(finding.identifier)
        for violation in violated.get(index, []):
            group["violations"][violation.policy_key] = violation

    application = Component(
        name=PurePath(result.root).name or result.root,
        type=ComponentType.APPLICATION,
        bom_ref="application",
        description=f"Scanned by Riskboard: {result.files_scanned} files",
    )
    bom = Bom(metadata=BomMetaData(component=application))
    components = []
    for key, group in sorted(groups.items()):
        finding, model = group["finding"], group["model"]
        vendor_slug = model.vendor_slug if model else finding.vendor
        vendor_name = context.vendor_names.get(vendor_slug) or VENDOR_NAMES.get(vendor_slug, vendor_slug)
        properties = [Property(name="riskboard:vendor", value=vendor_slug)]
        properties += [
            Property(name="riskboard:identifier", value=name) for name in sorted(group["identifiers"])
        ]
        if vendor_slug in context.vendor_risk:
            properties.append(Property(name="riskboard:vendor-risk", value=context.vendor_risk[vendor_slug]))
        if context.approvals:
            properties.append(Property(name="riskboard:approval", value=context.approval(finding, model)))
        properties += [
            Property(name="riskboard:violation", value=f"{v.severity}: {v.policy_name}")
            for v in group["violations"].values()
        ]
        component = Component(
            name=model.name if model else finding.identifier,
            type=ComponentType.MACHINE_LEARNING_MODEL,
            bom_ref=key,
            supplier=OrganizationalEntity(name=vendor_name),
            group=finding.family or None,
            licenses=[_licence(model.license)] if model and model.license else None,
            purl=_purl(finding.identifier),
            evidence=ComponentEvidence(occurrences=group["occurrences"]),
            properties=properties,
        )
        components.append(component)
        bom.components.add(component)
    bom.register_dependency(application, components)
    return bom


def scan_bom_json(result: ScanResult, context: GateContext, *, violations: list[Violation] = ()) -> str:
    return JsonV1Dot6(scan_bom(result, context, violations=violations)).output_as_string(indent=2)
