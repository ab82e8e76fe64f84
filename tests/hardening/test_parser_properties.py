"""Property-based tests: whatever the bytes, the sheet, promptfoo and lm-eval parsers either read
them or raise their documented error type (SpreadsheetError, SuiteFormatError, BenchImportError)."""

import contextlib
import csv
import io
import json

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.benchmarks.importers import BenchImportError, parse_bench_payload
from apps.benchmarks.importers.lm_eval import parse_lm_eval
from apps.benchmarks.promptfoo_yaml import SuiteFormatError, suite_cases, suite_from_yaml
from apps.inventory.spreadsheet import SpreadsheetError, parse_sheet, read_table

PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=30,
)
headers = st.sampled_from(
    [
        "workflow",
        "model",
        "criticality",
        "switching difficulty",
        "monthly volume",
        "monthly cost",
        "role",
        "tool",
        "x",
    ]
)
cells = st.text(max_size=30) | st.sampled_from(
    ["high", "low", "3", "easy", "1e400", "-1", "99999999999999999999", "\x00"]
)


def _sheet(rows) -> list:
    try:
        return parse_sheet(read_table(*rows))
    except SpreadsheetError:
        return []


@PROPERTY_SETTINGS
@given(data=st.binary(max_size=2000), name=st.sampled_from(["sheet.csv", "sheet.xlsx"]))
def test_the_sheet_reader_reads_any_bytes_or_raises_spreadsheet_error(data, name):
    _sheet((data, name))


@PROPERTY_SETTINGS
@given(
    header=st.lists(headers, min_size=1, max_size=8), rows=st.lists(st.lists(cells, max_size=8), max_size=10)
)
def test_the_sheet_parser_reads_any_table_or_names_the_row(header, rows):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    parsed = _sheet((buffer.getvalue().encode(), "sheet.csv"))
    for error in getattr(parsed, "errors", []):
        assert error.row >= 1 and error.message


@PROPERTY_SETTINGS
@given(text=st.text(max_size=500))
def test_promptfoo_yaml_text_parses_or_raises_suite_format_error(text):
    with contextlib.suppress(SuiteFormatError):
        suite_cases(suite_from_yaml(text))


@PROPERTY_SETTINGS
@given(
    document=st.dictionaries(
        st.sampled_from(["prompts", "tests", "providers", "defaultTest", "x"]), json_values
    )
)
def test_promptfoo_yaml_documents_parse_or_raise_suite_format_error(document):
    with contextlib.suppress(SuiteFormatError):
        suite_cases(suite_from_yaml(yaml.safe_dump(document)))


@PROPERTY_SETTINGS
@given(
    document=st.fixed_dictionaries(
        {"results": json_values, "config": json_values},
        optional={
            "configs": json_values,
            "versions": json_values,
            "n-samples": json_values,
            "model_name": json_values,
        },
    )
)
def test_lm_eval_documents_parse_or_raise_bench_import_error(document):
    with contextlib.suppress(BenchImportError):
        parse_lm_eval(document)


@PROPERTY_SETTINGS
@given(data=st.binary(max_size=500) | json_values.map(lambda value: json.dumps(value).encode()))
def test_bench_payloads_parse_or_raise_bench_import_error(data):
    with contextlib.suppress(BenchImportError):
        parse_bench_payload(data)
