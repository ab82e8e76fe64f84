"""Scans and findings of an organization, for tests/test_tenancy.py (merged into its OBJECT_MAKERS)."""

from collections.abc import Callable

from apps.scanner.models import Dismissal, Finding, Scan


def _scan(organization) -> Scan:
    scan = Scan.objects.create(organization=organization, root="/srv/tenancy", source_key="cli:/srv/tenancy")
    Finding.objects.create(
        scan=scan,
        path="app.py",
        line=1,
        kind="model",
        identifier="qwen-max",
        vendor="alibaba",
        confidence="high",
    )
    return scan


OBJECT_MAKERS: dict[str, Callable] = {
    "scan_id": lambda organization: _scan(organization).pk,
    "finding_id": lambda organization: _scan(organization).findings.get().pk,
    "dismissal_id": lambda organization: (
        Dismissal.objects.create(
            organization=organization, kind="model", identifier="qwen-max", reason="a docs example"
        ).pk
    ),
}
