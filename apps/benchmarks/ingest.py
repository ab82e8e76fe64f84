"""Importer of benchmark results for the job pipeline (the ``bench`` kind; see apps/jobs/importers.py).

The payload is a riskboard.bench/1 document, a promptfoo ``-o results.json`` export or an
lm-evaluation-harness results file, detected from its shape. It lands through the same service as
``manage.py import_results``: one finished Run with its Results, or nothing.
"""

from apps.benchmarks.importers import BenchImportError, parse_bench_payload
from apps.benchmarks.models import Run
from apps.benchmarks.services import bench_results_import
from apps.jobs.importers import ImportRejected, Progress


def bench_import(job, payload: bytes, progress: Progress) -> dict[str, int]:
    try:
        bench_run = parse_bench_payload(payload)
    except BenchImportError as error:
        raise ImportRejected([{"where": "file", "message": str(error)}]) from error
    progress(0, len(bench_run.results))
    source = Run.Source.CLI if job.source == "cli" else Run.Source.IMPORT
    run, created = bench_results_import(
        organization=job.organization,
        bench_run=bench_run,
        source=source,
        payload_sha256=job.sha256,
        import_job=job,
        user=job.started_by_user,
        progress=progress,
    )
    progress(len(bench_run.results), len(bench_run.results))
    return {
        "run": run.pk,
        "results_created": run.progress_done if created else 0,
        "models": run.results.values("model_identifier").distinct().count(),
    }
