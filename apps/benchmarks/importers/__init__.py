"""Read benchmark results from promptfoo, lm-evaluation-harness or Riskboard's native format.

    run = parse_bench_payload(data, kind="auto")     # bytes from an upload or the ingest API
    run = read_bench_file(path, kind="auto")         # the import_results command

Both return a BenchRun or raise one BenchImportError whose message names the faulty field
("results.results[3].latencyMs: expected a number, got \"fast\"").
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from apps.benchmarks.importers.fields import BenchImportError
from apps.benchmarks.importers.lm_eval import looks_like_lm_eval, parse_lm_eval
from apps.benchmarks.importers.native import looks_like_native, native_document, parse_native
from apps.benchmarks.importers.promptfoo import looks_like_promptfoo, parse_promptfoo
from apps.benchmarks.records import BenchRun
from apps.common.bounded import BoundedInputError, json_loads_bounded

KINDS = ("auto", "promptfoo", "lm-eval", "riskboard")

_PARSERS: dict[str, Callable[[Any], BenchRun]] = {
    "promptfoo": parse_promptfoo,
    "lm-eval": parse_lm_eval,
    "riskboard": parse_native,
}


def detect_kind(document: Any) -> str:
    # Native first: its "schema" key is explicit; promptfoo's nested results list is next most specific.
    if looks_like_native(document):
        return "riskboard"
    if looks_like_promptfoo(document):
        return "promptfoo"
    if looks_like_lm_eval(document):
        return "lm-eval"
    raise BenchImportError(
        "unrecognised results file: expected a promptfoo export (results.results[]), "
        "an lm-evaluation-harness results_*.json (results + config.model_args) "
        'or a native document ({"schema": "riskboard.bench/1"})'
    )


def parse_bench_document(document: Any, *, kind: str = "auto") -> BenchRun:
    if kind not in KINDS:
        raise BenchImportError(f"unknown kind {kind!r}, expected one of {', '.join(KINDS)}")
    resolved = detect_kind(document) if kind == "auto" else kind
    return _PARSERS[resolved](document)


def parse_bench_payload(data: bytes | str, *, kind: str = "auto") -> BenchRun:
    try:
        document = json_loads_bounded(data)
    except BoundedInputError as exc:
        raise BenchImportError(str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise BenchImportError(f"not UTF-8 text: {exc.reason} at byte {exc.start}") from exc
    except json.JSONDecodeError as exc:
        raise BenchImportError(f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    return parse_bench_document(document, kind=kind)


def read_bench_file(path: str | Path, *, kind: str = "auto") -> BenchRun:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise BenchImportError(f"cannot read {path}: {exc.strerror}") from exc
    return parse_bench_payload(data, kind=kind)


__all__ = [
    "KINDS",
    "BenchImportError",
    "detect_kind",
    "native_document",
    "parse_bench_document",
    "parse_bench_payload",
    "read_bench_file",
]
