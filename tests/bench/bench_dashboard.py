"""Leadership pages at scale: render the exposure dashboard and the inventory list for 10,000 workflows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/riskboard_bench_dash .venv/bin/python tests/bench/bench_dashboard.py

Creates the database's data with `seed_scale` if needed, then times each page (median of several
requests through Django's test client, so no network) and counts its queries.
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
import psycopg


def ensure_database(url: str) -> None:
    """Benchmarks use their own database; create it on first run."""
    base, name = url.rsplit("/", 1)
    with psycopg.connect(
        f"{base}/postgres".replace("postgres://", "postgresql://", 1), autocommit=True
    ) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


ensure_database(os.environ["DATABASE_URL"])
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

WORKFLOWS = int(os.environ.get("BENCH_WORKFLOWS", "10000"))
REPEATS = 7


def scale_viewer_client(workflows: int) -> Client:
    """Migrate, build the `scale-agency` of `workflows` workflows, and log a viewer of it in."""
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("seed_scale", workflows=workflows, organization="scale-agency")
    from django.contrib.auth import get_user_model

    from apps.accounts.models import Membership, Organization

    user, _ = get_user_model().objects.get_or_create(username="bench-viewer")
    organization = Organization.objects.get(slug="scale-agency")
    Membership.objects.get_or_create(user=user, organization=organization, defaults={"role": "viewer"})
    client = Client()
    client.force_login(user)
    return client


def main() -> None:
    client = scale_viewer_client(WORKFLOWS)
    pages = {
        "exposure dashboard": "/o/scale-agency/exposure/",
        "inventory list (25 rows)": "/o/scale-agency/inventory/",
        "inventory list, vendor filter + search": "/o/scale-agency/inventory/?vendor=alibaba&q=Workflow%2001",
        "inventory list (500 rows)": "/o/scale-agency/inventory/?per_page=500",
    }
    print(
        f"{WORKFLOWS} workflows, PostgreSQL {connection.pg_version if connection.vendor == 'postgresql' else connection.vendor}"
    )
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
