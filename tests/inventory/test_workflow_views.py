import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.inventory.models import Workflow
from tests.factories import ToolFactory, WorkflowFactory, workflow_with

pytestmark = pytest.mark.django_db


def url(name, organization, **kwargs):
    return reverse(f"inventory:{name}", kwargs={"org_slug": organization.slug, **kwargs})


def form_data(**overrides):
    data = {
        "name": "Weekly blog localisation",
        "team": "Localisation",
        "owner": "Ines",
        "category": "translation",
        "deployment": "self-hosted",
        "criticality": "high",
        "switching_difficulty": "4",
        "data_sensitivity": "internal",
        "monthly_volume": "200000",
        "volume_unit": "words",
        "monthly_cost": "200",
        "notes": "",
        "deps-TOTAL_FORMS": "2",
        "deps-INITIAL_FORMS": "0",
        "deps-MIN_NUM_FORMS": "0",
        "deps-MAX_NUM_FORMS": "1000",
        "deps-0-declared_model": "qwen-mt",
        "deps-0-via_tool": "",
        "deps-0-role": "primary",
        "deps-1-declared_model": "gpt-4o-mini",
        "deps-1-via_tool": "",
        "deps-1-role": "fallback",
    }
    data.update(overrides)
    return data


def test_an_editor_creates_a_workflow_with_its_dependencies_on_one_page(editor_client, organization):
    tool = ToolFactory(organization=organization, name="CopyNest")
    response = editor_client.post(
        url("workflow_create", organization),
        form_data(**{"deps-1-via_tool": str(tool.id), "deps-1-role": "primary"}),
    )
    assert response.status_code == 302
    workflow = Workflow.objects.get(organization=organization)
    assert response.url == workflow.get_absolute_url()
    dependencies = {(d.declared_model, d.via_tool_id, d.role) for d in workflow.dependencies.all()}
    assert dependencies == {("qwen-mt", None, "primary"), ("gpt-4o-mini", tool.id, "primary")}
    assert workflow.exposure_score > 0 and workflow.exposure_factors


def test_a_bad_value_re_renders_with_the_error_and_422(editor_client, organization):
    response = editor_client.post(url("workflow_create", organization), form_data(switching_difficulty="9"))
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not Workflow.objects.exists()


def test_the_same_dependency_twice_is_an_error(editor_client, organization):
    response = editor_client.post(
        url("workflow_create", organization),
        form_data(**{"deps-1-declared_model": "qwen-mt", "deps-1-role": "primary"}),
    )
    assert response.status_code == 422
    assert "This dependency is listed twice." in response.content.decode()


def test_a_duplicate_name_is_caught_inline(editor_client, organization):
    WorkflowFactory(organization=organization, name="Weekly blog localisation")
    response = editor_client.post(
        url("workflow_validate_field", organization),
        form_data(),
        headers={"HX-Request": "true", "HX-Trigger-Name": "name"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="field-name"' in body and "already exists" in body
    assert "<html" not in body


def test_inline_validation_only_answers_for_real_fields(editor_client, organization):
    response = editor_client.post(
        url("workflow_validate_field", organization),
        form_data(),
        headers={"HX-Request": "true", "HX-Trigger-Name": "organization"},
    )
    assert response.status_code == 404


def test_adding_a_row_returns_the_row_and_bumps_the_count_out_of_band(editor_client, organization):
    response = editor_client.get(
        url("dependency_row", organization) + "?index=2", headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert 'name="deps-2-declared_model"' in body
    assert 'id="id_deps-TOTAL_FORMS" hx-swap-oob="true"' in body and 'value="3"' in body
    assert "index=3" in body  # the add button now asks for the next row


def test_without_javascript_add_and_remove_buttons_still_work(editor_client, organization):
    added = editor_client.post(url("workflow_create", organization), form_data(add_row="1"))
    assert added.status_code == 200 and 'name="deps-2-declared_model"' in added.content.decode()
    removed = editor_client.post(url("workflow_create", organization), form_data(remove_row="1"))
    assert 'name="deps-1-DELETE" value="on"' in removed.content.decode()
    saved = editor_client.post(url("workflow_create", organization), form_data(**{"deps-1-DELETE": "on"}))
    assert saved.status_code == 302
    assert [d.declared_model for d in Workflow.objects.get().dependencies.all()] == ["qwen-mt"]


def test_type_ahead_searches_names_and_aliases(editor_client, organization):
    response = editor_client.get(url("model_search", organization) + "?deps-0-declared_model=llama3.2-vision")
    assert 'value="Llama 3.2 11B Vision"' in response.content.decode()
    match = editor_client.get(url("model_match", organization) + "?deps-0-declared_model=ollama/qwen2.5:14b")
    assert "Qwen2.5-14B-Instruct" in match.content.decode()
    unknown = editor_client.get(url("model_match", organization) + "?deps-0-declared_model=brightspark")
    assert "flagged for review" in unknown.content.decode()


def test_a_viewer_reads_but_cannot_edit(viewer_client, organization):
    workflow = WorkflowFactory(organization=organization)
    assert viewer_client.get(url("index", organization)).status_code == 200
    assert viewer_client.get(url("workflow_detail", organization, workflow_id=workflow.id)).status_code == 200
    assert viewer_client.get(url("workflow_create", organization)).status_code == 403
    assert (
        viewer_client.post(url("workflow_delete", organization, workflow_id=workflow.id)).status_code == 403
    )


def test_the_list_filters_sorts_and_keeps_the_url(editor_client, organization):
    workflow_with(
        organization=organization,
        name="Kiosk copy",
        models=["qwen3.5:0.8b"],
        criticality="high",
        switching_difficulty=5,
        team="Retail",
    )
    workflow_with(
        organization=organization,
        name="Report summaries",
        models=["gpt-4o-mini"],
        fallbacks=["claude-3-5-haiku"],
        criticality="low",
        switching_difficulty=1,
        team="Accounts",
    )
    page = editor_client.get(url("index", organization) + "?vendor=alibaba").content.decode()
    assert "Kiosk copy" in page and "Report summaries" not in page
    page = editor_client.get(url("index", organization) + "?band=low&team=Accounts").content.decode()
    assert "Report summaries" in page and "Kiosk copy" not in page
    ordered = editor_client.get(url("index", organization) + "?sort=-exposure").content.decode()
    assert ordered.index("Report summaries") < ordered.index("Kiosk copy")
    fragment = editor_client.get(url("index", organization) + "?q=kiosk", headers={"HX-Request": "true"})
    assert 'id="results"' in fragment.content.decode() and "<html" not in fragment.content.decode()


def _list_queries(client, organization) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("index", organization) + "?per_page=500").status_code == 200
    return len(queries)


def test_the_list_issues_the_same_number_of_queries_for_10_and_500_rows(editor_client, organization):
    tool = ToolFactory(organization=organization)
    from apps.inventory.models import AIModel, Dependency

    qwen = AIModel.objects.get(slug="qwen3-8b")

    def add(count):
        start = Workflow.objects.count()
        workflows = Workflow.objects.bulk_create(
            [Workflow(organization=organization, name=f"W{start + i}") for i in range(count)]
        )
        Dependency.objects.bulk_create(
            [Dependency(workflow=w, model=qwen, declared_model="qwen3:8b", via_tool=tool) for w in workflows]
        )

    editor_client.get(
        url("index", organization)
    )  # the first visit also records the organization in the session
    add(10)
    at_10 = _list_queries(editor_client, organization)
    add(490)
    at_500 = _list_queries(editor_client, organization)
    assert at_10 == at_500


def test_export_neutralises_formulas_and_round_trips_columns(editor_client, organization):
    workflow_with(
        organization=organization, name='=HYPERLINK("http://x")', models=["qwen3:8b"], notes="@evil"
    )
    response = editor_client.get(url("export", organization) + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["workflow", "model", "criticality", "switching difficulty"]
    assert rows[1][0] == '\'=HYPERLINK("http://x")' and rows[1][15] == "'@evil"
    xlsx = editor_client.get(url("export", organization) + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A2"].value == '\'=HYPERLINK("http://x")' and sheet["A2"].data_type == "s"


def test_history_shows_who_changed_what(editor_client, organization, editor):
    editor_client.post(url("workflow_create", organization), form_data())
    workflow = Workflow.objects.get()
    editor_client.post(
        url("workflow_edit", organization, workflow_id=workflow.id),
        form_data(criticality="low", **{"deps-INITIAL_FORMS": "0"}),
    )
    page = editor_client.get(url("workflow_detail", organization, workflow_id=workflow.id)).content.decode()
    assert "<code>criticality</code>: high → low" in page
    assert editor.username in page
    assert "Dependency gpt-4o-mini (fallback)" in page


def test_a_viewer_cannot_add_a_tool(viewer_client, organization):
    from apps.inventory.models import Tool

    response = viewer_client.post(url("tool_list", organization), {"name": "CopyNest"})
    assert response.status_code == 403
    assert not Tool.objects.exists()
