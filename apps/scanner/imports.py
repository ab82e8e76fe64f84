"""The importer of `scan` jobs: a `riskboard.scan/1` document, or a repository archive to scan first.

Registered for the `scan` kind by ScannerConfig.ready(). Both kinds of payload end the same way: the
findings are written by `apps.scanner.ingest.scan_import`, then the scan gets its source key and is
reconciled with the inventory (apps.scanner.services.scan_reconcile), all in the job's transaction.

An archive (uploaded from the UI) is extracted safely into a temporary directory and scanned there.
Progress during that phase is in files (done of total), written live through the job's progress
reporter; writing the findings afterwards is quick and reports nothing more, so the bar that
reached "files total" stays there. An unsafe archive fails the job with the member at fault named.
"""

import json
import tempfile
from collections.abc import Callable
from pathlib import Path

from apps.jobs.importers import ImportRejected
from apps.scanner.archive import UnsafeArchiveError, extracted_archive
from apps.scanner.engine import scan_tree
from apps.scanner.ingest import scan_import
from apps.scanner.models import Scan
from apps.scanner.payloads import is_archive_payload
from apps.scanner.report import scan_document
from apps.scanner.services import scan_reconcile
from apps.scanner.sources import source_key_for_job


def _quiet(done: int, total: int | None = None) -> None:
    """Progress of the write phase after an archive scan: the job's bar stays in files."""


def archive_scan_document(job, archive: bytes, progress: Callable[..., None]) -> bytes:
    """Extract and scan an uploaded archive; the `riskboard.scan/1` document of what was found."""
    progress(0, 0)
    with tempfile.NamedTemporaryFile(prefix="riskboard-upload-", suffix=".archive") as stored:
        stored.write(archive)
        stored.flush()
        try:
            with extracted_archive(Path(stored.name)) as root:
                result = scan_tree(root, progress=progress)
        except UnsafeArchiveError as error:
            raise ImportRejected([{"where": "archive", "message": str(error)}]) from error
    return json.dumps(scan_document(result, root=job.filename or "upload"), ensure_ascii=False).encode()


def scan_job_import(job, payload: bytes, progress: Callable[..., None]) -> dict[str, int]:
    if is_archive_payload(payload) and not Scan.objects.filter(job=job).exists():
        document = archive_scan_document(job, payload, progress)
        counts = scan_import(job, document, _quiet)
    else:
        counts = scan_import(job, payload, progress)
    scan = Scan.objects.select_related("organization").get(job=job)
    if not scan.source_key:
        scan.source_key = source_key_for_job(job, root=scan.root)
        scan.save(update_fields=["source_key"])
    return {**counts, **scan_reconcile(scan=scan)}
