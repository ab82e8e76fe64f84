"""Importer of `riskboard.scan/1` payloads (registered for the `scan` kind in apps/jobs/importers.py).

The job pipeline calls `scan_import` inside one transaction: one Scan for the job, its findings
written in bulk. On PostgreSQL the findings stream in through COPY (the benchmark in
tests/bench/bench_ingest.py compares it with a bare COPY of the same rows); elsewhere (SQLite in
development) `bulk_create` in batches. Findings repeated in the payload are written once: their
natural key is (scan, path, line, kind, identifier).
"""

import gc
import json
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from typing import Any

from django.db import connection

from apps.scanner.models import Finding, Scan

FINDING_COLUMNS = ("path", "line", "kind", "identifier", "vendor", "family", "confidence", "evidence", "rule")
PROGRESS_EVERY = 5_000
BULK_BATCH_SIZE = 2_000

Row = tuple[str, int, str, str, str, str, str, str, str]


def _text(value: Any) -> str:
    # PostgreSQL text cannot hold NUL; JSON can ("\u0000"), so it is dropped rather than failing the import.
    return "" if value is None else str(value).replace("\x00", "")


def unique_finding_rows(findings: Iterable[dict[str, Any]]) -> list[Row]:
    rows: dict[tuple[str, int, str, str], Row] = {}
    for finding in findings:
        row = (
            _text(finding["path"]),
            int(finding["line"]),
            _text(finding["kind"]),
            _text(finding["identifier"]),
            _text(finding["vendor"]),
            _text(finding.get("family")),
            _text(finding["confidence"]),
            _text(finding.get("evidence")),
            _text(finding.get("rule")),
        )
        rows.setdefault(row[:4], row)
    return list(rows.values())


def findings_copy(
    *, scan: Scan, rows: list[Row], model_ids: list[int | None], progress: Callable[[int], None]
) -> None:
    """PostgreSQL: stream the rows in with COPY, inside the caller's transaction."""
    from psycopg import sql

    statement = sql.SQL("COPY {table} (scan_id, model_id, {columns}) FROM STDIN").format(
        table=sql.Identifier(Finding._meta.db_table),
        columns=sql.SQL(", ").join(map(sql.Identifier, FINDING_COLUMNS)),
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for done, (row, model_id) in enumerate(zip(rows, model_ids, strict=True), start=1):
            copy.write_row((scan.pk, model_id, *row))
            if done % PROGRESS_EVERY == 0:
                progress(done)


def findings_bulk_create(
    *, scan: Scan, rows: list[Row], model_ids: list[int | None], progress: Callable[[int], None]
) -> None:
    """Any database: bulk_create in batches; a row already there is skipped by its natural key."""
    for start in range(0, len(rows), BULK_BATCH_SIZE):
        batch = zip(
            rows[start : start + BULK_BATCH_SIZE], model_ids[start : start + BULK_BATCH_SIZE], strict=True
        )
        Finding.objects.bulk_create(
            [
                Finding(scan=scan, model_id=model_id, **dict(zip(FINDING_COLUMNS, row, strict=True)))
                for row, model_id in batch
            ],
            ignore_conflicts=True,
        )
        progress(min(start + BULK_BATCH_SIZE, len(rows)))


@contextmanager
def _gc_paused():
    """Parsing 100,000 findings makes ~1M objects that all live on; the cyclic collector would walk
    them over and over while they are made (a third of the import's time), for no garbage."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def scan_import(
    job,
    payload: bytes,
    progress: Callable[..., None],
    *,
    catalog_model: Callable[[Row], int | None] | None = None,
) -> dict[str, int]:
    """Write the scan and its findings; `catalog_model(row)` names each finding's catalog model as it is
    written (the scanner's reconciliation passes it), which spares an UPDATE pass over a large scan."""
    existing = Scan.objects.filter(job=job).first()
    if existing is not None:  # imported by an earlier delivery of this job
        return {"scans_created": 0, "findings_created": 0, "findings_total": existing.finding_count}
    with _gc_paused():
        document = json.loads(payload)
        findings = document["findings"]
        rows = unique_finding_rows(findings)
    progress(0, len(rows))
    label = job.filename or (job.started_by_token.name if job.started_by_token_id else "")
    scan = Scan.objects.create(
        organization=job.organization,
        job=job,
        source=f"{job.get_source_display()}{': ' + label if label else ''}"[:255],
        root=_text(document.get("root"))[:1024],
        files_scanned=document.get("files_scanned", 0),
        files_skipped=document.get("files_skipped", 0),
        finding_count=len(rows),
    )
    model_ids = [catalog_model(row) for row in rows] if catalog_model else [None] * len(rows)
    writer = findings_copy if connection.vendor == "postgresql" else findings_bulk_create
    writer(scan=scan, rows=rows, model_ids=model_ids, progress=progress)
    progress(len(rows))
    return {
        "scans_created": 1,
        "findings_created": len(rows),
        "findings_repeated": len(findings) - len(rows),
        "files_scanned": scan.files_scanned,
    }
