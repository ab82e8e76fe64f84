"""The job pipeline's importer for `inventory` payloads: the audit sheet (CSV/XLSX) or its JSON form."""

import json

from apps.inventory.importing import inventory_import
from apps.inventory.spreadsheet import SpreadsheetError, parse_sheet, read_table
from apps.jobs.importers import ImportRejected

XLSX_MAGIC = b"PK\x03\x04"


def is_spreadsheet(payload: bytes, filename: str = "", content_type: str = "") -> bool:
    """Inventory also comes as the CSV/XLSX sheet `import_inventory` reads; its importer checks the rows."""
    name = filename.lower()
    return (
        payload.startswith(XLSX_MAGIC)
        or name.endswith((".csv", ".xlsx"))
        or content_type.split(";")[0].strip() in {"text/csv", "application/vnd.ms-excel"}
    )


def _json_rows(payload: bytes):
    """A riskboard.inventory/1 document as spreadsheet rows: its keys are the header, row 1."""
    rows = json.loads(payload)["rows"]
    header = list(dict.fromkeys(key for row in rows for key in row))
    yield 1, header
    for number, row in enumerate(rows, start=2):
        yield number, [row.get(key) for key in header]


def inventory_job_import(job, payload: bytes, progress) -> dict[str, int]:
    try:
        if is_spreadsheet(payload, job.filename, job.content_type):
            sheet = parse_sheet(read_table(payload, job.filename or "inventory.csv"))
        else:
            sheet = parse_sheet(_json_rows(payload))
    except SpreadsheetError as error:
        raise ImportRejected([{"where": "(document)", "message": str(error)}]) from error
    progress(0, len(sheet.rows))
    summary = inventory_import(organization=job.organization, sheet=sheet, user=job.started_by_user)
    if summary.errors:
        raise ImportRejected(
            [
                {"where": f"row {error.row}/{error.column}", "message": error.message}
                for error in summary.errors
            ]
        )
    progress(len(sheet.rows), len(sheet.rows))
    return {
        "workflows_created": summary.workflows_created,
        "workflows_updated": summary.workflows_updated,
        "dependencies_created": summary.dependencies_created,
        "tools_created": summary.tools_created,
    }
