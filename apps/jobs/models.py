from django.conf import settings
from django.db import models
from django.urls import reverse


class ImportJob(models.Model):
    """One payload on its way into the domain tables: stored first, then imported by a Celery task.

    The payload's sha256 is unique per organization and kind, so pushing the same bytes twice
    answers with the first job. `deliveries` counts how often a worker started the import: a
    payload that kills its worker is given up after MAX_DELIVERIES.
    """

    MAX_DELIVERIES = 3

    class Kind(models.TextChoices):
        SCAN = "scan", "Repository scan"
        BENCH = "bench", "Benchmark results"
        SIGNALS = "signals", "Watch signals"
        INVENTORY = "inventory", "Inventory"
        CYCLONEDX = "cyclonedx", "CycloneDX BOM"

    class Source(models.TextChoices):
        UI = "ui", "Upload"
        API = "api", "HTTP API"
        CLI = "cli", "Command line"
        SCHEDULE = "schedule", "Schedule"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    FINISHED = (Status.SUCCEEDED, Status.FAILED)

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="import_jobs"
    )
    kind = models.CharField(max_length=16, choices=Kind)
    source = models.CharField(max_length=16, choices=Source)
    payload = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(default=0)
    filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)

    status = models.CharField(max_length=16, choices=Status, default=Status.QUEUED)
    progress_done = models.PositiveBigIntegerField(default=0)
    progress_total = models.PositiveBigIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    # [{"where": "findings/3/line", "message": "0 is less than the minimum of 1"}, …]
    errors = models.JSONField(default=list, blank=True)

    started_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_by_token = models.ForeignKey(
        "accounts.ApiToken", null=True, blank=True, on_delete=models.SET_NULL, related_name="import_jobs"
    )

    deliveries = models.PositiveSmallIntegerField(default=0)
    worker_host = models.CharField(max_length=255, blank=True)
    worker_pid = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When its task reached the broker; null while the broker was unreachable (the job page says
    # so, and the beat task `send_unsent_jobs` sends it as soon as the broker is back).
    sent_at = models.DateTimeField(null=True, blank=True)
    # When the payload was deleted under the retention rule (docs/architecture.md, Jobs).
    payload_deleted_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "sha256"], name="importjob_unique_payload_per_org_kind"
            )
        ]
        indexes = [
            models.Index(fields=["organization", "status", "-created_at"], name="importjob_org_status")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} job #{self.pk} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", kwargs={"org_slug": self.organization.slug, "job_id": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def waits_for_queue(self) -> bool:
        return self.status == self.Status.QUEUED and self.sent_at is None

    @property
    def can_retry(self) -> bool:
        return self.status == self.Status.FAILED and self.payload_deleted_at is None

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(self.progress_done * 100 / self.progress_total))

    @property
    def count_items(self) -> list[tuple[str, int]]:
        return [(name.replace("_", " ").capitalize(), value) for name, value in self.counts.items()]

    @property
    def started_by_label(self) -> str:
        if self.started_by_token_id:
            return f"token {self.started_by_token}"
        if self.started_by_user_id:
            return str(self.started_by_user)
        return self.get_source_display()

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None
