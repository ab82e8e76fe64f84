"""``manage.py import_results FILE [--kind auto|promptfoo|lm-eval|riskboard] [--organization SLUG] [--json]``.

Parses the whole file first (a malformed one is an error on stderr, a non-zero exit and nothing
written), then stores it through the same service as the ``bench`` job importer, in one
transaction. The same file twice is one run: the second import prints the first run's summary.
"""

import hashlib
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.accounts.services import organization_for_command
from apps.benchmarks.importers import KINDS, BenchImportError, parse_bench_payload
from apps.benchmarks.models import Run
from apps.benchmarks.selectors import run_summaries
from apps.benchmarks.services import bench_results_import
from apps.benchmarks.summary import summary_document


def _number(value, suffix: str = "", digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}{suffix}"


class Command(BaseCommand):
    help = "Import benchmark results (promptfoo export, lm-eval results_*.json or riskboard.bench/1)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--kind", choices=KINDS, default="auto")
        parser.add_argument("--organization", metavar="SLUG")
        parser.add_argument(
            "--json", action="store_true", help="print the riskboard.bench-summary/1 document"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            payload = path.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from error
        try:
            bench_run = parse_bench_payload(payload, kind=options["kind"])
        except BenchImportError as error:
            raise CommandError(f"{path}: {error}") from error
        if not bench_run.results:
            raise CommandError(f"{path}: the file holds no results")
        organization = organization_for_command(slug=options["organization"])

        run, created = bench_results_import(
            organization=organization,
            bench_run=bench_run,
            source=Run.Source.CLI,
            payload_sha256=hashlib.sha256(payload).hexdigest(),
        )
        summaries = run_summaries(run=run)
        if options["json"]:
            document = summary_document(run_id=run.pk, summaries=summaries)
            self.stdout.write(json.dumps(document, ensure_ascii=False))
            return
        verb = "Imported" if created else "Already imported as"
        self.stdout.write(f"{verb} run {run.pk} ({run.source_format}, {run.progress_done} results)")
        header = f"{'model':<32} {'vendor':<10} {'cases':>5} {'pass':>6} {'score':>6} {'p50 ms':>9} {'p95 ms':>9} {'tok/s':>7} {'cost $':>10}"
        self.stdout.write(header)
        for summary in summaries:
            pass_rate = "—" if summary.pass_rate is None else f"{summary.pass_rate:.0%}"
            cost = "unknown" if summary.cost_usd is None else f"{summary.cost_usd:.6g}"
            self.stdout.write(
                f"{summary.model[:32]:<32} {summary.vendor:<10} {summary.cases:>5} {pass_rate:>6} "
                f"{_number(summary.mean_score, digits=2):>6} {_number(summary.latency_ms_p50):>9} "
                f"{_number(summary.latency_ms_p95):>9} {_number(summary.tokens_per_s):>7} {cost:>10}"
            )
