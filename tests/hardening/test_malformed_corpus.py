"""Every malformed input of the corpus through every upload, command and API route that accepts its
kind: a clear error, no 500, nothing written, and the parse's memory bounded (measured here, in the
process where it runs: jobs are run inline with `job_run`, as a worker would).

Time is recorded, not asserted: the figures (inputs × entry points, peak memory, longest time) are
printed at the end of the module and written to $RISKBOARD_CORPUS_FIGURES (default
/tmp/riskboard-corpus-figures.json).
"""

import json
import os
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from apps.benchmarks.models import Case, Result, Run, Suite
from apps.inventory import spreadsheet
from apps.inventory.models import Dependency, Tool, Workflow
from apps.jobs import services
from apps.jobs.models import ImportJob
from apps.scanner.models import Finding, Scan
from apps.watch.models import Signal
from tests.hardening.corpus import ARCHIVE_MAX_FILES, SHEET_MAX_ROWS, Probe, corpus

pytestmark = pytest.mark.django_db

# Generous: the parse of any probe stays far below this (the symlink bomb alone once took 2.1 GB).
PEAK_MEMORY_BOUND = 150 * 1024 * 1024
DOMAIN_MODELS = (Workflow, Dependency, Tool, Scan, Finding, Run, Result, Suite, Case, Signal)
LEAKS = ("Traceback", "/work/", "site-packages", "psycopg", "DataError", "unexpected error", "NUL (0x00)")
FIGURES: list[dict] = []


@dataclass
class Context:
    client: object
    token: str
    tmp_path: object


def _job_outcome(job: ImportJob) -> str:
    """Run a stored job here as a worker would; its failure is the clear error."""
    job = services.job_run(job_id=job.pk)
    assert job.status == "failed", f"job {job.pk} {job.status}: {job.counts}"
    assert job.errors and all(error["where"] != "import" for error in job.errors), job.errors
    return "; ".join(f"{error['where']}: {error['message']}" for error in job.errors)


def _latest_job(before: set[int]) -> ImportJob | None:
    return ImportJob.objects.exclude(pk__in=before).defer("payload").first()


def _page_error(response) -> str:
    assert response.status_code in (200, 302, 400, 413, 422), response.status_code
    return response.content.decode()


# -- entry points -----------------------------------------------------------------------------


def api(kind: str) -> Callable[[Context, Probe], str]:
    def send(context: Context, probe: Probe) -> str:
        content_type = "text/csv" if probe.filename.endswith(".csv") else "application/octet-stream"
        if probe.filename.endswith(".json"):
            content_type = "application/json"
        before = set(ImportJob.objects.values_list("pk", flat=True))
        response = context.client.post(
            f"/api/v1/ingest/{kind}",
            data=probe.data,
            content_type=content_type,
            headers={"Authorization": f"Bearer {context.token}"},
        )
        assert response.status_code in (202, 400, 413), response.status_code
        if response.status_code == 202:
            return _job_outcome(_latest_job(before))
        body = response.json()
        return body["error"] + json.dumps(body.get("errors", []))

    send.__name__ = f"api_ingest_{kind}"
    return send


def jobs_upload(kind: str) -> Callable[[Context, Probe], str]:
    def send(context: Context, probe: Probe) -> str:
        before = set(ImportJob.objects.values_list("pk", flat=True))
        response = context.client.post(
            reverse("jobs:upload", kwargs={"org_slug": "acme"}),
            {"kind": kind, "file": SimpleUploadedFile(probe.filename, probe.data)},
        )
        if response.status_code == 302:
            return _job_outcome(_latest_job(before))
        assert response.status_code == 422, response.status_code
        return response.content.decode()

    send.__name__ = f"jobs_upload_{kind}"
    return send


def ingest_command(kind: str) -> Callable[[Context, Probe], str]:
    def send(context: Context, probe: Probe) -> str:
        path = context.tmp_path / probe.filename
        path.write_bytes(probe.data)
        before = set(ImportJob.objects.values_list("pk", flat=True))
        try:
            call_command(
                "ingest", kind, str(path), "--organization", "acme", stdout=StringIO(), stderr=StringIO()
            )
        except CommandError as error:
            return str(error)
        return _job_outcome(_latest_job(before))

    send.__name__ = f"ingest_command_{kind}"
    return send


def import_inventory_command(context: Context, probe: Probe) -> str:
    path = context.tmp_path / probe.filename
    path.write_bytes(probe.data)
    err = StringIO()
    try:
        call_command("import_inventory", str(path), "--organization", "acme", stdout=StringIO(), stderr=err)
    except CommandError as error:
        return str(error)
    except SystemExit as exit_:
        assert exit_.code == 1
        return err.getvalue()
    raise AssertionError("import_inventory accepted a malformed sheet")


def inventory_import_page(context: Context, probe: Probe) -> str:
    response = context.client.post(
        reverse("inventory:import", kwargs={"org_slug": "acme"}),
        {"file": SimpleUploadedFile(probe.filename, probe.data)},
    )
    assert response.status_code == 422, response.status_code
    return response.content.decode()


def import_results_command(context: Context, probe: Probe) -> str:
    path = context.tmp_path / probe.filename
    path.write_bytes(probe.data)
    with pytest.raises(CommandError) as raised:
        call_command("import_results", str(path), "--organization", "acme", stdout=StringIO())
    return str(raised.value)


def scanner_upload_page(context: Context, probe: Probe) -> str:
    before = set(ImportJob.objects.values_list("pk", flat=True))
    response = context.client.post(
        reverse("scanner:upload", kwargs={"org_slug": "acme"}),
        {"archive": SimpleUploadedFile(probe.filename, probe.data)},
    )
    if response.status_code == 302:
        return _job_outcome(_latest_job(before))
    assert response.status_code == 422, response.status_code
    return response.content.decode()


def _suite_import(context: Context, fields: dict) -> str:
    response = context.client.post(reverse("benchmarks:suite_import", kwargs={"org_slug": "acme"}), fields)
    assert response.status_code == 422, response.status_code
    return response.content.decode()


def suite_import_upload(context: Context, probe: Probe) -> str:
    return _suite_import(context, {"name": "Probe", "file": SimpleUploadedFile(probe.filename, probe.data)})


def suite_import_paste(context: Context, probe: Probe) -> str:
    try:
        text = probe.data.decode("utf-8")
    except UnicodeDecodeError:
        pytest.skip("a pasted text is always Unicode")
    return _suite_import(context, {"name": "Probe", "text": text})


ENTRY_POINTS: dict[str, list[Callable[[Context, Probe], str]]] = {
    "sheet": [
        inventory_import_page,
        import_inventory_command,
        jobs_upload("inventory"),
        api("inventory"),
        ingest_command("inventory"),
    ],
    "inventory_json": [jobs_upload("inventory"), api("inventory"), ingest_command("inventory")],
    "archive": [scanner_upload_page, jobs_upload("scan"), api("scan"), ingest_command("scan")],
    "scan_json": [jobs_upload("scan"), api("scan"), ingest_command("scan")],
    "signals_json": [jobs_upload("signals"), api("signals"), ingest_command("signals")],
    "bench": [jobs_upload("bench"), api("bench"), ingest_command("bench"), import_results_command],
    "yaml": [suite_import_upload, suite_import_paste],
}

CASES = [
    pytest.param(probe, entry, id=f"{probe.family}-{probe.name}-{entry.__name__}")
    for probe in corpus()
    for entry in ENTRY_POINTS[probe.family]
]


@pytest.fixture(autouse=True)
def _corpus_settings(settings, monkeypatch):
    settings.RISKBOARD_ARCHIVE_MAX_FILES = ARCHIVE_MAX_FILES
    monkeypatch.setattr(spreadsheet, "MAX_SHEET_ROWS", SHEET_MAX_ROWS)
    # ~300 cases each make an editor: a real password hash (a second of CPU apiece) is not the point.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def context(editor_client, api_token, tmp_path) -> Context:
    return Context(client=editor_client, token=api_token[1], tmp_path=tmp_path)


@pytest.fixture
def api_token(organization):
    from apps.accounts.tokens import api_token_create

    return api_token_create(organization=organization, name="corpus")


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in DOMAIN_MODELS}


@pytest.mark.parametrize(("probe", "entry"), CASES)
def test_a_malformed_input_gets_a_clear_error_and_costs_little(context, probe: Probe, entry):
    before = _counts()
    tracemalloc.start()
    started = time.perf_counter()
    try:
        message = entry(context, probe)
    finally:
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    FIGURES.append({"probe": repr(probe), "entry": entry.__name__, "seconds": elapsed, "peak_bytes": peak})

    assert message.strip(), "no error was shown"
    assert not any(leak in message for leak in LEAKS), message[:2000]
    assert _counts() == before, "a malformed input wrote rows"
    assert peak < PEAK_MEMORY_BOUND, f"peak {peak / 2**20:.0f} MB"


@pytest.fixture(scope="module", autouse=True)
def _report_figures():
    yield
    if not FIGURES:
        return
    slowest = max(FIGURES, key=lambda figure: figure["seconds"])
    hungriest = max(FIGURES, key=lambda figure: figure["peak_bytes"])
    summary = {
        "inputs": len(corpus()),
        "cases": len(FIGURES),
        "longest_seconds": round(slowest["seconds"], 3),
        "longest": f"{slowest['probe']} via {slowest['entry']}",
        "peak_mb": round(hungriest["peak_bytes"] / 2**20, 1),
        "peak": f"{hungriest['probe']} via {hungriest['entry']}",
        "total_seconds": round(sum(figure["seconds"] for figure in FIGURES), 1),
    }
    path = os.environ.get("RISKBOARD_CORPUS_FIGURES", "/tmp/riskboard-corpus-figures.json")
    with open(path, "w") as handle:
        json.dump({"summary": summary, "cases": FIGURES}, handle, indent=1)
    print(f"\nmalformed-input corpus: {json.dumps(summary)}")
