"""The per-model summary of fixtures/promptfoo_results.json, worked out by hand (see test_summary.py for
how each number follows from the file): shared by the summary tests and the import_results tests."""

PROMPTFOO_MODELS = [
    {
        "model": "qwen2.5:7b",
        "vendor": "alibaba",
        "family": "qwen",
        "cases": 4,
        "passed": 3,
        "pass_rate": 0.75,
        "mean_score": 0.875,
        "latency_ms_p50": 1100.0,
        "latency_ms_p95": 1880.0,
        "tokens_per_s": 48.0,
        "cost_usd": 0.0,
    },
    {
        "model": "gpt-4o-mini",
        "vendor": "openai",
        "family": "gpt",
        "cases": 4,
        "passed": 3,
        "pass_rate": 0.75,
        "mean_score": 0.7,
        "latency_ms_p50": 650.0,
        "latency_ms_p95": 1040.0,
        "tokens_per_s": 50.0,
        "cost_usd": 0.000081,
    },
]
