"""Judge a model's output against a case's assertions, with promptfoo's names and meanings.

Text checks are pure functions. ``similar`` needs an EmbeddingsClient and ``llm-rubric`` a
JudgeClient (OpenAI-compatible implementations live in ``apps.benchmarks.ai_clients``); without
one, those assertions come back *not evaluated* (``passed=None``) rather than failed, so a suite
can run before anyone has set up an embeddings endpoint.

Supported types (``not-`` negates the text checks, as in promptfoo):

=================  ====================================================================
contains           output contains ``value``
icontains          same, ignoring case
regex              ``value`` (a Python regex) matches somewhere in the output
is-json            the whole output is JSON; ``value``, when given, is a JSON Schema it must satisfy
contains-json      some ``{…}``/``[…]`` inside the output is JSON (and satisfies ``value``)
max-latency-ms     latency ≤ ``threshold`` (or ``value``) ms — promptfoo calls it ``latency``
max-cost           cost ≤ ``threshold`` (or ``value``) USD — promptfoo calls it ``cost``
similar            cosine similarity of embeddings of output and ``value`` (default: the case's
                   reference answer) ≥ ``threshold`` (default 0.75, promptfoo's)
llm-rubric         a judge model grades the output against the rubric in ``value``
=================  ====================================================================
"""

from __future__ import annotations

import asyncio
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import jsonschema_rs

from apps.benchmarks.records import AssertionOutcome

DEFAULT_SIMILARITY_THRESHOLD = 0.75
_ALIASES = {"latency": "max-latency-ms", "cost": "max-cost"}
_NEGATABLE = frozenset({"contains", "icontains", "regex", "is-json", "contains-json"})
SUPPORTED_TYPES = frozenset(
    {
        "contains",
        "icontains",
        "regex",
        "is-json",
        "contains-json",
        "max-latency-ms",
        "max-cost",
        "similar",
        "llm-rubric",
    }
    | {f"not-{name}" for name in _NEGATABLE}
    | set(_ALIASES)
)


@dataclass(frozen=True, slots=True)
class Assertion:
    type: str
    value: Any = None
    threshold: float | None = None
    weight: float = 1.0
    # Keys we do not interpret (promptfoo's transform, metric, provider…), kept for YAML round trips.
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def canonical_type(self) -> str:
        return _ALIASES.get(self.type, self.type)


@dataclass(frozen=True, slots=True)
class OutputFacts:
    """What the assertions can look at for one result."""

    output: str
    latency_ms: float | None = None
    cost_usd: float | None = None
    reference: str | None = None
    prompt: str | None = None


@dataclass(frozen=True, slots=True)
class JudgeVerdict:
    passed: bool
    score: float
    reason: str


class EmbeddingsClient(Protocol):
    async def embed(self, texts: Sequence[str]) -> list[list[float]]: ...


class JudgeClient(Protocol):
    async def grade(self, *, rubric: str, output: str, prompt: str | None) -> JudgeVerdict: ...


# -- pure checks --------------------------------------------------------------------------------


def check_text(assertion: Assertion, output: str) -> AssertionOutcome:
    """contains / icontains / regex / is-json / contains-json, and their not- forms."""
    name = assertion.canonical_type
    negated = name.startswith("not-")
    base = name.removeprefix("not-")
    if base == "contains":
        held, reason = str(assertion.value) in output, f"contains {assertion.value!r}"
    elif base == "icontains":
        held, reason = (
            str(assertion.value).lower() in output.lower(),
            f"contains {assertion.value!r} (any case)",
        )
    elif base == "regex":
        held, reason = re.search(str(assertion.value), output) is not None, f"matches /{assertion.value}/"
    elif base == "is-json":
        held, reason = _json_check(output, assertion.value, whole=True)
    elif base == "contains-json":
        held, reason = _json_check(output, assertion.value, whole=False)
    else:
        raise ValueError(f"not a text assertion: {assertion.type}")
    passed = held != negated
    verdict = reason if held else f"does not satisfy: {reason}"
    return _outcome(assertion, passed, ("not: " if negated else "") + verdict)


def check_max_latency(assertion: Assertion, latency_ms: float | None) -> AssertionOutcome:
    limit = _limit(assertion)
    if latency_ms is None:
        return _outcome(assertion, None, "no latency was measured")
    return _outcome(assertion, latency_ms <= limit, f"latency {latency_ms:g} ms, limit {limit:g} ms")


def check_max_cost(assertion: Assertion, cost_usd: float | None) -> AssertionOutcome:
    limit = _limit(assertion)
    if cost_usd is None:
        return _outcome(assertion, None, "cost unknown (no price for this model)")
    return _outcome(assertion, cost_usd <= limit, f"cost ${cost_usd:g}, limit ${limit:g}")


def cosine_similarity(left: Sequence[float], right: Sequence[float]) -> float:
    if len(left) != len(right):
        raise ValueError(f"vectors differ in length: {len(left)} and {len(right)}")
    norms = math.sqrt(math.fsum(x * x for x in left)) * math.sqrt(math.fsum(y * y for y in right))
    return math.fsum(x * y for x, y in zip(left, right, strict=True)) / norms if norms else 0.0


def grade_result(
    outcomes: Sequence[AssertionOutcome], *, error: str | None, weights: Sequence[float] | None = None
) -> tuple[bool, float | None]:
    """(passed, score) for a result: all evaluated assertions pass; score is their weighted mean.

    A failed request fails with score 0, as promptfoo scores errors. Assertions not evaluated
    count neither way; a case with none evaluated passes when the request succeeded.
    """
    if error is not None:
        return False, 0.0
    weights = weights if weights is not None else [1.0] * len(outcomes)
    evaluated = [
        (outcome, weight)
        for outcome, weight in zip(outcomes, weights, strict=True)
        if outcome.passed is not None
    ]
    if not evaluated:
        return True, None
    total_weight = sum(weight for _, weight in evaluated)
    if not total_weight:
        return all(outcome.passed for outcome, _ in evaluated), None
    score = sum((outcome.score or 0.0) * weight for outcome, weight in evaluated) / total_weight
    return all(outcome.passed for outcome, _ in evaluated), score


# -- evaluation with optional clients ----------------------------------------------------------


async def evaluate_assertions(
    assertions: Sequence[Assertion],
    facts: OutputFacts,
    *,
    embeddings: EmbeddingsClient | None = None,
    judge: JudgeClient | None = None,
) -> list[AssertionOutcome]:
    return [await _evaluate(assertion, facts, embeddings, judge) for assertion in assertions]


def evaluate_assertions_sync(
    assertions: Sequence[Assertion],
    facts: OutputFacts,
    *,
    embeddings: EmbeddingsClient | None = None,
    judge: JudgeClient | None = None,
) -> list[AssertionOutcome]:
    return asyncio.run(evaluate_assertions(assertions, facts, embeddings=embeddings, judge=judge))


async def _evaluate(
    assertion: Assertion, facts: OutputFacts, embeddings: EmbeddingsClient | None, judge: JudgeClient | None
) -> AssertionOutcome:
    name = assertion.canonical_type
    if name not in SUPPORTED_TYPES:
        return _outcome(assertion, None, f"not evaluated: unsupported assertion type {assertion.type!r}")
    if name == "max-latency-ms":
        return check_max_latency(assertion, facts.latency_ms)
    if name == "max-cost":
        return check_max_cost(assertion, facts.cost_usd)
    if name == "similar":
        return await _check_similar(assertion, facts, embeddings)
    if name == "llm-rubric":
        return await _check_rubric(assertion, facts, judge)
    return check_text(assertion, facts.output)


async def _check_similar(
    assertion: Assertion, facts: OutputFacts, embeddings: EmbeddingsClient | None
) -> AssertionOutcome:
    reference = assertion.value if assertion.value is not None else facts.reference
    if reference is None:
        return _outcome(assertion, None, "not evaluated: no reference answer to compare with")
    if embeddings is None:
        return _outcome(assertion, None, "not evaluated: no embeddings endpoint configured")
    threshold = assertion.threshold if assertion.threshold is not None else DEFAULT_SIMILARITY_THRESHOLD
    output_vector, reference_vector = await embeddings.embed([facts.output, str(reference)])
    similarity = cosine_similarity(output_vector, reference_vector)
    return AssertionOutcome(
        type=assertion.type,
        passed=similarity >= threshold,
        score=similarity,
        reason=f"cosine similarity {similarity:.3f}, threshold {threshold:g}",
        value=assertion.value,
        threshold=threshold,
    )


async def _check_rubric(
    assertion: Assertion, facts: OutputFacts, judge: JudgeClient | None
) -> AssertionOutcome:
    if judge is None:
        return _outcome(assertion, None, "not evaluated: no judge model configured")
    verdict = await judge.grade(rubric=str(assertion.value), output=facts.output, prompt=facts.prompt)
    passed = verdict.passed and (assertion.threshold is None or verdict.score >= assertion.threshold)
    return AssertionOutcome(
        type=assertion.type,
        passed=passed,
        score=verdict.score,
        reason=verdict.reason,
        value=assertion.value,
        threshold=assertion.threshold,
    )


def _json_check(output: str, schema: Any, *, whole: bool) -> tuple[bool, str]:
    document = _parse_json(output) if whole else _find_json(output)
    if document is _NOT_JSON:
        return False, "is valid JSON" if whole else "contains valid JSON"
    if schema in (None, "", {}):
        return True, "is valid JSON"
    if isinstance(schema, str):
        schema = json.loads(schema)
    try:
        validator = jsonschema_rs.validator_for(schema)
    except ValueError as error:  # jsonschema_rs.ValidationError: the schema itself is not valid
        return False, f"matches the JSON Schema (the schema is invalid: {str(error).splitlines()[0]})"
    error = next(iter(validator.iter_errors(document)), None)
    if error is not None:
        where = "/".join(str(part) for part in error.instance_path) or "(root)"
        return False, f"matches the JSON Schema ({where}: {error.message})"
    return True, "matches the JSON Schema"


_NOT_JSON = object()


def _parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return _NOT_JSON


def _find_json(text: str) -> Any:
    decoder = json.JSONDecoder()
    for match in re.finditer(r"[\[{]", text):
        try:
            document, _ = decoder.raw_decode(text, match.start())
        except ValueError:
            continue
        return document
    return _NOT_JSON


def _limit(assertion: Assertion) -> float:
    limit = assertion.threshold if assertion.threshold is not None else assertion.value
    if limit is None:
        raise ValueError(f"{assertion.type} needs a threshold")
    return float(limit)


def _outcome(assertion: Assertion, passed: bool | None, reason: str) -> AssertionOutcome:
    return AssertionOutcome(
        type=assertion.type,
        passed=passed,
        score=None if passed is None else float(passed),
        reason=reason,
        value=assertion.value,
        threshold=assertion.threshold,
    )
