"""Record scans for tests the way producers do: a `riskboard.scan/1` document through the job pipeline."""

import json

from apps.jobs import services as job_services
from apps.jobs.models import ImportJob
from apps.scanner.models import Scan


def finding(path: str, line: int, identifier: str, *, kind: str = "model", vendor: str = "alibaba") -> dict:
    return {
        "path": path,
        "line": line,
        "kind": kind,
        "identifier": identifier,
        "vendor": vendor,
        "family": None,
        "confidence": "high",
        "evidence": f"MODEL = {identifier!r}",
        "rule": "test",
    }


def scan_document(findings: list[dict], *, root: str = "/srv/site") -> dict:
    return {
        "schema": "riskboard.scan/1",
        "root": root,
        "files_scanned": len({item["path"] for item in findings}) or 1,
        "files_skipped": 0,
        "findings": findings,
    }


def record(
    organization, findings: list[dict], *, root: str = "/srv/site", filename: str = "/srv/site"
) -> Scan:
    """Submit a scan as a CLI job and import it now (what `scan PATH --organization` does)."""
    payload = json.dumps(scan_document(findings, root=root)).encode()
    job, _ = job_services.job_submit(
        organization=organization, kind="scan", payload=payload, source="cli", filename=filename
    )
    job = job_services.job_run(job_id=job.pk)
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    return Scan.objects.get(job=job)
