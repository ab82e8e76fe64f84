"""promptfoo's ``promptfoo eval -o results.json`` export (results version 2 and 3).

The shape followed is the real file (promptfoo's ``test/__fixtures__/sample-export.json``), not the
simplified one in its docs: ``{evalId, results: {version, timestamp, prompts, results: [...],
stats}, config, metadata}``. Each ``results.results[]`` item becomes one BenchResult.

- The case key is ``test-<testIdx>``; when the eval used several prompt templates it becomes
  ``test-<testIdx>/prompt-<n>`` (n counts distinct templates in order of appearance), because
  promptfoo's ``promptIdx`` numbers prompt × provider pairs, not templates.
- ``error`` is kept only for provider errors (``failureReason`` 2): promptfoo also writes the
  failing assertion's reason into ``error``, which lands in ``reason`` instead.
"""

from __future__ import annotations

import json
from typing import Any

from apps.benchmarks.identifiers import model_ref_from_provider_id
from apps.benchmarks.importers.fields import BenchImportError, Node
from apps.benchmarks.records import AssertionOutcome, BenchResult, BenchRun

FAILURE_ERROR = 2  # promptfoo's ResultFailureReason.ERROR (1 is ASSERT, 0 NONE)


def looks_like_promptfoo(document: Any) -> bool:
    results = document.get("results") if isinstance(document, dict) else None
    return isinstance(results, dict) and isinstance(results.get("results"), list)


def parse_promptfoo(document: Any) -> BenchRun:
    root = Node(document).expect_object()
    table = root["results"].expect_object()
    items = list(table["results"].items())
    prompt_providers = _prompt_providers(table)
    template_numbers = _template_numbers(items)

    results = [_parse_result(item, prompt_providers, template_numbers) for item in items]
    config = root.mapping("config")
    metadata = root.mapping("metadata")
    return BenchRun(
        source="promptfoo",
        results=results,
        name=config.get("description") if isinstance(config.get("description"), str) else None,
        started_at=table.string("timestamp"),
        metadata={
            "eval_id": root.string("evalId"),
            "results_version": table.integer("version"),
            "promptfoo_version": metadata.get("promptfooVersion"),
        },
    )


def _prompt_providers(table: Node) -> list[str | None]:
    """results.prompts[i].provider, to name the model of an item whose provider is missing."""
    prompts = table.get("prompts")
    if prompts is None:
        return []
    return [prompt.expect_object().string("provider") for prompt in prompts.items()]


def _template_numbers(items: list[Node]) -> dict[str, int]:
    numbers: dict[str, int] = {}
    for item in items:
        prompt = item.expect_object().object("prompt")
        template = _template_of(prompt)
        if template is not None and template not in numbers:
            numbers[template] = len(numbers)
    return numbers


def _template_of(prompt: Node | None) -> str | None:
    if prompt is None:
        return None
    return prompt.string("label") or prompt.string("raw")


def _parse_result(
    item: Node, prompt_providers: list[str | None], template_numbers: dict[str, int]
) -> BenchResult:
    provider_id = _provider_id(item, prompt_providers)
    ref = model_ref_from_provider_id(provider_id)
    prompt = item.object("prompt")
    response = item.object("response")
    usage = response.object("tokenUsage") if response is not None else None
    grading = item.object("gradingResult")
    test_case = item.object("testCase")

    cost = item.number("cost")
    if cost is None and response is not None:
        cost = response.number("cost")

    return BenchResult(
        model=ref.identifier,
        provider=provider_id,
        vendor=ref.vendor,
        family=ref.family,
        case_key=_case_key(item, prompt, template_numbers),
        case_label=test_case.string("description") if test_case is not None else None,
        prompt=prompt.string("raw") if prompt is not None else None,
        output=_output(response),
        passed=item.boolean("success"),
        score=item.number("score"),
        latency_ms=item.number("latencyMs"),
        prompt_tokens=usage.integer("prompt") if usage is not None else None,
        completion_tokens=usage.integer("completion") if usage is not None else None,
        cost_usd=cost,
        error=_provider_error(item, response),
        reason=grading.string("reason") if grading is not None else None,
        assertions=_assertion_outcomes(grading),
        vars=item.mapping("vars"),
    )


def _provider_id(item: Node, prompt_providers: list[str | None]) -> str:
    provider = item.get("provider")
    if provider is not None and isinstance(provider.value, str) and provider.value:
        return provider.value  # results version 2 wrote the id alone
    if provider is not None:
        provider_id = provider.expect_object().string("id")
        if provider_id:
            return provider_id
    prompt_idx = item.integer("promptIdx")
    if prompt_idx is not None and 0 <= prompt_idx < len(prompt_providers) and prompt_providers[prompt_idx]:
        return prompt_providers[prompt_idx]
    raise item.error("required field is missing (and results.prompts[promptIdx].provider is too)", "provider")


def _case_key(item: Node, prompt: Node | None, template_numbers: dict[str, int]) -> str:
    test_idx = item.integer("testIdx")
    # Without testIdx there is no stable case identity across models; the item id is unique.
    key = f"test-{test_idx}" if test_idx is not None else f"result-{item.required_string('id')}"
    template = _template_of(prompt)
    if len(template_numbers) > 1 and template is not None:
        key += f"/prompt-{template_numbers[template]}"
    return key


def _output(response: Node | None) -> str | None:
    if response is None:
        return None
    output = response.get("output")
    if output is None:
        return None
    # Structured outputs (JSON mode, tool calls) arrive as objects; keep them readable as text.
    return output.value if isinstance(output.value, str) else json.dumps(output.value, ensure_ascii=False)


def _provider_error(item: Node, response: Node | None) -> str | None:
    failure_reason = item.integer("failureReason")
    if failure_reason == FAILURE_ERROR:
        return item.string("error") or (response.string("error") if response is not None else None) or "error"
    if failure_reason is None and response is not None:
        return response.string("error")
    return None


def _assertion_outcomes(grading: Node | None) -> list[AssertionOutcome]:
    components = grading.get("componentResults") if grading is not None else None
    if components is None:
        return []
    outcomes = []
    for component in components.items():
        component.expect_object()
        assertion = component.object("assertion")
        assertion_type = assertion.string("type") if assertion is not None else None
        outcomes.append(
            AssertionOutcome(
                type=assertion_type or "unknown",
                passed=component.boolean("pass"),
                score=component.number("score"),
                reason=component.string("reason") or "",
                value=assertion.value.get("value") if assertion is not None else None,
                threshold=assertion.number("threshold") if assertion is not None else None,
            )
        )
    return outcomes


__all__ = ["BenchImportError", "looks_like_promptfoo", "parse_promptfoo"]
