"""The report as files: PDF, CSV, XLSX (from the report JSON) and a CycloneDX 1.6 BOM (from the catalog)."""

from dataclasses import dataclass

from apps.accounts.models import Client, Organization
from apps.reports.sections import report_build


@dataclass(frozen=True)
class ExportFormat:
    label: str
    content_type: str
    suffix: str


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str


EXPORT_FORMATS: dict[str, ExportFormat] = {
    "pdf": ExportFormat("PDF", "application/pdf", "exposure-report.pdf"),
    "csv": ExportFormat("CSV", "text/csv; charset=utf-8", "exposure-report.csv"),
    "xlsx": ExportFormat(
        "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "exposure-report.xlsx"
    ),
    "cyclonedx": ExportFormat("CycloneDX", "application/vnd.cyclonedx+json", "ai-bom.cdx.json"),
}


def report_export(*, organization: Organization, client: Client | None, export_format: str) -> ExportFile:
    fmt = EXPORT_FORMATS[export_format]
    if export_format == "cyclonedx":
        from apps.reports.cyclonedx import bom_json

        content = bom_json(organization=organization, client=client).encode()
    else:
        report = report_build(organization=organization, client=client)
        if export_format == "pdf":
            from apps.reports.pdf import report_pdf

            content = report_pdf(report)
        elif export_format == "csv":
            from apps.reports.tabular import report_csv

            content = report_csv(report).encode()
        else:
            from apps.reports.tabular import report_xlsx

            content = report_xlsx(report)
    stem = "-".join(part for part in (organization.slug, client.slug if client else "") if part)
    return ExportFile(content=content, content_type=fmt.content_type, filename=f"{stem}-{fmt.suffix}")
