"""Writes for policies, approvals and risk treatment, and the evaluation that keeps violations current.

`policies_evaluate_for` runs at the end of every exposure refresh (every import, form save, scan link,
vendor risk move) and after any change here; `acceptances_lapse` runs from the daily beat task. New
violations and lapsed acceptances are alerted through the watch app's alert rules (`alerts_raise`).
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Organization
from apps.inventory.models import AIModel, Dependency, Workflow
from apps.policies import evaluation
from apps.policies.facts import workflow_subjects, workflows_for_evaluation
from apps.policies.models import ModelApproval, OrganizationPolicy, PolicyViolation, RiskTreatment
from apps.policies.selectors import policy_specs_for
from apps.policies.templates import TEMPLATES_BY_KEY

EVALUATE_BATCH = 500
ALERT_SEVERITY = {"fail": "critical", "warn": "warning", "info": "info"}


# --- Evaluation ---------------------------------------------------------------------------------


@transaction.atomic
def policies_evaluate_for(
    *, workflow_ids: Iterable[int], organization: Organization | None = None, now: datetime | None = None
) -> dict[str, int]:
    """Re-evaluate the given workflows' violations; alert on the ones that are new and not accepted.

    Returns counts: violations found, created and resolved.
    """
    now = now or timezone.now()
    ids = sorted(set(workflow_ids))
    counts = {"violations": 0, "created": 0, "resolved": 0}
    for start in range(0, len(ids), EVALUATE_BATCH):
        workflows = workflows_for_evaluation(ids[start : start + EVALUATE_BATCH])
        if organization is not None:
            workflows = workflows.filter(organization=organization)
        by_org: dict[int, list[Workflow]] = defaultdict(list)
        for workflow in workflows:
            by_org[workflow.organization_id].append(workflow)
        for org_workflows in by_org.values():
            batch = _evaluate_organization(org_workflows[0].organization, org_workflows, now=now)
            for key in counts:
                counts[key] += batch[key]
    return counts


def _evaluate_organization(organization: Organization, workflows: list[Workflow], *, now: datetime) -> dict:
    approvals = dict(
        ModelApproval.objects.filter(organization=organization).values_list("model_id", "status")
    )
    subjects = workflow_subjects(organization=organization, workflows=workflows, approvals=approvals)
    found = evaluation.evaluate(policy_specs_for(organization=organization), subjects)
    existing = {
        (v.workflow_id, v.policy_key, v.subject): v
        for v in PolicyViolation.objects.filter(workflow__in=workflows).select_related("workflow")
    }
    wanted = {(v.workflow_id, v.policy_key, v.subject[:300]): v for v in found}
    created = [
        PolicyViolation(
            organization=organization,
            workflow_id=key[0],
            policy_key=key[1],
            subject=key[2],
            policy_name=violation.policy_name[:160],
            severity=violation.severity,
            first_seen_at=now,
            last_evaluated_at=now,
        )
        for key, violation in wanted.items()
        if key not in existing
    ]
    PolicyViolation.objects.bulk_create(created)
    stale = [row.pk for key, row in existing.items() if key not in wanted]
    PolicyViolation.objects.filter(pk__in=stale).delete()
    changed = []
    for key, row in existing.items():
        if key in wanted and (row.severity, row.policy_name) != (
            wanted[key].severity,
            wanted[key].policy_name,
        ):
            row.severity, row.policy_name = wanted[key].severity, wanted[key].policy_name[:160]
            changed.append(row)
    PolicyViolation.objects.bulk_update(changed, ["severity", "policy_name"])
    PolicyViolation.objects.filter(workflow__in=workflows).update(last_evaluated_at=now)

    accepted = set(
        RiskTreatment.objects.filter(
            workflow__in=workflows,
            treatment=RiskTreatment.Treatment.ACCEPT,
            lapsed_at__isnull=True,
            expires_at__gt=now,
        ).values_list("workflow_id", flat=True)
    )
    names = {workflow.pk: workflow.name for workflow in workflows}
    alerted = [row for row in created if row.workflow_id not in accepted]
    if alerted:
        _alert(
            organization,
            subject=(
                f"{len(alerted)} new policy violation{'s' if len(alerted) != 1 else ''}: "
                + "; ".join(f"{row.policy_name} ({names[row.workflow_id]})" for row in alerted[:3])
                + (" …" if len(alerted) > 3 else "")
            ),
            rows=alerted,
            names=names,
            event="new_violations",
            now=now,
        )
    return {"violations": len(wanted), "created": len(created), "resolved": len(stale)}


def _alert(
    organization: Organization,
    *,
    subject: str,
    rows: list[PolicyViolation],
    names: dict,
    event: str,
    now: datetime,
) -> None:
    """Raise an alert through the watch app's rules: a `news` signal from source `policies`.

    The signal names no vendor, so it never moves a vendor's risk or the recent-signals factor.
    """
    from apps.watch.contract import natural_key
    from apps.watch.models import Signal
    from apps.watch.services.alerts import alerts_raise

    worst = min((row.severity for row in rows), key=("fail", "warn", "info").index)
    detail = {
        "event": event,
        "violations": [
            {
                "workflow": names[row.workflow_id],
                "policy": row.policy_key,
                "severity": row.severity,
                "subject": row.subject,
            }
            for row in rows[:20]
        ],
    }
    signal = Signal.objects.create(
        organization=organization,
        source_spec="policies",
        kind="news",
        subject=subject[:300],
        vendor=None,
        vendor_slug="unknown",
        severity=ALERT_SEVERITY[worst],
        observed_at=now,
        detail=detail,
        key=natural_key("policies", "news", subject, {**detail, "at": now.isoformat()}),
    )
    alerts_raise(organization=organization, signals=[signal])


def _organization_workflow_ids(organization: Organization) -> list[int]:
    return list(Workflow.objects.filter(organization=organization).values_list("pk", flat=True))


# --- Policies -----------------------------------------------------------------------------------


@transaction.atomic
def policy_save(*, policy: OrganizationPolicy, user: AbstractBaseUser | None = None) -> OrganizationPolicy:
    try:
        evaluation.validate_condition(policy.conditions, "conditions")
    except evaluation.ConditionError as error:
        raise ValidationError({"conditions": str(error)}) from error
    policy.updated_by = user
    policy.full_clean()
    policy.save()
    policies_evaluate_for(
        workflow_ids=_organization_workflow_ids(policy.organization), organization=policy.organization
    )
    return policy


@transaction.atomic
def policy_add_template(
    *, organization: Organization, template_key: str, user: AbstractBaseUser | None = None
) -> OrganizationPolicy:
    template = TEMPLATES_BY_KEY[template_key]
    existing = OrganizationPolicy.objects.filter(organization=organization, key=template.key).first()
    if existing is not None:
        return existing
    return policy_save(
        policy=OrganizationPolicy(
            organization=organization,
            key=template.key,
            name=template.name,
            description=template.description,
            severity=template.severity,
            conditions=dict(template.when),
        ),
        user=user,
    )


@transaction.atomic
def policy_delete(*, policy: OrganizationPolicy) -> None:
    organization = policy.organization
    policy.delete()
    policies_evaluate_for(workflow_ids=_organization_workflow_ids(organization), organization=organization)


# --- Model approvals ----------------------------------------------------------------------------


@transaction.atomic
def model_approval_set(
    *, organization: Organization, model: AIModel, status: str, reason: str, user: AbstractBaseUser | None
) -> ModelApproval:
    """Record an organization's decision on a model; workflows that use it are re-evaluated."""
    if status not in ModelApproval.Status.values:
        raise ValidationError(
            {"status": f"'{status}' is not one of {', '.join(ModelApproval.Status.values)}"}
        )
    if status in (ModelApproval.Status.BLOCKED, ModelApproval.Status.RESTRICTED) and not reason.strip():
        raise ValidationError({"reason": "Say why the model is blocked or restricted."})
    approval, _ = ModelApproval.objects.get_or_create(organization=organization, model=model)
    approval.status, approval.reason = status, reason.strip()
    approval.decided_by, approval.decided_at = user, timezone.now()
    approval.full_clean()
    approval.save()
    workflow_ids = Dependency.objects.filter(workflow__organization=organization, model=model).values_list(
        "workflow_id", flat=True
    )
    policies_evaluate_for(workflow_ids=list(workflow_ids), organization=organization)
    return approval


# --- Risk treatment -----------------------------------------------------------------------------


@transaction.atomic
def risk_treatment_set(
    *,
    workflow: Workflow,
    treatment: str,
    justification: str,
    user: AbstractBaseUser,
    expires_at: datetime | None = None,
    now: datetime | None = None,
) -> RiskTreatment:
    """Decide how a workflow's risk is treated. Accepting needs an admin, a justification and an expiry."""
    from apps.accounts.models import Membership

    now = now or timezone.now()
    errors = {}
    if treatment not in RiskTreatment.Treatment.values:
        errors["treatment"] = f"'{treatment}' is not one of {', '.join(RiskTreatment.Treatment.values)}"
    if not justification.strip():
        errors["justification"] = "Say why the risk is treated this way."
    if treatment == RiskTreatment.Treatment.ACCEPT:
        membership = Membership.objects.filter(organization=workflow.organization, user=user).first()
        if membership is None or not membership.is_admin:
            errors["treatment"] = "Only an admin of the organization can accept a risk."
        if expires_at is None:
            errors["expires_at"] = "An accepted risk needs an expiry."
        elif expires_at <= now:
            errors["expires_at"] = "The expiry must be in the future."
        elif expires_at > now + timedelta(days=366):
            errors["expires_at"] = "Accept a risk for a year at most, then review it again."
    if errors:
        raise ValidationError(errors)
    record, _ = RiskTreatment.objects.get_or_create(
        workflow=workflow,
        defaults={
            "organization": workflow.organization,
            "treatment": treatment,
            "decided_at": now,
            "justification": "",
        },
    )
    record.treatment = treatment
    record.justification = justification.strip()
    record.decided_by, record.decided_at = user, now
    record.expires_at = expires_at if treatment == RiskTreatment.Treatment.ACCEPT else None
    record.lapsed_at = None
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def acceptances_lapse(*, now: datetime | None = None) -> int:
    """Acceptances past their expiry lapse: the risk reopens and its violations are alerted again.

    Run daily by beat (`policies-lapse-acceptances`); safe to run twice (a lapsed one is skipped).
    """
    now = now or timezone.now()
    due = list(
        RiskTreatment.objects.select_for_update(skip_locked=True)
        .filter(treatment=RiskTreatment.Treatment.ACCEPT, lapsed_at__isnull=True, expires_at__lte=now)
        .select_related("workflow", "organization")
    )
    for treatment in due:
        treatment.lapsed_at = now
        treatment.save(update_fields=["lapsed_at"])
        policies_evaluate_for(
            workflow_ids=[treatment.workflow_id], organization=treatment.organization, now=now
        )
        rows = list(PolicyViolation.objects.filter(workflow_id=treatment.workflow_id))
        if rows:
            _alert(
                treatment.organization,
                subject=(
                    f"Risk acceptance lapsed: {treatment.workflow.name} "
                    f"({len(rows)} policy violation{'s' if len(rows) != 1 else ''} open again)"
                ),
                rows=rows,
                names={treatment.workflow_id: treatment.workflow.name},
                event="acceptance_lapsed",
                now=now,
            )
    return len(due)


def policies_evaluate_all(*, now: datetime | None = None) -> dict[str, int]:
    return policies_evaluate_for(workflow_ids=Workflow.objects.values_list("pk", flat=True), now=now)
