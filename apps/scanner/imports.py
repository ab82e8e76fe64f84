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

from django.conf import settings

from apps.inventory.matching import match_model_id
from apps.inventory.selectors import catalog_alias_index
from apps.jobs.importers import ImportRejected
from apps.scanner.archive import ExtractionLimits, UnsafeArchiveError, extracted_archive
from apps.scanner.engine import scan_tree
from apps.scanner.ingest import Row, scan_import
from apps.scanner.models import Finding, Scan
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
            limits = ExtractionLimits(max_files=settings.RISKBOARD_ARCHIVE_MAX_FILES)
            with extracted_archive(Path(stored.name), limits=limits) as root:
                result = scan_tree(root, progress=progress)
        except UnsafeArchiveError as error:
            raise ImportRejected([{"where": "archive", "message": str(error)}]) from error
    return json.dumps(scan_document(result, root=job.filename or "upload"), ensure_ascii=False).encode()


class CatalogMatches:
    """Matches each model finding to the catalog as it is written, once per distinct identifier, and
    remembers what it saw so reconciliation needs no second pass over the findings."""

    def __init__(self) -> None:
        self.index = catalog_alias_index()
        self.models: dict[str, int | None] = {}
        self.vendors: set[str] = set()
        self.rows_matched = 0

    def __call__(self, row: Row) -> int | None:
        kind, identifier, vendor = row[2], row[3], row[4]
        if kind != Finding.Kind.MODEL:
            self.vendors.add(vendor)
            return None
        if identifier not in self.models:
            self.models[identifier] = match_model_id(identifier, self.index)
        model_id = self.models[identifier]
        self.rows_matched += model_id is not None
        return model_id


def scan_job_import(job, payload: bytes, progress: Callable[..., None]) -> dict[str, int]:
    matches = CatalogMatches()
    if is_archive_payload(payload) and not Scan.objects.filter(job=job).exists():
        document = archive_scan_document(job, payload, progress)
        counts = scan_import(job, document, _quiet, catalog_model=matches)
    else:
        counts = scan_import(job, payload, progress, catalog_model=matches)
    scan = Scan.objects.select_related("organization").get(job=job)
    if not scan.source_key:
        scan.source_key = source_key_for_job(job, root=scan.root)
        scan.save(update_fields=["source_key"])
    if not counts.get("scans_created"):  # an earlier delivery wrote it: reconcile from the database
        return {**counts, **scan_reconcile(scan=scan)}
    return {**counts, **scan_reconcile(scan=scan, index=matches.index, written=matches)}
