"""`manage.py ingest KIND FILE --organization SLUG [--wait]`: queue a payload from the command line."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.jobs.models import ImportJob
from apps.scanner.models import Finding
from tests.jobs.conftest import scan_document, scan_payload

pytestmark = pytest.mark.django_db(transaction=True)  # the command's on_commit really commits


def test_it_queues_and_imports_a_scan_file(organization, tmp_path):
    path = tmp_path / "scan.json"
    path.write_bytes(scan_payload(8))
    out = StringIO()

    call_command("ingest", "scan", str(path), "--organization", "acme", "--wait", "--json", stdout=out)

    status = json.loads(out.getvalue())
    job = ImportJob.objects.get()
    assert (status["id"], status["status"], job.source, job.filename) == (
        job.pk,
        "succeeded",
        "cli",
        "scan.json",
    )
    assert Finding.objects.count() == 8


def test_an_invalid_file_lists_its_errors_and_stores_nothing(organization, tmp_path):
    document = scan_document(1)
    document["findings"][0]["line"] = -1
    path = tmp_path / "scan.json"
    path.write_text(json.dumps(document))

    with pytest.raises(CommandError, match="findings/0/line"):
        call_command("ingest", "scan", str(path), "--organization", "acme")
    assert not ImportJob.objects.exists()


def test_a_failed_job_exits_non_zero_when_waited_for(organization, tmp_path, monkeypatch):
    path = tmp_path / "signals.json"
    path.write_text(json.dumps({"schema": "riskboard.signals/1", "signals": []}))
    from apps.jobs.importers import ImportRejected
    from tests.jobs.conftest import replace_importer

    def reject(job, payload, progress):
        raise ImportRejected([{"where": "signals", "message": "refused for the test"}])

    replace_importer(monkeypatch, "signals", reject)
    with pytest.raises(CommandError, match="failed"):
        call_command("ingest", "signals", str(path), "--organization", "acme", "--wait", stdout=StringIO())
