import json
import time

import pytest

from apps.jobs.models import ImportJob
from tests.support.celery_worker import worker  # noqa: F401  (the real-worker fixture)


def scan_document(findings: int = 3, *, root: str = "/srv/site", seed: str = "") -> dict:
    """A riskboard.scan/1 document with `findings` distinct findings, as `manage.py scan --json` prints it."""
    return {
        "schema": "riskboard.scan/1",
        "root": root,
        "files_scanned": max(1, findings // 10),
        "files_skipped": 2,
        "findings": [
            {
                "path": f"content/{seed}module_{number // 10}.py",
                "line": number % 10 + 1,
                "kind": "model",
                "identifier": f"Qwen/Qwen2.5-{number}B-Instruct",
                "vendor": "alibaba",
                "family": "qwen",
                "confidence": "high",
                "evidence": f'DRAFT_MODEL = "Qwen/Qwen2.5-{number}B-Instruct"',
                "rule": "python.model-string",
            }
            for number in range(findings)
        ],
    }


def scan_payload(findings: int = 3, **kwargs) -> bytes:
    return json.dumps(scan_document(findings, **kwargs)).encode()


def wait_for_job(job_id: int, *, statuses=ImportJob.FINISHED, timeout: float = 60, workers=None) -> ImportJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = ImportJob.objects.defer("payload").get(pk=job_id)
        if job.status in statuses:
            return job
        time.sleep(0.05)
    logs = workers.logs() if workers is not None else ""
    raise AssertionError(f"job {job_id} is still {job.status} after {timeout} s\n{logs}")


@pytest.fixture
def api_token(organization):
    """An active API token of `organization` and its plaintext."""
    from apps.accounts.tokens import api_token_create

    return api_token_create(organization=organization, name="CI of the web repo")


def replace_importer(monkeypatch, kind: str, importer) -> None:
    """Use `importer` for `kind` for this test only (monkeypatch puts the registered kind back)."""
    import dataclasses

    from apps.jobs.kinds import INGEST_KINDS

    monkeypatch.setitem(INGEST_KINDS, kind, dataclasses.replace(INGEST_KINDS[kind], importer=importer))
