"""Ingest kinds are declared once, by their apps; `apps.jobs` names none of the apps above it."""

import re
from pathlib import Path

from apps.jobs.kinds import INGEST_KINDS
from apps.jobs.models import ImportJob

JOBS_DIR = Path(__file__).resolve().parents[2] / "apps" / "jobs"
UPPER_APPS = ("inventory", "scanner", "benchmarks", "watch", "exposure")


def test_every_contract_kind_is_registered_by_its_app():
    contract_kinds = {"scan", "bench", "signals", "inventory"}  # docs/contracts.md; cyclonedx is an addition
    assert set(INGEST_KINDS) == set(ImportJob.Kind.values) == contract_kinds | {"cyclonedx"}
    owners = {kind: entry.importer.__module__.split(".")[1] for kind, entry in INGEST_KINDS.items()}
    assert owners == {
        "scan": "scanner",
        "bench": "benchmarks",
        "signals": "watch",
        "inventory": "inventory",
        "cyclonedx": "reports",
    }
    assert all(entry.schemas and entry.result_link and entry.help for entry in INGEST_KINDS.values())


def test_the_jobs_app_does_not_name_the_apps_above_it():
    pattern = re.compile(r"apps\.(" + "|".join(UPPER_APPS) + r")\b")
    offenders = [
        f"{path.relative_to(JOBS_DIR)}:{number}: {line.strip()}"
        for path in JOBS_DIR.rglob("*.py")
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if pattern.search(line) and not line.lstrip().startswith("#")
    ]
    assert offenders == []


def test_raw_formats_are_recognised_by_their_kind():
    assert INGEST_KINDS["scan"].raw_format(b"PK\x03\x04rest", "site.zip", "")
    assert not INGEST_KINDS["scan"].raw_format(b"{}", "scan.json", "application/json")
    assert INGEST_KINDS["inventory"].raw_format(b"workflow,model\n", "sheet.csv", "")
    assert INGEST_KINDS["bench"].raw_format is None and INGEST_KINDS["signals"].raw_format is None
