"""Each parser limit on its own (the corpus sends the same inputs through every entry point)."""

import tracemalloc

import pytest

from apps.benchmarks.promptfoo_yaml import (
    Suite,
    SuiteFormatError,
    SuitePrompt,
    SuiteTest,
    suite_from_yaml,
    suite_to_yaml,
)
from apps.common.bounded import BoundedInputError, json_loads_bounded, storable_errors
from apps.inventory import spreadsheet
from apps.inventory.spreadsheet import SpreadsheetError, parse_sheet, read_table
from apps.jobs.validation import payload_errors
from apps.scanner.archive import ExtractionLimits, UnsafeArchiveError, extract_archive
from tests.hardening import corpus


def _probe(name: str) -> bytes:
    return next(probe.data for probe in corpus.corpus() if probe.name == name)


def test_a_zip_symlink_is_never_read_whole(tmp_path):
    archive = tmp_path / "bomb.zip"
    archive.write_bytes(_probe("zip_symlink_bomb"))  # 200 MB of "symlink target" in 200 KB
    tracemalloc.start()
    try:
        with pytest.raises(UnsafeArchiveError, match="app/link: a symlink whose target is 209,715,200 bytes"):
            extract_archive(archive, tmp_path / "out")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20


@pytest.mark.parametrize("name", ["zip_many_directories", "tar_many_directories"])
def test_directory_entries_count_against_the_entry_limit(tmp_path, name):
    archive = tmp_path / "dirs"
    archive.write_bytes(_probe(name))
    (tmp_path / "out").mkdir()
    with pytest.raises(UnsafeArchiveError, match="more than 2000 entries"):
        extract_archive(
            archive, tmp_path / "out", limits=ExtractionLimits(max_files=corpus.ARCHIVE_MAX_FILES)
        )
    assert not any((tmp_path / "out").iterdir())  # refused before anything was written


def test_yaml_aliases_cannot_expand():
    with pytest.raises(SuiteFormatError, match="expands to more than 100,000 values"):
        suite_from_yaml(_probe("billion_laughs").decode())
    with pytest.raises(SuiteFormatError, match="refers to itself"):
        suite_from_yaml(_probe("recursive_alias").decode())
    # A modest anchor stays allowed, and the export never writes aliases.
    suite = suite_from_yaml("prompts: [hi]\ndefaultTest: &d {vars: {x: 1}}\ntests: [*d, *d]\n")
    assert len(suite.tests) == 2
    shared = {"x": 1}
    text = suite_to_yaml(
        Suite(prompts=(SuitePrompt("hi"),), tests=(SuiteTest(vars=shared), SuiteTest(vars=shared)))
    )
    assert "&" not in text and "*" not in text


@pytest.mark.parametrize("name", ["deep_flow_nesting", "deep_block_nesting"])
def test_yaml_nesting_is_limited(name):
    with pytest.raises(SuiteFormatError, match="nested more than 64 levels"):
        suite_from_yaml(_probe(name).decode())


def test_an_xlsx_claiming_a_million_rows_is_read_for_the_rows_it_has():
    sheet = parse_sheet(read_table(_probe("xlsx_dimension_claim"), "inventory.xlsx"))
    assert [(error.row, error.column) for error in sheet.errors] == [(2, "criticality")]


def test_an_xlsx_row_far_down_stops_at_the_row_limit(monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_SHEET_ROWS", 500)
    with pytest.raises(SpreadsheetError, match="Row 502: the sheet has more than 500 rows"):
        parse_sheet(read_table(_probe("xlsx_far_cell"), "inventory.xlsx"))


@pytest.mark.parametrize(
    ("name", "filename", "message"),
    [
        ("csv_field_over_csv_limit", "inventory.csv", "Row 3: the CSV cannot be read"),
        ("xlsx_corrupt_sheet_xml", "inventory.xlsx", "Row 1: the workbook is damaged"),
        ("xlsx_parts_claim_gigabytes", "inventory.xlsx", "The workbook unpacks to"),
    ],
)
def test_damaged_sheets_are_a_spreadsheet_error_naming_the_row(name, filename, message):
    with pytest.raises(SpreadsheetError, match=message):
        parse_sheet(read_table(_probe(name), filename))


def test_a_nul_in_a_cell_is_a_row_error():
    sheet = parse_sheet(read_table(_probe("csv_nul_byte"), "inventory.csv"))
    assert [(error.row, error.column) for error in sheet.errors] == [(2, "workflow")]
    assert "NUL" in sheet.errors[0].message


def test_json_nesting_and_giant_integers_are_refused_readably():
    with pytest.raises(BoundedInputError, match="nested more than 64 levels"):
        json_loads_bounded("[" * 100_000 + "]" * 100_000)
    with pytest.raises(BoundedInputError, match="nested more than 64 levels deep at a/0"):
        json_loads_bounded('{"a": [' + "[" * 70 + "]" * 70 + "]}")
    with pytest.raises(BoundedInputError, match="4300 digits"):
        json_loads_bounded("9" * 5000)


def test_values_the_database_cannot_store_are_named_by_path():
    document = {"a": [1, 2**64], "b": "x\x00y", "c\x00": 1, "d": float("nan"), "e": -(2**63)}
    assert sorted(where for where, _ in storable_errors(document)) == ["a/1", "b", "c\x00", "d"]


@pytest.mark.django_db
def test_a_schema_valid_scan_with_unstorable_values_is_refused_at_validation():
    errors = payload_errors(kind="scan", payload=_probe("line_beyond_bigint"))
    assert errors == [
        {"where": "findings/0/line", "message": "is outside the range of a 64-bit integer (±9.2e18)"}
    ]
    errors = payload_errors(kind="scan", payload=_probe("overlong_identifier"))
    assert errors[0]["where"] == "findings/0/identifier"
    assert errors[0]["message"].endswith("is longer than 512 characters")
    assert len(errors[0]["message"]) < 400  # the value at fault is quoted, shortened
    errors = payload_errors(kind="signals", payload=_probe("nul_in_subject"))
    assert errors[0]["where"] == "signals/0/subject" and "NUL" in errors[0]["message"]
