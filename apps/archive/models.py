"""Archives of the models an organization runs: where copies live, what was copied, and proof they are whole.

An `Artifact` is one thing pinned at one revision (a Hugging Face repository at a commit, or a workflow's
bundle of what the organization wrote itself); its `ArtifactFile` rows are the manifest (path, size,
sha256). A `Copy` is that artifact written to one `StorageLocation`; each re-hash leaves a
`Verification`. Only a verified copy checked recently enough counts as a mitigation (see policy.py).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse


def validate_location_url(value: str) -> None:
    from apps.archive.storage import LocationError, parse_location

    try:
        parse_location(value)
    except LocationError as error:
        raise ValidationError(str(error)) from error


class StorageLocation(models.Model):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="archive_locations"
    )
    name = models.CharField(max_length=80)
    url = models.CharField(
        max_length=500,
        validators=[validate_location_url],
        help_text="file:///absolute/path (a NAS mount) or s3://bucket/prefix",
    )
    marked_off_site = models.BooleanField(
        default=False,
        help_text="A file:// location on another site (an s3:// bucket always counts as off-site).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "url"], name="archive_location_unique_url_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def off_site(self) -> bool:
        return self.url.startswith("s3://") or self.marked_off_site

    @property
    def scheme(self) -> str:
        return self.url.split("://", 1)[0]


class RedundancyPolicy(models.Model):
    """How many verified copies an organization wants (absent row = the defaults)."""

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.CASCADE, related_name="archive_policy"
    )
    min_copies = models.PositiveSmallIntegerField(default=2)
    min_off_site = models.PositiveSmallIntegerField(default=1)
    max_age_days = models.PositiveSmallIntegerField(default=30)

    def __str__(self) -> str:
        return f"{self.min_copies} copies, {self.min_off_site} off-site, verified within {self.max_age_days} days"


class Artifact(models.Model):
    class Kind(models.TextChoices):
        MODEL = "model", "Model weights"
        ADAPTER = "adapter", "Adapter (LoRA)"
        BUNDLE = "bundle", "Workflow bundle"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="archive_artifacts"
    )
    kind = models.CharField(max_length=8, choices=Kind, default=Kind.MODEL)
    # `hf:OWNER/REPO` for a Hub repository; `bundle:<org>/workflow-<id>` for a workflow's bundle.
    source = models.CharField(max_length=300)
    revision = models.CharField(max_length=80)
    model = models.ForeignKey(
        "inventory.AIModel",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="archive_artifacts",
    )
    workflow = models.ForeignKey(
        "inventory.Workflow", null=True, blank=True, on_delete=models.CASCADE, related_name="archive_bundles"
    )
    license_id = models.CharField(max_length=80, blank=True)
    license_text = models.TextField(blank=True)
    model_card = models.TextField(blank=True)
    files_count = models.PositiveIntegerField(default=0)
    bytes_total = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "source", "revision"], name="archive_artifact_unique_revision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}@{self.revision[:12]}"

    def get_absolute_url(self) -> str:
        return reverse(
            "archive:artifact", kwargs={"org_slug": self.organization.slug, "artifact_id": self.pk}
        )

    @property
    def repo_id(self) -> str:
        return self.source.split(":", 1)[1]

    @property
    def repo_name(self) -> str:
        return self.repo_id.rsplit("/", 1)[-1]

    @property
    def relative_folder(self) -> str:
        """`<OWNER>/<REPO>/<revision>`: where the copy lives under a location."""
        return f"{self.repo_id}/{self.revision}"


class ArtifactFile(models.Model):
    artifact = models.ForeignKey(Artifact, on_delete=models.CASCADE, related_name="files")
    path = models.CharField(max_length=500)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True, help_text="Blank until the file was copied once.")

    class Meta:
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["artifact", "path"], name="archive_file_unique_path")]

    def __str__(self) -> str:
        return self.path


class Copy(models.Model):
    class Status(models.TextChoices):
        WRITING = "writing", "Being written"
        VERIFIED = "verified", "Verified"
        CORRUPTED = "corrupted", "Corrupted"
        MISSING = "missing", "Missing"

    artifact = models.ForeignKey(Artifact, on_delete=models.CASCADE, related_name="copies")
    location = models.ForeignKey(StorageLocation, on_delete=models.PROTECT, related_name="copies")
    status = models.CharField(max_length=10, choices=Status, default=Status.WRITING)
    # Files written and hashed so far: a crashed archive resumes after them.
    files_written = models.JSONField(default=list, blank=True)
    bad_files = models.JSONField(default=list, blank=True)
    last_verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["location__name", "id"]
        verbose_name_plural = "copies"
        constraints = [
            models.UniqueConstraint(fields=["artifact", "location"], name="archive_copy_unique_location")
        ]

    def __str__(self) -> str:
        return f"{self.artifact} at {self.location}"

    @property
    def url(self) -> str:
        return f"{self.location.url.rstrip('/')}/{self.artifact.relative_folder}/"


class Verification(models.Model):
    class Trigger(models.TextChoices):
        ARCHIVE = "archive", "After archiving"
        SCHEDULE = "schedule", "Schedule"
        MANUAL = "manual", "On demand"

    copy = models.ForeignKey(Copy, on_delete=models.CASCADE, related_name="verifications")
    status = models.CharField(max_length=10, choices=Copy.Status)
    bad_files = models.JSONField(default=list, blank=True)
    files_checked = models.PositiveIntegerField(default=0)
    bytes_checked = models.PositiveBigIntegerField(default=0)
    trigger = models.CharField(max_length=10, choices=Trigger)
    checked_at = models.DateTimeField()

    class Meta:
        ordering = ["-checked_at", "-id"]

    def __str__(self) -> str:
        return f"{self.copy}: {self.status}"


class ArchiveRun(models.Model):
    """One request to archive something into some locations, run by a Celery task (the job page follows it)."""

    MAX_DELIVERIES = 3

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    FINISHED = (Status.SUCCEEDED, Status.FAILED)

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="archive_runs"
    )
    source = models.CharField(max_length=300, help_text="hf:OWNER/REPO[@REVISION] or bundle:workflow-<id>")
    kind = models.CharField(max_length=8, choices=Artifact.Kind, default=Artifact.Kind.MODEL)
    locations = models.ManyToManyField(StorageLocation, related_name="runs")
    workflow = models.ForeignKey(
        "inventory.Workflow", null=True, blank=True, on_delete=models.SET_NULL, related_name="archive_runs"
    )
    include_bundle = models.BooleanField(default=False, help_text="Also archive the workflow's bundle.")
    artifact = models.ForeignKey(
        Artifact, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs"
    )
    bundle = models.ForeignKey(Artifact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    progress_done = models.PositiveBigIntegerField(default=0)  # bytes
    progress_total = models.PositiveBigIntegerField(default=0)
    current_file = models.CharField(max_length=500, blank=True)
    errors = models.JSONField(default=list, blank=True)
    deliveries = models.PositiveSmallIntegerField(default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Archive run #{self.pk} of {self.source}"

    def get_absolute_url(self) -> str:
        return reverse("archive:run", kwargs={"org_slug": self.organization.slug, "run_id": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(self.progress_done * 100 / self.progress_total))

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class BundleFile(models.Model):
    """Something the organization wrote itself for a workflow and wants archived with it."""

    class Kind(models.TextChoices):
        SERVING_CONFIG = "serving", "Serving config"
        FINE_TUNING_DATA = "fine-tuning", "Fine-tuning data"
        PROMPT = "prompts", "Prompt"

    MAX_BYTES = 50 * 1024 * 1024

    workflow = models.ForeignKey("inventory.Workflow", on_delete=models.CASCADE, related_name="archive_files")
    kind = models.CharField(max_length=12, choices=Kind)
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "filename"]
        constraints = [
            models.UniqueConstraint(
                fields=["workflow", "kind", "filename"], name="archive_bundle_file_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.filename}"
