"""`manage.py import_results` — the riskboard.bench-summary/1 contract, on stored runs.

The promptfoo numbers are checked by hand in tests/benchmarks/test_summary.py's docstring
(qwen2.5:7b: p50 1100, p95 1880, 48 tokens/s; gpt-4o-mini: p50 650, p95 1040, 50 tokens/s,
cost 0.000081); here they must come back identical from the database, with the real run id.
"""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.benchmarks.models import Result, Run
from tests.benchmarks.hand_checked import PROMPTFOO_MODELS

pytestmark = pytest.mark.django_db


def import_json(path, *extra) -> dict:
    out = StringIO()
    call_command("import_results", str(path), "--json", *extra, stdout=out)
    return json.loads(out.getvalue())


def test_it_prints_the_exact_summary_of_a_promptfoo_export_with_the_stored_run_id(organization, fixtures_dir):
    document = import_json(fixtures_dir / "promptfoo_results.json")

    run = Run.objects.get()
    assert document == {
        "schema": "riskboard.bench-summary/1",
        "run": run.pk,
        "percentile_method": "linear",
        "models": PROMPTFOO_MODELS,
    }
    assert (run.organization, run.source, run.source_format) == (organization, "cli", "promptfoo")
    assert run.results.count() == 8


def test_it_keeps_unknown_values_null_for_an_lm_eval_file(organization, fixtures_dir):
    document = import_json(fixtures_dir / "results_2025-11-18T14-02-51.118832.json", "--kind", "lm-eval")

    assert document["run"] == Run.objects.get().pk
    assert document["models"] == [
        {
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
    ]
    assert set(Result.objects.values_list("cost_usd", flat=True)) == {None}


def test_it_maps_results_to_the_catalog(organization, fixtures_dir):
    import_json(fixtures_dir / "promptfoo_results.json")

    mapped = dict(Result.objects.values_list("model_identifier", "catalog_model__family").distinct())
    assert mapped["qwen2.5:7b"] == "qwen"


def test_the_same_file_twice_is_one_run(organization, fixtures_dir):
    first = import_json(fixtures_dir / "promptfoo_results.json")
    second = import_json(fixtures_dir / "promptfoo_results.json")

    assert first == second
    assert Run.objects.count() == 1
    assert Result.objects.count() == 8


def test_it_imports_the_native_format(organization, fixtures_dir):
    document = import_json(fixtures_dir / "riskboard_bench.json", "--organization", "acme")

    assert document["run"] == Run.objects.get().pk
    assert Run.objects.get().source_format == "riskboard"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"hello": "world"}', "unrecognised results file"),
        (
            b'{"schema": "riskboard.bench/1", "results": [{"model": "m", "case": "c", "latency_ms": "fast"}]}',
            'results[0].latency_ms: expected a number, got "fast"',
        ),
    ],
)
def test_a_malformed_file_is_a_clear_error_and_writes_nothing(organization, tmp_path, content, message):
    path = tmp_path / "results.json"
    path.write_bytes(content)

    with pytest.raises(CommandError, match="results.json") as error:
        call_command("import_results", str(path), "--json", stdout=StringIO())

    assert message in str(error.value)
    assert Run.objects.count() == 0
    assert Result.objects.count() == 0


def test_a_malformed_file_exits_non_zero_with_the_error_on_stderr(organization, tmp_path):
    import subprocess
    import sys

    from tests.support.celery_worker import database_url_for_tests

    path = tmp_path / "broken.json"
    path.write_text(
        json.dumps(
            {
                "results": {
                    "results": [
                        {"id": "r1", "testIdx": 0, "provider": {"id": "openai:gpt-4o"}, "latencyMs": "slow"}
                    ]
                }
            }
        )
    )

    completed = subprocess.run(
        [sys.executable, "manage.py", "import_results", str(path), "--json"],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "DATABASE_URL": database_url_for_tests()},
        check=False,
    )

    assert completed.returncode != 0
    assert completed.stdout == ""
    assert "latencyMs: expected a number" in completed.stderr
    assert Run.objects.count() == 0


def test_it_refuses_to_guess_the_organization_when_there_are_several(
    organization, other_organization, fixtures_dir
):
    with pytest.raises(CommandError, match="--organization"):
        call_command("import_results", str(fixtures_dir / "promptfoo_results.json"), stdout=StringIO())

    assert Run.objects.count() == 0


def test_it_prints_a_readable_table_without_json(organization, fixtures_dir):
    out = StringIO()
    call_command("import_results", str(fixtures_dir / "promptfoo_results.json"), stdout=out)

    text = out.getvalue()
    assert f"Imported run {Run.objects.get().pk} (promptfoo, 8 results)" in text
    assert "qwen2.5:7b" in text and "1,880.0" in text
