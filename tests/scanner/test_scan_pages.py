"""The scans list, a scan with its diff, and the untracked queue with its link and dismiss forms."""

import pytest
from django.urls import reverse

from apps.inventory.models import Dependency
from apps.scanner.models import Dismissal, Finding
from tests.factories import WorkflowFactory
from tests.scanner.recording import finding, record

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs) -> str:
    return reverse(f"scanner:{name}", kwargs={"org_slug": "acme", **kwargs})


@pytest.fixture
def two_scans(organization):
    first = record(
        organization,
        [finding("app/draft.py", 3, "qwen-max"), finding("app/old.py", 1, "gpt-4o-mini", vendor="openai")],
    )
    second = record(
        organization,
        [
            finding("app/draft.py", 12, "qwen-max"),  # moved down: not new
            finding("app/review.py", 2, "claude-3-5-haiku-latest", vendor="anthropic"),
            finding("requirements.txt", 1, "anthropic", kind="package", vendor="anthropic"),
        ],
    )
    return first, second


def test_it_lists_the_scans_with_their_untracked_counts(viewer_client, two_scans):
    response = viewer_client.get(url("scan_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"#{two_scans[1].pk} · /srv/site" in body
    assert "Untracked dependencies (3)" in body  # qwen-max, claude, anthropic in the latest scan
    assert "Upload an archive" not in body  # viewers read


def test_a_scan_shows_its_findings_by_file_and_what_changed_since_the_previous_scan(viewer_client, two_scans):
    first, second = two_scans

    response = viewer_client.get(url("scan_detail", scan_id=second.pk))

    assert response.status_code == 200
    context = response.context
    assert [f.path for f in context["files"]] == ["app/draft.py", "app/review.py", "requirements.txt"]
    assert context["previous"] == first
    diff = context["diff"]
    assert [(e.kind, e.identifier) for e in diff.new] == [
        ("model", "claude-3-5-haiku-latest"),
        ("package", "anthropic"),
    ]
    assert [e.identifier for e in diff.disappeared] == ["gpt-4o-mini"]
    body = response.content.decode()
    assert 'data-vendor="anthropic"' in body
    assert second.job.get_absolute_url() in body


def test_a_scan_can_be_filtered_by_kind(viewer_client, two_scans):
    response = viewer_client.get(url("scan_detail", scan_id=two_scans[1].pk), {"kind": "package"})
    assert [f.path for f in response.context["files"]] == ["requirements.txt"]


def test_the_first_scan_of_a_source_has_no_diff(viewer_client, organization):
    scan = record(organization, [finding("a.py", 1, "o3", vendor="openai")], filename="/srv/other")
    response = viewer_client.get(url("scan_detail", scan_id=scan.pk))
    assert response.context["diff"] is None
    assert "first scan of" in response.content.decode()


def test_the_queue_groups_the_latest_scans_untracked_findings_by_identifier(viewer_client, organization):
    record(organization, [finding("old.py", 1, "gone-model", vendor="unknown")])
    record(
        organization,
        [
            finding("a.py", 1, "qwen-max"),
            finding("b.py", 4, "QWEN-MAX"),
            finding("c.py", 2, "o3", vendor="openai"),
        ],
    )

    response = viewer_client.get(url("queue"))

    groups = {(g.kind, g.identifier.lower()): g for g in response.context["groups"]}
    assert set(groups) == {("model", "qwen-max"), ("model", "o3")}  # gone-model is not in the latest scan
    assert (groups["model", "qwen-max"].occurrences, groups["model", "qwen-max"].files) == (2, 2)
    assert groups["model", "qwen-max"].paths == ["a.py:1", "b.py:4"]
    assert "finding_dismiss" not in response.content.decode() and "/dismiss/" not in response.content.decode()


def test_an_editor_links_a_finding_to_a_workflow(editor_client, organization):
    workflow = WorkflowFactory(organization=organization, name="Localisation")
    scan = record(organization, [finding("a.py", 1, "qwen-mt-plus"), finding("b.py", 2, "qwen-mt-plus")])
    first = scan.findings.order_by("id").first()

    response = editor_client.post(
        url("finding_link", finding_id=first.pk),
        {f"link-{first.pk}-workflow": workflow.pk, f"link-{first.pk}-role": "primary"},
    )

    assert response.status_code == 302
    dependency = Dependency.objects.get(workflow=workflow)
    assert dependency.declared_model == "qwen-mt-plus" and dependency.created_by.username == "eddie.editor"
    assert set(scan.findings.values_list("status", flat=True)) == {"linked"}
    assert editor_client.get(url("queue")).context["groups"] == []


def test_linking_without_a_workflow_shows_the_error(editor_client, organization):
    scan = record(organization, [finding("a.py", 1, "qwen-max")])
    found = scan.findings.get()

    response = editor_client.post(
        url("finding_link", finding_id=found.pk), {f"link-{found.pk}-role": "primary"}
    )

    assert response.status_code == 422
    assert "This field is required" in response.content.decode()
    assert not Dependency.objects.exists()


def test_another_organizations_workflow_is_not_a_choice(editor_client, organization, other_organization):
    theirs = WorkflowFactory(organization=other_organization)
    found = record(organization, [finding("a.py", 1, "qwen-max")]).findings.get()

    response = editor_client.post(
        url("finding_link", finding_id=found.pk),
        {f"link-{found.pk}-workflow": theirs.pk, f"link-{found.pk}-role": "primary"},
    )

    assert response.status_code == 422
    assert not Dependency.objects.exists()


def test_an_editor_dismisses_a_finding_with_a_reason(editor_client, organization):
    found = record(organization, [finding("tests/x.py", 1, "llama3.2", vendor="meta")]).findings.get()

    response = editor_client.post(
        url("finding_dismiss", finding_id=found.pk), {f"dismiss-{found.pk}-reason": "sample"}
    )

    assert response.status_code == 302
    assert Dismissal.objects.get().reason == "sample"
    assert Finding.objects.get().status == "dismissed"


def test_an_editor_undoes_a_dismissal_and_the_finding_is_back_in_the_queue(editor_client, organization):
    found = record(organization, [finding("tests/x.py", 1, "llama3.2", vendor="meta")]).findings.get()
    editor_client.post(url("finding_dismiss", finding_id=found.pk), {f"dismiss-{found.pk}-reason": "sample"})
    queue = editor_client.get(url("queue")).content.decode()
    assert 'data-testid="dismissals"' in queue and "sample" in queue

    response = editor_client.post(url("dismissal_undo", dismissal_id=Dismissal.objects.get().pk))

    assert response.status_code == 302
    assert not Dismissal.objects.exists()
    assert Finding.objects.get().status == "untracked"


def test_a_dismissal_without_a_reason_is_refused(editor_client, organization):
    found = record(organization, [finding("a.py", 1, "qwen-max")]).findings.get()
    response = editor_client.post(url("finding_dismiss", finding_id=found.pk), {})
    assert response.status_code == 422
    assert not Dismissal.objects.exists()


@pytest.mark.parametrize("action", ["finding_link", "finding_dismiss"])
def test_viewers_cannot_link_or_dismiss(viewer_client, organization, action):
    found = record(organization, [finding("a.py", 1, "qwen-max")]).findings.get()
    response = viewer_client.post(url(action, finding_id=found.pk), {f"dismiss-{found.pk}-reason": "no"})
    assert response.status_code == 403
    assert Finding.objects.get().status == "untracked"


def test_viewers_cannot_upload(viewer_client):
    assert viewer_client.get(url("upload")).status_code == 403


def test_a_scan_of_another_source_is_never_the_previous_one(viewer_client, organization):
    record(organization, [finding("a.py", 1, "o3", vendor="openai")], filename="/srv/other")
    scan = record(organization, [finding("a.py", 1, "qwen-max")], filename="/srv/site")
    assert viewer_client.get(url("scan_detail", scan_id=scan.pk)).context["previous"] is None
