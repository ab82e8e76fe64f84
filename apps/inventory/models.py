from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from apps.accounts.models import Client, Organization
from apps.common.vendors import VENDOR_SLUGS


class RiskLevel(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


# Order of the levels, for "the worst of" and "raises above" comparisons.
RISK_RANK = {RiskLevel.LOW: 0, RiskLevel.MEDIUM: 1, RiskLevel.HIGH: 2}


class Vendor(models.Model):
    """A maker of models. Shared by every organization; its risk level moves with monitoring signals."""

    class RiskSource(models.TextChoices):
        MANUAL = "manual", "Set by an admin"
        SIGNALS = "signals", "Moved by monitoring signals"

    slug = models.SlugField(max_length=20, unique=True, choices=[(slug, slug) for slug in VENDOR_SLUGS])
    name = models.CharField(max_length=80)
    risk_level = models.CharField(max_length=6, choices=RiskLevel, default=RiskLevel.MEDIUM)
    risk_reason = models.TextField(blank=True)
    risk_source = models.CharField(max_length=8, choices=RiskSource, default=RiskSource.MANUAL)
    risk_updated_at = models.DateTimeField(null=True, blank=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AIModel(models.Model):
    """A model (or a family member) in the catalog, e.g. Qwen3-8B or gpt-4o-mini."""

    class Modality(models.TextChoices):
        TEXT = "text", "Text"
        VISION = "vision", "Vision"
        AUDIO = "audio", "Audio"
        IMAGE_GENERATION = "image-generation", "Image generation"
        EMBEDDING = "embedding", "Embedding"
        CODE = "code", "Code"
        TRANSLATION = "translation", "Translation"

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="models")
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    family = models.CharField(max_length=40, help_text="e.g. qwen, llama, mistral, gpt, claude")
    license = models.CharField(
        max_length=60, help_text="SPDX id (apache-2.0, mit, llama3.1 …) or 'proprietary'"
    )
    open_weights = models.BooleanField(default=False)
    self_hostable = models.BooleanField(default=False)
    parameter_sizes = models.CharField(max_length=120, blank=True, help_text="e.g. '8B' or '235B-A22B'")
    modalities = models.JSONField(default=list, blank=True)
    languages_supported = models.PositiveIntegerField(null=True, blank=True)
    release_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["vendor__name", "name"]
        verbose_name = "AI model"

    def __str__(self) -> str:
        return self.name

    @property
    def is_api_only(self) -> bool:
        return not self.open_weights


class ModelAlias(models.Model):
    """A name that points at a catalog model: a Hugging Face id, an Ollama tag, an API name …"""

    class Kind(models.TextChoices):
        HUGGING_FACE = "hf", "Hugging Face id"
        OLLAMA = "ollama", "Ollama tag"
        API = "api", "API model name"
        LITELLM = "litellm", "LiteLLM string"
        OTHER = "other", "Other"

    model = models.ForeignKey(AIModel, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=160, unique=True, help_text="Stored normalised (lower case).")
    kind = models.CharField(max_length=8, choices=Kind, default=Kind.OTHER)

    class Meta:
        ordering = ["alias"]
        verbose_name_plural = "model aliases"

    def __str__(self) -> str:
        return self.alias


class Tool(models.Model):
    """A third-party tool (SaaS, wrapper) an organization uses, with the models it runs underneath."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="tools")
    name = models.CharField(max_length=120)
    website = models.URLField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="tool_unique_name_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class ToolModel(models.Model):
    class Certainty(models.TextChoices):
        KNOWN = "known", "Known"
        SUSPECTED = "suspected", "Suspected"

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="tool_models")
    model = models.ForeignKey(AIModel, on_delete=models.CASCADE, related_name="tool_links")
    certainty = models.CharField(max_length=10, choices=Certainty, default=Certainty.SUSPECTED)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tool", "model"], name="toolmodel_unique")]

    def __str__(self) -> str:
        return f"{self.tool} uses {self.model} ({self.certainty})"


class Workflow(models.Model):
    class Category(models.TextChoices):
        CONTENT = "content", "Content"
        TRANSLATION = "translation", "Translation"
        VISION = "vision", "Vision"
        AGENT = "agent", "Agent"
        CODE = "code", "Code"
        EDGE = "edge", "Edge"
        OTHER = "other", "Other"

    class Deployment(models.TextChoices):
        SELF_HOSTED = "self-hosted", "Self-hosted"
        CLOUD_API = "cloud-api", "Cloud API"
        EDGE = "edge", "Edge"
        VIA_TOOL = "via-tool", "Via a tool"

    class Sensitivity(models.TextChoices):
        PUBLIC = "public", "Public"
        INTERNAL = "internal", "Internal"
        CONFIDENTIAL = "confidential", "Confidential"
        REGULATED = "regulated", "Regulated (must stay local)"

    SWITCHING_SCALE = {
        1: "Trivial: change a setting, prompts carry over",
        2: "Easy: a day of prompt tuning and checks",
        3: "Moderate: a week of rework and re-validation",
        4: "Hard: weeks; fine-tunes, formats or tooling are model-specific",
        5: "Very hard: a migration project of a month or more",
    }

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="workflows")
    client = models.ForeignKey(
        Client, on_delete=models.SET_NULL, null=True, blank=True, related_name="workflows"
    )
    name = models.CharField(max_length=160)
    team = models.CharField(max_length=80, blank=True)
    owner = models.CharField(max_length=120, blank=True)
    category = models.CharField(max_length=12, choices=Category, default=Category.CONTENT)
    deployment = models.CharField(max_length=12, choices=Deployment, default=Deployment.SELF_HOSTED)
    criticality = models.CharField(max_length=6, choices=RiskLevel, default=RiskLevel.MEDIUM)
    switching_difficulty = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 = trivial … 5 = a month-long migration",
    )
    monthly_volume = models.PositiveIntegerField(
        null=True, blank=True, help_text="Requests, words or images a month"
    )
    volume_unit = models.CharField(max_length=30, blank=True, help_text="e.g. words, images, requests")
    monthly_cost = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="USD"
    )
    data_sensitivity = models.CharField(max_length=12, choices=Sensitivity, default=Sensitivity.INTERNAL)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Kept current by apps.exposure.services.exposure_refresh so lists sort and filter in SQL.
    exposure_score = models.FloatField(default=0)
    exposure_band = models.CharField(max_length=6, choices=RiskLevel, default=RiskLevel.LOW)
    exposure_factors = models.JSONField(default=list, blank=True)
    exposure_updated_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(
        excluded_fields=[
            "exposure_score",
            "exposure_band",
            "exposure_factors",
            "exposure_updated_at",
            "updated_at",
        ]
    )

    class Meta:
        ordering = ["-exposure_score", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="workflow_unique_name_per_org"),
        ]
        indexes = [
            models.Index(fields=["organization", "-exposure_score"], name="workflow_org_exposure"),
            models.Index(fields=["organization", "exposure_band"], name="workflow_org_band"),
            # The budget's workflows by spend (top N of thousands) and the list's team filter options.
            models.Index(fields=["organization", "-monthly_cost", "name"], name="workflow_org_cost"),
            models.Index(fields=["organization", "team"], name="workflow_org_team"),
            # Workflows without a cost (next actions, the budget's list): few rows, read without a scan.
            models.Index(
                fields=["organization"],
                condition=models.Q(monthly_cost__isnull=True),
                name="workflow_org_missing_cost",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "inventory:workflow_detail", kwargs={"org_slug": self.organization.slug, "workflow_id": self.pk}
        )

    def clean(self) -> None:
        if self.client_id and self.client.organization_id != self.organization_id:
            raise ValidationError({"client": "This client belongs to another organization."})

    @property
    def switching_difficulty_label(self) -> str:
        return self.SWITCHING_SCALE.get(self.switching_difficulty, "")


class Dependency(models.Model):
    """A workflow relies on a model, directly or through a tool, as its primary or a fallback."""

    class Role(models.TextChoices):
        PRIMARY = "primary", "Primary"
        FALLBACK = "fallback", "Fallback"

    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="dependencies")
    model = models.ForeignKey(
        AIModel, on_delete=models.PROTECT, null=True, blank=True, related_name="dependencies"
    )
    declared_model = models.CharField(
        max_length=160,
        help_text="The model as the user or the spreadsheet named it; kept when it matches nothing.",
    )
    via_tool = models.ForeignKey(
        Tool, on_delete=models.PROTECT, null=True, blank=True, related_name="dependencies"
    )
    role = models.CharField(max_length=8, choices=Role, default=Role.PRIMARY)
    notes = models.CharField(max_length=240, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-role", "declared_model"]  # primary before fallback
        verbose_name_plural = "dependencies"
        constraints = [
            # Natural key for imports: one row per model, tool and role (NULL tool = direct).
            models.UniqueConstraint(
                fields=["workflow", "declared_model", "role"],
                condition=models.Q(via_tool__isnull=True),
                name="dependency_unique_direct",
            ),
            models.UniqueConstraint(
                fields=["workflow", "declared_model", "via_tool", "role"],
                condition=models.Q(via_tool__isnull=False),
                name="dependency_unique_via_tool",
            ),
        ]

    def __str__(self) -> str:
        via = f" via {self.via_tool}" if self.via_tool_id else ""
        return f"{self.workflow} → {self.model or self.declared_model}{via}"

    def clean(self) -> None:
        if self.via_tool_id and self.via_tool.organization_id != self.workflow.organization_id:
            raise ValidationError({"via_tool": "This tool belongs to another organization."})

    @property
    def is_direct(self) -> bool:
        return self.via_tool_id is None

    @property
    def needs_review(self) -> bool:
        """A model name that matched nothing in the catalog: kept, and flagged for someone to map."""
        return self.model_id is None


class OrganizationVendorRisk(models.Model):
    """What one organization's own monitoring signals say about a vendor.

    The catalog's level (`Vendor.risk_level`) is shared and set by staff; signals only ever raise the
    level *for the organization that received them*, so no tenant can move another tenant's exposure.
    Effective risk for an organization = the higher of the two.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="vendor_risks")
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="organization_risks")
    risk_level = models.CharField(max_length=6, choices=RiskLevel)
    reason = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "vendor"], name="organization_vendor_risk_unique")
        ]

    def __str__(self) -> str:
        return f"{self.vendor} for {self.organization}: {self.risk_level}"
