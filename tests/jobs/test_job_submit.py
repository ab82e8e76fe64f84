"""job_submit: a payload is checked, stored with its sha256 and queued; the same bytes twice are one job."""

import hashlib
import json

import pytest

from apps.jobs import services
from apps.jobs.models import ImportJob
from apps.scanner.models import Finding, Scan
from tests.jobs.conftest import scan_document, scan_payload

pytestmark = pytest.mark.django_db


def submit(organization, payload: bytes, kind: str = "scan", **kwargs):
    return services.job_submit(organization=organization, kind=kind, payload=payload, source="cli", **kwargs)


def test_it_stores_the_payload_and_its_sha256_before_importing(organization):
    payload = scan_payload(3)

    job, created = submit(organization, payload)

    job.refresh_from_db()
    assert created
    assert bytes(job.payload) == payload
    assert job.sha256 == hashlib.sha256(payload).hexdigest()
    assert job.size == len(payload)
    assert job.status == ImportJob.Status.QUEUED


def test_it_imports_on_commit(organization, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = submit(organization, scan_payload(25))

    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED
    # The scanner's importer may add counts of its own (reconciliation); these are the pipeline's.
    expected = {"scans_created": 1, "findings_created": 25, "findings_repeated": 0}
    assert job.counts.items() >= expected.items()
    assert (job.progress_done, job.progress_total, job.deliveries) == (25, 25, 1)
    assert job.started_at <= job.finished_at
    assert Finding.objects.filter(scan__job=job).count() == 25


def test_the_same_bytes_twice_answer_with_the_first_job(organization, django_capture_on_commit_callbacks):
    payload = scan_payload(5)
    with django_capture_on_commit_callbacks(execute=True):
        first, first_created = submit(organization, payload)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second, second_created = submit(organization, payload, filename="again.json")

    assert (first_created, second_created) == (True, False)
    assert second.pk == first.pk
    assert callbacks == []
    assert ImportJob.objects.count() == 1
    assert Scan.objects.count() == 1
    assert Finding.objects.count() == 5


def test_the_same_bytes_for_another_organization_are_their_own_job(organization, other_organization):
    payload = scan_payload(2)
    mine, _ = submit(organization, payload)
    theirs, created = submit(other_organization, payload)
    assert created
    assert theirs.pk != mine.pk


def test_it_lists_every_schema_violation_with_its_field_and_stores_nothing(organization):
    document = scan_document(3)
    document["findings"][1]["line"] = 0
    document["findings"][2]["vendor"] = "ollama"
    del document["files_scanned"]

    with pytest.raises(services.PayloadInvalid) as raised:
        submit(organization, json.dumps(document).encode())

    where = {error["where"]: error["message"] for error in raised.value.errors}
    assert set(where) == {"(document)", "findings/1/line", "findings/2/vendor"}
    assert "files_scanned" in where["(document)"]
    assert "minimum of 1" in where["findings/1/line"]
    assert "ollama" in where["findings/2/vendor"]
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "expected a JSON object"),
        (b"", "empty"),
        (b'{"schema": "riskboard.scan/2"}', "riskboard.scan/1"),
    ],
)
def test_it_rejects_a_malformed_payload_readably(organization, payload, message):
    with pytest.raises(services.PayloadInvalid) as raised:
        submit(organization, payload)
    assert message in raised.value.errors[0]["message"]


def test_a_payload_of_a_kind_no_app_registered_is_refused_saying_so(organization, monkeypatch):
    from apps.jobs.kinds import INGEST_KINDS

    document = {"schema": "riskboard.signals/1", "signals": []}
    monkeypatch.delitem(INGEST_KINDS, "signals")  # as if no app had registered it
    with pytest.raises(services.PayloadInvalid) as raised:
        submit(organization, json.dumps(document).encode(), kind="signals")

    assert raised.value.errors[0]["where"] == "kind"
    assert "no app imports 'signals' payloads" in raised.value.errors[0]["message"]
    assert not ImportJob.objects.exists()


def test_a_stored_job_whose_kind_lost_its_importer_fails_saying_so(
    organization, django_capture_on_commit_callbacks, monkeypatch
):
    from apps.jobs.kinds import INGEST_KINDS

    document = {"schema": "riskboard.signals/1", "signals": []}
    job, _ = submit(organization, json.dumps(document).encode(), kind="signals")
    monkeypatch.delitem(INGEST_KINDS, "signals")  # the app that imports it was removed since

    job = services.job_run(job_id=job.pk)

    assert job.status == ImportJob.Status.FAILED
    assert job.errors == [
        {
            "where": "kind",
            "message": "No importer is registered for 'signals' payloads yet, so this job cannot run.",
        }
    ]


def test_bench_accepts_a_promptfoo_file_as_it_is(organization):
    promptfoo = {"evalId": "eval-abc", "results": {"results": [], "stats": {"successes": 0}}}
    job, created = submit(organization, json.dumps(promptfoo).encode(), kind="bench")
    assert created and job.kind == "bench"


def test_inventory_accepts_the_spreadsheet(organization):
    sheet = b"workflow,model,criticality,switching difficulty\nBlog localisation,qwen2.5:7b,high,4\n"
    job, created = submit(organization, sheet, kind="inventory", filename="inventory.csv")
    assert created and job.filename == "inventory.csv"
