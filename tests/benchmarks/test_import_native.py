import json

import pytest

from apps.benchmarks.importers import (
    BenchImportError,
    native_document,
    parse_bench_document,
    parse_bench_payload,
    read_bench_file,
)


def test_it_reads_the_native_format(fixtures_dir):
    run = read_bench_file(fixtures_dir / "riskboard_bench.json")

    assert run.source == "riskboard"
    assert run.name == "Kiosk answers: Mistral vs Llama on the store tablet"
    assert run.metadata["suite"] == "edge-retail-kiosk"
    first, second = run.results
    assert (first.model, first.vendor, first.case_key, first.ttft_ms) == (
        "mistral:7b-instruct",
        "mistral",
        "opening-hours",
        95.0,
    )
    assert first.assertions[0].type == "icontains"
    assert (second.vendor, second.cost_usd, second.prompt_tokens) == ("meta", None, None)


def test_it_round_trips_through_native_document(fixtures_dir):
    run = read_bench_file(fixtures_dir / "riskboard_bench.json")

    again = parse_bench_document(json.loads(json.dumps(native_document(run))))

    assert again.results == run.results
    assert again.name == run.name


def test_it_rejects_another_schema_version():
    with pytest.raises(BenchImportError, match=r"^schema: unsupported schema 'riskboard\.bench/2'"):
        parse_bench_document({"schema": "riskboard.bench/2", "results": []})


def test_it_rejects_an_unknown_vendor_slug():
    document = {"schema": "riskboard.bench/1", "results": [{"model": "x", "case": "c", "vendor": "acme-ai"}]}

    with pytest.raises(BenchImportError, match=r"^results\[0\]\.vendor: unknown vendor 'acme-ai'"):
        parse_bench_document(document)


def test_it_names_a_missing_required_field():
    with pytest.raises(BenchImportError, match=r"^results\[1\]\.case: required field is missing"):
        parse_bench_document(
            {"schema": "riskboard.bench/1", "results": [{"model": "a", "case": "c"}, {"model": "a"}]}
        )


def test_it_explains_invalid_json():
    with pytest.raises(BenchImportError, match="^not valid JSON: Expecting value at line 1 column 12"):
        parse_bench_payload(b'{"schema": }')


def test_it_refuses_a_file_it_does_not_recognise():
    with pytest.raises(BenchImportError, match="^unrecognised results file"):
        parse_bench_payload(b'{"hello": "world"}')


def test_it_refuses_an_unknown_kind():
    with pytest.raises(BenchImportError, match="^unknown kind 'csv'"):
        parse_bench_payload(b"{}", kind="csv")
