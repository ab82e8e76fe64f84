import json

import pytest

from apps.benchmarks.importers import BenchImportError, parse_bench_document, read_bench_file

LM_EVAL_FILE = "results_2025-11-18T14-02-51.118832.json"


def test_it_reads_one_result_per_top_level_task(fixtures_dir):
    run = read_bench_file(fixtures_dir / LM_EVAL_FILE)

    assert run.source == "lm-eval"
    assert [r.case_key for r in run.results] == ["arc_easy", "gsm8k", "hellaswag", "mmlu"]
    assert {(r.model, r.vendor, r.family, r.provider) for r in run.results} == {
        ("Qwen/Qwen2.5-7B", "alibaba", "qwen", "hf")
    }


def test_it_scores_each_task_by_its_first_higher_is_better_metric(fixtures_dir):
    run = read_bench_file(fixtures_dir / LM_EVAL_FILE)
    scores = {r.case_key: r.score for r in run.results}

    assert scores == {"arc_easy": 0.8, "gsm8k": 0.5, "hellaswag": 0.6, "mmlu": 0.7}


def test_it_keeps_every_metric_and_turns_na_into_none(fixtures_dir):
    run = read_bench_file(fixtures_dir / LM_EVAL_FILE)
    gsm8k = next(r for r in run.results if r.case_key == "gsm8k")
    mmlu = next(r for r in run.results if r.case_key == "mmlu")

    assert gsm8k.metrics["exact_match,flexible-extract"] == 0.5519
    assert mmlu.metrics == {"acc,none": 0.7, "acc_stderr,none": None}


def test_it_leaves_what_lm_eval_does_not_measure_as_none(fixtures_dir):
    run = read_bench_file(fixtures_dir / LM_EVAL_FILE)

    for result in run.results:
        assert result.passed is None
        assert result.latency_ms is None
        assert result.completion_tokens is None
        assert result.cost_usd is None


def test_it_falls_back_to_model_args_without_model_name(fixtures_dir):
    document = json.loads((fixtures_dir / LM_EVAL_FILE).read_text())
    del document["model_name"]
    document["config"]["model_args"] = "pretrained=mistralai/Mistral-7B-Instruct-v0.3,dtype=float16"

    run = parse_bench_document(document)

    assert (run.results[0].model, run.results[0].vendor) == ("mistralai/Mistral-7B-Instruct-v0.3", "mistral")


def test_it_names_a_metric_that_is_not_a_number(fixtures_dir):
    document = json.loads((fixtures_dir / LM_EVAL_FILE).read_text())
    document["results"]["hellaswag"]["acc,none"] = "0.6"

    with pytest.raises(BenchImportError) as error:
        parse_bench_document(document, kind="lm-eval")

    assert str(error.value) == 'results.hellaswag.acc,none: expected a number, got "0.6"'


def test_it_requires_a_model_name(fixtures_dir):
    document = json.loads((fixtures_dir / LM_EVAL_FILE).read_text())
    del document["model_name"]
    document["config"]["model_args"] = "dtype=bfloat16"

    with pytest.raises(BenchImportError, match=r"^config\.model_args: required field is missing"):
        parse_bench_document(document)
