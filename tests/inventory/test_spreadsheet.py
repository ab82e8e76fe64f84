"""Reading the audit sheet: headers, encodings, words people use, and every error named by row and column."""

import io

import openpyxl

from apps.inventory.spreadsheet import neutralise_formula, parse_sheet, read_table


def parse_csv(text: str, *, bom: bool = False, crlf: bool = False):
    if crlf:
        text = text.replace("\n", "\r\n")
    content = ("\ufeff" if bom else "").encode() + text.encode("utf-8")
    return parse_sheet(read_table(content, "audit.csv"))


FOUR_COLUMNS = """Workflow Name,Qwen Model Used,Criticality Level,Estimated Switching Difficulty
Blog localisation,Qwen-MT,High,hard
Ad creative analysis,Qwen3-VL-8B,medium,3
"""


def test_the_articles_four_column_sheet_reads_with_its_own_headers():
    sheet = parse_csv(FOUR_COLUMNS)
    assert sheet.errors == []
    assert sheet.columns == ["workflow", "model", "criticality", "switching_difficulty"]
    first, second = sheet.rows
    assert (first.row, first.workflow["name"], first.model, first.workflow["criticality"]) == (
        2,
        "Blog localisation",
        "Qwen-MT",
        "high",
    )
    assert first.workflow["switching_difficulty"] == 4  # "hard"
    assert second.workflow["switching_difficulty"] == 3


def test_bom_and_crlf_read_the_same_as_plain_utf8():
    plain = parse_csv(FOUR_COLUMNS)
    both = parse_csv(FOUR_COLUMNS, bom=True, crlf=True)
    assert [row.workflow for row in both.rows] == [row.workflow for row in plain.rows]
    assert both.errors == []


def test_semicolon_separated_exports_are_understood():
    sheet = parse_csv("workflow;model;criticality;switching difficulty\nTranslation;qwen-mt;low;easy\n")
    assert sheet.rows[0].workflow["switching_difficulty"] == 2


def test_every_bad_cell_is_reported_with_its_row_and_column():
    sheet = parse_csv(
        "workflow,model,criticality,switching difficulty,monthly cost\n"
        "Good one,qwen2.5:7b,high,2,200\n"
        "Bad criticality,qwen2.5:7b,urgent,2,\n"
        "Bad difficulty,qwen2.5:7b,low,7,\n"
        ",qwen2.5:7b,low,1,\n"
        "Bad cost,qwen2.5:7b,low,1,lots\n"
    )
    assert [error.as_dict() for error in sheet.errors] == [
        {"row": 3, "column": "criticality", "message": "'urgent' is not one of high, medium, low"},
        {
            "row": 4,
            "column": "switching difficulty",
            "message": "'7' is not 1–5 or a word such as easy, moderate, hard",
        },
        {"row": 5, "column": "workflow", "message": "is empty"},
        {
            "row": 6,
            "column": "monthly cost",
            "message": "'lots' is not an amount in USD such as 200 or 3,500.00",
        },
    ]


def test_a_missing_required_column_is_named():
    sheet = parse_csv("workflow,model,criticality\nA,qwen,high\n")
    assert sheet.errors[0].row == 1
    assert "switching difficulty" in sheet.errors[0].message


def test_rows_of_one_workflow_must_agree_on_its_fields():
    sheet = parse_csv(
        "workflow,model,criticality,switching difficulty\nA,qwen3:8b,high,4\nA,llama3.2,low,4\n"
    )
    assert sheet.errors[0].as_dict() == {
        "row": 3,
        "column": "criticality",
        "message": "'low' disagrees with row 2 ('high') for the same workflow",
    }


def test_optional_columns_with_synonyms_and_money_formats():
    sheet = parse_csv(
        "Use case,LLM,Priority,Switching effort,Department,Via tool,Role,Monthly cost (USD),Data sensitivity\n"
        'Kiosk copy,qwen3.5:0.8b,critical,very hard,Retail,,primary,"$3,500.50",HIPAA\n'
    )
    row = sheet.rows[0]
    assert row.workflow["criticality"] == "high"
    assert row.workflow["switching_difficulty"] == 5
    assert row.workflow["team"] == "Retail"
    assert str(row.workflow["monthly_cost"]) == "3500.50"
    assert row.workflow["data_sensitivity"] == "regulated"


def test_xlsx_numbers_and_blank_rows():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Workflow", "Model", "Criticality", "Switching difficulty"])
    sheet.append(["Edge kiosk", "Qwen/Qwen3.5-0.8B", "HIGH", 4.0])
    sheet.append([None, None, None, None])
    sheet.append(["Reports", "gpt-4o-mini", "low", 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = parse_sheet(read_table(buffer.getvalue(), "audit.xlsx"))
    assert parsed.errors == []
    assert [(row.row, row.workflow["switching_difficulty"]) for row in parsed.rows] == [(2, 4), (4, 1)]


def test_formula_like_text_is_neutralised_for_export():
    assert neutralise_formula('=HYPERLINK("http://evil")') == '\'=HYPERLINK("http://evil")'
    assert neutralise_formula("+1") == "'+1"
    assert neutralise_formula("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise_formula("Blog localisation") == "Blog localisation"
    assert neutralise_formula(42) == 42
