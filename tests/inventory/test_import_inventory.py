import json

import pytest
from django.core.management import call_command

from apps.inventory.models import Dependency, Tool, Workflow
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

SHEET = """workflow,model,criticality,switching difficulty,tool,role
Blog localisation,qwen-mt,high,hard,,primary
Blog localisation,gpt-4o-mini,high,hard,,fallback
Social drafting,Qwen2.5-72B-Instruct,medium,2,CopyNest,primary
Brainstorming,brightspark-v2,low,easy,,
"""


def run(tmp_path, content: str, *args, name: str = "audit.csv", capsys=None):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    try:
        call_command("import_inventory", str(path), "--json", *args)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, json.loads(capsys.readouterr().out)


def test_a_four_column_sheet_creates_workflows_and_dependencies(tmp_path, organization, capsys):
    code, summary = run(tmp_path, SHEET, capsys=capsys)
    assert code == 0
    assert summary == {
        "schema": "riskboard.inventory-import/1",
        "workflows_created": 3,
        "workflows_updated": 0,
        "dependencies_created": 4,
        "tools_created": 1,
        "unmatched_models": ["brightspark-v2"],
        "dry_run": False,
        "errors": [],
    }
    blog = Workflow.objects.get(organization=organization, name="Blog localisation")
    assert blog.switching_difficulty == 4
    assert {(d.model.slug, d.role) for d in blog.dependencies.all()} == {
        ("qwen-mt-turbo", "primary"),
        ("gpt-4o-mini", "fallback"),
    }
    social = Dependency.objects.get(workflow__name="Social drafting")
    assert social.via_tool == Tool.objects.get(name="CopyNest") and not social.is_direct
    flagged = Dependency.objects.get(workflow__name="Brainstorming")
    assert flagged.model is None and flagged.needs_review and flagged.declared_model == "brightspark-v2"
    assert blog.exposure_band == "high"


def test_a_sheet_with_one_bad_row_writes_nothing_and_names_the_row(tmp_path, organization, capsys):
    bad = SHEET + "Kiosk,qwen3.5:0.8b,urgent,4,,\n"
    code, summary = run(tmp_path, bad, capsys=capsys)
    assert code == 1
    assert summary["errors"] == [
        {"row": 6, "column": "criticality", "message": "'urgent' is not one of high, medium, low"}
    ]
    assert summary["workflows_created"] == 0
    assert not Workflow.objects.exists() and not Tool.objects.exists()


def test_reimporting_the_same_sheet_creates_nothing(tmp_path, organization, capsys):
    run(tmp_path, SHEET, capsys=capsys)
    code, summary = run(tmp_path, SHEET, capsys=capsys)
    assert code == 0
    assert (
        summary["workflows_created"],
        summary["workflows_updated"],
        summary["dependencies_created"],
        summary["tools_created"],
    ) == (0, 0, 0, 0)
    assert Workflow.objects.count() == 3 and Dependency.objects.count() == 4


def test_a_changed_value_updates_the_workflow(tmp_path, organization, capsys):
    run(tmp_path, SHEET, capsys=capsys)
    code, summary = run(
        tmp_path,
        SHEET.replace(
            "Social drafting,Qwen2.5-72B-Instruct,medium", "Social drafting,Qwen2.5-72B-Instruct,high"
        ),
        capsys=capsys,
    )
    assert summary["workflows_updated"] == 1
    assert Workflow.objects.get(name="Social drafting").criticality == "high"


def test_dry_run_counts_exactly_but_writes_nothing(tmp_path, organization, capsys):
    code, summary = run(tmp_path, SHEET, "--dry-run", capsys=capsys)
    assert (summary["workflows_created"], summary["dependencies_created"], summary["dry_run"]) == (3, 4, True)
    assert not Workflow.objects.exists()


def test_the_organization_is_required_when_there_are_several(tmp_path, organization):
    OrganizationFactory(slug="second")
    path = tmp_path / "audit.csv"
    path.write_text(SHEET)
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="several organizations"):
        call_command("import_inventory", str(path))
    call_command("import_inventory", str(path), "--organization", "second")
    assert Workflow.objects.filter(organization__slug="second").count() == 3


def test_clients_must_exist_for_an_agency(tmp_path, capsys):
    from tests.factories import AgencyFactory, ClientFactory

    agency = AgencyFactory(slug="brightline")
    ClientFactory(organization=agency, name="Helix Health")
    sheet = "workflow,model,criticality,switching difficulty,client\nA,qwen3:8b,high,3,helix health\nB,qwen3:8b,low,1,Nobody\n"
    code, summary = run(tmp_path, sheet, capsys=capsys)
    assert code == 1
    assert summary["errors"] == [
        {"row": 3, "column": "client", "message": "no client named 'Nobody': add it under Clients first"}
    ]


def test_names_match_whatever_their_case(tmp_path, organization, capsys):
    run(tmp_path, SHEET, capsys=capsys)
    code, summary = run(tmp_path, SHEET.replace("Blog localisation", "BLOG LOCALISATION"), capsys=capsys)
    assert code == 0 and summary["workflows_created"] == 0
    assert Workflow.objects.filter(name__iexact="blog localisation").count() == 1


def test_a_problem_only_the_database_knows_is_still_named_by_row_and_nothing_is_kept(
    tmp_path, organization, capsys
):
    long_tool = "T" * 130
    sheet = SHEET + f"Kiosk,qwen3.5:0.8b,high,4,{long_tool},primary\n"
    code, summary = run(tmp_path, sheet, capsys=capsys)
    assert code == 1
    assert summary["errors"] == [
        {"row": 6, "column": "tool", "message": "Ensure this value has at most 120 characters (it has 130)."}
    ]
    assert summary["workflows_created"] == 0
    assert not Workflow.objects.exists() and not Tool.objects.exists()
