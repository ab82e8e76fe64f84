"""The plans page at scale: "migrate first" over 10,000 workflows, plus the registry export.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/riskboard_bench_dash .venv/bin/python tests/bench/bench_plans.py

Creates the data with `seed_scale` if needed, then times each page (median of several requests
through Django's test client, so no network) and counts its queries.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskboard.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/riskboard_bench_dash")

import django

from tests.bench.bench_dashboard import ensure_database, scale_viewer_client

ensure_database(os.environ["DATABASE_URL"])
django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

WORKFLOWS = int(os.environ.get("BENCH_WORKFLOWS", "10000"))
REPEATS = 5


def main() -> None:
    client = scale_viewer_client(WORKFLOWS)
    pages = {
        "plans: migrate first (top 25) + timeline": "/o/scale-agency/plans/",
        "registry export (production)": "/o/scale-agency/plans/registry/export/",
    }
    print(f"{WORKFLOWS} workflows")
    for label, path in pages.items():
        timings = []
        for _ in range(REPEATS):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        print(
            f"{label:<42} median {statistics.median(timings):7.1f} ms   best {min(timings):7.1f} ms   "
            f"{len(queries)} queries"
        )


if __name__ == "__main__":
    main()
