"""`make run` on a fresh machine: the embedded SQLite default migrates, loads the demo and serves every
section. The suite runs on PostgreSQL, so SQL that only PostgreSQL speaks would otherwise go unseen."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PAGES_SCRIPT = """
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import setup_test_environment

from apps.accounts.models import Client as AgencyClient, Organization

setup_test_environment()
browser = Client(raise_request_exception=False)
browser.force_login(get_user_model().objects.get(username="demo"))
failures = []
for organization in Organization.objects.all():
    base = f"/o/{organization.slug}/"
    paths = ["exposure/", "exposure/method/", "budget/", "budget/?scenario=alibaba*15", "inventory/",
             "inventory/catalog/", "plans/", "plans/registry/", "archive/", "policies/", "reports/",
             "reports/organization/", "watch/", "benchmarks/", "jobs/"]
    for client in AgencyClient.objects.filter(organization=organization):
        paths += [f"reports/clients/{client.slug}/", f"exposure/?client={client.slug}"]
    for path in paths:
        status = browser.get(base + path).status_code
        if status != 200:
            failures.append(f"{base}{path} answered {status}")
print("\\n".join(failures) or "every page answered 200")
"""


@pytest.mark.timeout(600)
def test_the_demo_runs_on_the_embedded_sqlite_default(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    }

    def manage(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=500,
        )
        assert done.returncode == 0, f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}"
        return done.stdout

    manage("migrate", "--noinput", "-v0")
    assert "riskboard-demo" in manage("seed_demo")
    assert manage("shell", "-c", PAGES_SCRIPT).strip().endswith("every page answered 200")
