"""The job pipeline's importer for `cyclonedx` payloads: a CycloneDX JSON BOM made elsewhere
(or by our own export) lands in the inventory.

The document is first checked against the official schema of its `specVersion` (1.4 to 1.6,
shipped in cyclonedx-python-lib); each violation fails the job with its JSON path. Then:
- every `application` component that depends (in `dependencies`) on `machine-learning-model`
  components is a workflow, matched by name like the audit sheet;
- without such an application, `metadata.component` is the one workflow and uses every model;
- a model is named by its Hugging Face id when its purl is `pkg:huggingface/...`, else by its name,
  and matched to the catalog like any declared model (an unknown one is kept and flagged);
- `riskboard:criticality`, `riskboard:switching_difficulty` and `riskboard:fallback` properties
  (written by our export) are read back; a BOM without them gets criticality `medium`,
  switching difficulty 3 and primary dependencies, which the user can then refine.
The rows go through the same parse and import as the audit sheet: whole or not at all.
"""

import json

from packageurl import PackageURL

from apps.inventory.importing import inventory_import
from apps.inventory.spreadsheet import parse_sheet
from apps.jobs.importers import ImportRejected
from apps.reports.cyclonedx import schema_errors

ML_MODEL = "machine-learning-model"
HEADER = ["workflow", "model", "criticality", "switching difficulty", "role"]
DEFAULT_CRITICALITY = "medium"
DEFAULT_DIFFICULTY = 3


def _schema_version(document: dict):
    from cyclonedx.schema import SchemaVersion

    return {"1.4": SchemaVersion.V1_4, "1.5": SchemaVersion.V1_5, "1.6": SchemaVersion.V1_6}[
        document["specVersion"]
    ]


def _walk(components: list, path: str):
    for index, component in enumerate(components or []):
        where = f"{path}[{index}]"
        yield where, component
        yield from _walk(component.get("components"), f"{where}/components")


def _properties(component: dict) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for prop in component.get("properties") or []:
        found.setdefault(prop.get("name", ""), []).append(prop.get("value", ""))
    return found


def _model_name(component: dict) -> str:
    purl = component.get("purl") or ""
    if purl.startswith("pkg:huggingface/"):
        try:
            parsed = PackageURL.from_string(purl)
        except ValueError:
            parsed = None
        if parsed and parsed.namespace:
            return f"{parsed.namespace}/{parsed.name}"
    group = component.get("group")
    return f"{group}/{component['name']}" if group and "/" not in component["name"] else component["name"]


def bom_sheet_rows(document: dict) -> tuple[list[tuple[int, list]], dict[int, str]]:
    """Audit-sheet rows (header first) for the BOM, and each row's JSON path for error messages."""
    by_ref: dict[str, tuple[str, dict]] = {}
    for where, component in _walk(document.get("components"), "components"):
        if component.get("bom-ref"):
            by_ref[component["bom-ref"]] = (where, component)
    models = {ref: found for ref, found in by_ref.items() if found[1].get("type") == ML_MODEL}
    uses: dict[str, list[str]] = {}
    for dependency in document.get("dependencies") or []:
        used = [ref for ref in dependency.get("dependsOn") or [] if ref in models]
        if used:
            uses.setdefault(dependency["ref"], []).extend(used)

    workflows = [
        (by_ref[ref][0], by_ref[ref][1], used)
        for ref, used in uses.items()
        if ref in by_ref and by_ref[ref][1].get("type") == "application"
    ]
    subject = (document.get("metadata") or {}).get("component")
    if not workflows and subject and models:
        workflows = [("metadata/component", subject, list(models))]
    if not workflows:
        raise ImportRejected(
            [
                {
                    "where": "dependencies",
                    "message": "no application depends on a machine-learning-model component, and there is "
                    "no metadata.component with models to attach: nothing to import as a workflow",
                }
            ]
        )

    rows: list[tuple[int, list]] = [(1, HEADER)]
    where_by_row: dict[int, str] = {}
    for where, component, used in workflows:
        properties = _properties(component)
        criticality = (properties.get("riskboard:criticality") or [DEFAULT_CRITICALITY])[0]
        difficulty = (properties.get("riskboard:switching_difficulty") or [str(DEFAULT_DIFFICULTY)])[0]
        fallbacks = set(properties.get("riskboard:fallback") or [])
        for ref in dict.fromkeys(used):
            number = len(rows) + 1
            role = "fallback" if ref in fallbacks else "primary"
            rows.append(
                (
                    number,
                    [component.get("name", ""), _model_name(models[ref][1]), criticality, difficulty, role],
                )
            )
            where_by_row[number] = f"{where} ({component.get('name', '')}) uses {models[ref][0]}"
    return rows, where_by_row


def cyclonedx_job_import(job, payload: bytes, progress) -> dict[str, int]:
    document = json.loads(payload)
    errors = schema_errors(payload.decode(), version=_schema_version(document))
    if errors:
        raise ImportRejected(errors[:200])
    rows, where_by_row = bom_sheet_rows(document)
    sheet = parse_sheet(iter(rows))
    progress(0, len(sheet.rows))
    summary = inventory_import(organization=job.organization, sheet=sheet, user=job.started_by_user)
    if summary.errors:
        raise ImportRejected(
            [
                {
                    "where": f"{where_by_row.get(error.row, f'row {error.row}')}/{error.column}",
                    "message": error.message,
                }
                for error in summary.errors
            ]
        )
    progress(len(sheet.rows), len(sheet.rows))
    return {
        "workflows_created": summary.workflows_created,
        "workflows_updated": summary.workflows_updated,
        "dependencies_created": summary.dependencies_created,
        "models_unmatched": len(summary.unmatched_models),
    }
