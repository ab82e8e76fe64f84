"""Payload validation against the versioned JSON Schemas in apps/jobs/schemas/, before anything is stored.

A document names its version in its `schema` field (`riskboard.scan/1`); each version has a schema
file here, so a `/2` can be added beside `/1` without breaking producers that still send `/1`.
Validation uses jsonschema-rs: the Python `jsonschema` package took 9 s on a 100,000-finding scan,
too slow to answer an HTTP request; jsonschema-rs checks the same schema in a few tens of ms.
"""

import json
from functools import cache
from pathlib import Path
from typing import Any, TypedDict

import jsonschema_rs

from apps.common.bounded import (
    BoundedInputError,
    json_loads_bounded,
    storable_errors,
    text_limit_errors,
)
from apps.jobs.kinds import INGEST_KINDS, ingest_kind

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
MAX_REPORTED_ERRORS = 200


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
    versions = INGEST_KINDS[kind].schemas
    named = document.get("schema") if isinstance(document, dict) else None
    return versions.get(named) or next(iter(versions.values()))


MAX_MESSAGE_CHARS = 300


def _short(message: str) -> str:
    """jsonschema messages quote the value at fault: keep a long one from filling the page."""
    if len(message) <= MAX_MESSAGE_CHARS:
        return message
    half = MAX_MESSAGE_CHARS // 2
    return f"{message[:half]} … {message[-half:]}"


def _where(path: list[str | int]) -> str:
    return "/".join(str(part) for part in path) or "(document)"


def payload_errors(
    *, kind: str, payload: bytes, filename: str = "", content_type: str = ""
) -> list[PayloadError]:
    """Every way the payload breaks its kind's contract, each with the path of the field; [] when valid.

    Beyond the JSON Schema: documents nested deeper than apps.common.bounded.MAX_DEPTH, and values
    the schema allows but PostgreSQL cannot store (integers beyond bigint, NUL characters), so a
    job never fails later with database error text.
    """
    entry = ingest_kind(kind)
    if entry is None:
        known = ", ".join(INGEST_KINDS) or "none"
        return [
            {"where": "kind", "message": f"no app imports {kind!r} payloads on this server (known: {known})"}
        ]
    if not payload.strip():
        return [{"where": "(document)", "message": "the payload is empty"}]
    if entry.raw_format is not None and entry.raw_format(payload, filename, content_type):
        return []
    try:
        document = json_loads_bounded(payload)
    except UnicodeDecodeError:
        return [{"where": "(document)", "message": "the payload is not UTF-8 text"}]
    except json.JSONDecodeError as error:
        message = f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        return [{"where": "(document)", "message": message}]
    except BoundedInputError as error:
        return [{"where": "(document)", "message": str(error)}]
    if not isinstance(document, dict):
        return [{"where": "(document)", "message": f"expected a JSON object, got {type(document).__name__}"}]
    named = document.get("schema")
    if kind != "bench" and named is not None and named not in entry.schemas:
        known = ", ".join(entry.schemas)
        return [{"where": "schema", "message": f"unsupported schema {named!r}; this server reads {known}"}]
    errors: list[PayloadError] = []
    for error in _validator(schema_file_for(kind, document)).iter_errors(document):
        if len(errors) == MAX_REPORTED_ERRORS:
            errors.append({"where": "(document)", "message": "more errors follow; fix these first"})
            break
        errors.append({"where": _where(list(error.instance_path)), "message": _short(error.message)})
    if not errors:
        unstorable = storable_errors(document) + text_limit_errors(document, entry.text_limits)
        errors = [{"where": where, "message": message} for where, message in unstorable]
    return errors
