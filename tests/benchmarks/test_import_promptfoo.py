import copy
import json

import pytest

from apps.benchmarks.importers import BenchImportError, detect_kind, parse_bench_document, read_bench_file


@pytest.fixture
def export(fixtures_dir):
    return json.loads((fixtures_dir / "promptfoo_results.json").read_text())


def test_it_reads_every_result_of_a_real_export(fixtures_dir):
    run = read_bench_file(fixtures_dir / "promptfoo_results.json")

    assert run.source == "promptfoo"
    assert run.name == "German headline localisation: local Qwen vs GPT-4o mini"
    assert run.started_at == "2025-11-20T09:14:03.512Z"
    assert run.metadata["promptfoo_version"] == "0.118.10"
    assert [(r.model, r.case_key) for r in run.results[:2]] == [
        ("qwen2.5:7b", "test-0"),
        ("qwen2.5:7b", "test-1"),
    ]
    assert {r.model for r in run.results} == {"qwen2.5:7b", "gpt-4o-mini"}


def test_it_normalises_one_result_with_all_its_fields(fixtures_dir):
    run = read_bench_file(fixtures_dir / "promptfoo_results.json")
    result = next(r for r in run.results if r.model == "qwen2.5:7b" and r.case_key == "test-2")

    assert result.provider == "ollama:chat:qwen2.5:7b"
    assert (result.vendor, result.family) == ("alibaba", "qwen")
    assert result.case_label == "autumn-de"
    assert result.prompt == "Translate the headline to German: New colours for autumn"
    assert result.output == "Neue Farben für den Herbst"
    assert (result.passed, result.score, result.latency_ms) == (False, 0.5, 1200.0)
    assert (result.prompt_tokens, result.completion_tokens, result.cost_usd) == (19, 50, 0.0)
    assert result.error is None  # an assertion failed; the request did not
    assert result.reason == "A literal translation; reads stiffly."
    assert [(a.type, a.passed, a.score) for a in result.assertions] == [
        ("icontains", True, 1.0),
        ("llm-rubric", False, 0.0),
    ]
    assert result.vars == {"headline": "New colours for autumn"}


def test_it_keeps_provider_errors_and_leaves_what_is_missing_as_none(fixtures_dir):
    run = read_bench_file(fixtures_dir / "promptfoo_results.json")
    errored = next(r for r in run.results if r.model == "gpt-4o-mini" and r.case_key == "test-3")

    assert errored.error == "API error: 503 Service Unavailable"
    assert (errored.passed, errored.score, errored.latency_ms) == (False, 0.0, 150.0)
    assert (errored.output, errored.prompt_tokens, errored.completion_tokens, errored.cost_usd) == (
        None,
        None,
        None,
        None,
    )


def test_it_reports_missing_fields_as_none_never_invented(fixtures_dir):
    run = read_bench_file(fixtures_dir / "promptfoo_missing_fields.json")
    [result] = run.results

    assert result.model == "qwen/qwen-2.5-72b-instruct"  # from results.prompts[promptIdx].provider
    assert result.passed is True
    assert result.latency_ms is None
    assert result.prompt_tokens is None and result.completion_tokens is None
    assert result.cost_usd is None
    assert result.assertions == []


def test_it_detects_promptfoo_exports(export):
    assert detect_kind(export) == "promptfoo"


def test_it_names_the_field_of_a_wrongly_typed_value(export):
    broken = copy.deepcopy(export)
    broken["results"]["results"][3]["latencyMs"] = "fast"

    with pytest.raises(BenchImportError) as error:
        parse_bench_document(broken)

    assert str(error.value) == 'results.results[3].latencyMs: expected a number, got "fast"'


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d["results"]["results"][0].update(success="yes"),
            "results.results[0].success: expected true or false",
        ),
        (
            lambda d: d["results"]["results"][1]["response"]["tokenUsage"].update(completion=1.5),
            "results.results[1].response.tokenUsage.completion: expected a whole number",
        ),
        (lambda d: d["results"].update(results={"oops": 1}), "unrecognised results file"),
        (lambda d: d["results"]["results"].__setitem__(2, "nope"), "results.results[2]: expected an object"),
    ],
)
def test_it_rejects_malformed_files_with_one_clear_error(export, mutate, message):
    broken = copy.deepcopy(export)
    mutate(broken)

    with pytest.raises(
        BenchImportError, match=message.replace("[", r"\[").replace("]", r"\]").replace(".", r"\.")
    ):
        parse_bench_document(broken)


def test_it_requires_a_provider_somewhere(export):
    broken = copy.deepcopy(export)
    del broken["results"]["results"][0]["provider"]
    del broken["results"]["prompts"]

    with pytest.raises(
        BenchImportError, match=r"^results\.results\[0\]\.provider: required field is missing"
    ):
        parse_bench_document(broken, kind="promptfoo")


def test_it_numbers_templates_when_an_eval_used_several_prompts(export):
    doubled = copy.deepcopy(export)
    other = copy.deepcopy(doubled["results"]["results"][0])
    other["prompt"] = {
        "raw": "Auf Deutsch, bitte: Spring sale starts Monday",
        "label": "Auf Deutsch, bitte: {{headline}}",
    }
    doubled["results"]["results"].append(other)

    run = parse_bench_document(doubled)

    assert run.results[0].case_key == "test-0/prompt-0"
    assert run.results[-1].case_key == "test-0/prompt-1"
