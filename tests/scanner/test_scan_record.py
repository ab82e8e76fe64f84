"""`manage.py scan PATH --organization SLUG` records the scan through the job pipeline (real PostgreSQL)."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.jobs.models import ImportJob
from apps.scanner.models import Finding, Scan
from tests.factories import workflow_with
from tests.scanner.support import write_tree

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

REPOSITORY = {
    "app/draft.py": 'DRAFT_MODEL = "Qwen/Qwen2.5-7B-Instruct"\n',
    "app/review.py": '\n\nreviewer = ChatOllama(model="llama3.2")\n',
    "requirements.txt": "anthropic==0.40\n",
}


def scan(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("scan", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_records_the_scan_as_a_cli_job_and_still_prints_one_json_document(tmp_path, organization):
    repo = write_tree(tmp_path / "site", REPOSITORY)

    out, err = scan(str(repo), "--json", "--organization", "acme")

    document = json.loads(out)  # stdout is exactly the contract's document
    assert document["schema"] == "riskboard.scan/1"
    job = ImportJob.objects.get(organization=organization)
    assert (job.kind, job.source, job.status) == ("scan", "cli", "succeeded")
    assert f"job #{job.pk}" in err
    scan_row = Scan.objects.get(job=job)
    assert scan_row.source_key == f"cli:{repo.resolve()}"
    assert scan_row.root == str(repo)
    recorded = sorted(scan_row.findings.values_list("path", "line", "kind", "identifier", "vendor"))
    printed = sorted(
        (f["path"], f["line"], f["kind"], f["identifier"], f["vendor"]) for f in document["findings"]
    )
    assert recorded == printed
    assert ("app/draft.py", 1, "model", "Qwen/Qwen2.5-7B-Instruct", "alibaba") in recorded


def test_it_matches_model_findings_to_the_catalog(tmp_path, organization):
    repo = write_tree(tmp_path / "site", REPOSITORY)

    scan(str(repo), "--organization", "acme")

    draft = Finding.objects.get(path="app/draft.py")
    assert draft.model is not None and draft.model.name == "Qwen2.5-7B-Instruct"
    assert draft.model.vendor.slug == "alibaba"
    assert Finding.objects.get(kind="package").model is None


def test_it_links_what_the_inventory_already_has_and_queues_the_rest(tmp_path, organization):
    workflow_with(organization=organization, name="Blog drafts", models=["qwen2.5:7b"])
    repo = write_tree(tmp_path / "site", REPOSITORY)

    _out, err = scan(str(repo), "--organization", "acme")

    statuses = dict(Finding.objects.values_list("identifier", "status"))
    assert statuses["Qwen/Qwen2.5-7B-Instruct"] == "linked"  # same catalog model as "qwen2.5:7b"
    assert statuses["llama3.2"] == "untracked"
    assert statuses["anthropic"] == "untracked"  # no Anthropic model in the inventory
    assert "1 linked to the inventory, 2 untracked" in err


def test_the_same_tree_twice_is_one_job_and_one_scan(tmp_path, organization):
    repo = write_tree(tmp_path / "site", REPOSITORY)

    scan(str(repo), "--organization", "acme")
    scan(str(repo), "--organization", "acme")

    assert ImportJob.objects.count() == 1
    assert Scan.objects.count() == 1


def test_an_unknown_organization_is_an_error(tmp_path, organization):
    repo = write_tree(tmp_path / "site", REPOSITORY)
    with pytest.raises(CommandError, match="No organization with slug 'nope'"):
        scan(str(repo), "--organization", "nope")
