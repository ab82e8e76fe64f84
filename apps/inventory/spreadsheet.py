"""Read and write the audit spreadsheet (CSV or XLSX).

Reading never touches the database: it turns a file into validated rows and a list of every error
with its spreadsheet row number (the header is row 1) and column, so a preview can show them all
before anything is written. The minimum sheet is the article's four columns: workflow, model,
criticality, switching difficulty.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from apps.inventory.models import Dependency, Workflow

REQUIRED_COLUMNS = ("workflow", "model", "criticality", "switching_difficulty")

# Canonical column → accepted headers (compared after lower-casing and squashing punctuation).
COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "workflow": ("workflow", "workflow name", "name", "use case", "process", "workflow or use case"),
    "model": (
        "model",
        "model used",
        "qwen model used",
        "qwen model",
        "ai model",
        "llm",
        "model name",
        "model id",
        "models",
    ),
    "criticality": (
        "criticality",
        "criticality level",
        "business criticality",
        "priority",
        "importance",
        "impact",
    ),
    "switching_difficulty": (
        "switching difficulty",
        "estimated switching difficulty",
        "switch difficulty",
        "difficulty",
        "switching effort",
        "migration difficulty",
        "switching cost",
    ),
    "team": ("team", "department"),
    "owner": ("owner", "responsible", "contact"),
    "client": ("client", "customer", "account"),
    "category": ("category", "type", "use case type"),
    "deployment": ("deployment", "hosting", "deployed on", "deployment type"),
    "tool": ("tool", "via tool", "third party tool", "vendor tool", "through tool", "saas tool", "wrapper"),
    "role": ("role", "dependency role", "primary or fallback"),
    "monthly_volume": ("monthly volume", "volume", "volume per month"),
    "volume_unit": ("volume unit", "unit"),
    "monthly_cost": ("monthly cost", "cost", "monthly cost usd", "cost per month", "cost month", "spend"),
    "data_sensitivity": ("data sensitivity", "sensitivity", "data classification"),
    "notes": ("notes", "comments", "comment"),
}

CRITICALITY_WORDS = {
    "high": "high",
    "critical": "high",
    "h": "high",
    "medium": "medium",
    "med": "medium",
    "m": "medium",
    "moderate": "medium",
    "low": "low",
    "l": "low",
}
# Words people write for switching difficulty, on the 1–5 scale of Workflow.SWITCHING_SCALE.
DIFFICULTY_WORDS = {
    "trivial": 1,
    "very easy": 1,
    "very low": 1,
    "easy": 2,
    "low": 2,
    "moderate": 3,
    "medium": 3,
    "med": 3,
    "hard": 4,
    "high": 4,
    "difficult": 4,
    "very hard": 5,
    "very high": 5,
    "extreme": 5,
    "very difficult": 5,
}
ROLE_WORDS = {
    "primary": "primary",
    "main": "primary",
    "fallback": "fallback",
    "backup": "fallback",
    "secondary": "fallback",
}
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _squash(header: str) -> str:
    header = header.replace("\ufeff", "").strip().lower()
    header = re.sub(r"\(.*?\)", " ", header)
    header = re.sub(r"[^a-z0-9]+", " ", header)
    return " ".join(header.split())


_HEADER_LOOKUP = {
    _squash(synonym): column for column, synonyms in COLUMN_SYNONYMS.items() for synonym in synonyms
}


def _choices_lookup(choices) -> dict[str, str]:
    lookup = {}
    for value, label in choices:
        lookup[_squash(value)] = value
        lookup[_squash(label)] = value
    return lookup


CATEGORY_LOOKUP = _choices_lookup(Workflow.Category.choices)
DEPLOYMENT_LOOKUP = {
    **_choices_lookup(Workflow.Deployment.choices),
    "local": "self-hosted",
    "on prem": "self-hosted",
    "on premise": "self-hosted",
    "api": "cloud-api",
    "cloud": "cloud-api",
    "saas": "via-tool",
    "tool": "via-tool",
}
SENSITIVITY_LOOKUP = {
    **_choices_lookup(Workflow.Sensitivity.choices),
    "regulated": "regulated",
    "hipaa": "regulated",
    "gdpr": "regulated",
    "pii": "confidential",
}


class SpreadsheetError(Exception):
    """The file itself cannot be read (not the rows in it)."""


@dataclass(frozen=True)
class CellError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class SheetRow:
    row: int
    workflow: dict  # canonical workflow fields present in the sheet
    model: str
    tool: str
    role: str


@dataclass
class ParsedSheet:
    columns: list[str]
    rows: list[SheetRow] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)


# What a sheet may make us read. An XLSX names its own size in a <dimension> tag (and its row
# numbers), which openpyxl's streaming reader trusts: a 4.7 KB file claiming A1:XFD1048576 once
# took 69 s. We ignore the claim, read at most MAX_SHEET_COLUMNS columns, and stop past
# MAX_SHEET_ROWS rows; the workbook's parts are capped by their unpacked size first.
MAX_SHEET_ROWS = 50_000
MAX_SHEET_COLUMNS = 100
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024
# The csv module's own per-field limit (131,072 characters) stands: a longer field is an error.


def read_table(content: bytes, filename: str) -> Iterator[tuple[int, list]]:
    """Yield (spreadsheet row number, cell values) for a CSV or XLSX file; SpreadsheetError, naming
    the row, when the file is damaged or breaks a limit."""
    reader = _read_xlsx(content) if filename.lower().endswith(".xlsx") else _read_csv(content)
    for number, cells in reader:
        if number > MAX_SHEET_ROWS + 1:
            raise SpreadsheetError(
                f"Row {number:,}: the sheet has more than {MAX_SHEET_ROWS:,} rows, the most an import reads."
            )
        yield number, cells


def _read_csv(content: bytes) -> Iterator[tuple[int, list]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SpreadsheetError(
            f"The file is not UTF-8 text (byte {error.start}): save it as 'CSV UTF-8'."
        ) from error
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, cells[:MAX_SHEET_COLUMNS]
    except csv.Error as error:  # e.g. "field larger than field limit (131072)"
        raise SpreadsheetError(f"Row {number + 1}: the CSV cannot be read ({error}).") from error


def _xlsx_unpacked_bytes(content: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(content)) as bundle:
        return sum(info.file_size for info in bundle.infolist())


def _read_xlsx(content: bytes) -> Iterator[tuple[int, list]]:
    from openpyxl import load_workbook

    try:
        unpacked = _xlsx_unpacked_bytes(content)
    except Exception as error:  # not a zip at all, or a damaged one
        raise SpreadsheetError(
            f"The file is not a readable XLSX workbook ({error.__class__.__name__})."
        ) from error
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise SpreadsheetError(
            f"The workbook unpacks to {unpacked:,} bytes, more than the {MAX_XLSX_UNPACKED_BYTES:,} an import reads."
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise SpreadsheetError(
            f"The file is not a readable XLSX workbook ({error.__class__.__name__})."
        ) from error
    number = 0
    try:
        if not workbook.worksheets:
            raise SpreadsheetError("The workbook has no worksheet.")
        sheet = workbook.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # read the rows that are there, not the size the file claims
        rows = sheet.iter_rows(max_col=MAX_SHEET_COLUMNS, values_only=True)
        for number, cells in enumerate(rows, start=1):
            yield number, list(cells)  # openpyxl gives tuples
    except SpreadsheetError:
        raise
    except Exception as error:  # a truncated or corrupt part surfaces while streaming the rows
        raise SpreadsheetError(
            f"Row {number + 1}: the workbook is damaged and cannot be read past here ({error.__class__.__name__})."
        ) from error
    finally:
        workbook.close()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_sheet(rows: Iterable[tuple[int, list]]) -> ParsedSheet:
    rows = iter(rows)
    header_number, header = next(rows, (1, []))
    columns: dict[int, str] = {}
    unknown = []
    for position, cell in enumerate(header):
        name = _text(cell)
        canonical = _HEADER_LOOKUP.get(_squash(name))
        if canonical and canonical not in columns.values():
            columns[position] = canonical
        elif name:
            unknown.append(name)
    parsed = ParsedSheet(columns=list(columns.values()))
    missing = [column for column in REQUIRED_COLUMNS if column not in columns.values()]
    if missing:
        readable = ", ".join(column.replace("_", " ") for column in missing)
        parsed.errors.append(
            CellError(
                header_number,
                missing[0].replace("_", " "),
                f"Missing column(s): {readable}. Found: {', '.join(map(_text, header)) or 'nothing'}.",
            )
        )
        return parsed

    first_seen: dict[str, tuple[int, dict]] = {}
    for number, cells in rows:
        values = {
            column: _text(cells[position]) if position < len(cells) else ""
            for position, column in columns.items()
        }
        if not any(values.values()):
            continue  # blank line
        row_errors: list[CellError] = [
            CellError(number, column.replace("_", " "), "contains a NUL character, which cannot be stored")
            for column, value in values.items()
            if "\x00" in value
        ]
        if row_errors:
            parsed.errors.extend(row_errors)
            continue
        workflow = _workflow_fields(number, values, row_errors)
        model = values.get("model", "")
        if len(model) > 160:
            row_errors.append(CellError(number, "model", "is longer than 160 characters"))
        role = values.get("role", "") or "primary"
        if _squash(role) not in ROLE_WORDS:
            row_errors.append(CellError(number, "role", f"'{role}' is not one of primary, fallback"))
        else:
            role = ROLE_WORDS[_squash(role)]
        if not model and (values.get("tool") or values.get("role")):
            row_errors.append(CellError(number, "model", "is empty but a tool or role is given"))
        if not row_errors and workflow["name"] in first_seen:
            _check_consistent(number, workflow, *first_seen[workflow["name"]], row_errors)
        elif not row_errors:
            first_seen[workflow["name"]] = (number, workflow)
        parsed.errors.extend(row_errors)
        if not row_errors:
            parsed.rows.append(
                SheetRow(row=number, workflow=workflow, model=model, tool=values.get("tool", ""), role=role)
            )
    if not parsed.rows and not parsed.errors:
        parsed.errors.append(CellError(header_number + 1, "workflow", "The sheet has a header but no rows."))
    return parsed


def _workflow_fields(number: int, values: dict, errors: list[CellError]) -> dict:
    fields: dict = {}
    name = values["workflow"]
    if not name:
        errors.append(CellError(number, "workflow", "is empty"))
    elif len(name) > 160:
        errors.append(CellError(number, "workflow", "is longer than 160 characters"))
    fields["name"] = name

    criticality = values["criticality"]
    if _squash(criticality) in CRITICALITY_WORDS:
        fields["criticality"] = CRITICALITY_WORDS[_squash(criticality)]
    else:
        errors.append(CellError(number, "criticality", f"'{criticality}' is not one of high, medium, low"))

    difficulty = values["switching_difficulty"]
    parsed_difficulty = _difficulty(difficulty)
    if parsed_difficulty is None:
        errors.append(
            CellError(
                number,
                "switching difficulty",
                f"'{difficulty}' is not 1–5 or a word such as easy, moderate, hard",
            )
        )
    fields["switching_difficulty"] = parsed_difficulty

    for column, lookup in (
        ("category", CATEGORY_LOOKUP),
        ("deployment", DEPLOYMENT_LOOKUP),
        ("data_sensitivity", SENSITIVITY_LOOKUP),
    ):
        value = values.get(column, "")
        if not value:
            continue
        if _squash(value) in lookup:
            fields[column] = lookup[_squash(value)]
        else:
            allowed = ", ".join(sorted(set(lookup.values())))
            errors.append(CellError(number, column.replace("_", " "), f"'{value}' is not one of {allowed}"))
    for column, limit in (("team", 80), ("owner", 120), ("volume_unit", 30), ("client", 120)):
        value = values.get(column, "")
        if len(value) > limit:
            errors.append(CellError(number, column.replace("_", " "), f"is longer than {limit} characters"))
        elif value:
            fields[column] = value
    if values.get("notes"):
        fields["notes"] = values["notes"]
    volume = values.get("monthly_volume", "")
    if volume:
        cleaned = volume.replace(",", "").replace(" ", "").replace("_", "")
        if cleaned.isdigit():
            fields["monthly_volume"] = int(cleaned)
        else:
            errors.append(CellError(number, "monthly volume", f"'{volume}' is not a whole number"))
    cost = values.get("monthly_cost", "")
    if cost:
        cleaned = re.sub(r"(?i)usd|\$|,|\s", "", cost)
        try:
            amount = Decimal(cleaned)
            if amount < 0 or not amount.is_finite():
                raise InvalidOperation
            fields["monthly_cost"] = amount.quantize(Decimal("0.01"))
        except InvalidOperation:
            errors.append(
                CellError(number, "monthly cost", f"'{cost}' is not an amount in USD such as 200 or 3,500.00")
            )
    return fields


def _difficulty(value: str) -> int | None:
    squashed = _squash(value)
    if squashed in DIFFICULTY_WORDS:
        return DIFFICULTY_WORDS[squashed]
    match = re.fullmatch(r"(\d)(?:\.0+)?(?:\s*(?:/|of)\s*5)?", value.strip())
    if match and 1 <= int(match.group(1)) <= 5:
        return int(match.group(1))
    return None


def _check_consistent(
    number: int, workflow: dict, first_number: int, first: dict, errors: list[CellError]
) -> None:
    """Several rows of one workflow list its dependencies; its own fields must agree."""
    for key, value in workflow.items():
        if key in first and first[key] != value:
            errors.append(
                CellError(
                    number,
                    key.replace("_", " "),
                    f"'{value}' disagrees with row {first_number} ('{first[key]}') for the same workflow",
                )
            )


# --- Export ------------------------------------------------------------------------------------

EXPORT_HEADERS = [
    "workflow",
    "model",
    "criticality",
    "switching difficulty",
    "team",
    "owner",
    "client",
    "category",
    "deployment",
    "tool",
    "role",
    "monthly volume",
    "volume unit",
    "monthly cost",
    "data sensitivity",
    "notes",
    "catalog model",
    "vendor",
    "exposure score",
    "exposure band",
]


def neutralise_formula(value):
    """Stop a spreadsheet from executing a cell: text starting with = + - @ (or a tab/CR) gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def export_rows(workflows: Iterable[Workflow]) -> Iterator[list]:
    for workflow in workflows:
        dependencies: list[Dependency | None] = list(workflow.dependencies.all()) or [None]
        for dependency in dependencies:
            row = [
                workflow.name,
                dependency.declared_model if dependency else "",
                workflow.criticality,
                workflow.switching_difficulty,
                workflow.team,
                workflow.owner,
                workflow.client.name if workflow.client_id else "",
                workflow.category,
                workflow.deployment,
                dependency.via_tool.name if dependency and dependency.via_tool_id else "",
                dependency.role if dependency else "",
                workflow.monthly_volume if workflow.monthly_volume is not None else "",
                workflow.volume_unit,
                workflow.monthly_cost if workflow.monthly_cost is not None else "",
                workflow.data_sensitivity,
                workflow.notes,
                dependency.model.name if dependency and dependency.model_id else "",
                dependency.model.vendor.slug if dependency and dependency.model_id else "",
                workflow.exposure_score,
                workflow.exposure_band,
            ]
            yield [neutralise_formula(cell) for cell in row]


def write_csv(rows: Iterable[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(EXPORT_HEADERS)
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()  # the BOM makes Excel read UTF-8 names correctly


def write_xlsx(rows: Iterable[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Inventory")
    sheet.append(EXPORT_HEADERS)
    for row in rows:
        sheet.append([float(cell) if isinstance(cell, Decimal) else cell for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
