"""Leadership pages under load at 10,000 workflows, the daily refresh, and the dashboard's JavaScript weight.

    .venv/bin/python tests/bench/bench_load.py   # DATABASE_URL defaults to …/riskboard_bench_load

1. Seeds the benchmark database with `seed_scale` (10,000 workflows by default, BENCH_WORKFLOWS) and two
   recent vendor signals (they exercise the dashboard's next actions and recent signals).
2. Times the daily refresh of that organization (vendor risk, every score, the snapshot): the issue
   asks for under 60 s. A normal day only stores the scores that moved; BENCH_REFRESH_ALL=1 makes every
   stored score stale first (the worst day).
3. Weighs the JavaScript the exposure dashboard loads, gzip -9 (the issue asks for ≤ 450 kB).
4. Starts gunicorn (BENCH_GUNICORN_WORKERS, default 3, DEBUG off) on PostgreSQL and runs a closed-loop load
   test: BENCH_CONCURRENCY clients (default 6) each request /healthz, the dashboard, the budget page and
   the inventory list in turn, BENCH_ROUNDS times (default 25), logged in as a viewer. Every page is
   measured in the same run as /healthz, so a busy machine slows both; the issue asks for each page's
   p95 within 10× /healthz's p95. Read the ratio with the absolute figures: once the workers are
   saturated, /healthz waits in the same queue as the pages, which flattens the ratio.
"""

import gzip
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskboard.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/riskboard_bench_load")

import logging  # noqa: E402

import django  # noqa: E402
import httpx  # noqa: E402
import psycopg  # noqa: E402

WORKFLOWS = int(os.environ.get("BENCH_WORKFLOWS", "10000"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "6"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "25"))
GUNICORN_WORKERS = os.environ.get("BENCH_GUNICORN_WORKERS", "3")
ORG = "scale-agency"
JS_BUDGET_GZIP = 450_000


def ensure_database(url: str) -> None:
    base, name = url.rsplit("/", 1)
    with psycopg.connect(
        f"{base}/postgres".replace("postgres://", "postgresql://", 1), autocommit=True
    ) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


ensure_database(os.environ["DATABASE_URL"])
django.setup()
logging.getLogger("httpx").setLevel(logging.WARNING)

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def seed():
    call_command("migrate", verbosity=0)
    call_command("seed_scale", workflows=WORKFLOWS, organization=ORG)
    from django.db import connection

    with connection.cursor() as cursor:  # fresh bulk inserts: give the planner real row counts
        cursor.execute("ANALYZE")
    from django.contrib.auth import get_user_model

    from apps.accounts.models import Membership, Organization
    from apps.budget.services import scenario_save

    user, _ = get_user_model().objects.get_or_create(username="bench-viewer")
    organization = Organization.objects.get(slug=ORG)
    Membership.objects.get_or_create(user=user, organization=organization, defaults={"role": "viewer"})
    recent_signals(organization)
    if not organization.budget_scenarios.exists():
        scenario_save(organization=organization, name="alibaba ×15", spec="alibaba*15")
        scenario_save(organization=organization, name="alibaba API-only ×15", spec="alibaba:api-only*15")
    return user, organization


def recent_signals(organization) -> None:
    """Two recent signals (Alibaba critical, OpenAI warning), so the dashboard's next actions and recent
    signals name the thousands of workflows they affect, as they do on a real Monday."""
    from django.utils import timezone

    from apps.common.vocab import STORED_SIGNAL_KIND_CHOICES
    from apps.inventory.models import Vendor
    from apps.watch.models import Signal

    for slug, severity in (("alibaba", "critical"), ("openai", "warning")):
        vendor = Vendor.objects.filter(slug=slug).first()
        if vendor is not None:
            Signal.objects.get_or_create(
                organization=organization,
                key=f"bench-{slug}",
                defaults={
                    "source_spec": "manual",
                    "kind": STORED_SIGNAL_KIND_CHOICES[0][0],
                    "subject": f"Benchmark signal on {vendor.name}",
                    "vendor": vendor,
                    "vendor_slug": slug,
                    "severity": severity,
                    "observed_at": timezone.now(),
                },
            )


def time_daily_refresh(organization) -> float:
    from apps.exposure.history import organization_refresh
    from apps.inventory.models import Workflow

    if os.environ.get("BENCH_REFRESH_ALL") == "1":  # the worst day: every stored score is stale
        Workflow.objects.filter(organization=organization).update(exposure_score=-1)
    started = time.perf_counter()
    report = organization_refresh(organization=organization)
    elapsed = time.perf_counter() - started
    print(
        f"daily refresh: {report.workflows} workflows checked, {report.rescored} rescored, in {elapsed:.1f} s "
        "(limit 60 s)"
    )
    return elapsed


def dashboard_javascript(user) -> int:
    setup_test_environment()
    client = Client()
    client.force_login(user)
    page = client.get(f"/o/{ORG}/exposure/").content.decode()
    total = 0
    for src in re.findall(r'<script[^>]+src="([^"]+)"', page):
        relative = src.removeprefix(settings.STATIC_URL)
        path = finders.find(relative)
        size = len(gzip.compress(Path(path).read_bytes(), compresslevel=9))
        print(f"  {relative:<48} {size / 1000:8.1f} kB gzip")
        total += size
    print(f"dashboard JavaScript: {total / 1000:.1f} kB gzip (limit {JS_BUDGET_GZIP / 1000:.0f} kB)")
    return total


def session_cookie(user) -> dict:
    client = Client()
    client.force_login(user)
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int) -> subprocess.Popen:
    env = {**os.environ, "DEBUG": "0", "RISKBOARD_ENV": "development"}
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "riskboard.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            GUNICORN_WORKERS,
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.5)
    process.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 180 s")


def load_test(port: int, cookies: dict) -> dict[str, list[float]]:
    pages = {
        "/healthz": "/healthz",
        "exposure dashboard": f"/o/{ORG}/exposure/",
        "budget page": f"/o/{ORG}/budget/",
        "inventory list": f"/o/{ORG}/inventory/",
    }
    timings: dict[str, list[float]] = {label: [] for label in pages}
    lock = threading.Lock()
    errors: list[str] = []

    def worker(offset: int) -> None:
        labels = list(pages)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", cookies=cookies, timeout=120) as client:
            for index in range(ROUNDS * len(labels)):
                label = labels[(index + offset) % len(labels)]  # clients start on different pages
                started = time.perf_counter()
                response = client.get(pages[label])
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200:
                    errors.append(f"{label}: {response.status_code}")
                with lock:
                    timings[label].append(elapsed)

    for _label, path in pages.items():  # warm every worker's imports and caches once
        for _ in range(int(GUNICORN_WORKERS) * 2):
            httpx.get(f"http://127.0.0.1:{port}{path}", cookies=cookies, timeout=120)
    threads = [threading.Thread(target=worker, args=(offset,)) for offset in range(CONCURRENCY)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(
        f"load: {CONCURRENCY} clients × {ROUNDS} rounds against gunicorn ({GUNICORN_WORKERS} workers) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    if errors:
        raise SystemExit(f"errors under load: {errors[:5]}")
    return timings


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def main() -> None:
    user, organization = seed()
    print(f"{WORKFLOWS} workflows in {ORG}, PostgreSQL, {os.cpu_count()} CPUs")
    time_daily_refresh(organization)
    dashboard_javascript(user)
    cookies = session_cookie(user)
    port = free_port()
    server = start_gunicorn(port)
    try:
        timings = load_test(port, cookies)
    finally:
        server.terminate()
        server.wait(timeout=30)
    base = p95(timings["/healthz"])
    for label, values in timings.items():
        ratio = p95(values) / base
        verdict = (
            "" if label == "/healthz" else f"  {ratio:5.1f}× /healthz {'ok' if ratio <= 10 else 'OVER 10×'}"
        )
        print(
            f"{label:<22} n={len(values):4d}  p50 {statistics.median(values):7.1f} ms  p95 {p95(values):7.1f} ms"
            f"{verdict}"
        )


if __name__ == "__main__":
    main()
