"""Riskboard's own results format, ``riskboard.bench/1`` (documented in apps/benchmarks/NATIVE_FORMAT.md).

The runner writes it (``native_document``) and the importer reads it back (``parse_native``), so a
run made in a client's CI and pushed to the ingest API lands exactly like one made in the app.
"""

from __future__ import annotations

from typing import Any

from apps.benchmarks.identifiers import guess_family_vendor
from apps.benchmarks.importers.fields import BenchImportError, Node
from apps.benchmarks.records import AssertionOutcome, BenchResult, BenchRun
from apps.common.vendors import VENDOR_SLUGS

SCHEMA = "riskboard.bench/1"


def looks_like_native(document: Any) -> bool:
    return isinstance(document, dict) and str(document.get("schema", "")).startswith("riskboard.bench/")


def parse_native(document: Any) -> BenchRun:
    root = Node(document).expect_object()
    schema = root.required_string("schema")
    if schema != SCHEMA:
        raise BenchImportError(f"unsupported schema {schema!r}, expected {SCHEMA!r}", path="schema")
    return BenchRun(
        source="riskboard",
        results=[_parse_result(item) for item in root["results"].items()],
        name=root.string("name"),
        started_at=root.string("started_at"),
        metadata={
            key: root.value.get(key) for key in ("suite", "finished_at", "runner") if key in root.value
        },
    )


def _parse_result(item: Node) -> BenchResult:
    item.expect_object()
    model = item.required_string("model")
    family, guessed_vendor = guess_family_vendor(model)
    vendor = item.string("vendor") or guessed_vendor
    if vendor not in VENDOR_SLUGS:
        raise item.error(f"unknown vendor {vendor!r}, expected one of {', '.join(VENDOR_SLUGS)}", "vendor")
    return BenchResult(
        model=model,
        case_key=item.required_string("case"),
        provider=item.string("provider"),
        vendor=vendor,
        family=item.string("family") or family,
        case_label=item.string("case_label"),
        prompt=item.string("prompt"),
        output=item.string("output"),
        passed=item.boolean("passed"),
        score=item.number("score"),
        latency_ms=item.number("latency_ms"),
        ttft_ms=item.number("ttft_ms"),
        prompt_tokens=item.integer("prompt_tokens"),
        completion_tokens=item.integer("completion_tokens"),
        tokens_per_s=item.number("tokens_per_s"),
        cost_usd=item.number("cost_usd"),
        error=item.string("error"),
        reason=item.string("reason"),
        assertions=[_parse_assertion(node) for node in item.get("assertions").items()]
        if item.get("assertions")
        else [],
        vars=item.mapping("vars"),
    )


def _parse_assertion(node: Node) -> AssertionOutcome:
    node.expect_object()
    return AssertionOutcome(
        type=node.required_string("type"),
        passed=node.boolean("passed"),
        score=node.number("score"),
        reason=node.string("reason") or "",
        value=node.value.get("value"),
        threshold=node.number("threshold"),
    )


def native_document(run: BenchRun) -> dict[str, Any]:
    """A run as a ``riskboard.bench/1`` document (None values are written as null, not dropped)."""
    return {
        "schema": SCHEMA,
        "name": run.name,
        "started_at": run.started_at,
        **{key: value for key, value in run.metadata.items() if key in ("suite", "finished_at", "runner")},
        "results": [_result_document(result) for result in run.results],
    }


def _result_document(result: BenchResult) -> dict[str, Any]:
    return {
        "model": result.model,
        "case": result.case_key,
        "provider": result.provider,
        "vendor": result.vendor,
        "family": result.family,
        "case_label": result.case_label,
        "prompt": result.prompt,
        "output": result.output,
        "passed": result.passed,
        "score": result.score,
        "latency_ms": result.latency_ms,
        "ttft_ms": result.ttft_ms,
        "prompt_tokens": result.prompt_tokens,
        "completion_tokens": result.completion_tokens,
        "tokens_per_s": result.tokens_per_s,
        "cost_usd": result.cost_usd,
        "error": result.error,
        "reason": result.reason,
        "vars": result.vars,
        "assertions": [
            {
                "type": outcome.type,
                "value": outcome.value,
                "threshold": outcome.threshold,
                "passed": outcome.passed,
                "score": outcome.score,
                "reason": outcome.reason,
            }
            for outcome in result.assertions
        ],
    }
