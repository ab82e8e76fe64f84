"""A recorded scan is reconciled with the inventory: linked, untracked, or dismissed for good."""

import pytest
from django.core.exceptions import ValidationError

from apps.inventory.models import Dependency
from apps.scanner import services
from apps.scanner.models import Dismissal, Finding
from tests.factories import WorkflowFactory, workflow_with
from tests.scanner.recording import finding, record

pytestmark = pytest.mark.django_db


def statuses(scan) -> dict[str, str]:
    return dict(scan.findings.values_list("identifier", "status"))


def test_it_links_findings_by_catalog_model_or_declared_name_and_queues_the_rest(organization):
    drafts = workflow_with(organization=organization, name="Drafts", models=["Qwen2.5-7B-Instruct"])
    workflow_with(organization=organization, name="Tagging", models=["acme-tagger-v2"])  # not in the catalog

    scan = record(
        organization,
        [
            finding("app/draft.py", 3, "Qwen/Qwen2.5-7B-Instruct"),  # same catalog model, other spelling
            finding("app/tag.py", 9, "ACME-tagger-v2", vendor="unknown"),  # declared name, other case
            finding("app/review.py", 2, "claude-3-5-sonnet-20241022", vendor="anthropic"),
            finding("requirements.txt", 1, "dashscope", kind="package"),  # Alibaba is in the inventory
            finding("requirements.txt", 2, "anthropic", kind="package", vendor="anthropic"),
        ],
    )

    assert statuses(scan) == {
        "Qwen/Qwen2.5-7B-Instruct": "linked",
        "ACME-tagger-v2": "linked",
        "claude-3-5-sonnet-20241022": "untracked",
        "dashscope": "linked",
        "anthropic": "untracked",
    }
    assert scan.findings.get(identifier="Qwen/Qwen2.5-7B-Instruct").dependency.workflow == drafts
    assert scan.findings.get(identifier="claude-3-5-sonnet-20241022").model.vendor.slug == "anthropic"
    assert scan.job.counts["findings_linked"] == 3
    assert scan.job.counts["findings_untracked"] == 2


def test_another_organizations_dependencies_link_nothing(organization, other_organization):
    workflow_with(organization=other_organization, models=["qwen-max"])

    scan = record(organization, [finding("app.py", 1, "qwen-max")])

    assert statuses(scan) == {"qwen-max": "untracked"}


def test_linking_creates_the_dependency_links_every_twin_and_refreshes_exposure(organization):
    workflow = WorkflowFactory(organization=organization, name="Ad review", criticality="high")
    assert workflow.exposure_updated_at is None
    scan = record(
        organization,
        [
            finding("a.py", 1, "deepseek-chat", vendor="deepseek"),
            finding("b.py", 7, "DeepSeek-Chat", vendor="deepseek"),
        ],
    )

    dependency = services.finding_link(
        finding=scan.findings.get(path="a.py"), workflow=workflow, role="fallback"
    )

    assert (dependency.workflow, dependency.declared_model, dependency.role) == (
        workflow,
        "deepseek-chat",
        "fallback",
    )
    assert dependency.model is not None and dependency.model.vendor.slug == "deepseek"
    assert statuses(scan) == {"deepseek-chat": "linked", "DeepSeek-Chat": "linked"}
    assert set(scan.findings.values_list("dependency", flat=True)) == {dependency.pk}
    workflow.refresh_from_db()
    assert workflow.exposure_updated_at is not None
    assert workflow.exposure_score > 0


def test_linking_a_model_covers_the_untracked_sdks_of_its_vendor(organization):
    workflow = WorkflowFactory(organization=organization)
    scan = record(
        organization,
        [
            finding("a.py", 1, "gpt-4o-mini", vendor="openai"),
            finding("requirements.txt", 1, "openai", kind="package", vendor="openai"),
            finding("requirements.txt", 2, "anthropic", kind="package", vendor="anthropic"),
        ],
    )

    dependency = services.finding_link(finding=scan.findings.get(identifier="gpt-4o-mini"), workflow=workflow)

    assert statuses(scan) == {"gpt-4o-mini": "linked", "openai": "linked", "anthropic": "untracked"}
    assert scan.findings.get(identifier="openai").dependency == dependency


def test_a_linked_identifier_is_linked_again_in_the_next_scan(organization):
    workflow = WorkflowFactory(organization=organization)
    first = record(organization, [finding("a.py", 1, "qwen-mt-plus")])
    services.finding_link(finding=first.findings.get(), workflow=workflow)

    second = record(
        organization, [finding("a.py", 1, "qwen-mt-plus"), finding("a.py", 2, "gpt-4o-mini", vendor="openai")]
    )

    assert statuses(second) == {"qwen-mt-plus": "linked", "gpt-4o-mini": "untracked"}
    assert Dependency.objects.filter(workflow=workflow).count() == 1


def test_only_models_can_become_dependencies(organization):
    scan = record(organization, [finding("requirements.txt", 1, "openai", kind="package", vendor="openai")])
    with pytest.raises(ValidationError, match="Only a model"):
        services.finding_link(
            finding=scan.findings.get(), workflow=WorkflowFactory(organization=organization)
        )


def test_a_workflow_of_another_organization_cannot_be_linked(organization, other_organization):
    scan = record(organization, [finding("a.py", 1, "qwen-max")])
    with pytest.raises(ValidationError, match="another organization"):
        services.finding_link(
            finding=scan.findings.get(), workflow=WorkflowFactory(organization=other_organization)
        )
    assert not Dependency.objects.exists()


def test_a_dismissal_persists_across_rescans_and_is_per_organization(
    organization, other_organization, editor
):
    first = record(organization, [finding("tests/fixtures.py", 4, "llama3.2", vendor="meta")])

    services.finding_dismiss(finding=first.findings.get(), reason="test fixture only", user=editor)

    assert statuses(first) == {"llama3.2": "dismissed"}
    dismissal = Dismissal.objects.get()
    assert (dismissal.identifier, dismissal.reason, dismissal.dismissed_by) == (
        "llama3.2",
        "test fixture only",
        editor,
    )
    rescan = record(
        organization,
        [finding("tests/fixtures.py", 40, "Llama3.2", vendor="meta"), finding("app.py", 1, "qwen-max")],
        root="/srv/site",
        filename="/srv/site",
    )
    assert statuses(rescan) == {"Llama3.2": "dismissed", "qwen-max": "untracked"}
    theirs = record(other_organization, [finding("x.py", 1, "llama3.2", vendor="meta")])
    assert statuses(theirs) == {"llama3.2": "untracked"}


def test_a_dismissal_needs_a_reason(organization):
    scan = record(organization, [finding("a.py", 1, "qwen-max")])
    with pytest.raises(ValidationError):
        services.finding_dismiss(finding=scan.findings.get(), reason="  ")
    assert scan.findings.get().status == Finding.Status.UNTRACKED


def test_reconciling_twice_changes_nothing(organization):
    workflow_with(organization=organization, models=["qwen-max"])
    scan = record(organization, [finding("a.py", 1, "qwen-max"), finding("a.py", 2, "o3", vendor="openai")])
    before = list(scan.findings.values_list("id", "status", "dependency", "model"))

    counts = services.scan_reconcile(scan=scan)

    assert list(scan.findings.values_list("id", "status", "dependency", "model")) == before
    assert counts["findings_linked"] == 0
