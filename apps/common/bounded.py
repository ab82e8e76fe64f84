"""Limits every parser of outside input shares, so bad input costs neither memory, time nor a 500.

No Django imports: the pure parsers (benchmark importers, the spreadsheet reader) use these too.

- `json_loads_bounded(data)`: `json.loads` that refuses documents nested deeper than MAX_DEPTH with a
  readable error (the C decoder recurses: a few hundred kilobytes of `[` end in RecursionError, and
  a document that does parse that deep would then break jsonschema-rs and the database's jsonb).
- `storable_errors(document)`: values a JSON Schema accepts but PostgreSQL does not (integers beyond
  bigint, NUL characters in text or keys), each with the path of its field.
"""

import json
import math
from typing import Any

MAX_DEPTH = 64
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1
MAX_REPORTED = 50


class BoundedInputError(ValueError):
    """The input breaks a limit; the message says which and where."""


def _depth_error(path: str) -> BoundedInputError:
    where = f" at {path}" if path else ""
    return BoundedInputError(f"the document is nested more than {MAX_DEPTH} levels deep{where}")


def check_depth(document: Any, *, limit: int = MAX_DEPTH) -> None:
    """Raise BoundedInputError when `document` nests containers deeper than `limit` (iterative walk)."""
    stack: list[tuple[Any, int, str]] = [(document, 1, "")]
    while stack:
        value, depth, path = stack.pop()
        if isinstance(value, dict):
            items = value.items()
        elif isinstance(value, list):
            items = enumerate(value)
        else:
            continue
        if depth > limit:
            raise _depth_error(path)
        for key, child in items:
            if isinstance(child, (dict, list)):
                stack.append((child, depth + 1, f"{path}/{key}" if path else str(key)))


def json_loads_bounded(data: bytes | str) -> Any:
    """`json.loads`, plus BoundedInputError for a document nested deeper than MAX_DEPTH.

    Decode errors (UnicodeDecodeError, json.JSONDecodeError) pass through for the caller to word.
    """
    try:
        document = json.loads(data)
    except RecursionError as error:
        raise _depth_error("") from error
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise
    except ValueError as error:  # e.g. an integer of more than 4,300 digits
        raise BoundedInputError(f"not valid JSON: {error}") from error
    check_depth(document)
    return document


def storable_errors(document: Any) -> list[tuple[str, str]]:
    """[(field path, message)] for values PostgreSQL cannot store: integers outside bigint, NUL in text."""
    errors: list[tuple[str, str]] = []
    stack: list[tuple[Any, str]] = [(document, "")]
    while stack and len(errors) < MAX_REPORTED:
        value, path = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                errors.append(
                    (path or "(document)", "contains a NUL character (\\u0000), which cannot be stored")
                )
        elif isinstance(value, float):
            if not math.isfinite(value):
                errors.append((path or "(document)", f"{value} is not a number the database can store"))
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int):
            if not BIGINT_MIN <= value <= BIGINT_MAX:
                errors.append((path or "(document)", "is outside the range of a 64-bit integer (±9.2e18)"))
        elif isinstance(value, dict):
            for key, child in value.items():
                child_path = f"{path}/{key}" if path else str(key)
                if "\x00" in key:
                    errors.append((child_path, "the key contains a NUL character (\\u0000)"))
                stack.append((child, child_path))
        elif isinstance(value, list):
            stack.extend(
                (child, f"{path}/{index}" if path else str(index)) for index, child in enumerate(value)
            )
    return sorted(errors)


def text_limit_errors(document: Any, limits: dict[str, int]) -> list[tuple[str, str]]:
    """[(field path, message)] for strings longer than their limit; `limits` maps paths such as
    "findings/*/path" (`*` = any list index or key) to a length in characters."""
    errors: list[tuple[str, str]] = []
    for pattern, limit in limits.items():
        nodes: list[tuple[Any, str]] = [(document, "")]
        for part in pattern.split("/"):
            following: list[tuple[Any, str]] = []
            for value, path in nodes:
                if isinstance(value, dict):
                    keys = value.keys() if part == "*" else ([part] if part in value else [])
                    following.extend((value[key], f"{path}/{key}" if path else str(key)) for key in keys)
                elif isinstance(value, list) and part == "*":
                    following.extend(
                        (child, f"{path}/{i}" if path else str(i)) for i, child in enumerate(value)
                    )
            nodes = following
        for value, path in nodes:
            if isinstance(value, str) and len(value) > limit:
                errors.append(
                    (path, f"is {len(value):,} characters long; the most this field keeps is {limit:,}")
                )
                if len(errors) >= MAX_REPORTED:
                    return errors
    return errors
