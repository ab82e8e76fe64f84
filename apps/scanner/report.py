"""The scan's two faces: the `riskboard.scan/1` JSON document (a contract, see docs/contracts.md) and a table."""

from typing import Any

from apps.scanner.findings import ScanResult

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
