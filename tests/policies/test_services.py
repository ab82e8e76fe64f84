"""Violations kept current on every change, model approvals, and risk acceptance that lapses with time."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.inventory.models import AIModel
from apps.policies.models import PolicyViolation, RiskTreatment
from apps.policies.selectors import violation_summary
from apps.policies.services import (
    acceptances_lapse,
    model_approval_set,
    policy_add_template,
    risk_treatment_set,
)
from apps.policies.tasks import lapse_acceptances
from apps.watch.models import Notification, Signal
from tests.factories import workflow_with
from tests.watch.factories import alert_rule

pytestmark = pytest.mark.django_db


@pytest.fixture
def qwen():
    return AIModel.objects.get(aliases__alias="qwen2.5:7b")


def block(organization, model, user):
    return model_approval_set(
        organization=organization, model=model, status="blocked", reason="Roadmap", user=user
    )


def violations(organization):
    return sorted(
        (v.workflow.name, v.policy_key, v.severity)
        for v in PolicyViolation.objects.filter(organization=organization)
    )


def test_blocking_a_model_flags_every_workflow_that_uses_it_and_alerts(organization, admin_user, qwen):
    alert_rule(organization)
    workflow_with(organization=organization, name="Localisation", models=["qwen2.5:7b"])
    workflow_with(organization=organization, name="Captions", models=["gpt-4o-mini"])
    assert violations(organization) == []

    block(organization, qwen, admin_user)

    assert violations(organization) == [("Localisation", "blocked-model", "fail")]
    signal = Signal.objects.get(organization=organization, source_spec="policies")
    assert signal.severity == "critical" and signal.vendor is None
    assert signal.subject == "1 new policy violation: A blocked model in use (Localisation)"
    assert Notification.objects.filter(signal=signal, user=admin_user, channel="inbox").exists()


def test_a_change_in_the_inventory_is_evaluated_at_once(organization, admin_user, qwen):
    block(organization, qwen, admin_user)
    workflow = workflow_with(organization=organization, name="Drafts", models=["gpt-4o-mini"])
    assert violations(organization) == []

    from apps.inventory.services import DependencySpec, workflow_save

    workflow_save(workflow=workflow, dependencies=[DependencySpec(declared_model="Qwen/Qwen2.5-7B-Instruct")])
    assert violations(organization) == [("Drafts", "blocked-model", "fail")]

    workflow_save(workflow=workflow, dependencies=[DependencySpec(declared_model="gpt-4o-mini")])
    assert violations(organization) == []


def test_templates_evaluate_workflow_facts(organization, admin_user):
    for key in ("single-high-risk-vendor", "regulated-data-on-cloud-api", "exposed-without-exit"):
        policy_add_template(organization=organization, template_key=key, user=admin_user)
    workflow_with(
        organization=organization,
        name="Clinic drafts",
        models=["qwen2.5:7b"],
        criticality="high",
        switching_difficulty=5,
        data_sensitivity="regulated",
        deployment="cloud-api",
    )
    workflow_with(
        organization=organization,
        name="Mixed",
        models=["qwen2.5:7b"],
        fallbacks=["gpt-4o-mini"],
        criticality="high",
    )

    found = violations(organization)
    assert [v for v in found if v[0] == "Clinic drafts"] == [
        ("Clinic drafts", "exposed-without-exit", "warn"),
        ("Clinic drafts", "regulated-data-on-cloud-api", "fail"),
        ("Clinic drafts", "single-high-risk-vendor", "fail"),
    ]
    # A fallback on another vendor: not a single vendor, and its data is not regulated.
    assert {v[1] for v in found if v[0] == "Mixed"} <= {"exposed-without-exit"}


def test_an_acceptance_needs_an_admin_a_justification_and_a_future_expiry(organization, admin_user, editor):
    workflow = workflow_with(organization=organization, name="Drafts", models=["qwen2.5:7b"])
    in_30_days = timezone.now() + timedelta(days=30)
    with pytest.raises(ValidationError) as raised:
        risk_treatment_set(
            workflow=workflow, treatment="accept", justification="", user=editor, expires_at=None
        )
    assert set(raised.value.message_dict) == {"treatment", "justification", "expires_at"}
    with pytest.raises(ValidationError, match="future"):
        risk_treatment_set(
            workflow=workflow,
            treatment="accept",
            justification="ok",
            user=admin_user,
            expires_at=timezone.now() - timedelta(days=1),
        )
    record = risk_treatment_set(
        workflow=workflow,
        treatment="accept",
        justification="Migration planned",
        user=admin_user,
        expires_at=in_30_days,
    )
    assert record.is_active_acceptance()
    assert (
        risk_treatment_set(
            workflow=workflow, treatment="mitigate", justification="Fallback", user=editor
        ).expires_at
        is None
    )


def test_an_accepted_risk_lapses_with_the_clock_and_the_violation_and_alert_return(
    organization, admin_user, qwen
):
    alert_rule(organization)
    workflow = workflow_with(organization=organization, name="Drafts", models=["qwen2.5:7b"])
    block(organization, qwen, admin_user)
    now = timezone.now()
    risk_treatment_set(
        workflow=workflow,
        treatment="accept",
        justification="Exit planned in Q1",
        user=admin_user,
        expires_at=now + timedelta(days=30),
        now=now,
    )
    summary = violation_summary(organization=organization, now=now)
    assert ([v.policy_key for v in summary.open], [v.policy_key for v in summary.accepted]) == (
        [],
        ["blocked-model"],
    )

    assert acceptances_lapse(now=now + timedelta(days=29)) == 0
    assert violation_summary(organization=organization, now=now + timedelta(days=29)).open == []

    later = now + timedelta(days=30, minutes=1)
    assert acceptances_lapse(now=later) == 1
    assert acceptances_lapse(now=later) == 0  # safe to run twice

    summary = violation_summary(organization=organization, now=later)
    assert [v.policy_key for v in summary.open] == ["blocked-model"] and summary.accepted == []
    assert RiskTreatment.objects.get(workflow=workflow).lapsed_at == later
    lapsed = Signal.objects.get(organization=organization, detail__event="acceptance_lapsed")
    assert lapsed.subject == "Risk acceptance lapsed: Drafts (1 policy violation open again)"
    assert Notification.objects.filter(signal=lapsed, user=admin_user).exists()


def test_the_beat_task_lapses_what_expired(organization, admin_user, qwen):
    workflow = workflow_with(organization=organization, name="Drafts", models=["qwen2.5:7b"])
    record = risk_treatment_set(
        workflow=workflow,
        treatment="accept",
        justification="x",
        user=admin_user,
        expires_at=timezone.now() + timedelta(days=1),
    )
    RiskTreatment.objects.filter(pk=record.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert lapse_acceptances.apply().get() == 1
    assert RiskTreatment.objects.get(pk=record.pk).lapsed_at is not None


def test_no_new_alert_while_the_risk_is_accepted(organization, admin_user, qwen):
    alert_rule(organization)
    workflow = workflow_with(organization=organization, name="Drafts", models=["gpt-4o-mini"])
    risk_treatment_set(
        workflow=workflow,
        treatment="accept",
        justification="x",
        user=admin_user,
        expires_at=timezone.now() + timedelta(days=30),
    )
    from apps.inventory.services import DependencySpec, workflow_save

    block(organization, qwen, admin_user)
    workflow_save(workflow=workflow, dependencies=[DependencySpec(declared_model="qwen2.5:7b")])

    assert violations(organization) == [("Drafts", "blocked-model", "fail")]
    assert not Signal.objects.filter(organization=organization, source_spec="policies").exists()


def test_another_organizations_approval_changes_nothing_here(
    organization, other_organization, outsider, qwen
):
    workflow_with(organization=organization, name="Drafts", models=["qwen2.5:7b"])
    block(other_organization, qwen, outsider)
    assert violations(organization) == []
