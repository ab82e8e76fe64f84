from django.db import models


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
    files_scanned = models.PositiveIntegerField(default=0)
    files_skipped = models.PositiveIntegerField(default=0)
    finding_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Scan of {self.root or 'a tree'} ({self.finding_count} findings)"


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

    class Meta:
        ordering = ["path", "line"]
        constraints = [
            models.UniqueConstraint(
                fields=["scan", "path", "line", "kind", "identifier"], name="finding_natural_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.identifier} at {self.path}:{self.line}"
