"""The `scan` importer: one Scan per job, findings by natural key, whole or not at all."""

import json

import pytest

from apps.jobs import services
from apps.jobs.importers import ImportRejected, importer_for
from apps.jobs.models import ImportJob
from apps.scanner.ingest import findings_bulk_create, unique_finding_rows
from apps.scanner.models import Finding, Scan
from tests.jobs.conftest import replace_importer, scan_document, scan_payload

pytestmark = pytest.mark.django_db


def run_job(organization, payload: bytes, kind: str = "scan", capture=None) -> ImportJob:
    job, _ = services.job_submit(organization=organization, kind=kind, payload=payload, source="cli")
    return services.job_run(job_id=job.pk, worker_host="test", worker_pid=1)


def test_it_records_the_scan_and_every_finding(organization):
    document = scan_document(3, root="/srv/acme-site")
    document["findings"][0].update(family=None, evidence=None, rule=None)

    job = run_job(organization, json.dumps(document).encode())

    scan = Scan.objects.get()
    assert (scan.organization, scan.job, scan.root) == (organization, job, "/srv/acme-site")
    assert (scan.files_scanned, scan.files_skipped, scan.finding_count) == (1, 2, 3)
    assert scan.source == "Command line"
    first = Finding.objects.get(scan=scan, identifier="Qwen/Qwen2.5-0B-Instruct")
    assert (first.path, first.line, first.kind, first.vendor, first.confidence) == (
        "content/module_0.py",
        1,
        "model",
        "alibaba",
        "high",
    )
    assert (first.family, first.evidence, first.rule) == ("", "", "")


def test_a_finding_repeated_in_the_payload_is_written_once(organization):
    document = scan_document(2)
    document["findings"].append(dict(document["findings"][0], evidence="seen again"))

    job = run_job(organization, json.dumps(document).encode())

    assert job.counts["findings_created"] == 2 and job.counts["findings_repeated"] == 1
    assert Finding.objects.count() == 2


def test_running_a_finished_job_again_changes_nothing(organization):
    job = run_job(organization, scan_payload(5))
    again = services.job_run(job_id=job.pk)

    assert (again.status, again.deliveries, again.finished_at) == ("succeeded", 1, job.finished_at)
    assert Scan.objects.count() == 1 and Finding.objects.count() == 5


def test_a_failing_import_leaves_nothing_behind(organization, monkeypatch):
    def half_then_reject(job, payload, progress):
        from apps.scanner.ingest import scan_import

        scan_import(job, payload, progress)
        raise ImportRejected([{"where": "findings/1", "message": "not allowed"}])

    # In place of the real inventory importer for this test only (monkeypatch puts it back).
    replace_importer(monkeypatch, "inventory", half_then_reject)
    # A .csv name takes the spreadsheet route, which skips the JSON schema: the importer decides.
    job, _ = services.job_submit(
        organization=organization, kind="inventory", payload=scan_payload(4), source="cli", filename="x.csv"
    )
    job = services.job_run(job_id=job.pk)

    assert job.status == "failed"
    assert job.errors == [{"where": "findings/1", "message": "not allowed"}]
    assert not Scan.objects.exists() and not Finding.objects.exists()


def test_an_unexpected_error_fails_the_job_with_its_message(organization, monkeypatch):
    replace_importer(monkeypatch, "inventory", lambda job, payload, progress: 1 / 0)
    job, _ = services.job_submit(
        organization=organization, kind="inventory", payload=b"a,b\n1,2\n", source="cli", filename="x.csv"
    )
    job = services.job_run(job_id=job.pk)

    assert job.status == "failed"
    assert job.errors[0]["where"] == "import"
    assert "ZeroDivisionError" in job.errors[0]["message"]


def test_a_job_delivered_three_times_without_finishing_is_given_up(organization):
    job, _ = services.job_submit(
        organization=organization, kind="scan", payload=scan_payload(1), source="cli"
    )
    # Three deliveries started the import and none came back (their workers died).
    ImportJob.objects.filter(pk=job.pk).update(status="running", deliveries=3)

    job = services.job_run(job_id=job.pk)

    assert (job.status, job.deliveries) == ("failed", 3)
    assert "stopped its worker 3 times" in job.errors[0]["message"]
    assert not Finding.objects.exists()


def test_a_registered_importer_is_used_for_its_kind(organization, monkeypatch):
    replace_importer(monkeypatch, "signals", lambda job, payload, progress: {"signals_created": 2})
    document = b'{"schema": "riskboard.signals/1", "signals": []}'
    job = run_job(organization, document, kind="signals")

    assert (job.status, job.counts) == ("succeeded", {"signals_created": 2})
    assert importer_for("scan") is not None


def test_a_raw_format_skips_the_json_schema(organization, monkeypatch):
    import dataclasses

    from apps.jobs import validation
    from apps.jobs.kinds import INGEST_KINDS

    raw = dataclasses.replace(
        INGEST_KINDS["bench"], raw_format=lambda payload, *_: payload.startswith(b"TAR!")
    )
    monkeypatch.setitem(INGEST_KINDS, "bench", raw)
    assert validation.payload_errors(kind="bench", payload=b"TAR!...") == []
    assert validation.payload_errors(kind="bench", payload=b"NOPE")[0]["message"].startswith("not valid JSON")


def test_bulk_create_writes_the_same_rows_as_copy(organization):
    """The SQLite path (bulk_create in batches) against the PostgreSQL one (COPY), same rows."""
    rows = unique_finding_rows(scan_document(4500)["findings"])
    scan = Scan.objects.create(organization=organization)
    seen: list[int] = []

    findings_bulk_create(scan=scan, rows=rows, model_ids=[None] * len(rows), progress=seen.append)
    findings_bulk_create(
        scan=scan, rows=rows, model_ids=[None] * len(rows), progress=seen.append
    )  # again: natural keys hold

    assert Finding.objects.filter(scan=scan).count() == 4500
    assert seen == [2000, 4000, 4500, 2000, 4000, 4500]
    stored = set(Finding.objects.filter(scan=scan).values_list("path", "line", "kind", "identifier"))
    assert stored == {row[:4] for row in rows}
