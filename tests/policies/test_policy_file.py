"""`scan --policy FILE`: YAML or JSON, validated whole, errors naming the field (docs/policies.md)."""

import json

import pytest

from apps.policies.policy_file import PolicyFileError, parse_policy_text

YAML_FILE = """
schema: riskboard.policy/1
policies:
  - key: no-alibaba-in-production
    name: No Alibaba models
    severity: fail
    when:
      all:
        - {fact: finding.kind, op: eq, value: model}
        - {fact: vendor.slug, op: eq, value: alibaba}
  - key: disabled-one
    severity: info
    enabled: false
    when: {fact: vendor.slug, op: eq, value: openai}
approvals:
  - {model: Qwen/Qwen2.5-7B-Instruct, status: blocked, reason: Leadership change}
"""


def test_it_reads_yaml_policies_and_approvals():
    parsed = parse_policy_text(YAML_FILE)
    assert [(p.key, p.name, p.severity) for p in parsed.policies] == [
        ("no-alibaba-in-production", "No Alibaba models", "fail")
    ]
    assert parsed.approvals == {"qwen/qwen2.5-7b-instruct": "blocked"}


def test_json_is_read_too():
    text = json.dumps(
        {
            "policies": [
                {"key": "k", "severity": "vendor-risk", "when": {"fact": "finding.kind", "value": "model"}}
            ]
        }
    )
    assert parse_policy_text(text).policies[0].name == "k"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("policies: [", "line"),
        ("- just a list", "a policy file is an object"),
        ("{}", "(top level): 'policies' is required"),
        (
            "policies: [{key: a, severity: urgent, when: {}}]",
            "policies[0].severity: 'urgent' is not one of fail, warn, info, vendor-risk",
        ),
        ("policies: [{key: a, severity: fail}]", "policies[0]: 'when' is required"),
        (
            "policies: [{key: a, severity: fail, when: {fact: vendor.slug, op: like, value: x}}]",
            "policies[0].when.op: 'like' is not one of",
        ),
        ("policies: [{key: a, severity: fail, when: {}, colour: red}]", "policies[0]: unknown field"),
        (
            "policies: []\napprovals: [{model: x, status: banned}]",
            "approvals[0].status: 'banned' is not one of",
        ),
        (
            "policies: [{key: a, severity: fail, when: {fact: vendor.slug, value: x}}, {key: a, severity: fail, when: {fact: vendor.slug, value: y}}]",
            "policies[1].key: 'a' is used twice",
        ),
    ],
)
def test_a_bad_file_is_refused_naming_the_field(text, message):
    with pytest.raises(PolicyFileError) as raised:
        parse_policy_text(text)
    assert message in str(raised.value)


def test_yaml_tags_are_not_executed():
    with pytest.raises(PolicyFileError):
        parse_policy_text("policies: !!python/object/apply:os.system ['true']")
