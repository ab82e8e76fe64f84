"""CSV and XLSX of a report. Every text cell goes through the inventory export's formula neutraliser,
so a workflow named `=HYPERLINK(...)` is shown as text, never run by a spreadsheet."""

import csv
import io

from apps.inventory.spreadsheet import neutralise_formula
from apps.reports.sections import section_table

WORKFLOW_HEADERS = [
    "workflow",
    "category",
    "deployment",
    "criticality",
    "switching difficulty",
    "primary models",
    "fallback models",
    "vendors",
    "monthly cost usd",
    "exposure score",
    "exposure band",
    "why",
]


def _section(report: dict, key: str) -> dict | None:
    return next((section["data"] for section in report["sections"] if section["key"] == key), None)


def workflow_rows(report: dict) -> list[list]:
    exposure = _section(report, "exposure") or {"rows": []}
    rows = []
    for row in exposure["rows"]:
        primary = [m["name"] for m in row["models"] if m["role"] == "primary"]
        fallback = [m["name"] for m in row["models"] if m["role"] != "primary"]
        vendors = sorted({m["vendor"] for m in row["models"]})
        why = "; ".join(
            f"{f['label']} ({f['value']}) {'+' if f['points'] > 0 else ''}{f['points']:g}"
            for f in row["factors"]
        )
        cells = [
            row["workflow"],
            row["category"],
            row["deployment"],
            row["criticality"],
            row["switching_difficulty"],
            ", ".join(primary),
            ", ".join(fallback),
            ", ".join(vendors),
            row["monthly_usd"] if row["monthly_usd"] is not None else "",
            row["score"],
            row["band"],
            why,
        ]
        rows.append([neutralise_formula(cell) for cell in cells])
    return rows


def report_csv(report: dict) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(WORKFLOW_HEADERS)
    writer.writerows(workflow_rows(report))
    return "\ufeff" + buffer.getvalue()  # the BOM makes Excel read UTF-8 names correctly


def _sheet_title(title: str) -> str:
    for character in "[]:*?/\\":
        title = title.replace(character, " ")
    return title[:31]


def report_xlsx(report: dict) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet("Summary")
    subject = report["client"]["name"] if report["client"] else report["organization"]["name"]
    summary.append([neutralise_formula(f"AI model exposure report: {subject}")])
    summary.append(
        [neutralise_formula(f"Prepared by {report['organization']['name']}"), report["generated_at"][:10]]
    )
    summary.append([])
    for sentence in (_section(report, "summary") or {}).get("sentences", []):
        summary.append([neutralise_formula(sentence)])
    workflows = workbook.create_sheet("Workflows")
    workflows.append(WORKFLOW_HEADERS)
    for row in workflow_rows(report):
        workflows.append(row)
    for section in report["sections"]:
        if section["key"] == "exposure":
            continue
        table = section_table(section["key"], section["data"])
        if table is None:
            continue
        headers, rows = table
        sheet = workbook.create_sheet(_sheet_title(section["title"]))
        sheet.append(headers)
        for row in rows:
            sheet.append([neutralise_formula(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
