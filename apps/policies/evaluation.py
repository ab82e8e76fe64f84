"""Policy evaluation: a pure function from policies and plain facts to violations (no Django here).

A *subject* is one thing a policy can be about, given as a flat dict of facts with dotted names:
one dependency of a workflow (``workflow.*``, ``dependency.*``, ``model.*``, ``vendor.*``), a workflow
without dependencies (``workflow.*`` only) or one scanner finding (``finding.*``, ``model.*``,
``vendor.*``). Which facts exist is listed in ``FACTS``; apps add workflow facts through the provider
registry in ``apps.policies.facts``.

A policy's condition (``when``) is JSON:

    condition := {"all": [condition, ...]} | {"any": [condition, ...]} | {"not": condition}
               | {"fact": NAME, "op": OP, "value": VALUE}

``op`` is one of ``eq, ne, in, not_in, gte, gt, lte, lt, exists``. Risk levels (``low < medium <
high``) compare by rank, numbers numerically. A fact the subject does not carry (a workflow fact on
a scanner finding, or an archive fact when no archive app is installed) matches nothing, except
``ne`` (a missing value is not equal to anything) — so "no verified archive" is written
``{"fact": "workflow.verified_archive", "op": "ne", "value": true}`` and holds when the fact is absent.

Severity is ``fail``, ``warn`` or ``info``; the CI gate reads them as ``high``, ``medium`` and ``low``.
``vendor-risk`` (used by the scanner's built-in policy) makes the violation as severe as the
subject's ``vendor.risk``.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

SEVERITIES = ("fail", "warn", "info")
SEVERITY_FROM_VENDOR_RISK = "vendor-risk"
LEVELS = ("low", "medium", "high")
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}
LEVEL_OF_SEVERITY = {"fail": "high", "warn": "medium", "info": "low"}
SEVERITY_OF_LEVEL = {level: severity for severity, level in LEVEL_OF_SEVERITY.items()}
OPERATORS = ("eq", "ne", "in", "not_in", "gte", "gt", "lte", "lt", "exists")

# The facts a condition may name, with what they mean (shown on the editor page and in docs/).
FACTS: dict[str, str] = {
    "workflow.name": "the workflow's name",
    "workflow.criticality": "high, medium or low",
    "workflow.deployment": "self-hosted, cloud-api, edge or via-tool",
    "workflow.data_sensitivity": "public, internal, confidential or regulated",
    "workflow.switching_difficulty": "1 (trivial) to 5 (a month-long migration)",
    "workflow.exposure_band": "high, medium or low",
    "workflow.exposure_score": "0 to 100",
    "workflow.vendor_count": "how many vendors the workflow's models come from (fallbacks included)",
    "workflow.benchmarked_alternative": "true when a benchmarked alternative on another vendor passes",
    "workflow.verified_archive": "true when the workflow's models have a verified archive copy",
    "dependency.role": "primary or fallback",
    "dependency.via_tool": "true when the model is used through a third-party tool",
    "model.identifier": "the model as declared or found in code",
    "model.name": "the catalog model's name (absent when it matches no catalog model)",
    "model.license": "the catalog model's licence (an SPDX id or 'proprietary')",
    "model.open_weights": "true when the model's weights are published",
    "model.approval": "approved, restricted, blocked, pending or unreviewed",
    "vendor.slug": "the vendor's slug, e.g. alibaba",
    "vendor.risk": "the vendor's risk level for the organization: high, medium or low",
    "finding.kind": "model, package or endpoint (scanner findings only)",
    "finding.rule": "the scanner rule that matched (scanner findings only)",
    "finding.path": "the file, relative to the scanned root (scanner findings only)",
    "finding.confidence": "high, medium or low (scanner findings only)",
}

_MISSING = object()


class ConditionError(ValueError):
    """A condition that is not of the documented form; `where` names the offending part."""

    def __init__(self, where: str, message: str):
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message


@dataclass(frozen=True)
class Policy:
    key: str
    name: str
    severity: str  # fail | warn | info | vendor-risk
    when: Mapping[str, Any]
    description: str = ""


@dataclass(frozen=True)
class Violation:
    policy_key: str
    policy_name: str
    severity: str  # fail | warn | info
    level: str  # high | medium | low, for the CI gate's --fail-on
    subject: str  # what it is about, e.g. "Qwen2.5 7B Instruct" or the workflow's name
    workflow_id: int | None = None
    subject_index: int = 0  # position of the (first) subject that violated it, e.g. the finding

    @property
    def key(self) -> tuple[str, int | None, str]:
        return (self.policy_key, self.workflow_id, self.subject)


def validate_condition(condition: Any, where: str = "when") -> None:
    """Raise ConditionError naming the first part of `condition` that is not of the documented form."""
    if not isinstance(condition, Mapping):
        raise ConditionError(where, "must be an object")
    combinators = [key for key in ("all", "any", "not") if key in condition]
    if combinators:
        if len(condition) != 1:
            raise ConditionError(where, f"'{combinators[0]}' must be the object's only key")
        key = combinators[0]
        if key == "not":
            validate_condition(condition["not"], f"{where}.not")
            return
        parts = condition[key]
        if not isinstance(parts, list) or not parts:
            raise ConditionError(f"{where}.{key}", "must be a non-empty list of conditions")
        for index, part in enumerate(parts):
            validate_condition(part, f"{where}.{key}[{index}]")
        return
    unknown = set(condition) - {"fact", "op", "value"}
    if unknown:
        raise ConditionError(
            where, f"unknown key '{sorted(unknown)[0]}' (use fact, op, value, or all/any/not)"
        )
    fact = condition.get("fact")
    if fact not in FACTS:
        raise ConditionError(f"{where}.fact", f"'{fact}' is not a known fact")
    op = condition.get("op", "eq")
    if op not in OPERATORS:
        raise ConditionError(f"{where}.op", f"'{op}' is not one of {', '.join(OPERATORS)}")
    if op != "exists" and "value" not in condition:
        raise ConditionError(f"{where}.value", "is required")
    value = condition.get("value")
    if op in ("in", "not_in") and not isinstance(value, list):
        raise ConditionError(f"{where}.value", f"must be a list for '{op}'")
    if op in ("gte", "gt", "lte", "lt") and not (
        (isinstance(value, (int, float)) and not isinstance(value, bool)) or value in LEVEL_RANK
    ):
        raise ConditionError(f"{where}.value", f"must be a number or one of {', '.join(LEVELS)} for '{op}'")


def _comparable(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and value in LEVEL_RANK:
        return float(LEVEL_RANK[value])
    return None


def condition_holds(condition: Mapping[str, Any], facts: Mapping[str, Any]) -> bool:
    """Whether `condition` (already validated) holds for a subject's `facts`."""
    if "all" in condition:
        return all(condition_holds(part, facts) for part in condition["all"])
    if "any" in condition:
        return any(condition_holds(part, facts) for part in condition["any"])
    if "not" in condition:
        return not condition_holds(condition["not"], facts)
    op, expected = condition.get("op", "eq"), condition.get("value")
    actual = facts.get(condition["fact"], _MISSING)
    if op == "exists":
        present = actual is not _MISSING and actual is not None
        return present if expected is None else present == bool(expected)
    if actual is _MISSING or actual is None:
        return op == "ne"
    if op == "eq":
        return actual == expected
    if op == "ne":
        return actual != expected
    if op == "in":
        return actual in expected
    if op == "not_in":
        return actual not in expected
    left, right = _comparable(actual), _comparable(expected)
    if left is None or right is None:
        return False
    return {"gte": left >= right, "gt": left > right, "lte": left <= right, "lt": left < right}[op]


def compile_condition(condition: Mapping[str, Any]) -> Callable[[Mapping[str, Any]], bool]:
    """`condition` (already validated) as a function of the facts: `condition_holds` without re-reading it."""
    if "all" in condition:
        parts = [compile_condition(part) for part in condition["all"]]
        return lambda facts: all(part(facts) for part in parts)
    if "any" in condition:
        parts = [compile_condition(part) for part in condition["any"]]
        return lambda facts: any(part(facts) for part in parts)
    if "not" in condition:
        inner = compile_condition(condition["not"])
        return lambda facts: not inner(facts)
    name, op, expected = condition["fact"], condition.get("op", "eq"), condition.get("value")
    if op == "eq":
        return lambda facts: (actual := facts.get(name)) is not None and actual == expected
    if op == "ne":
        return lambda facts: facts.get(name) != expected or facts.get(name) is None
    if op in ("in", "not_in"):
        members = list(expected)
        wanted = op == "in"
        return lambda facts: (actual := facts.get(name)) is not None and (actual in members) is wanted
    return lambda facts: condition_holds(condition, facts)


def facts_named(condition: Mapping[str, Any]) -> set[str]:
    """Every fact a condition names (to tell a workflow-wide policy from a per-model one)."""
    if "all" in condition or "any" in condition:
        return set().union(*(facts_named(part) for part in condition.get("all") or condition["any"]))
    if "not" in condition:
        return facts_named(condition["not"])
    return {condition["fact"]}


def _is_about_workflow_only(policy: Policy) -> bool:
    return all(name.startswith("workflow.") for name in facts_named(policy.when))


def _level(policy: Policy, facts: Mapping[str, Any]) -> str | None:
    if policy.severity == SEVERITY_FROM_VENDOR_RISK:
        risk = facts.get("vendor.risk")
        return risk if risk in LEVEL_RANK else None
    return LEVEL_OF_SEVERITY[policy.severity]


def evaluate(policies: Iterable[Policy], subjects: Iterable[Mapping[str, Any]]) -> list[Violation]:
    """Every violation of `policies` by `subjects`, one per policy, workflow and model (or finding).

    A subject may carry ``_workflow_id`` and ``_subject`` (a label; default the model's name or
    identifier). A policy that names only workflow facts is violated once per workflow, however many
    dependencies the workflow has. The result is ordered most severe first, then by subject.
    """
    policies = list(policies)
    workflow_only = {policy.key: _is_about_workflow_only(policy) for policy in policies}
    tests = [(policy, compile_condition(policy.when)) for policy in policies]
    found: dict[tuple, Violation] = {}
    for index, facts in enumerate(subjects):
        workflow_id = facts.get("_workflow_id")
        for policy, holds in tests:
            if not holds(facts):
                continue
            level = _level(policy, facts)
            if level is None:
                continue
            if workflow_only[policy.key] and workflow_id is not None:
                subject = str(facts.get("workflow.name", ""))
            else:
                subject = str(
                    facts.get("_subject") or facts.get("model.name") or facts.get("model.identifier") or ""
                )
            key = (policy.key, workflow_id, subject) if workflow_id is not None else (policy.key, index)
            if key in found:
                continue
            found[key] = Violation(
                policy_key=policy.key,
                policy_name=policy.name,
                severity=SEVERITY_OF_LEVEL[level],
                level=level,
                subject=subject,
                workflow_id=workflow_id,
                subject_index=index,
            )
    return sorted(found.values(), key=lambda v: (-LEVEL_RANK[v.level], v.subject, v.policy_key))


def at_or_above(violations: Iterable[Violation], level: str) -> list[Violation]:
    """The violations the CI gate fails on for `--fail-on level`."""
    return [v for v in violations if LEVEL_RANK[v.level] >= LEVEL_RANK[level]]
