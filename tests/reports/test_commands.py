"""`manage.py report` and `manage.py share create|revoke|list` (docs/contracts.md)."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client as BrowserClient

from apps.reports.cyclonedx import schema_errors
from apps.reports.models import ShareLink

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("export_format", ["pdf", "csv", "xlsx", "cyclonedx"])
def test_report_writes_the_clients_report(agency, tmp_path, export_format):
    target = tmp_path / f"helix.{export_format}"
    _out, err = run(
        "report",
        "--organization",
        "brightline",
        "--client",
        "helix-health",
        "--format",
        export_format,
        "--output",
        str(target),
    )
    content = target.read_bytes()
    assert content and "Helix Health" in err
    if export_format == "csv":
        rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
        assert sorted(row["workflow"] for row in rows) == sorted(agency.helix_workflows)
    if export_format == "cyclonedx":
        assert schema_errors(content.decode()) == []
    if export_format == "pdf":
        assert content.startswith(b"%PDF-")
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left behind


def test_report_of_the_whole_organization_covers_every_workflow(agency, tmp_path):
    target = tmp_path / "all.csv"
    run("report", "--organization", "brightline", "--format", "csv", "--output", str(target))
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(agency.helix_workflows + agency.cartwheel_workflows + agency.internal_workflows)


def test_report_refuses_an_unknown_client_and_writes_nothing(agency, tmp_path):
    target = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match="no client 'nope'.*helix-health"):
        run(
            "report",
            "--organization",
            "brightline",
            "--client",
            "nope",
            "--format",
            "pdf",
            "--output",
            str(target),
        )
    assert not target.exists()


def test_share_create_prints_a_working_url_once_and_list_and_revoke_follow_the_contract(agency, settings):
    settings.SITE_URL = "https://riskboard.example"
    out, err = run(
        "share", "create", "--organization", "brightline", "--client", "helix-health", "--days", "10"
    )
    url = out.strip()
    assert url.startswith("https://riskboard.example/shared/") and len(out.splitlines()) == 1
    assert "shown once" in err
    path = url.removeprefix("https://riskboard.example")
    browser = BrowserClient()
    page = browser.get(browser.get(path)["Location"])
    assert "Patient education drafting" in page.content.decode()

    listing = json.loads(run("share", "list", "--organization", "brightline", "--json")[0])
    assert listing["schema"] == "riskboard.share-list/1"
    (entry,) = listing["links"]
    link = ShareLink.objects.get()
    assert entry["id"] == link.pk and entry["client"] == "helix-health"
    assert entry["opens"] == 1 and entry["last_opened_at"] and entry["revoked_at"] is None
    assert {"created_at", "expires_at"} <= set(entry)

    run("share", "revoke", str(link.pk), "--organization", "brightline")
    assert BrowserClient().get(path).status_code == 410
    assert json.loads(run("share", "list", "--organization", "brightline", "--json")[0])["links"][0][
        "revoked_at"
    ]


def test_share_refuses_bad_input(agency):
    with pytest.raises(CommandError, match="no client"):
        run("share", "create", "--organization", "brightline", "--client", "nope")
    with pytest.raises(CommandError, match="1 to 365 days"):
        run("share", "create", "--organization", "brightline", "--client", "helix-health", "--days", "0")
    with pytest.raises(CommandError, match="no share link #999"):
        run("share", "revoke", "999", "--organization", "brightline")
    assert not ShareLink.objects.exists()
