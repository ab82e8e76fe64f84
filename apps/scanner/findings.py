"""What a scan produces: findings and the result of scanning one tree (plain values, no Django)."""

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["model", "package", "endpoint"]
Confidence = Literal["high", "medium", "low"]

CONFIDENCE_ORDER: dict[Confidence, int] = {"low": 0, "medium": 1, "high": 2}


def weakest(*levels: Confidence) -> Confidence:
    return min(levels, key=CONFIDENCE_ORDER.__getitem__)


@dataclass(frozen=True, slots=True)
class Finding:
    path: str  # relative to the scanned root, "/" separators
    line: int  # 1-based
    kind: Kind
    identifier: str
    vendor: str  # a slug from apps.common.vendors.VENDOR_SLUGS
    family: str | None
    confidence: Confidence
    evidence: str
    rule: str  # the rule that matched, for explaining a finding

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path, self.line, self.kind, self.identifier)

    def as_dict(self) -> dict[str, str | int | None]:
        return {
            "path": self.path,
            "line": self.line,
            "kind": self.kind,
            "identifier": self.identifier,
            "vendor": self.vendor,
            "family": self.family,
            "confidence": self.confidence,
            "evidence": self.evidence,
            "rule": self.rule,
        }


@dataclass(slots=True)
class ScanResult:
    root: str
    files_scanned: int = 0
    files_skipped: int = 0  # listed but not read: binary, too large or unreadable
    findings: list[Finding] = field(default_factory=list)
