"""The plans and registry pages: what editors can do, what viewers see, and bad input."""

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.plans.models import AliasChange, MigrationPlan, RegistryAlias
from tests.factories import AgencyFactory, ClientFactory, MembershipFactory, workflow_with
from tests.plans.makers import make_alias, make_plan

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"


def url(name, organization, *args):
    return reverse(f"plans:{name}", args=[organization.slug, *args])


def test_the_plans_page_ranks_workflows_and_offers_editors_a_plan(editor_client, organization):
    workflow = workflow_with(
        organization=organization, name="Localisation", models=["qwen2.5:7b"], monthly_cost=Decimal("200")
    )

    response = editor_client.get(url("index", organization))

    assert response.status_code == 200
    assert response.context["migrate_first"][0].workflow == workflow
    assert reverse("plans:plan_create", args=[organization.slug, workflow.pk]) in response.content.decode()


def test_a_viewer_sees_the_ranking_without_links_to_edit(viewer_client, organization):
    workflow = workflow_with(organization=organization, name="Localisation", models=["qwen2.5:7b"])
    plan = make_plan(organization)

    page = viewer_client.get(url("index", organization)).content.decode()
    detail = viewer_client.get(plan.get_absolute_url()).content.decode()

    assert reverse("plans:plan_create", args=[organization.slug, workflow.pk]) not in page
    assert reverse("plans:step_update", args=[organization.slug, plan.steps.first().pk]) not in detail
    assert viewer_client.post(url("plan_create", organization, workflow.pk)).status_code == 403
    assert viewer_client.post(url("registry", organization), {"name": "drafts"}).status_code == 403


def test_an_editor_creates_a_plan_by_hand_and_lands_on_it(editor_client, organization):
    workflow = workflow_with(organization=organization, name="Drafts", models=["qwen2.5:7b"])

    response = editor_client.post(
        url("plan_create", organization, workflow.pk),
        {
            "option": "manual",
            "manual_model": "",
            "target_identifier": "ollama/llama3.3:70b",
            "start_date": "2026-12-01",
        },
    )

    plan = MigrationPlan.objects.get(workflow=workflow)
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.target_model.name == "Llama 3.3 70B Instruct"
    assert plan.evidence is None


def test_a_plan_without_a_target_is_refused_with_the_field_named(editor_client, organization):
    workflow = workflow_with(organization=organization, name="Drafts", models=["qwen2.5:7b"])

    response = editor_client.post(
        url("plan_create", organization, workflow.pk), {"option": "manual", "start_date": "2026-12-01"}
    )

    assert response.status_code == 422
    assert "manual_model" in response.context["form"].errors
    assert not MigrationPlan.objects.exists()


def test_a_step_is_saved_in_place_with_htmx(editor_client, organization):
    plan = make_plan(organization)
    step = plan.steps.first()
    prefix = f"step-{step.pk}"

    response = editor_client.post(
        url("step_update", organization, step.pk),
        {f"{prefix}-owner": "maria.ops", f"{prefix}-due": "2026-12-10", f"{prefix}-status": "done"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith(f'<li id="step-{step.pk}"')
    assert response["HX-Trigger"] == "plan-changed"
    step.refresh_from_db()
    assert (step.owner, step.status, step.due.isoformat()) == ("maria.ops", "done", "2026-12-10")


def test_ticking_the_cut_over_by_hand_answers_422_with_the_reason(editor_client, organization):
    plan = make_plan(organization)
    step = plan.steps.get(kind="cutover")
    prefix = f"step-{step.pk}"

    response = editor_client.post(
        url("step_update", organization, step.pk),
        {f"{prefix}-owner": "", f"{prefix}-due": "", f"{prefix}-status": "done"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 422
    assert "swaps the alias" in response.content.decode()


def test_changing_a_mapping_records_who_when_and_why(editor_client, editor, organization):
    alias = make_alias(organization)
    data = {
        "environment": "production",
        "mapping-production-environment": "production",
        "mapping-production-fallbacks": "",
        "mapping-production-reason": "Llama passed our suite",
        "deployments-production-TOTAL_FORMS": "1",
        "deployments-production-INITIAL_FORMS": "1",
        "deployments-production-0-model": "ollama/llama3.3:70b",
        "deployments-production-0-api_base": "http://gpu-1:11434",
        "deployments-production-0-api_key_env": "",
    }

    response = editor_client.post(url("alias_detail", organization, alias.pk), data)

    assert response.status_code == 302
    change = AliasChange.objects.filter(alias=alias).first()
    assert (change.changed_by, change.reason) == (editor, "Llama passed our suite")
    assert [d["model"] for d in change.after["deployments"]] == ["ollama/llama3.3:70b"]


def test_a_pasted_key_is_refused_in_the_mapping_form(editor_client, organization):
    alias = make_alias(organization)
    data = {
        "environment": "production",
        "mapping-production-reason": "x",
        "deployments-production-TOTAL_FORMS": "1",
        "deployments-production-INITIAL_FORMS": "1",
        "deployments-production-0-model": "openai/gpt-4o",
        "deployments-production-0-api_key_env": "sk-live-123",
    }

    response = editor_client.post(url("alias_detail", organization, alias.pk), data)

    assert response.status_code == 422
    assert AliasChange.objects.filter(alias=alias).count() == 1


def test_the_import_page_lists_each_error_with_its_yaml_path_and_writes_nothing(editor_client, organization):
    upload = SimpleUploadedFile("config.yaml", (FIXTURES / "broken_config.yaml").read_bytes())

    response = editor_client.post(
        url("registry_import", organization), {"file": upload, "environment": "production"}
    )

    assert response.status_code == 422
    body = response.content.decode()
    assert "model_list[1].litellm_params.model" in body and "router_settings.fallbacks[1].ghost" in body
    assert "sk-live" not in body
    assert not RegistryAlias.objects.exists()


def test_upload_then_download_gives_the_config_back(editor_client, organization):
    upload = SimpleUploadedFile("config.yaml", (FIXTURES / "litellm_config.yaml").read_bytes())
    assert (
        editor_client.post(
            url("registry_import", organization), {"file": upload, "environment": "production"}
        ).status_code
        == 302
    )

    response = editor_client.get(url("registry_export", organization) + "?environment=production")

    assert response["Content-Disposition"] == 'attachment; filename="litellm-acme-production.yaml"'
    assert len(yaml.safe_load(response.content)["model_list"]) == 6


def test_an_agency_sees_the_timeline_per_client(client):
    agency = AgencyFactory(slug="northwind")
    user = MembershipFactory(organization=agency, role="viewer").user
    client.force_login(user)
    mine, other = (
        ClientFactory(organization=agency, slug="bloom"),
        ClientFactory(organization=agency, slug="zest"),
    )
    make_plan(agency, name="Bloom captions", client=mine)
    make_plan(agency, name="Zest captions", client=other)

    response = client.get(url("index", agency) + "?client=bloom")

    assert [plan.workflow.name for plan in response.context["plans"]] == ["Bloom captions"]
    assert response.context["timeline"] is not None
    assert {label for trace in response.context["timeline"].data for label in trace.y} == {"Bloom captions"}


def test_a_viewer_reads_an_alias_but_cannot_change_or_import(viewer_client, organization):
    alias = make_alias(organization)

    page = viewer_client.get(url("alias_detail", organization, alias.pk))

    assert page.status_code == 200 and "Change the production mapping" not in page.content.decode()
    assert (
        viewer_client.post(
            url("alias_detail", organization, alias.pk), {"environment": "production"}
        ).status_code
        == 403
    )
    assert viewer_client.get(url("registry_import", organization)).status_code == 403
    assert (
        reverse("plans:registry_import", args=[organization.slug])
        not in viewer_client.get(url("registry", organization)).content.decode()
    )


def test_an_editor_puts_a_workflow_behind_an_alias_from_its_page(editor_client, organization):
    workflow = workflow_with(organization=organization, name="Drafts", models=["qwen2.5:7b"])
    page = editor_client.get(workflow.get_absolute_url()).content.decode()
    assert "Put it behind a registry alias" in page

    response = editor_client.post(
        url("workflow_alias", organization, workflow.pk), {"new_alias_name": "drafts"}
    )

    assert response.status_code == 302 and response["Location"] == workflow.get_absolute_url()
    assert RegistryAlias.objects.get(name="drafts").workflow_links.get().workflow == workflow
    assert "Calls the registry alias" in editor_client.get(workflow.get_absolute_url()).content.decode()
