"""Reads for policies, approvals, violations and risk treatments; every one takes the organization."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.accounts.models import Organization
from apps.inventory.models import AIModel, Workflow
from apps.policies import evaluation
from apps.policies.models import ModelApproval, OrganizationPolicy, PolicyViolation, RiskTreatment
from apps.policies.templates import BLOCKED_MODEL


def policy_list(*, organization: Organization) -> QuerySet[OrganizationPolicy]:
    return OrganizationPolicy.objects.filter(organization=organization).order_by("name")


def policy_get(*, organization: Organization, policy_id: int) -> OrganizationPolicy:
    return get_object_or_404(OrganizationPolicy, organization=organization, pk=policy_id)


def policy_specs_for(*, organization: Organization) -> list[evaluation.Policy]:
    """The organization's enabled policies, plus "a blocked model in use", which is always on."""
    specs = [policy.spec() for policy in policy_list(organization=organization).filter(enabled=True)]
    if all(spec.key != BLOCKED_MODEL.key for spec in specs):
        specs.append(BLOCKED_MODEL)
    return specs


def approval_list(*, organization: Organization) -> QuerySet[ModelApproval]:
    return ModelApproval.objects.filter(organization=organization).select_related(
        "model__vendor", "decided_by"
    )


def approvals_by_model_id(*, organization: Organization) -> dict[int, ModelApproval]:
    return {approval.model_id: approval for approval in approval_list(organization=organization)}


def approvals_by_model_slug(*, organization: Organization) -> dict[str, str]:
    return dict(ModelApproval.objects.filter(organization=organization).values_list("model__slug", "status"))


def approval_model_get(*, model_id: int) -> AIModel:
    return get_object_or_404(AIModel.objects.select_related("vendor"), pk=model_id)


def violation_list(*, organization: Organization) -> QuerySet[PolicyViolation]:
    return PolicyViolation.objects.filter(organization=organization).select_related("workflow")


def violations_for_workflow(*, workflow: Workflow) -> QuerySet[PolicyViolation]:
    return PolicyViolation.objects.filter(workflow=workflow).order_by("severity", "policy_name", "subject")


def treatment_for_workflow(*, workflow: Workflow) -> RiskTreatment | None:
    return RiskTreatment.objects.filter(workflow=workflow).select_related("decided_by").first()


@dataclass(frozen=True)
class ViolationSummary:
    open: list[PolicyViolation]  # not covered by an active acceptance, most severe first
    accepted: list[PolicyViolation]  # covered: shown apart, with the acceptance's expiry
    acceptances: dict[int, RiskTreatment]  # workflow id → its active acceptance

    @property
    def failing(self) -> int:
        return sum(1 for violation in self.open if violation.severity == "fail")


_SEVERITY_ORDER = {"fail": 0, "warn": 1, "info": 2}


def violation_summary(*, organization: Organization, now: datetime | None = None) -> ViolationSummary:
    now = now or timezone.now()
    acceptances = {
        treatment.workflow_id: treatment
        for treatment in RiskTreatment.objects.filter(
            organization=organization,
            treatment=RiskTreatment.Treatment.ACCEPT,
            lapsed_at__isnull=True,
            expires_at__gt=now,
        ).select_related("decided_by")
    }
    violations = sorted(
        violation_list(organization=organization),
        key=lambda v: (_SEVERITY_ORDER[v.severity], v.workflow.name, v.policy_name, v.subject),
    )
    return ViolationSummary(
        open=[v for v in violations if v.workflow_id not in acceptances],
        accepted=[v for v in violations if v.workflow_id in acceptances],
        acceptances=acceptances,
    )
