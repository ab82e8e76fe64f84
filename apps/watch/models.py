"""Sources polled on a schedule, the signals they produce, alert rules and the notifications sent.

The pure core (sources/, detect.py, risk.py, webhooks.py…) knows nothing of these tables;
services.py moves values between the two.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models import Q

from apps.common.secrets import decrypt_secret
from apps.common.vocab import SEVERITY_CHOICES, SEVERITY_RANK, STORED_SIGNAL_KIND_CHOICES
from apps.watch.sources.base import SOURCE_KINDS


class Source(models.Model):
    """Something we poll: `hf:Qwen`, `github:QwenLM/Qwen3`, `feed:https://…`, `prices:…`.

    `organization` is None for a shared source, whose signals are imported for every organization.
    The snapshot and the HTTP validators are what the next poll compares against; the health
    fields say when it last worked and why it last failed.
    """

    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="watch_sources"
    )
    spec = models.CharField(max_length=500)
    kind = models.CharField(max_length=8, choices=[(kind, kind) for kind in SOURCE_KINDS])
    enabled = models.BooleanField(default=True)
    poll_interval_minutes = models.PositiveIntegerField(default=360)

    snapshot = models.JSONField(null=True, blank=True)
    http_state = models.JSONField(default=dict, blank=True)

    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_transient = models.BooleanField(default=False)
    last_observations = models.JSONField(default=list, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["spec"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "spec"],
                condition=Q(organization__isnull=False),
                name="watch_source_unique_spec_per_org",
            ),
            models.UniqueConstraint(
                fields=["spec"],
                condition=Q(organization__isnull=True),
                name="watch_source_unique_shared_spec",
            ),
        ]

    def __str__(self) -> str:
        return self.spec

    @property
    def is_shared(self) -> bool:
        return self.organization_id is None

    @property
    def healthy(self) -> bool:
        return not self.last_error


class Signal(models.Model):
    """Something observed about a vendor or model, per organization (its own status and noise flag).

    `key` is the natural key of the observation (contract.natural_key): the same observation
    imported twice, by two polls or two pushes, stays one row.
    """

    class Status(models.TextChoices):
        NEW = "new", "New"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        NOISE = "noise", "Noise"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="watch_signals"
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="signals"
    )
    source_spec = models.CharField(max_length=500, help_text="The contract's `source` (or 'manual').")
    kind = models.CharField(max_length=20, choices=STORED_SIGNAL_KIND_CHOICES)
    subject = models.CharField(max_length=300)
    vendor = models.ForeignKey(
        "inventory.Vendor", null=True, blank=True, on_delete=models.SET_NULL, related_name="signals"
    )
    vendor_slug = models.CharField(max_length=20)
    severity = models.CharField(max_length=8, choices=SEVERITY_CHOICES)
    observed_at = models.DateTimeField()
    detail = models.JSONField(default=dict, blank=True)
    key = models.CharField(max_length=64)
    status = models.CharField(max_length=12, choices=Status, default=Status.NEW)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    job = models.ForeignKey(
        "jobs.ImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="watch_signals"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-observed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="watch_signal_unique_key_per_org")
        ]
        indexes = [
            models.Index(fields=["organization", "-observed_at"], name="watch_signal_org_time"),
            models.Index(fields=["vendor", "-observed_at"], name="watch_signal_vendor_time"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject}"

    @property
    def is_manual(self) -> bool:
        return self.source_spec == "manual"

    @property
    def change(self) -> str:
        if "from" in self.detail and "to" in self.detail and self.kind != "price_change":
            return f"{self.detail['from']} → {self.detail['to']}"
        return ""

    def as_contract(self) -> dict:
        """The signal as `riskboard.signals/1` spells it (plus our `key`)."""
        from apps.watch.contract import format_timestamp

        return {
            "source": self.source_spec,
            "kind": self.kind,
            "subject": self.subject,
            "vendor": self.vendor_slug,
            "severity": self.severity,
            "observed_at": format_timestamp(self.observed_at),
            "detail": self.detail,
            "key": self.key,
        }


class AlertRule(models.Model):
    """Which new signals an organization wants to hear about, and how.

    The inbox always gets its notifications at once; email and webhook follow `delivery`
    (immediately, or bundled in the Monday digest so leadership is not flooded).
    """

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", "Immediately"
        WEEKLY = "weekly", "Weekly digest"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="watch_alert_rules"
    )
    name = models.CharField(max_length=120)
    enabled = models.BooleanField(default=True)
    kinds = models.JSONField(default=list, blank=True, help_text="Empty: every kind.")
    min_severity = models.CharField(max_length=8, choices=SEVERITY_CHOICES, default="warning")
    vendor = models.ForeignKey(
        "inventory.Vendor", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    notify_inbox = models.BooleanField(default=True)
    notify_email = models.BooleanField(default=False)
    email_recipients = models.TextField(blank=True, help_text="Addresses, one per line or comma-separated.")
    email_roles = models.JSONField(default=list, blank=True, help_text="Members with these roles get email.")
    notify_webhook = models.BooleanField(default=False)
    webhook_url = models.URLField(blank=True, max_length=500)
    # Fernet token of the signing secret (apps/common/secrets.py): shown once when made, never again.
    webhook_secret_encrypted = models.TextField(blank=True, default="")
    delivery = models.CharField(max_length=10, choices=Delivery, default=Delivery.IMMEDIATE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def matches(self, signal: Signal) -> bool:
        return (
            self.enabled
            and (not self.kinds or signal.kind in self.kinds)
            and SEVERITY_RANK[signal.severity] >= SEVERITY_RANK[self.min_severity]
            and (self.vendor_id is None or signal.vendor_id == self.vendor_id)
        )

    def clean(self) -> None:
        # Every address on its own, so the person typing sees exactly which one is wrong.
        problems = []
        for address in self.recipients:
            try:
                validate_email(address)
            except ValidationError:
                problems.append(f"“{address}” is not a valid e-mail address.")
        if problems:
            raise ValidationError({"email_recipients": problems})

    @property
    def webhook_secret(self) -> str | None:
        """The signing secret, or None when there is none or it was encrypted under another key."""
        return decrypt_secret(self.webhook_secret_encrypted)

    @property
    def recipients(self) -> list[str]:
        text = self.email_recipients.replace(",", "\n")
        return [address.strip() for address in text.splitlines() if address.strip()]


class Notification(models.Model):
    """One signal told through one channel: an inbox item for a user, an email, a webhook message.

    A weekly-digest email or webhook waits as DIGEST until the Monday task bundles it. A webhook's
    message id is derived from this row, so a retried delivery is the same message to the receiver.
    """

    class Channel(models.TextChoices):
        INBOX = "inbox", "Inbox"
        EMAIL = "email", "Email"
        WEBHOOK = "webhook", "Webhook"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DIGEST = "digest", "Waiting for the weekly digest"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="watch_notifications"
    )
    rule = models.ForeignKey(
        AlertRule, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="watch_notifications",
    )
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="notifications")
    channel = models.CharField(max_length=8, choices=Channel)
    status = models.CharField(max_length=8, choices=Status, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    delivered_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "signal", "channel", "user"],
                condition=Q(user__isnull=False),
                name="watch_notification_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["rule", "signal", "channel"],
                condition=Q(user__isnull=True),
                name="watch_notification_once_per_channel",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "channel", "read_at"], name="watch_notification_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.signal}"

    @property
    def msg_id(self) -> str:
        return f"riskboard-notification-{self.pk}"
