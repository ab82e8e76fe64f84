"""The Archive pages: coverage, starting an archive from a workflow, the run's live progress, an artifact."""

from pathlib import Path

import pytest
from django.urls import reverse

from apps.archive import services
from apps.archive.models import ArchiveRun, Artifact, BundleFile, StorageLocation
from tests.archive.conftest import REPO
from tests.factories import workflow_with

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs) -> str:
    return reverse(f"archive:{name}", kwargs={"org_slug": "acme", **kwargs})


@pytest.fixture
def locations(organization, nas, s3):
    return [
        services.location_create(organization=organization, url=f"file://{nas}", name="Office NAS"),
        services.location_create(
            organization=organization, url="s3://offsite-models/models", name="Offsite bucket"
        ),
    ]


@pytest.fixture
def kiosks(organization):
    return workflow_with(
        organization=organization, models=["Qwen/Qwen3.5-0.8B"], name="Edge kiosks", criticality="high"
    )


def test_an_editor_archives_a_workflows_model_and_the_workflow_becomes_protected(
    editor_client, hub, locations, kiosks, django_capture_on_commit_callbacks
):
    page = editor_client.get(url("start") + f"?workflow={kiosks.pk}").content.decode()
    assert f'value="hf:{REPO}"' in page  # the catalog's repository is suggested

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            url("start") + f"?workflow={kiosks.pk}",
            {
                "source": f"hf:{REPO}",
                "locations": [location.pk for location in locations],
                "include_bundle": "on",
            },
        )

    run = ArchiveRun.objects.get()
    assert response.status_code == 302 and response["Location"] == url("run", run_id=run.pk)
    assert run.status == "succeeded" and run.artifact.source == f"hf:{REPO}" and run.bundle.kind == "bundle"
    fragment = editor_client.get(url("run", run_id=run.pk), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment and 'aria-valuenow="100"' in fragment
    assert 'data-level="full"' in fragment
    coverage = editor_client.get(url("index")).content.decode()
    assert 'data-workflow="Edge kiosks"' in coverage and "Protected" in coverage
    workflow_page = editor_client.get(
        reverse("inventory:workflow_detail", args=["acme", kiosks.pk])
    ).content.decode()
    assert (
        'data-testid="workflow-archive"' in workflow_page
        and "verified copies meet the policy" in workflow_page
    )
    artifact = editor_client.get(url("artifact", artifact_id=run.artifact.pk)).content.decode()
    assert "from_pretrained(path)" in artifact and "ollama create" in artifact
    assert f"{locations[0].url}/{REPO}/{run.artifact.revision}" in artifact
    bundle_folder = locations[0].url.removeprefix("file://") + "/" + run.bundle.relative_folder
    assert "workflow.json" in {p.name for p in Path(bundle_folder).iterdir()}


def test_a_running_archive_polls_its_progress(viewer_client, organization, locations):
    run = services.archive_run_submit(organization=organization, source=f"hf:{REPO}", locations=locations)
    ArchiveRun.objects.filter(pk=run.pk).update(
        status="running",
        progress_done=50 * 1024 * 1024,
        progress_total=200 * 1024 * 1024,
        current_file="model.safetensors",
    )

    fragment = viewer_client.get(url("run", run_id=run.pk), headers={"HX-Request": "true"}).content.decode()

    assert "<html" not in fragment and 'hx-trigger="every 1s"' in fragment
    assert 'aria-valuenow="25"' in fragment and "model.safetensors" in fragment


def test_a_viewer_reads_but_cannot_start_or_see_the_buttons(viewer_client, kiosks, locations):
    coverage = viewer_client.get(url("index")).content.decode()
    assert "Edge kiosks" in coverage and "Not archived" in coverage
    assert url("start") not in coverage and url("location_add") not in coverage
    workflow_page = viewer_client.get(
        reverse("inventory:workflow_detail", args=["acme", kiosks.pk])
    ).content.decode()
    assert url("start") not in workflow_page
    assert viewer_client.get(url("start")).status_code == 403
    assert viewer_client.post(url("start"), {"source": f"hf:{REPO}"}).status_code == 403


def test_bad_input_is_named_and_nothing_is_queued(editor_client, locations):
    response = editor_client.post(url("start"), {"source": "Qwen", "locations": []})

    assert response.status_code == 422
    page = response.content.decode()
    assert "the repository is OWNER/REPO" in page and "Choose at least one storage location." in page
    assert not ArchiveRun.objects.exists()


def test_another_organizations_workflow_or_location_is_not_found(
    editor_client, other_organization, locations
):
    theirs = workflow_with(organization=other_organization, models=["Qwen/Qwen3.5-0.8B"])
    their_location = services.location_create(organization=other_organization, url="file:///srv/theirs")

    assert editor_client.get(url("start") + f"?workflow={theirs.pk}").status_code == 404
    response = editor_client.post(url("start"), {"source": f"hf:{REPO}", "locations": [their_location.pk]})
    assert response.status_code == 422 and not ArchiveRun.objects.exists()


def test_an_admin_adds_locations_and_bad_urls_are_explained(admin_client_org, editor):
    from django.test import Client

    editor_client = Client()
    editor_client.force_login(editor)
    response = admin_client_org.post(url("location_add"), {"name": "NAS", "url": "ftp://nas/models"})
    assert response.status_code == 422 and "starts with file:/// or s3://" in response.content.decode()
    response = admin_client_org.post(url("location_add"), {"name": "NAS", "url": "file:///mnt/nas/models/"})
    assert response.status_code == 302
    assert StorageLocation.objects.get().url == "file:///mnt/nas/models"
    assert editor_client.get(url("location_add")).status_code == 403


def test_an_admin_sets_the_policy_and_contradictions_are_refused(admin_client_org, organization):
    response = admin_client_org.post(url("policy"), {"min_copies": 1, "min_off_site": 2, "max_age_days": 30})
    assert response.status_code == 422 and "more off-site copies than copies" in response.content.decode()
    assert (
        admin_client_org.post(
            url("policy"), {"min_copies": 3, "min_off_site": 1, "max_age_days": 14}
        ).status_code
        == 302
    )
    assert "at least 3 verified copies" in admin_client_org.get(url("index")).content.decode()


def test_an_editor_uploads_a_serving_config_into_the_workflows_bundle(editor_client, kiosks, locations):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("vllm.yaml", b"model: /models/qwen\nmax_model_len: 8192\n")
    response = editor_client.post(
        url("bundle_file_upload") + f"?workflow={kiosks.pk}", {"kind": "serving", "file": upload}
    )
    assert response.status_code == 302
    outcome = services.bundle_archive(workflow=kiosks, locations=locations[:1])
    folder = locations[0].url.removeprefix("file://") + "/" + outcome.artifact.relative_folder
    assert Path(folder, "serving", "vllm.yaml").read_bytes() == b"model: /models/qwen\nmax_model_len: 8192\n"
    assert BundleFile.objects.get().sha256
    again = services.bundle_archive(workflow=kiosks, locations=locations[:1])
    assert again.artifact.pk == outcome.artifact.pk  # unchanged contents, same revision
    assert Artifact.objects.filter(kind="bundle").count() == 1


def test_an_editor_asks_for_a_rehash_and_a_damaged_copy_is_flagged_on_its_page(
    editor_client, hub, locations, organization, django_capture_on_commit_callbacks
):
    outcome = services.archive_source(organization=organization, source=f"hf:{REPO}", locations=locations)
    copied = Path(locations[0].url.removeprefix("file://"), outcome.artifact.relative_folder, "config.json")
    copied.write_bytes(b"{}")

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url("artifact_verify", artifact_id=outcome.artifact.pk))

    assert response.status_code == 302
    page = editor_client.get(url("artifact", artifact_id=outcome.artifact.pk)).content.decode()
    assert 'data-status="corrupted"' in page and "Bad: config.json" in page
    assert "Does not count as a mitigation" in page and 'data-level="partial"' in page


def test_the_catalog_offers_an_archive_of_open_models_to_editors_only(editor_client, viewer):
    from django.test import Client

    catalog = reverse("inventory:catalog", args=["acme"]) + "?q=Qwen3.5-0.8B"
    assert url("start") + "?model=" in editor_client.get(catalog).content.decode()
    viewer_client = Client()
    viewer_client.force_login(viewer)
    assert url("start") not in viewer_client.get(catalog).content.decode()
