"""Benchmark: a 100,000-finding scan imported through the job pipeline, against a bare psycopg COPY.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/riskboard_bench .venv/bin/python tests/bench/bench_ingest.py

It creates a throw-away test database (test_<name>, migrated), then, ROUNDS times each:
- import: `job_run` on a stored payload (claim, read the payload, JSON parse, dedupe, one Scan,
  COPY of the findings, mark succeeded, commit), i.e. everything the worker does for a job;
- COPY: the same rows, already as Python tuples, streamed by psycopg's COPY into a scratch table
  made `LIKE scanner_finding INCLUDING ALL` (same columns, defaults and indexes, no foreign key),
  then committed; and once more into a copy of it that also has scanner_finding's foreign key.
Every round starts from empty tables. It prints rows/s (best round, median in brackets) and the
ratios; the target is import ≤ 3× the plain COPY time.
Schema validation (done once, when a payload is submitted, not by the worker) is timed apart.
Not collected by pytest (tests/bench is ignored in pyproject.toml).
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskboard.settings")
os.environ.pop("REDIS_URL", None)  # tasks in-process: the benchmark drives job_run itself

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))


def scan_payload(rows: int, round_number: int) -> bytes:
    return json.dumps(
        {
            "schema": "riskboard.scan/1",
            "root": f"/srv/bench-{round_number}",
            "files_scanned": rows // 10,
            "files_skipped": 0,
            "findings": [
                {
                    "path": f"src/package_{number // 1000}/module_{number // 10}.py",
                    "line": number % 10 + 1,
                    "kind": "model",
                    "identifier": f"Qwen/Qwen2.5-{number}B-Instruct",
                    "vendor": "alibaba",
                    "family": "qwen",
                    "confidence": "high",
                    "evidence": f'MODEL = "Qwen/Qwen2.5-{number}B-Instruct"  # drafts',
                    "rule": "python.model-string",
                }
                for number in range(rows)
            ],
        }
    ).encode()


def bench_import(organization, round_number: int) -> tuple[float, float]:
    from apps.jobs import services
    from apps.jobs.models import ImportJob
    from apps.jobs.validation import payload_errors

    payload = scan_payload(ROWS, round_number)
    started = time.perf_counter()
    assert payload_errors(kind="scan", payload=payload) == []
    validation = time.perf_counter() - started
    # Stored as job_submit stores it, without queuing it: the benchmark runs the job itself.
    job = ImportJob.objects.create(
        organization=organization,
        kind="scan",
        source="cli",
        payload=payload,
        sha256=services.payload_sha256(payload),
        size=len(payload),
    )
    with connection.cursor() as cursor:  # each round starts from an empty table, like the COPY's
        cursor.execute("TRUNCATE scanner_finding")
        cursor.execute("CHECKPOINT")
    started = time.perf_counter()
    job = services.job_run(job_id=job.pk)
    elapsed = time.perf_counter() - started
    assert job.status == "succeeded", job.errors
    assert job.counts["findings_created"] == ROWS
    return elapsed, validation


def bench_copy(scan_id: int, rows: list[tuple], table: str) -> float:
    from psycopg import sql

    from apps.scanner.ingest import FINDING_COLUMNS

    statement = sql.SQL("COPY {table} (scan_id, {columns}) FROM STDIN").format(
        table=sql.Identifier(table), columns=sql.SQL(", ").join(map(sql.Identifier, FINDING_COLUMNS))
    )
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("TRUNCATE {}").format(sql.Identifier(table)).as_string(cursor.cursor))
        cursor.execute("CHECKPOINT")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row((scan_id, *row))
    return time.perf_counter() - started


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL server: the comparison is with PostgreSQL's COPY.")
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        from apps.accounts.models import Organization
        from apps.scanner.ingest import unique_finding_rows
        from apps.scanner.models import Scan

        organization = Organization.objects.create(slug="bench", name="Bench")
        scan = Scan.objects.create(organization=organization)
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE bench_copy_findings (LIKE scanner_finding INCLUDING ALL)")
            # The same again with the foreign key to the scan that scanner_finding has (checked at commit).
            cursor.execute("CREATE TABLE bench_copy_findings_fk (LIKE scanner_finding INCLUDING ALL)")
            cursor.execute(
                "ALTER TABLE bench_copy_findings_fk ADD FOREIGN KEY (scan_id) REFERENCES scanner_scan (id)"
                " DEFERRABLE INITIALLY DEFERRED"
            )
        rows = unique_finding_rows(json.loads(scan_payload(ROWS, 0))["findings"])

        imports, copies, copies_fk, validations = [], [], [], []
        for round_number in range(1, ROUNDS + 1):
            elapsed, validation = bench_import(organization, round_number)
            imports.append(elapsed)
            validations.append(validation)
            copies.append(bench_copy(scan.pk, rows, "bench_copy_findings"))
            copies_fk.append(bench_copy(scan.pk, rows, "bench_copy_findings_fk"))

        best_import, best_copy, best_copy_fk = min(imports), min(copies), min(copies_fk)
        print(f"rows per run: {ROWS:,}; rounds: {ROUNDS} (best shown, median in brackets)")
        print(
            f"import (job_run: claim, parse, dedupe, COPY, finish, commit): "
            f"{ROWS / best_import:12,.0f} rows/s  {best_import:6.2f} s  [{statistics.median(imports):.2f} s]"
        )
        print(
            f"plain psycopg COPY of the same rows:                          "
            f"{ROWS / best_copy:12,.0f} rows/s  {best_copy:6.2f} s  [{statistics.median(copies):.2f} s]"
        )
        print(
            f"the same COPY into a table with scanner_finding's foreign key:  "
            f"{ROWS / best_copy_fk:12,.0f} rows/s  {best_copy_fk:6.2f} s  [{statistics.median(copies_fk):.2f} s]"
        )
        print(f"ratio import/COPY: {best_import / best_copy:.2f}x (target <= 3x)")
        print(f"ratio import/COPY with the foreign key: {best_import / best_copy_fk:.2f}x")
        print(f"schema validation at submit (jsonschema-rs): {min(validations):.2f} s")
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
