"""`manage.py registry export|import` per docs/contracts.md ("Model registry")."""

import json
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.plans import services
from apps.plans.models import AliasChange, AliasDeployment, RegistryAlias
from tests.factories import workflow_with

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"


def run(*args) -> str:
    out = StringIO()
    call_command("registry", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def import_json(path, organization, *extra) -> dict:
    return json.loads(run("import", str(path), "--organization", organization.slug, "--json", *extra))


def entries(config_text: str) -> list[tuple]:
    """Every model_list entry as a comparable tuple (order of load-balanced entries kept per alias)."""
    document = yaml.safe_load(config_text)
    return sorted(
        (entry["model_name"], json.dumps(entry["litellm_params"], sort_keys=True))
        for entry in document["model_list"]
    )


def test_it_imports_a_real_litellm_config_and_reports_per_the_contract(organization):
    document = import_json(FIXTURES / "litellm_config.yaml", organization)

    assert document == {
        "schema": "riskboard.registry-import/1",
        "aliases_created": 5,
        "aliases_updated": 0,
        "deployments": 6,
        "unmatched_models": ["ollama/acme-custom"],
        "errors": [],
    }
    drafts = RegistryAlias.objects.get(organization=organization, name="drafts")
    assert [d.api_base for d in drafts.deployments.filter(environment="production")] == [
        "http://gpu-1.internal:11434",
        "http://gpu-2.internal:11434",
    ]
    assert drafts.deployments.first().catalog_model.name == "Qwen2.5-7B-Instruct"
    assert AliasDeployment.objects.get(model="ollama/acme-custom").catalog_model is None


def test_import_then_export_keeps_every_model_base_key_reference_limit_and_fallback(organization):
    source = (FIXTURES / "litellm_config.yaml").read_text()
    import_json(FIXTURES / "litellm_config.yaml", organization)

    exported = run("export", "--organization", organization.slug)

    assert entries(exported) == entries(source)
    assert yaml.safe_load(exported)["router_settings"]["fallbacks"] == [
        {"drafts": ["drafts-fallback"]},
        {"vision-analysis": ["vision-fallback", "drafts-fallback"]},
    ]
    assert "os.environ/AZURE_API_KEY" in exported
    assert yaml.safe_load(exported)["model_list"][2]["litellm_params"]["api_version"] == "2024-10-21"


def test_importing_the_same_file_again_creates_nothing_and_leaves_the_export_unchanged(organization):
    import_json(FIXTURES / "litellm_config.yaml", organization)
    first_export = run("export", "--organization", organization.slug)
    changes = AliasChange.objects.count()

    again = import_json(FIXTURES / "litellm_config.yaml", organization)

    assert (again["aliases_created"], again["aliases_updated"]) == (0, 0)
    assert AliasChange.objects.count() == changes
    assert run("export", "--organization", organization.slug) == first_export


def test_a_broken_file_is_rejected_whole_with_the_yaml_path_of_each_error(organization):
    with pytest.raises(CommandError, match="Nothing imported: 5 errors"):
        run("import", str(FIXTURES / "broken_config.yaml"), "--organization", organization.slug)

    out = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "registry",
            "import",
            str(FIXTURES / "broken_config.yaml"),
            "--organization",
            organization.slug,
            "--json",
            stdout=out,
            stderr=StringIO(),
        )
    where = [error["where"] for error in json.loads(out.getvalue())["errors"]]
    assert where == [
        "model_list[1].litellm_params.model",
        "model_list[2].litellm_params.api_key",
        "model_list[2].litellm_params.rpm",
        "router_settings.fallbacks[0].drafts[0]",
        "router_settings.fallbacks[1].ghost",
    ]
    assert not RegistryAlias.objects.exists()
    assert "sk-live" not in out.getvalue()


def test_invalid_yaml_names_the_line(organization, tmp_path):
    bad = tmp_path / "config.yaml"
    bad.write_text("model_list:\n  - model_name: drafts\n    litellm_params: {model: [unclosed\n")

    with pytest.raises(CommandError):
        run("import", str(bad), "--organization", organization.slug)
    assert not RegistryAlias.objects.exists()


def test_an_organization_without_aliases_exports_an_empty_model_list(organization):
    assert yaml.safe_load(run("export", "--organization", organization.slug)) == {"model_list": []}


def test_environments_are_kept_apart(organization):
    import_json(FIXTURES / "litellm_config.yaml", organization, "--environment", "staging")

    assert yaml.safe_load(run("export", "--organization", organization.slug)) == {"model_list": []}
    staging = run("export", "--organization", organization.slug, "--environment", "staging")
    assert len(yaml.safe_load(staging)["model_list"]) == 6


def test_an_unsafe_yaml_tag_is_refused(organization, tmp_path):
    bad = tmp_path / "config.yaml"
    bad.write_text("model_list: !!python/object/apply:os.system ['echo hacked']\n")

    with pytest.raises(CommandError):
        run("import", str(bad), "--organization", organization.slug)


def test_an_imported_swap_moves_the_workflows_behind_the_alias(organization, tmp_path):
    workflow = workflow_with(organization=organization, name="Drafts", models=["qwen2.5:7b"])
    import_json(FIXTURES / "litellm_config.yaml", organization)
    services.workflow_put_behind_alias(
        workflow=workflow, alias=RegistryAlias.objects.get(organization=organization, name="drafts")
    )
    swapped = (
        (FIXTURES / "litellm_config.yaml").read_text().replace("ollama/qwen2.5:7b", "ollama/llama3.3:70b")
    )
    path = tmp_path / "config.yaml"
    path.write_text(swapped)

    document = import_json(path, organization)

    assert (document["aliases_created"], document["aliases_updated"]) == (0, 1)
    primaries = {d.model.name for d in workflow.dependencies.filter(role="primary")}
    assert primaries == {"Llama 3.3 70B Instruct"}
    assert AliasChange.objects.filter(source="import").first().changed_by is None
