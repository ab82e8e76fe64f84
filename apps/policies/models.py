"""Per-organization policies, model approvals, the violations they find and each workflow's risk treatment.

The pure core (evaluation.py, policy_file.py, templates.py) knows nothing of these tables;
services.py moves values between the two.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from apps.accounts.models import Organization
from apps.inventory.models import AIModel, Workflow
from apps.policies import evaluation


class ModelApproval(models.Model):
    """An organization's decision about one catalog model: who decided, when and why."""

    class Status(models.TextChoices):
        APPROVED = "approved", "Approved"
        RESTRICTED = "restricted", "Restricted"
        BLOCKED = "blocked", "Blocked"
        PENDING = "pending", "Pending review"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="model_approvals")
    model = models.ForeignKey(AIModel, on_delete=models.CASCADE, related_name="approvals")
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["model__vendor__name", "model__name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "model"], name="model_approval_unique_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.model} for {self.organization}: {self.status}"


class OrganizationPolicy(models.Model):
    """A policy kept as data: a condition over facts (see apps.policies.evaluation) and a severity."""

    class Severity(models.TextChoices):
        FAIL = "fail", "Fail"
        WARN = "warn", "Warn"
        INFO = "info", "Info"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="policies")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    severity = models.CharField(max_length=4, choices=Severity, default=Severity.WARN)
    conditions = models.JSONField(help_text="The condition, as JSON (see the facts listed beside it).")
    enabled = models.BooleanField(default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "organization policies"
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="policy_unique_key_per_org")
        ]

    def __str__(self) -> str:
        return self.name

    def spec(self) -> evaluation.Policy:
        return evaluation.Policy(
            key=self.key,
            name=self.name,
            severity=self.severity,
            when=self.conditions,
            description=self.description,
        )


class PolicyViolation(models.Model):
    """A violation found by the last evaluation of a workflow; deleted when it no longer holds."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="policy_violations")
    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="policy_violations")
    policy_key = models.CharField(max_length=60)
    policy_name = models.CharField(max_length=160)
    severity = models.CharField(max_length=4, choices=OrganizationPolicy.Severity)
    subject = models.CharField(max_length=300, blank=True)
    first_seen_at = models.DateTimeField()
    last_evaluated_at = models.DateTimeField()

    class Meta:
        ordering = ["workflow__name", "policy_name", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["workflow", "policy_key", "subject"], name="policy_violation_unique"
            )
        ]
        indexes = [models.Index(fields=["organization", "severity"], name="policy_violation_org_sev")]

    def __str__(self) -> str:
        return f"{self.policy_name}: {self.workflow} ({self.subject})"


class RiskTreatment(models.Model):
    """How an organization treats a workflow's risk. Accepting it needs an admin, a reason and an expiry."""

    class Treatment(models.TextChoices):
        MITIGATE = "mitigate", "Mitigate"
        ACCEPT = "accept", "Accept"
        AVOID = "avoid", "Avoid"
        TRANSFER = "transfer", "Transfer"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="risk_treatments")
    workflow = models.OneToOneField(Workflow, on_delete=models.CASCADE, related_name="risk_treatment")
    treatment = models.CharField(max_length=8, choices=Treatment)
    justification = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Required when the risk is accepted.")
    lapsed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["workflow__name"]

    def __str__(self) -> str:
        return f"{self.workflow}: {self.treatment}"

    def is_active_acceptance(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.treatment == self.Treatment.ACCEPT
            and self.lapsed_at is None
            and self.expires_at is not None
            and self.expires_at > now
        )
