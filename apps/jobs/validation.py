"""Payload validation against the versioned JSON Schemas in apps/jobs/schemas/, before anything is stored.

A document names its version in its `schema` field (`riskboard.scan/1`); each version has a schema
file here, so a `/2` can be added beside `/1` without breaking producers that still send `/1`.
Validation uses jsonschema-rs: the Python `jsonschema` package took 9 s on a 100,000-finding scan,
too slow to answer an HTTP request; jsonschema-rs checks the same schema in a few tens of ms.
"""

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypedDict

import jsonschema_rs
from django.utils.module_loading import import_string

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"

# kind → {version named in the document's `schema` field → schema file}; the first entry is the default.
SCHEMA_FILES: dict[str, dict[str, str]] = {
    "scan": {"riskboard.scan/1": "scan-1.json"},
    "signals": {"riskboard.signals/1": "signals-1.json"},
    # promptfoo and lm-eval files carry no `schema` field: one envelope schema serves them all.
    "bench": {"riskboard.bench/1": "bench-1.json"},
    "inventory": {"riskboard.inventory/1": "inventory-1.json"},
}
MAX_REPORTED_ERRORS = 200
# kind → predicates (or their dotted paths) recognising payloads that are not JSON documents, e.g. a
# repository archive for `scan`. Such a payload skips the JSON Schema; its importer checks it and
# fails the job with the errors it finds. Register from AppConfig.ready():
#     register_raw_format("scan", "apps.scanner.payloads.is_archive_payload")   # (payload: bytes) -> bool
RAW_FORMATS: dict[str, list[Callable[[bytes], bool] | str]] = {}


def register_raw_format(kind: str, predicate: Callable[[bytes], bool] | str) -> None:
    if predicate not in RAW_FORMATS.setdefault(kind, []):
        RAW_FORMATS[kind].append(predicate)


def _is_raw_format(kind: str, payload: bytes) -> bool:
    for predicate in RAW_FORMATS.get(kind, []):
        check = import_string(predicate) if isinstance(predicate, str) else predicate
        if check(payload):
            return True
    return False


XLSX_MAGIC = b"PK\x03\x04"


class PayloadError(TypedDict):
    where: str
    message: str


@cache
def load_schema(filename: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / filename).read_text())


@cache
def _validator(filename: str):
    return jsonschema_rs.validator_for(load_schema(filename))


def schema_file_for(kind: str, document: Any) -> str:
    versions = SCHEMA_FILES[kind]
    named = document.get("schema") if isinstance(document, dict) else None
    return versions.get(named) or next(iter(versions.values()))


def is_spreadsheet(payload: bytes, *, filename: str = "", content_type: str = "") -> bool:
    """Inventory also comes as the CSV/XLSX sheet `import_inventory` reads; its importer checks the rows."""
    name = filename.lower()
    return (
        payload.startswith(XLSX_MAGIC)
        or name.endswith((".csv", ".xlsx"))
        or content_type.split(";")[0].strip() in {"text/csv", "application/vnd.ms-excel"}
    )


def _where(path: list[str | int]) -> str:
    return "/".join(str(part) for part in path) or "(document)"


def payload_errors(
    *, kind: str, payload: bytes, filename: str = "", content_type: str = ""
) -> list[PayloadError]:
    """Every way the payload breaks its kind's contract, each with the path of the field; [] when valid."""
    if kind not in SCHEMA_FILES:
        return [
            {"where": "kind", "message": f"unknown kind {kind!r}, expected one of {', '.join(SCHEMA_FILES)}"}
        ]
    if not payload.strip():
        return [{"where": "(document)", "message": "the payload is empty"}]
    if kind == "inventory" and is_spreadsheet(payload, filename=filename, content_type=content_type):
        return []
    if _is_raw_format(kind, payload):
        return []
    try:
        document = json.loads(payload)
    except UnicodeDecodeError:
        return [{"where": "(document)", "message": "the payload is not UTF-8 text"}]
    except json.JSONDecodeError as error:
        message = f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        return [{"where": "(document)", "message": message}]
    if not isinstance(document, dict):
        return [{"where": "(document)", "message": f"expected a JSON object, got {type(document).__name__}"}]
    named = document.get("schema")
    if kind != "bench" and named is not None and named not in SCHEMA_FILES[kind]:
        known = ", ".join(SCHEMA_FILES[kind])
        return [{"where": "schema", "message": f"unsupported schema {named!r}; this server reads {known}"}]
    errors: list[PayloadError] = []
    for error in _validator(schema_file_for(kind, document)).iter_errors(document):
        if len(errors) == MAX_REPORTED_ERRORS:
            errors.append({"where": "(document)", "message": "more errors follow; fix these first"})
            break
        errors.append({"where": _where(list(error.instance_path)), "message": error.message})
    return errors
