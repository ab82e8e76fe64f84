"""Where the result of a finished job lives, so the job page can link to it.

Each kind's owner names a function `job -> (label, url) | None` (dotted path, imported on first
use), beside its importer. A kind without one simply shows no link.
"""

from django.utils.module_loading import import_string

RESULT_LINKS: dict[str, str] = {
    "inventory": "apps.inventory.selectors.imported_inventory_link",
    "scan": "apps.scanner.selectors.imported_scan_link",
    "bench": "apps.benchmarks.selectors.imported_run_link",
    "signals": "apps.watch.selectors.imported_signals_link",
}


def job_result_link(job) -> tuple[str, str] | None:
    if job.status != job.Status.SUCCEEDED or job.kind not in RESULT_LINKS:
        return None
    return import_string(RESULT_LINKS[job.kind])(job)
