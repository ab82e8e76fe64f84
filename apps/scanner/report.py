"""The scan's faces: the `riskboard.scan/1` JSON document, SARIF 2.1.0 (both contracts, see docs/contracts.md)
and a table. CycloneDX is in apps/scanner/bom.py."""

import hashlib
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from apps.policies.evaluation import Violation
from apps.scanner.findings import Finding, ScanResult

SCHEMA = "riskboard.scan/1"


def scan_document(result: ScanResult, *, root: str | None = None) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "root": result.root if root is None else root,
        "files_scanned": result.files_scanned,
        "files_skipped": result.files_skipped,
        "findings": [finding.as_dict() for finding in result.findings],
    }


_COLUMNS = ("LOCATION", "KIND", "VENDOR", "FAMILY", "CONFIDENCE", "IDENTIFIER")


def scan_table(result: ScanResult) -> str:
    rows = [
        (f"{f.path}:{f.line}", f.kind, f.vendor, f.family or "-", f.confidence, f.identifier)
        for f in result.findings
    ]
    summary = (
        f"{len(result.findings)} finding{'s' if len(result.findings) != 1 else ''} in "
        f"{result.files_scanned} files scanned ({result.files_skipped} skipped)."
    )
    if not rows:
        return summary
    widths = [max(len(row[i]) for row in [_COLUMNS, *rows]) for i in range(len(_COLUMNS) - 1)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)) + "  " + row[-1]
        for row in [_COLUMNS, *rows]
    ]
    return "\n".join([*lines, "", summary])


# --- SARIF 2.1.0 (docs/contracts.md, "Scanner formats and the CI gate") ---------------------------

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
_SARIF_LEVEL = {"fail": "error", "warn": "warning", "info": "note"}
_KIND_TEXT = {
    "model": "a model the code depends on",
    "package": "an SDK or framework tied to a model vendor",
    "endpoint": "a vendor API host or model server setting",
}


def _rule_descriptor(rule: str, kind: str) -> dict[str, Any]:
    ecosystem = rule.split(".", 1)[0]
    return {
        "id": rule,
        "name": rule.replace(".", "/"),
        "shortDescription": {"text": f"Found {_KIND_TEXT.get(kind, kind)} ({ecosystem})."},
        "fullDescription": {
            "text": (
                f"Riskboard's `{rule}` rule found {_KIND_TEXT.get(kind, kind)}. Each vendor dependency is "
                "exposure: the vendor can change its licence, price or roadmap."
            )
        },
        "defaultConfiguration": {"level": "note"},
        "properties": {"kind": kind},
    }


def sarif_document(
    result: ScanResult, *, violations: Sequence[Violation] = (), version: str = "1"
) -> dict[str, Any]:
    """One SARIF result per finding; `ruleId` is the scanner rule, the level that of its worst violation.

    Violations (from the policy gate) are listed in the result's message and properties, so a
    code-scanning page shows why a finding fails the build.
    """
    by_finding: dict[int, list[Violation]] = {}
    for violation in violations:
        by_finding.setdefault(violation.subject_index, []).append(violation)
    rules: dict[str, int] = {}
    descriptors: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    for index, finding in enumerate(result.findings):
        if finding.rule not in rules:
            rules[finding.rule] = len(descriptors)
            descriptors.append(_rule_descriptor(finding.rule, finding.kind))
        found = by_finding.get(index, [])
        worst = min(found, key=lambda v: ("fail", "warn", "info").index(v.severity)) if found else None
        message = f"{finding.kind.capitalize()} `{finding.identifier}` ({finding.vendor})."
        if found:
            message += " Violates: " + "; ".join(f"{v.policy_name} ({v.severity})" for v in found) + "."
        results.append(
            {
                "ruleId": finding.rule,
                "ruleIndex": rules[finding.rule],
                "level": _SARIF_LEVEL[worst.severity] if worst else "note",
                "message": {"text": message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": quote(finding.path), "uriBaseId": "SRCROOT"},
                            "region": {"startLine": finding.line, "snippet": {"text": finding.evidence}},
                        }
                    }
                ],
                "partialFingerprints": {"riskboardFinding/v1": _fingerprint(finding)},
                "properties": {
                    **{k: v for k, v in finding.as_dict().items() if k not in ("path", "line", "evidence")},
                    "violations": [
                        {
                            "policy": v.policy_key,
                            "name": v.policy_name,
                            "severity": v.severity,
                            "level": v.level,
                        }
                        for v in found
                    ],
                },
            }
        )
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "Riskboard",
                        "semanticVersion": version,
                        "rules": descriptors,
                    }
                },
                "originalUriBaseIds": {
                    "SRCROOT": {"description": {"text": f"The scanned tree, {result.root}"}}
                },
                "results": results,
                "properties": {"files_scanned": result.files_scanned, "files_skipped": result.files_skipped},
            }
        ],
    }


def _fingerprint(finding: Finding) -> str:
    material = "|".join((finding.path, finding.kind, finding.identifier, finding.rule))
    return hashlib.sha256(material.encode()).hexdigest()[:32]
