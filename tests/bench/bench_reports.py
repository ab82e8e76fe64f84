"""Reports at scale: build one client's report and the whole organization's, and time every export.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/riskboard_bench_reports .venv/bin/python tests/bench/bench_reports.py [WORKFLOWS]

Creates the data with `seed_scale --workflows WORKFLOWS` (default 2,000) if the database has none,
then prints seconds, queries and bytes for each step.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskboard.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/riskboard_bench_reports")

import django

from tests.bench.bench_dashboard import ensure_database

ensure_database(os.environ["DATABASE_URL"])
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from apps.accounts.models import Organization  # noqa: E402
from apps.reports.exports import EXPORT_FORMATS, report_export  # noqa: E402
from apps.reports.sections import report_build  # noqa: E402


def main() -> None:
    workflows = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    call_command("migrate", verbosity=0)
    largest = Organization.objects.filter(kind="agency").annotate(n=Count("workflows")).order_by("-n")
    organization = largest.filter(n__gt=0).first()
    if organization is None:
        call_command("seed_scale", workflows=workflows)
        organization = largest.first()
    client = organization.clients.first()
    for label, chosen in ((f"client {client.slug}", client), (f"organization {organization.slug}", None)):
        count = organization.workflows.filter(**({"client": chosen} if chosen else {})).count()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            report_build(organization=organization, client=chosen)
            elapsed = time.perf_counter() - started
        print(f"{label} ({count} workflows): build {elapsed:.2f} s, {len(queries)} queries")
        for export_format in EXPORT_FORMATS:
            started = time.perf_counter()
            export = report_export(organization=organization, client=chosen, export_format=export_format)
            print(
                f"  {export_format:9} {time.perf_counter() - started:6.2f} s  {len(export.content):>10,} bytes"
            )


if __name__ == "__main__":
    main()
