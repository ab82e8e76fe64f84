"""The policies pages, and the approval badges and panels shown in the inventory, scanner and dashboard."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.inventory.models import AIModel
from apps.policies.models import ModelApproval, OrganizationPolicy, RiskTreatment
from apps.policies.services import model_approval_set, risk_treatment_set
from tests.factories import workflow_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def qwen():
    return AIModel.objects.get(aliases__alias="qwen2.5:7b")


@pytest.fixture
def blocked(organization, admin_user, qwen):
    return model_approval_set(
        organization=organization, model=qwen, status="blocked", reason="Leadership change", user=admin_user
    )


def url(name, organization, *args):
    return reverse(f"policies:{name}", args=[organization.slug, *args])


def test_an_admin_blocks_a_model_and_every_page_flags_it(client, organization, admin_user, editor, qwen):
    workflow = workflow_with(organization=organization, name="Localisation", models=["qwen2.5:7b"])
    client.force_login(admin_user)
    response = client.post(
        url("approvals", organization), {"model": qwen.pk, "status": "blocked", "reason": "Roadmap risk"}
    )
    assert response.status_code == 302
    approval = ModelApproval.objects.get(organization=organization, model=qwen)
    assert (approval.status, approval.decided_by) == ("blocked", admin_user)

    client.force_login(editor)
    match = client.get(
        reverse("inventory:model_match", args=[organization.slug]), {"deps-0-declared_model": "qwen2.5:7b"}
    )
    assert 'data-testid="blocked-model"' in match.text and "Roadmap risk" in match.text
    options = client.get(reverse("inventory:model_search", args=[organization.slug]), {"q": "qwen2.5"})
    assert "BLOCKED · Alibaba" in options.text
    assert (
        'data-approval="blocked"' in client.get(reverse("inventory:catalog", args=[organization.slug])).text
    )
    detail = client.get(workflow.get_absolute_url()).text
    assert 'data-approval="blocked"' in detail and "A blocked model in use" in detail
    dashboard = client.get(reverse("exposure:dashboard", args=[organization.slug])).text
    assert 'data-testid="policy-violations"' in dashboard and "Localisation" in dashboard


def test_a_blocking_decision_needs_a_reason(client, organization, admin_user, qwen):
    client.force_login(admin_user)
    response = client.post(
        url("approvals", organization), {"model": qwen.pk, "status": "blocked", "reason": ""}
    )
    assert response.status_code == 422
    assert "Say why the model is blocked" in response.text
    assert not ModelApproval.objects.exists()


def test_only_admins_decide_approvals_and_edit_policies(client, organization, editor, qwen):
    client.force_login(editor)
    assert client.get(url("approvals", organization)).status_code == 200
    assert (
        client.post(
            url("approvals", organization), {"model": qwen.pk, "status": "blocked", "reason": "x"}
        ).status_code
        == 403
    )
    assert client.get(url("policy_create", organization)).status_code == 403
    assert (
        client.post(url("policy_add_template", organization), {"template": "blocked-model"}).status_code
        == 403
    )
    page = client.get(url("index", organization)).text
    assert url("policy_create", organization) not in page and "Built-in templates" not in page


def test_the_policy_editor_refuses_a_bad_condition_naming_the_part(client, organization, admin_user):
    client.force_login(admin_user)
    data = {"name": "No Qwen", "key": "no-qwen", "severity": "fail", "enabled": "on", "description": ""}
    bad = {"all": [{"fact": "vendor.slug", "op": "equals", "value": "alibaba"}]}
    response = client.post(url("policy_create", organization), {**data, "conditions": json.dumps(bad)})
    assert response.status_code == 422
    assert "conditions.all[0].op: &#x27;equals&#x27; is not one of" in response.text
    assert client.post(url("policy_create", organization), {**data, "conditions": "{"}).status_code == 422
    assert not OrganizationPolicy.objects.exists()

    good = {"fact": "vendor.slug", "op": "eq", "value": "alibaba"}
    assert (
        client.post(url("policy_create", organization), {**data, "conditions": json.dumps(good)}).status_code
        == 302
    )
    assert OrganizationPolicy.objects.get(key="no-qwen").conditions == good


def test_an_admin_adds_a_template_and_the_violations_appear(client, organization, admin_user):
    workflow_with(
        organization=organization,
        name="Clinic drafts",
        models=["gpt-4o-mini"],
        data_sensitivity="regulated",
        deployment="cloud-api",
    )
    client.force_login(admin_user)
    client.post(url("policy_add_template", organization), {"template": "regulated-data-on-cloud-api"})
    page = client.get(url("index", organization)).text
    assert "Regulated data sent to a cloud API" in page and "Clinic drafts" in page


def test_accepting_a_risk_is_for_admins_and_shows_apart(client, organization, admin_user, editor, blocked):
    workflow = workflow_with(organization=organization, name="Localisation", models=["qwen2.5:7b"])
    client.force_login(editor)
    form = client.get(url("treatment", organization, workflow.pk)).text
    assert 'value="accept"' not in form
    assert (
        client.post(
            url("treatment", organization, workflow.pk), {"treatment": "accept", "justification": "x"}
        ).status_code
        == 422
    )

    client.force_login(admin_user)
    response = client.post(
        url("treatment", organization, workflow.pk),
        {"treatment": "accept", "justification": "Exit planned", "days": "30"},
    )
    assert response.status_code == 302
    treatment = RiskTreatment.objects.get(workflow=workflow)
    assert timedelta(days=29) < treatment.expires_at - timezone.now() <= timedelta(days=30)
    dashboard = client.get(reverse("exposure:dashboard", args=[organization.slug])).text
    assert 'data-testid="accepted-risks"' in dashboard and "Accepted until" in dashboard
    assert "No open violation" in dashboard


def test_a_viewer_sees_no_treatment_link(client, organization, viewer, blocked):
    workflow = workflow_with(organization=organization, name="Localisation", models=["qwen2.5:7b"])
    client.force_login(viewer)
    assert url("treatment", organization, workflow.pk) not in client.get(workflow.get_absolute_url()).text
    assert client.get(url("treatment", organization, workflow.pk)).status_code == 403


def test_an_accepted_risk_needs_a_justification(client, organization, admin_user):
    workflow = workflow_with(organization=organization, name="Drafts", models=["gpt-4o-mini"])
    client.force_login(admin_user)
    response = client.post(
        url("treatment", organization, workflow.pk),
        {"treatment": "accept", "justification": "", "days": "30"},
    )
    assert response.status_code == 422
    assert not RiskTreatment.objects.exists()
    risk_treatment_set(
        workflow=workflow, treatment="mitigate", justification="Fallback on Llama", user=admin_user
    )
    assert "Mitigate" in client.get(workflow.get_absolute_url()).text
