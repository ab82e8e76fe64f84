from django.conf import settings
from django.db import models
from django.urls import reverse


class Scan(models.Model):
    """One scan of a source tree (a `riskboard.scan/1` document), recorded for an organization."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="scans")
    # The import job that brought it in; one job makes at most one scan, so a redelivery cannot add another.
    job = models.OneToOneField(
        "jobs.ImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="scan"
    )
    source = models.CharField(
        max_length=255, blank=True, help_text="Where it came from: upload, API token, CLI."
    )
    root = models.CharField(max_length=1024, blank=True)
    # Names the scanned source across scans ("upload:site.zip", "cli:/srv/site", "api:<token>:<root>"), so a
    # re-scan is compared with the previous scan of the same source. See apps.scanner.sources.
    source_key = models.CharField(max_length=512, blank=True, db_index=True)
    files_scanned = models.PositiveIntegerField(default=0)
    files_skipped = models.PositiveIntegerField(default=0)
    finding_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "source_key", "-id"], name="scan_org_source")]

    def __str__(self) -> str:
        return f"Scan of {self.root or 'a tree'} ({self.finding_count} findings)"

    def get_absolute_url(self) -> str:
        return reverse("scanner:scan_detail", kwargs={"org_slug": self.organization.slug, "scan_id": self.pk})


class Finding(models.Model):
    """A model, SDK package or vendor endpoint found at one line of one file."""

    class Kind(models.TextChoices):
        MODEL = "model", "Model"
        PACKAGE = "package", "Package"
        ENDPOINT = "endpoint", "Endpoint"

    class Confidence(models.TextChoices):
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"

    class Status(models.TextChoices):
        UNTRACKED = "untracked", "Untracked"
        LINKED = "linked", "Linked"
        DISMISSED = "dismissed", "Dismissed"

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="findings")
    path = models.CharField(max_length=1024)
    line = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=Kind)
    identifier = models.CharField(max_length=512)
    vendor = models.CharField(max_length=32)
    family = models.CharField(max_length=64, blank=True)
    confidence = models.CharField(max_length=8, choices=Confidence)
    evidence = models.TextField(blank=True)
    rule = models.CharField(max_length=120, blank=True)
    # Reconciliation (apps.scanner.reconciliation). Rows arrive by COPY without these columns, so the
    # status has a database default.
    model = models.ForeignKey(
        "inventory.AIModel", null=True, blank=True, on_delete=models.SET_NULL, related_name="findings"
    )
    status = models.CharField(
        max_length=10, choices=Status, default=Status.UNTRACKED, db_default=Status.UNTRACKED
    )
    dependency = models.ForeignKey(
        "inventory.Dependency", null=True, blank=True, on_delete=models.SET_NULL, related_name="findings"
    )

    class Meta:
        ordering = ["path", "line"]
        constraints = [
            models.UniqueConstraint(
                fields=["scan", "path", "line", "kind", "identifier"], name="finding_natural_key"
            )
        ]
        indexes = [models.Index(fields=["scan", "status", "kind"], name="finding_scan_status")]

    def __str__(self) -> str:
        return f"{self.identifier} at {self.path}:{self.line}"


class Dismissal(models.Model):
    """An identifier an editor said is not a dependency to track, with why; it stays dismissed in later scans."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="scan_dismissals"
    )
    kind = models.CharField(max_length=16, choices=Finding.Kind)
    # Stored normalised (apps.scanner.diff.identifier_key): the same model written in another case is the same.
    identifier = models.CharField(max_length=512)
    reason = models.CharField(max_length=240)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["identifier"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "identifier"], name="dismissal_unique_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.identifier} dismissed: {self.reason}"
