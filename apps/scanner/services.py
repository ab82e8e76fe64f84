"""Writes for the scanner. Recording scans for an organization arrives with the scanner's models."""

from apps.scanner.findings import ScanResult


def record_scan_for_organization(result: ScanResult, organization_slug: str) -> None:
    raise NotImplementedError("recording is added with the scanner models")
