"""Summary numbers checked by hand against tests/benchmarks/fixtures/promptfoo_results.json.

qwen2.5:7b — scores 1, 1, 0.5, 1; latencies 800, 1000, 1200, 2000 ms; completion tokens 40, 60, 50, 90;
costs 0. p50: rank 1.5 → 1000 + 0.5 × 200 = 1100. p95: rank 2.85 → 1200 + 0.85 × 800 = 1880.
tokens/s: 240 tokens ÷ 5.0 s = 48.

gpt-4o-mini — scores 1, 1, 0.8, 0 (the last one a 503 error); latencies 600, 700, 1100, 150 ms;
completion tokens 30, 50, 40 and none on the error; costs 0.000021 + 0.000033 + 0.000027 and none.
p50 over 150, 600, 700, 1100: 600 + 0.5 × 100 = 650. p95: 700 + 0.85 × 400 = 1040.
tokens/s over the three results with tokens: 120 ÷ 2.4 s = 50. cost: 0.000081.
"""

import pytest

from apps.benchmarks.importers import read_bench_file
from apps.benchmarks.records import BenchResult
from apps.benchmarks.summary import percentile, summarize_results, summary_document
from tests.benchmarks.hand_checked import PROMPTFOO_MODELS


def test_it_summarises_a_promptfoo_export_exactly(fixtures_dir):
    run = read_bench_file(fixtures_dir / "promptfoo_results.json")

    document = summary_document(run_id=12, summaries=summarize_results(run.results))

    assert document["schema"] == "riskboard.bench-summary/1"
    assert document["run"] == 12
    assert document["models"] == PROMPTFOO_MODELS


def test_it_reports_null_for_what_an_lm_eval_file_does_not_carry(fixtures_dir):
    run = read_bench_file(fixtures_dir / "results_2025-11-18T14-02-51.118832.json")

    [summary] = summarize_results(run.results)

    assert summary.as_dict() == {
        "model": "Qwen/Qwen2.5-7B",
        "vendor": "alibaba",
        "family": "qwen",
        "cases": 4,
        "passed": None,
        "pass_rate": None,
        "mean_score": 0.65,
        "latency_ms_p50": None,
        "latency_ms_p95": None,
        "tokens_per_s": None,
        "cost_usd": None,
    }


def test_it_sums_only_the_costs_results_carry():
    results = [
        BenchResult(model="gpt-4o", case_key="a", cost_usd=0.1),
        BenchResult(model="gpt-4o", case_key="b", cost_usd=0.2),
        BenchResult(model="gpt-4o", case_key="c", cost_usd=None),
    ]

    [summary] = summarize_results(results)

    assert summary.cost_usd == 0.3  # decimal arithmetic: not 0.30000000000000004


def test_it_uses_only_results_with_both_tokens_and_latency_for_throughput():
    results = [
        BenchResult(model="m", case_key="a", completion_tokens=100, latency_ms=2000.0),
        BenchResult(model="m", case_key="b", completion_tokens=50, latency_ms=None),
        BenchResult(model="m", case_key="c", completion_tokens=None, latency_ms=500.0),
    ]

    [summary] = summarize_results(results)

    assert summary.tokens_per_s == 50.0
    assert (summary.latency_ms_p50, summary.latency_ms_p95) == (1250.0, 1925.0)


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [
        ([5.0], 0.95, 5.0),
        ([1.0, 2.0], 0.5, 1.5),
        ([3.0, 1.0, 2.0, 4.0], 0.5, 2.5),
        ([10.0, 20.0, 30.0], 1.0, 30.0),
    ],
)
def test_it_interpolates_percentiles_linearly(values, fraction, expected):
    assert percentile(values, fraction) == expected
