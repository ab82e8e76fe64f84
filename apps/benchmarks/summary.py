"""Per-model summary of a run: the ``riskboard.bench-summary/1`` contract of ``import_results --json``.

For each model, over its results (one per case):

- ``cases``       number of results;
- ``passed``      results whose ``passed`` is true; null when no result carries pass/fail
                  (lm-eval files have scores only);
- ``pass_rate``   passed ÷ cases (null with ``passed``);
- ``mean_score``  arithmetic mean of the scores of the results that carry one;
- ``latency_ms_p50`` / ``latency_ms_p95``: percentiles of the latencies the results carry, by
  **linear interpolation between closest ranks** (NumPy's default, Excel's PERCENTILE.INC,
  ``statistics.quantiles(method="inclusive")``): sort the n values, take rank h = (n − 1)·p,
  and interpolate between the values at ⌊h⌋ and ⌈h⌉. With one value, both are that value;
- ``tokens_per_s`` total completion tokens ÷ total latency in seconds, over the results that
  carry both (and a latency above zero);
- ``cost_usd``    sum of the costs the results carry.

Any value the input does not carry is null, never 0. Sums and means are computed in decimal
arithmetic on the numbers as written in the file, then returned as floats, so 0.1 + 0.2 is 0.3
as a person checking by hand would expect.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from apps.benchmarks.records import BenchResult

SCHEMA = "riskboard.bench-summary/1"
PERCENTILE_METHOD = "linear"


@dataclass(frozen=True, slots=True)
class ModelSummary:
    model: str
    vendor: str
    family: str | None
    cases: int
    passed: int | None
    pass_rate: float | None
    mean_score: float | None
    latency_ms_p50: float | None
    latency_ms_p95: float | None
    tokens_per_s: float | None
    cost_usd: float | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def summarize_results(results: Iterable[BenchResult]) -> list[ModelSummary]:
    """One summary per model, in the order models first appear in the results."""
    by_model: dict[str, list[BenchResult]] = {}
    for result in results:
        by_model.setdefault(result.model, []).append(result)
    return [_summarize_model(model, model_results) for model, model_results in by_model.items()]


def summary_document(*, run_id: int | None, summaries: Sequence[ModelSummary]) -> dict[str, Any]:
    """The JSON document ``import_results --json`` prints (``run`` is the stored run's id)."""
    return {
        "schema": SCHEMA,
        "run": run_id,
        "percentile_method": PERCENTILE_METHOD,
        "models": [summary.as_dict() for summary in summaries],
    }


def percentile(values: Sequence[float], fraction: float) -> float:
    """Linear interpolation between closest ranks (see the module docstring); values need not be sorted."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(Decimal(repr(value)) for value in values)
    rank = Decimal(repr(fraction)) * (len(ordered) - 1)
    lower = math.floor(rank)
    upper = math.ceil(rank)
    interpolated = ordered[lower] + (ordered[upper] - ordered[lower]) * (rank - lower)
    return float(interpolated)


def _summarize_model(model: str, results: list[BenchResult]) -> ModelSummary:
    cases = len(results)
    verdicts = [result.passed for result in results if result.passed is not None]
    passed = sum(verdicts) if verdicts else None
    latencies = [result.latency_ms for result in results if result.latency_ms is not None]
    return ModelSummary(
        model=model,
        vendor=_most_common(result.vendor for result in results) or "unknown",
        family=_most_common(result.family for result in results if result.family),
        cases=cases,
        passed=passed,
        pass_rate=_ratio(Decimal(passed), Decimal(cases)) if passed is not None else None,
        mean_score=_mean([result.score for result in results if result.score is not None]),
        latency_ms_p50=percentile(latencies, 0.5) if latencies else None,
        latency_ms_p95=percentile(latencies, 0.95) if latencies else None,
        tokens_per_s=_tokens_per_second(results),
        cost_usd=_sum([result.cost_usd for result in results if result.cost_usd is not None]),
    )


def _tokens_per_second(results: list[BenchResult]) -> float | None:
    timed = [
        result
        for result in results
        if result.completion_tokens is not None and result.latency_ms is not None and result.latency_ms > 0
    ]
    if not timed:
        return None
    tokens = Decimal(sum(result.completion_tokens or 0 for result in timed))
    seconds = sum((Decimal(repr(result.latency_ms)) for result in timed), Decimal(0)) / 1000
    return _ratio(tokens, seconds)


def _sum(values: list[float]) -> float | None:
    if not values:
        return None
    return float(sum((Decimal(repr(value)) for value in values), Decimal(0)))


def _mean(values: list[float]) -> float | None:
    if not values:
        return None
    return _ratio(sum((Decimal(repr(value)) for value in values), Decimal(0)), Decimal(len(values)))


def _ratio(numerator: Decimal, denominator: Decimal) -> float | None:
    return float(numerator / denominator) if denominator else None


def _most_common(values: Iterable[str | None]) -> str | None:
    counts: dict[str, int] = {}
    for value in values:
        if value:
            counts[value] = counts.get(value, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else None
