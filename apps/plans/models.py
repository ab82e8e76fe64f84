"""Migration plans (per workflow, with steps) and the model registry (aliases mapped per environment).

The registry is the abstraction layer of the article's third practice: a workflow points to an alias
(`WorkflowAlias`), an alias maps per environment to load-balanced deployments and ordered fallback
aliases, and a swap is a change of that mapping, recorded with who, when and why (`AliasChange`).
It reads and writes a LiteLLM proxy `config.yaml` (docs/contracts.md, "Model registry").
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

from apps.accounts.models import Organization
from apps.inventory.models import AIModel, Workflow

ALIAS_NAME_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$",
    "Use letters, digits and . _ : / - (no spaces), e.g. drafts or vision-analysis.",
)
ENVIRONMENT_VALIDATOR = RegexValidator(
    r"^[a-z][a-z0-9-]{0,29}$", "An environment is a short lower-case name, e.g. production or staging."
)
ENV_NAME_VALIDATOR = RegexValidator(
    r"^[A-Za-z_][A-Za-z0-9_]{0,119}$", "The name of an environment variable, e.g. OPENAI_API_KEY."
)
ENVIRONMENTS = ("production", "staging")


class MigrationPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    OPEN = (Status.DRAFT, Status.IN_PROGRESS)

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="migration_plans")
    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="migration_plans")
    target_model = models.ForeignKey(
        AIModel, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_identifier = models.CharField(
        max_length=200,
        help_text="The model string the registry will point to at cut-over, e.g. ollama/llama3.3:70b",
    )
    evidence = models.JSONField(null=True, blank=True, help_text="null when the target was chosen by hand")
    languages_served = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How many languages the workflow serves (for the evidence check)"
    )
    status = models.CharField(max_length=12, choices=Status, default=Status.DRAFT)
    notes = models.TextField(blank=True)
    start_date = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cut_over_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workflow"],
                condition=models.Q(status__in=["draft", "in_progress"]),
                name="plan_one_open_per_workflow",
            )
        ]

    def __str__(self) -> str:
        return f"Plan for {self.workflow}"

    def get_absolute_url(self) -> str:
        return reverse("plans:plan_detail", args=[self.organization.slug, self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def steps_finished(self) -> int:
        return sum(step.is_finished for step in self.steps.all())

    @property
    def target_name(self) -> str:
        return self.target_model.name if self.target_model_id else self.target_identifier


class PlanStep(models.Model):
    class Kind(models.TextChoices):
        ARCHIVE = "archive", "Archive"
        ALIAS = "alias", "Registry alias"
        PORT_AGENT = "port_agent", "Port agents"
        REWORK_PROMPTS = "rework_prompts", "Rework prompts"
        REVALIDATE = "revalidate", "Re-validate"
        SHADOW = "shadow", "Shadow run"
        CUTOVER = "cutover", "Cut-over"
        DECOMMISSION = "decommission", "Decommission"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        TODO = "todo", "To do"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        SKIPPED = "skipped", "Skipped"

    FINISHED = (Status.DONE, Status.SKIPPED)

    plan = models.ForeignKey(MigrationPlan, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, choices=Kind, default=Kind.OTHER)
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    duration_days = models.PositiveSmallIntegerField(default=1)
    owner = models.CharField(max_length=120, blank=True)
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status, default=Status.TODO)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "position"], name="plan_step_unique_position")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED


class RegistryAlias(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="registry_aliases")
    name = models.CharField(max_length=100, validators=[ALIAS_NAME_VALIDATOR])
    description = models.CharField(max_length=240, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "registry aliases"
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="registry_alias_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("plans:alias_detail", args=[self.organization.slug, self.pk])


class AliasDeployment(models.Model):
    """One `model_list` entry of an alias in one environment; several are load-balanced deployments."""

    alias = models.ForeignKey(RegistryAlias, on_delete=models.CASCADE, related_name="deployments")
    environment = models.CharField(max_length=30, validators=[ENVIRONMENT_VALIDATOR])
    position = models.PositiveSmallIntegerField(default=0)
    model = models.CharField(max_length=200, help_text="LiteLLM provider/model string")
    catalog_model = models.ForeignKey(
        AIModel, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    api_base = models.CharField(max_length=300, blank=True)
    api_version = models.CharField(max_length=60, blank=True)
    api_key_env = models.CharField(max_length=120, blank=True, validators=[ENV_NAME_VALIDATOR])
    rpm = models.PositiveIntegerField(null=True, blank=True)
    tpm = models.PositiveIntegerField(null=True, blank=True)
    # Other litellm_params (never a secret: the import refuses literal keys) and model_info, kept as read.
    extra_params = models.JSONField(default=dict, blank=True)
    model_info = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["environment", "position", "id"]

    def __str__(self) -> str:
        return f"{self.alias} → {self.model} ({self.environment})"


class AliasFallback(models.Model):
    alias = models.ForeignKey(RegistryAlias, on_delete=models.CASCADE, related_name="fallbacks")
    environment = models.CharField(max_length=30, validators=[ENVIRONMENT_VALIDATOR])
    position = models.PositiveSmallIntegerField(default=0)
    fallback = models.ForeignKey(RegistryAlias, on_delete=models.PROTECT, related_name="fallback_for")

    class Meta:
        ordering = ["environment", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["alias", "environment", "fallback"], name="alias_fallback_unique")
        ]

    def __str__(self) -> str:
        return f"{self.alias} ⇢ {self.fallback} ({self.environment})"


class AliasChange(models.Model):
    """A change of an alias's mapping in one environment: who, when, why, before and after."""

    class Source(models.TextChoices):
        UI = "ui", "Edited in the app"
        IMPORT = "import", "LiteLLM config import"
        CUTOVER = "cutover", "Plan cut-over"

    alias = models.ForeignKey(RegistryAlias, on_delete=models.CASCADE, related_name="changes")
    environment = models.CharField(max_length=30)
    source = models.CharField(max_length=8, choices=Source, default=Source.UI)
    reason = models.TextField(blank=True)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    plan = models.ForeignKey(
        MigrationPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="alias_changes"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.alias} ({self.environment}) changed {self.changed_at:%Y-%m-%d}"


class WorkflowAlias(models.Model):
    """The workflow calls the registry alias, not a model: its direct dependencies follow the mapping."""

    workflow = models.OneToOneField(Workflow, on_delete=models.CASCADE, related_name="registry_link")
    alias = models.ForeignKey(RegistryAlias, on_delete=models.PROTECT, related_name="workflow_links")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.workflow} → {self.alias}"
