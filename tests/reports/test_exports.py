"""Exports of one client's report: PDF (rendered back to pixels and text), CSV, XLSX and CycloneDX 1.6."""

import csv
import io
import json

import pypdfium2
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.reports.cyclonedx import schema_errors
from apps.reports.exports import report_export
from tests.factories import workflow_with

pytestmark = pytest.mark.django_db


def export(agency, client, export_format: str) -> bytes:
    return report_export(organization=agency.organization, client=client, export_format=export_format).content


def pdf_pages(content: bytes) -> tuple[list, str]:
    document = pypdfium2.PdfDocument(content)
    images = [document[index].render(scale=1).to_pil().convert("L") for index in range(len(document))]
    text = "\n".join(document[index].get_textpage().get_text_range() for index in range(len(document)))
    return images, text


def test_the_pdf_has_a_cover_the_summary_and_tables_of_this_client_only(agency):
    images, text = pdf_pages(export(agency, agency.helix, "pdf"))
    assert len(images) >= 2
    for image in images:
        darkest, lightest = image.getextrema()
        assert darkest < 100 and lightest > 200, "a page is blank"
    # Real content on the summary page: a good share of it is ink, not paper.
    histogram = images[1].histogram()
    assert sum(histogram[:200]) > 0.01 * sum(histogram)
    flat = " ".join(text.split())
    assert "Helix Health" in flat and "Prepared for Helix Health by Brightline Agency" in flat
    assert "1 of 2 workflows is highly exposed" in flat
    # Table cells wrap names over lines: compare without any whitespace.
    squeezed = "".join(text.split())
    for name in agency.helix_workflows:
        assert "".join(name.split()) in squeezed, name
    for name in agency.cartwheel_workflows + agency.internal_workflows:
        assert "".join(name.split()) not in squeezed, name


def test_the_csv_lists_this_clients_workflows_with_the_why(agency):
    content = export(agency, agency.helix, "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert sorted(row["workflow"] for row in rows) == sorted(agency.helix_workflows)
    patient = next(row for row in rows if row["workflow"] == "Patient education drafting")
    assert patient["exposure band"] == "high" and patient["primary models"] == "Qwen3.5-9B"
    assert "Data sensitivity (regulated) +7" in patient["why"]
    assert not any(name in content for name in agency.cartwheel_workflows + agency.internal_workflows)


def test_spreadsheets_neutralise_formulas(agency):
    workflow_with(
        organization=agency.organization,
        client=agency.helix,
        name='=HYPERLINK("http://evil.example","open")',
        models=["@SUM(1+1)"],
    )
    csv_rows = list(csv.reader(io.StringIO(export(agency, agency.helix, "csv").decode("utf-8-sig"))))
    cells = [cell for row in csv_rows for cell in row]
    assert '\'=HYPERLINK("http://evil.example","open")' in cells
    assert "'@SUM(1+1)" in cells
    assert not any(cell.startswith(("=", "@", "+", "-")) for cell in cells if cell)

    workbook = load_workbook(io.BytesIO(export(agency, agency.helix, "xlsx")))
    values = [cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row]
    texts = [value for value in values if isinstance(value, str)]
    assert '\'=HYPERLINK("http://evil.example","open")' in texts
    assert not any(text.startswith(("=", "@")) for text in texts)


def test_the_xlsx_has_a_sheet_per_table_and_nothing_of_other_clients(agency):
    workbook = load_workbook(io.BytesIO(export(agency, agency.helix, "xlsx")))
    assert workbook.sheetnames[:2] == ["Summary", "Workflows"]
    assert "Readiness to switch" in workbook.sheetnames
    workflows = [row[0] for row in workbook["Workflows"].iter_rows(min_row=2, values_only=True)]
    assert sorted(workflows) == sorted(agency.helix_workflows)
    everything = " ".join(
        str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row if cell
    )
    assert not any(name in everything for name in agency.cartwheel_workflows + agency.internal_workflows)


def test_the_cyclonedx_bom_validates_against_the_1_6_schema(agency):
    document = export(agency, agency.helix, "cyclonedx").decode()
    assert schema_errors(document) == []
    bom = json.loads(document)
    assert bom["specVersion"] == "1.6" and bom["bomFormat"] == "CycloneDX"
    models = {c["name"]: c for c in bom["components"] if c["type"] == "machine-learning-model"}
    assert set(models) == {"Qwen3.5-9B", "GPT-4o mini", "Claude 3.5 Haiku"}
    qwen = models["Qwen3.5-9B"]
    assert qwen["supplier"]["name"] == "Alibaba (Qwen)"
    assert qwen["licenses"] == [{"license": {"id": "Apache-2.0"}}]
    assert qwen["purl"].startswith("pkg:huggingface/qwen/")
    assert {ref["type"] for ref in qwen["externalReferences"]} >= {"distribution"}
    assert models["GPT-4o mini"]["licenses"] == [{"license": {"name": "proprietary"}}]
    applications = {c["bom-ref"]: c["name"] for c in bom["components"] if c["type"] == "application"}
    assert sorted(applications.values()) == sorted(agency.helix_workflows)
    depends = {d["ref"]: d.get("dependsOn", []) for d in bom["dependencies"]}
    newsletter = next(ref for ref, name in applications.items() if name == "Clinic newsletter summaries")
    assert sorted(depends[newsletter]) == [
        models["Claude 3.5 Haiku"]["bom-ref"],
        models["GPT-4o mini"]["bom-ref"],
    ]
    assert not any(name in document for name in agency.cartwheel_workflows + agency.internal_workflows)


def test_a_bom_that_breaks_the_schema_is_reported_with_its_path():
    document = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "components": [{"type": "machine-learning-model"}],
    }
    assert {"where": "components/0", "message": "'name' is a required property"} in schema_errors(
        json.dumps(document)
    )


@pytest.mark.parametrize("export_format", ["pdf", "csv", "xlsx", "cyclonedx"])
def test_a_client_viewer_downloads_their_own_export_only(client, agency, helix_viewer, export_format):
    client.force_login(helix_viewer)
    org = agency.organization.slug

    def url(target):
        return reverse(
            "reports:client_export",
            kwargs={"org_slug": org, "client_slug": target.slug, "export_format": export_format},
        )

    response = client.get(url(agency.helix))
    assert response.status_code == 200
    assert (
        "attachment" in response["Content-Disposition"] and "helix-health" in response["Content-Disposition"]
    )
    assert client.get(url(agency.cartwheel)).status_code == 404
    whole = reverse("reports:organization_export", kwargs={"org_slug": org, "export_format": export_format})
    assert client.get(whole).status_code == 403


def test_an_unknown_format_is_a_404(client, agency, agency_viewer):
    client.force_login(agency_viewer)
    report = reverse(
        "reports:client_report", kwargs={"org_slug": "brightline", "client_slug": agency.helix.slug}
    )
    assert client.get(f"{report}export/docx/").status_code == 404
