"""Read a policy file (`scan --policy FILE`, and the editor's import): YAML or JSON, validated whole.

The format is documented in docs/policies.md. Parsing is pure (no Django) and safe: YAML is read
with `yaml.safe_load`, the structure is checked against `POLICY_FILE_SCHEMA`, each condition by
`validate_condition`, and the first problem is reported with the field it is in, e.g.
`policies[1].when.all[0].op: 'equals' is not one of eq, ne, …`.
"""

from dataclasses import dataclass, field
from typing import Any

import jsonschema
import yaml

from apps.policies.evaluation import (
    SEVERITIES,
    SEVERITY_FROM_VENDOR_RISK,
    ConditionError,
    Policy,
    validate_condition,
)

SCHEMA = "riskboard.policy/1"
APPROVAL_STATUSES = ("approved", "restricted", "blocked", "pending")

POLICY_FILE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["policies"],
    "properties": {
        "schema": {"const": SCHEMA},
        "policies": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["key", "severity", "when"],
                "properties": {
                    "key": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$", "maxLength": 60},
                    "name": {"type": "string", "maxLength": 160},
                    "description": {"type": "string"},
                    "severity": {"enum": [*SEVERITIES, SEVERITY_FROM_VENDOR_RISK]},
                    "enabled": {"type": "boolean"},
                    "when": {"type": "object"},
                },
            },
        },
        "approvals": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["model", "status"],
                "properties": {
                    "model": {"type": "string", "minLength": 1},
                    "status": {"enum": list(APPROVAL_STATUSES)},
                    "reason": {"type": "string"},
                },
            },
        },
    },
}


class PolicyFileError(ValueError):
    def __init__(self, where: str, message: str):
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where
        self.message = message


@dataclass
class PolicyFile:
    policies: list[Policy]
    approvals: dict[str, str] = field(default_factory=dict)  # normalised model name → status


def _where(path: Any) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _message(error: jsonschema.ValidationError) -> str:
    if error.validator == "enum":
        return f"{error.instance!r} is not one of {', '.join(map(str, error.validator_value))}"
    if error.validator == "required":
        return error.message.replace(" is a required property", " is required")
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed ", "unknown field ")
    return error.message


def parse_policy_text(text: str) -> PolicyFile:
    """Parse a policy file's text (JSON is YAML too) or raise PolicyFileError naming the field."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        raise PolicyFileError(
            where, f"not valid YAML or JSON ({getattr(error, 'problem', error)})"
        ) from error
    if not isinstance(document, dict):
        raise PolicyFileError("", "a policy file is an object with a 'policies' list")
    errors = sorted(
        jsonschema.Draft202012Validator(POLICY_FILE_SCHEMA).iter_errors(document),
        key=lambda e: (list(map(str, e.absolute_path)), e.validator != "required"),
    )
    if errors:
        error = errors[0]
        where = _where(error.absolute_path) or "(top level)"
        raise PolicyFileError(where, _message(error))
    policies: list[Policy] = []
    seen: set[str] = set()
    for index, entry in enumerate(document["policies"]):
        if entry["key"] in seen:
            raise PolicyFileError(f"policies[{index}].key", f"'{entry['key']}' is used twice")
        seen.add(entry["key"])
        try:
            validate_condition(entry["when"], f"policies[{index}].when")
        except ConditionError as error:
            raise PolicyFileError(error.where, error.message) from error
        if entry.get("enabled", True):
            policies.append(
                Policy(
                    key=entry["key"],
                    name=entry.get("name") or entry["key"],
                    severity=entry["severity"],
                    when=entry["when"],
                    description=entry.get("description", ""),
                )
            )
    approvals = {entry["model"].strip().lower(): entry["status"] for entry in document.get("approvals", [])}
    return PolicyFile(policies=policies, approvals=approvals)
