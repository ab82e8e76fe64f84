"""Read JSON values while remembering where they sit, so every error names its path.

``Node(doc)["results"]["results"][3].number("latencyMs")`` raises
``BenchImportError("results.results[3].latencyMs: expected a number, got 'fast'")``.
Absent keys and JSON nulls read as ``None``: the importers never invent a value.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

from apps.common.bounded import BIGINT_MAX


class BenchImportError(ValueError):
    """The file cannot be imported; the message names the field at fault."""

    def __init__(self, message: str, *, path: str = "") -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


def _describe(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


class Node:
    __slots__ = ("path", "value")

    def __init__(self, value: Any, path: str = "") -> None:
        self.value = value
        self.path = path

    def child_path(self, key: str | int) -> str:
        if isinstance(key, int):
            return f"{self.path}[{key}]"
        return f"{self.path}.{key}" if self.path else key

    def error(self, message: str, key: str | int | None = None) -> BenchImportError:
        return BenchImportError(message, path=self.path if key is None else self.child_path(key))

    # -- containers ---------------------------------------------------------------------------

    def expect_object(self) -> Node:
        if not isinstance(self.value, dict):
            raise self.error(f"expected an object, got {_describe(self.value)}")
        return self

    def __getitem__(self, key: str) -> Node:
        """A required child."""
        self.expect_object()
        if self.value.get(key) is None:
            raise self.error("required field is missing", key)
        return Node(self.value[key], self.child_path(key))

    def get(self, key: str) -> Node | None:
        """An optional child: None when absent or null."""
        self.expect_object()
        value = self.value.get(key)
        return None if value is None else Node(value, self.child_path(key))

    def object(self, key: str) -> Node | None:
        node = self.get(key)
        return node.expect_object() if node is not None else None

    def items(self) -> Iterator[Node]:
        if not isinstance(self.value, list):
            raise self.error(f"expected a list, got {_describe(self.value)}")
        for index, value in enumerate(self.value):
            yield Node(value, self.child_path(index))

    # -- scalars ------------------------------------------------------------------------------

    def number(self, key: str) -> float | None:
        value = self._optional(key)
        if value is None:
            return None
        # JSON booleans are ints to Python; a boolean where a number belongs is a malformed file.
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(f"expected a number, got {_describe(value)}", key)
        try:
            number = float(value)
        except OverflowError:
            raise self.error("is too large a number", key) from None
        if not math.isfinite(number):
            raise self.error(f"expected a finite number, got {_describe(value)}", key)
        return number

    def integer(self, key: str) -> int | None:
        value = self.number(key)
        if value is None:
            return None
        if not value.is_integer():
            raise self.error(f"expected a whole number, got {_describe(self.value[key])}", key)
        if abs(value) > BIGINT_MAX:
            raise self.error("is outside the range of a 64-bit integer", key)
        return int(value)

    def string(self, key: str) -> str | None:
        value = self._optional(key)
        if value is not None and not isinstance(value, str):
            raise self.error(f"expected a string, got {_describe(value)}", key)
        if value is not None and "\x00" in value:
            raise self.error("contains a NUL character, which cannot be stored", key)
        return value

    def boolean(self, key: str) -> bool | None:
        value = self._optional(key)
        if value is not None and not isinstance(value, bool):
            raise self.error(f"expected true or false, got {_describe(value)}", key)
        return value

    def mapping(self, key: str) -> dict[str, Any]:
        node = self.object(key)
        return dict(node.value) if node is not None else {}

    def required_string(self, key: str) -> str:
        value = self.string(key)
        if not value:
            raise self.error("required field is missing", key)
        return value

    def _optional(self, key: str) -> Any:
        self.expect_object()
        return self.value.get(key)
