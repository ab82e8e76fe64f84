"""A CycloneDX BOM lands in the inventory through the job pipeline (kind `cyclonedx`), whole or not at all."""

import json

import pytest

from apps.inventory.models import Workflow
from apps.jobs.models import ImportJob
from apps.jobs.services import PayloadInvalid, job_submit
from apps.reports.cyclonedx import bom_json
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def submit(organization, payload: bytes, django_capture_on_commit_callbacks) -> ImportJob:
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = job_submit(organization=organization, kind="cyclonedx", payload=payload, source="api")
    job.refresh_from_db()
    return job


def inventory_of(organization) -> dict[str, tuple]:
    return {
        workflow.name: (
            workflow.criticality,
            workflow.switching_difficulty,
            sorted(
                (d.model.slug if d.model_id else d.declared_model, d.role)
                for d in workflow.dependencies.all()
            ),
        )
        for workflow in Workflow.objects.filter(organization=organization).prefetch_related(
            "dependencies__model"
        )
    }


def test_an_exported_bom_round_trips_into_another_organizations_inventory(
    agency, django_capture_on_commit_callbacks
):
    from tests.factories import workflow_with

    workflow_with(
        organization=agency.organization, client=agency.helix, name="Odd model", models=["acme-custom-7b"]
    )
    exported = bom_json(organization=agency.organization, client=agency.helix)
    elsewhere = OrganizationFactory(slug="elsewhere")

    job = submit(elsewhere, exported.encode(), django_capture_on_commit_callbacks)

    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert job.counts["workflows_created"] == 3 and job.counts["models_unmatched"] == 1
    helix_only = {
        name: value
        for name, value in inventory_of(agency.organization).items()
        if name in {*agency.helix_workflows, "Odd model"}
    }
    assert inventory_of(elsewhere) == helix_only
    # And back out again: the same models, roles and workflows.
    again = json.loads(bom_json(organization=elsewhere))
    original = json.loads(exported)
    assert sorted(c["name"] for c in again["components"]) == sorted(c["name"] for c in original["components"])


def test_the_same_bom_twice_is_one_job(agency, django_capture_on_commit_callbacks):
    payload = bom_json(organization=agency.organization, client=agency.helix).encode()
    elsewhere = OrganizationFactory(slug="elsewhere")
    first = submit(elsewhere, payload, django_capture_on_commit_callbacks)
    second, created = job_submit(organization=elsewhere, kind="cyclonedx", payload=payload, source="api")
    assert (second.pk, created) == (first.pk, False)


def test_a_bom_made_elsewhere_becomes_one_workflow_per_application(
    organization, django_capture_on_commit_callbacks
):
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "version": 1,
        "metadata": {"component": {"type": "application", "name": "Shop assistant", "bom-ref": "app"}},
        "components": [
            {
                "type": "machine-learning-model",
                "bom-ref": "m1",
                "name": "Qwen3-8B",
                "group": "Qwen",
                "purl": "pkg:huggingface/Qwen/Qwen3-8B",
            },
            {"type": "machine-learning-model", "bom-ref": "m2", "name": "llama3.2:3b"},
            {"type": "library", "bom-ref": "lib", "name": "transformers", "version": "4.57.0"},
        ],
        "dependencies": [{"ref": "app", "dependsOn": ["m1", "m2", "lib"]}],
    }
    job = submit(organization, json.dumps(bom).encode(), django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    workflow = Workflow.objects.get(organization=organization)
    assert (workflow.name, workflow.criticality, workflow.switching_difficulty) == (
        "Shop assistant",
        "medium",
        3,
    )
    dependencies = list(workflow.dependencies.select_related("model"))
    # The Hugging Face id from the purl, else the name; both matched to the catalog. Libraries are not models.
    assert {d.declared_model for d in dependencies} == {"Qwen/Qwen3-8B", "llama3.2:3b"}
    assert {d.model.name for d in dependencies if d.model_id} == {"Qwen3-8B", "Llama 3.2 3B Instruct"}
    assert {d.role for d in dependencies} == {"primary"}


def test_a_bom_that_breaks_the_official_schema_fails_with_paths_and_imports_nothing(
    organization, django_capture_on_commit_callbacks
):
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "components": [
            {"type": "machine-learning-model", "name": "Qwen3-8B", "bom-ref": "m", "licenses": "apache"}
        ],
        "metadata": {"component": {"type": "application", "name": "X"}},
    }
    job = submit(organization, json.dumps(bom).encode(), django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.FAILED
    assert any(error["where"].startswith("components/0/licenses") for error in job.errors), job.errors
    assert not Workflow.objects.filter(organization=organization).exists()


def test_a_bom_without_any_application_using_models_is_refused(
    organization, django_capture_on_commit_callbacks
):
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "components": [{"type": "library", "name": "requests"}],
    }
    job = submit(organization, json.dumps(bom).encode(), django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.FAILED
    assert job.errors[0]["where"] == "dependencies"


def test_a_document_that_is_not_a_bom_is_refused_before_it_is_stored(organization):
    with pytest.raises(PayloadInvalid) as refused:
        job_submit(
            organization=organization, kind="cyclonedx", payload=b'{"bomFormat": "SPDX"}', source="api"
        )
    assert refused.value.errors[0]["where"] in {"bomFormat", "(document)"}
    assert not ImportJob.objects.exists()


def test_the_ingest_api_takes_a_bom(client, organization, django_capture_on_commit_callbacks):
    from apps.accounts.tokens import api_token_create

    _token, raw = api_token_create(organization=organization, name="ci")
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "metadata": {"component": {"type": "application", "name": "Kiosk copy", "bom-ref": "app"}},
        "components": [{"type": "machine-learning-model", "bom-ref": "m", "name": "qwen3.5:0.8b"}],
        "dependencies": [{"ref": "app", "dependsOn": ["m"]}],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/ingest/cyclonedx",
            data=json.dumps(bom),
            content_type="application/json",
            headers={"Authorization": f"Bearer {raw}"},
        )
    assert response.status_code == 202, response.content
    assert ImportJob.objects.get(pk=response.json()["job"]).status == ImportJob.Status.SUCCEEDED
    assert Workflow.objects.filter(organization=organization, name="Kiosk copy").exists()
