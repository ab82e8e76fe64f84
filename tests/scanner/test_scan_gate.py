"""`scan --format sarif|cyclonedx` and the CI gate `--fail-on` (docs/contracts.md, "Scanner formats and the CI gate")."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import jsonschema
import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from django.core.management import CommandError, call_command

from apps.inventory.models import AIModel
from apps.policies.services import model_approval_set
from tests.scanner.support import write_tree
from tests.support.celery_worker import database_url_for_tests

pytestmark = pytest.mark.django_db

SARIF_SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-2.1.0.json").read_text())
QWEN_LINE = 'llm = ChatOllama(model="qwen2.5:7b")\n'


@pytest.fixture
def qwen_repo(tmp_path):
    return write_tree(
        tmp_path / "qwen-repo",
        {
            "app/llm.py": "import os\n\n" + QWEN_LINE,
            "app/openai_client.py": 'MODEL = "gpt-4o-mini"\n',
            "requirements.txt": "anthropic\n",
        },
    )


@pytest.fixture
def openai_repo(tmp_path):
    return write_tree(tmp_path / "openai-repo", {"app/client.py": 'MODEL = "gpt-4o-mini"\n'})


def run(*args: str) -> tuple[int, str, str]:
    """The command in this process: (exit code, stdout, stderr)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("scan", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def run_process(*args: str) -> subprocess.CompletedProcess:
    """The command as CI runs it, for real exit codes."""
    return subprocess.run(
        [sys.executable, "manage.py", "scan", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": database_url_for_tests()},
        check=False,
    )


def test_sarif_validates_against_the_official_schema_with_one_result_per_finding(qwen_repo):
    code, out, _ = run(str(qwen_repo), "--format", "sarif")
    document = json.loads(out)

    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(document)
    assert code == 0 and document["version"] == "2.1.0"
    [run_] = document["runs"]
    findings = json.loads(run(str(qwen_repo), "--json")[1])["findings"]
    assert len(run_["results"]) == len(findings) == 3
    rule_ids = [rule["id"] for rule in run_["tool"]["driver"]["rules"]]
    for result, finding in zip(run_["results"], findings, strict=True):
        assert result["ruleId"] == finding["rule"] and result["ruleId"] in rule_ids
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == finding["path"]
        assert location["region"]["startLine"] == finding["line"]
    qwen = next(r for r in run_["results"] if r["properties"]["identifier"] == "qwen2.5:7b")
    assert qwen["locations"][0]["physicalLocation"]["region"]["startLine"] == 3  # 1-based
    assert qwen["level"] == "error"  # the built-in policy: Alibaba is a high-risk vendor


def test_cyclonedx_validates_against_the_bundled_1_6_schema_and_lists_the_models(qwen_repo):
    code, out, _ = run(str(qwen_repo), "--format", "cyclonedx")

    assert code == 0
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(out) is None
    bom = json.loads(out)
    assert bom["specVersion"] == "1.6"
    models = {c["bom-ref"]: c for c in bom["components"]}
    assert all(c["type"] == "machine-learning-model" for c in models.values())
    assert len(models) == 2  # the two models; the anthropic package is not a model
    qwen = next(c for c in models.values() if c["supplier"]["name"] == "Alibaba (Qwen)")
    catalog = AIModel.objects.get(slug=qwen["bom-ref"].removeprefix("catalog:"))
    assert qwen["name"] == catalog.name
    assert qwen["evidence"]["occurrences"] == [{"location": "app/llm.py", "line": 3}]
    assert bom["metadata"]["component"]["type"] == "application"
    [application] = [d for d in bom["dependencies"] if d["ref"] == "application"]
    assert sorted(application["dependsOn"]) == sorted(models)


def test_json_and_format_json_print_the_same_document(qwen_repo):
    assert run(str(qwen_repo), "--json")[1] == run(str(qwen_repo), "--format", "json")[1]


def test_fail_on_high_exits_1_on_a_high_risk_vendors_model_with_the_report_still_on_stdout(qwen_repo):
    completed = run_process(str(qwen_repo), "--format", "sarif", "--fail-on", "high")

    assert completed.returncode == 1
    assert json.loads(completed.stdout)["version"] == "2.1.0"
    assert "policy gate failed: 1 violation at or above high" in completed.stderr
    assert "qwen2.5:7b (alibaba) at app/llm.py:3" in completed.stderr
    assert "gpt-4o-mini" not in completed.stderr


def test_fail_on_high_passes_a_low_risk_vendors_model_and_fail_on_low_does_not(openai_repo):
    passed = run_process(str(openai_repo), "--json", "--fail-on", "high")
    assert passed.returncode == 0
    assert json.loads(passed.stdout)["findings"][0]["identifier"] == "gpt-4o-mini"
    assert "gate passed" in passed.stderr

    code, _, err = run(str(openai_repo), "--fail-on", "low")
    assert code == 1 and "gpt-4o-mini (openai)" in err


def test_an_unknown_severity_is_a_usage_error(openai_repo):
    completed = run_process(str(openai_repo), "--fail-on", "critical")
    assert completed.returncode == 2
    assert "'critical' is not a severity; use one of low, medium, high" in completed.stderr
    assert completed.stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "xml"), "'xml' is not one of json, sarif, cyclonedx, table"),
        (("--json", "--format", "sarif"), "--json means --format json"),
        (("--organization", "nope"), "No organization with slug 'nope'"),
    ],
)
def test_other_usage_errors_exit_2(openai_repo, args, message):
    with pytest.raises(CommandError, match=message) as raised:
        call_command("scan", str(openai_repo), *args, stdout=StringIO())
    assert raised.value.returncode == 2


def test_a_bad_policy_file_is_a_usage_error_naming_the_field(openai_repo, tmp_path):
    policy = tmp_path / "policy.yml"
    policy.write_text(
        "policies:\n  - key: a\n    severity: urgent\n    when: {fact: vendor.slug, value: openai}\n"
    )
    with pytest.raises(CommandError, match=r"policies\[0\]\.severity: 'urgent' is not one of") as raised:
        call_command("scan", str(openai_repo), "--policy", str(policy), stdout=StringIO())
    assert raised.value.returncode == 2


def test_a_policy_file_replaces_the_builtin_policy_and_can_block_a_model(qwen_repo, openai_repo, tmp_path):
    policy = tmp_path / "policy.yml"
    policy.write_text(
        "policies:\n"
        "  - key: no-proprietary\n    name: No proprietary models\n    severity: warn\n"
        "    when: {fact: model.license, op: eq, value: proprietary}\n"
        "approvals:\n  - {model: qwen2.5:7b, status: blocked}\n"
    )
    code, _, err = run(str(qwen_repo), "--policy", str(policy), "--fail-on", "high")
    assert code == 1
    assert "A blocked model in use: qwen2.5:7b" in err and "No proprietary" not in err

    assert run(str(openai_repo), "--policy", str(policy), "--fail-on", "high")[0] == 0
    code, _, err = run(str(openai_repo), "--policy", str(policy), "--fail-on", "medium")
    assert code == 1 and "No proprietary models: gpt-4o-mini" in err


def test_the_organizations_approvals_gate_a_blocked_model(qwen_repo, organization, admin_user):
    qwen = AIModel.objects.get(aliases__alias="qwen2.5:7b")
    assert run(str(qwen_repo), "--organization", "acme", "--fail-on", "high")[0] == 0

    model_approval_set(
        organization=organization, model=qwen, status="blocked", reason="Roadmap risk", user=admin_user
    )
    code, out, err = run(str(qwen_repo), "--organization", "acme", "--format", "sarif", "--fail-on", "high")

    assert code == 1
    assert "A blocked model in use: qwen2.5:7b (alibaba) at app/llm.py:3" in err
    assert "policies: organization acme" in err
    result = next(
        r for r in json.loads(out)["runs"][0]["results"] if r["properties"]["identifier"] == "qwen2.5:7b"
    )
    assert result["level"] == "error"
    assert result["properties"]["violations"][0]["policy"] == "blocked-model"
