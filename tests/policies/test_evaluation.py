"""Policy evaluation is a pure function over plain facts (apps/policies/evaluation.py)."""

import pytest

from apps.policies.evaluation import (
    ConditionError,
    Policy,
    at_or_above,
    condition_holds,
    evaluate,
    validate_condition,
)
from apps.policies.templates import SCANNER_BUILTIN, TEMPLATES_BY_KEY


def dependency(**facts):
    base = {
        "_workflow_id": 1,
        "workflow.name": "Weekly blog localisation",
        "workflow.criticality": "high",
        "workflow.deployment": "self-hosted",
        "workflow.data_sensitivity": "internal",
        "workflow.exposure_band": "high",
        "workflow.vendor_count": 1,
        "workflow.benchmarked_alternative": False,
        "model.identifier": "qwen2.5:7b",
        "model.name": "Qwen2.5 7B Instruct",
        "model.license": "apache-2.0",
        "model.approval": "unreviewed",
        "vendor.slug": "alibaba",
        "vendor.risk": "high",
    }
    return base | facts


def test_it_flags_a_high_criticality_workflow_on_a_single_high_risk_vendor():
    policy = TEMPLATES_BY_KEY["single-high-risk-vendor"]

    assert [v.subject for v in evaluate([policy], [dependency()])] == ["Qwen2.5 7B Instruct"]
    assert evaluate([policy], [dependency(**{"workflow.vendor_count": 2})]) == []
    assert evaluate([policy], [dependency(**{"vendor.risk": "medium"})]) == []
    assert evaluate([policy], [dependency(**{"workflow.criticality": "medium"})]) == []


def test_it_flags_regulated_data_on_a_cloud_api_once_per_workflow():
    policy = TEMPLATES_BY_KEY["regulated-data-on-cloud-api"]
    regulated = {"workflow.data_sensitivity": "regulated", "workflow.deployment": "cloud-api"}
    two_models = [dependency(**regulated), dependency(**regulated, **{"model.name": "GPT-4o"})]

    violations = evaluate([policy], two_models)

    assert [(v.subject, v.severity, v.level) for v in violations] == [
        ("Weekly blog localisation", "fail", "high")
    ]
    assert evaluate([policy], [dependency(**{"workflow.data_sensitivity": "regulated"})]) == []


def test_a_missing_archive_fact_counts_as_no_verified_archive():
    policy = TEMPLATES_BY_KEY["exposed-without-exit"]
    without_archive_fact = dependency()
    assert "workflow.verified_archive" not in without_archive_fact

    assert len(evaluate([policy], [without_archive_fact])) == 1
    assert evaluate([policy], [dependency(**{"workflow.verified_archive": True})]) == []
    assert evaluate([policy], [dependency(**{"workflow.benchmarked_alternative": True})]) == []
    assert evaluate([policy], [dependency(**{"workflow.exposure_band": "medium"})]) == []


def test_a_licence_outside_the_allowed_list_is_flagged_but_an_unknown_model_is_not():
    policy = TEMPLATES_BY_KEY["licence-outside-allowed"]
    assert len(evaluate([policy], [dependency(**{"model.license": "llama3.1"})])) == 1
    assert evaluate([policy], [dependency()]) == []
    unmatched = dependency()
    del unmatched["model.license"]
    assert evaluate([policy], [unmatched]) == []


def test_a_blocked_model_in_use_fails():
    policy = TEMPLATES_BY_KEY["blocked-model"]
    [violation] = evaluate([policy], [dependency(**{"model.approval": "blocked"})])
    assert (violation.policy_key, violation.severity, violation.workflow_id) == ("blocked-model", "fail", 1)
    assert evaluate([policy], [dependency(**{"model.approval": "approved"})]) == []


def test_the_scanner_builtin_policy_is_as_severe_as_the_vendor_risk():
    findings = [
        {"finding.kind": "model", "vendor.risk": "high", "_subject": "qwen"},
        {"finding.kind": "model", "vendor.risk": "low", "_subject": "gpt"},
        {"finding.kind": "package", "vendor.risk": "high", "_subject": "dashscope"},
        {"finding.kind": "model", "_subject": "no catalog level"},
    ]
    violations = evaluate([SCANNER_BUILTIN], findings)

    assert [(v.subject, v.level, v.subject_index) for v in violations] == [
        ("qwen", "high", 0),
        ("gpt", "low", 1),
    ]
    assert [v.subject for v in at_or_above(violations, "high")] == ["qwen"]
    assert [v.subject for v in at_or_above(violations, "low")] == ["qwen", "gpt"]


def test_same_identifier_findings_are_separate_subjects():
    findings = [{"finding.kind": "model", "vendor.risk": "high", "_subject": "qwen"}] * 2
    assert [v.subject_index for v in evaluate([SCANNER_BUILTIN], findings)] == [0, 1]


@pytest.mark.parametrize(
    ("condition", "holds"),
    [
        ({"fact": "vendor.risk", "op": "gte", "value": "medium"}, True),
        ({"fact": "vendor.risk", "op": "lt", "value": "high"}, False),
        ({"fact": "workflow.exposure_score", "op": "gt", "value": 70}, True),
        ({"fact": "vendor.slug", "op": "in", "value": ["alibaba", "deepseek"]}, True),
        ({"fact": "vendor.slug", "op": "not_in", "value": ["alibaba"]}, False),
        ({"fact": "model.open_weights", "op": "exists"}, False),
        ({"fact": "model.open_weights", "op": "ne", "value": True}, True),
        ({"not": {"fact": "vendor.slug", "op": "eq", "value": "alibaba"}}, False),
        (
            {
                "any": [
                    {"fact": "vendor.risk", "op": "eq", "value": "low"},
                    {"fact": "vendor.slug", "value": "alibaba"},
                ]
            },
            True,
        ),
    ],
)
def test_operators_read_levels_by_rank_and_missing_facts_match_only_ne(condition, holds):
    validate_condition(condition)
    assert (
        condition_holds(
            condition, {"vendor.risk": "high", "vendor.slug": "alibaba", "workflow.exposure_score": 78.5}
        )
        is holds
    )


@pytest.mark.parametrize(
    ("condition", "where"),
    [
        ([], "when"),
        ({"fact": "model.colour", "op": "eq", "value": 1}, "when.fact"),
        ({"all": [{"fact": "vendor.risk", "op": "equals", "value": "high"}]}, "when.all[0].op"),
        ({"fact": "vendor.slug", "op": "in", "value": "alibaba"}, "when.value"),
        ({"fact": "vendor.risk", "op": "gte", "value": "severe"}, "when.value"),
        ({"all": []}, "when.all"),
        ({"all": [{"fact": "vendor.risk", "value": "high"}], "any": []}, "when"),
        ({"fact": "vendor.risk", "op": "eq"}, "when.value"),
    ],
)
def test_a_malformed_condition_is_refused_naming_the_part(condition, where):
    with pytest.raises(ConditionError) as raised:
        validate_condition(condition)
    assert raised.value.where == where


def test_violations_are_ordered_most_severe_first():
    warn = Policy(key="w", name="Warn", severity="warn", when={"fact": "vendor.slug", "value": "alibaba"})
    fail = Policy(key="f", name="Fail", severity="fail", when={"fact": "vendor.slug", "value": "alibaba"})
    assert [v.policy_key for v in evaluate([warn, fail], [dependency()])] == ["f", "w"]
