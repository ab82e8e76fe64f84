"""Scanner findings as policy subjects, and the CI gate's verdict over them (pure: no Django here).

The command (apps/scanner/management/commands/scan.py) loads a `GateContext` from the database or the
shipped catalog (apps.policies.gate) and hands it here with the findings.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from apps.inventory.matching import match_model_id, normalize
from apps.policies.evaluation import Policy, Violation, evaluate
from apps.scanner.findings import Finding

UNREVIEWED = "unreviewed"


@dataclass(frozen=True)
class CatalogModel:
    slug: str
    name: str
    vendor_slug: str
    vendor_name: str
    license: str
    open_weights: bool


@dataclass
class GateContext:
    policies: list[Policy]
    source: str  # what the policies came from, for the summary: "the built-in policy", "policy file x.yml"
    alias_index: Mapping[str, int] = field(default_factory=dict)  # identifier spelling → catalog key
    catalog: Mapping[int, CatalogModel] = field(default_factory=dict)
    vendor_risk: Mapping[str, str] = field(default_factory=dict)  # vendor slug → risk level
    vendor_names: Mapping[str, str] = field(default_factory=dict)
    approvals: Mapping[str, str] = field(default_factory=dict)  # catalog slug or lower-case name → status

    def catalog_model(self, finding: Finding) -> CatalogModel | None:
        if finding.kind != "model":
            return None
        key = match_model_id(finding.identifier, self.alias_index)
        return self.catalog.get(key) if key is not None else None

    def approval(self, finding: Finding, model: CatalogModel | None) -> str:
        for name in (model.slug, normalize(model.name)) if model else ():
            if name in self.approvals:
                return self.approvals[name]
        return self.approvals.get(normalize(finding.identifier), UNREVIEWED)


def finding_facts(finding: Finding, context: GateContext) -> dict[str, Any]:
    model = context.catalog_model(finding)
    vendor = model.vendor_slug if model else finding.vendor
    facts: dict[str, Any] = {
        "finding.kind": finding.kind,
        "finding.rule": finding.rule,
        "finding.path": finding.path,
        "finding.confidence": finding.confidence,
        "model.identifier": finding.identifier,
        "vendor.slug": vendor,
        "_subject": f"{finding.identifier} ({vendor}) at {finding.path}:{finding.line}",
    }
    if vendor in context.vendor_risk:
        facts["vendor.risk"] = context.vendor_risk[vendor]
    if finding.kind == "model":
        facts["model.approval"] = context.approval(finding, model)
    if model:
        facts |= {
            "model.name": model.name,
            "model.license": model.license,
            "model.open_weights": model.open_weights,
        }
    return facts


def findings_violations(findings: Iterable[Finding], context: GateContext) -> list[Violation]:
    """Every violation, each with `subject_index` = the position of its finding in `findings`."""
    return evaluate(context.policies, [finding_facts(finding, context) for finding in findings])


def gate_summary(violations: list[Violation], *, fail_on: str, source: str) -> str:
    """What stderr says when the gate fails: one line per violation, most severe first."""
    lines = [
        f"Riskboard policy gate failed: {len(violations)} violation{'s' if len(violations) != 1 else ''} "
        f"at or above {fail_on} (policies: {source})."
    ]
    for violation in violations:
        lines.append(f"  [{violation.level}] {violation.policy_name}: {violation.subject}")
    return "\n".join(lines)
