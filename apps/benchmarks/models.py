"""Endpoints, suites of cases, candidates, runs and their results.

The database-free core (importers, runner, assertions, summary) works on the plain records of
``records.py``; these models persist them. Measurements are FloatFields on purpose: PostgreSQL's
double precision gives back exactly the Python float that was stored, so the summary of a stored
run (computed in decimal on ``repr`` of each value) equals the summary of the file it came from.
"""

from django.conf import settings as django_settings
from django.db import models
from django.urls import reverse

from apps.accounts.models import Organization
from apps.inventory.models import AIModel, Workflow


class Endpoint(models.Model):
    """An OpenAI-compatible server (Ollama, vLLM, LM Studio, a LiteLLM proxy, OpenAI, DashScope…)."""

    class Kind(models.TextChoices):
        OLLAMA = "ollama", "Ollama"
        VLLM = "vllm", "vLLM"
        LM_STUDIO = "lm-studio", "LM Studio"
        LITELLM = "litellm", "LiteLLM proxy"
        OPENAI = "openai", "OpenAI"
        DASHSCOPE = "dashscope", "DashScope (compatible mode)"
        OTHER = "other", "Other OpenAI-compatible"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="bench_endpoints")
    name = models.CharField(max_length=120)
    base_url = models.URLField(max_length=300, help_text="e.g. http://localhost:11434/v1")
    kind = models.CharField(max_length=12, choices=Kind, default=Kind.OTHER)
    # Fernet token of the key (apps/common/secrets.py); never rendered back.
    api_key_encrypted = models.TextField(blank=True, default="")
    # "host:port" the stored key was entered for: it is never sent anywhere else (benchmarks/secrets.py).
    api_key_host = models.CharField(max_length=300, blank=True, default="")
    api_key_env = models.CharField(
        max_length=120, blank=True, help_text="Name of an environment variable holding the key instead."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="bench_endpoint_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def key_status(self) -> str:
        """What a page may say about the key: never the key itself."""
        if self.api_key_env:
            return f"from ${self.api_key_env}"
        return "set" if self.api_key_encrypted else "none"


class Suite(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="bench_suites")
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    workflows = models.ManyToManyField(Workflow, blank=True, related_name="bench_suites")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="bench_suite_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("benchmarks:suite_detail", args=[self.organization.slug, self.pk])


class Case(models.Model):
    """One prompt of a suite; ``assertions`` is a list of promptfoo-style {type, value, threshold, weight}."""

    suite = models.ForeignKey(Suite, on_delete=models.CASCADE, related_name="cases")
    key = models.CharField(max_length=200, help_text="Stable name: results are keyed by it.")
    description = models.CharField(max_length=200, blank=True)
    prompt = models.TextField(help_text="Use {{name}} for variables.")
    system_prompt = models.TextField(blank=True)
    vars = models.JSONField(default=dict, blank=True)
    reference_answer = models.TextField(blank=True)
    assertions = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["suite", "key"], name="bench_case_unique_key")]

    def __str__(self) -> str:
        return self.key


class Candidate(models.Model):
    """A model to run: the name an endpoint serves it under, matched to the catalog when possible."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="bench_candidates")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="candidates")
    identifier = models.CharField(
        max_length=200, help_text="The model name the endpoint serves, e.g. qwen2.5:7b"
    )
    model = models.ForeignKey(AIModel, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["identifier"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "identifier"], name="bench_candidate_unique_model")
        ]

    def __str__(self) -> str:
        return f"{self.identifier} on {self.endpoint.name}"


class Run(models.Model):
    class Source(models.TextChoices):
        UI = "ui", "Run in the app"
        IMPORT = "import", "Imported (upload or API)"
        CLI = "cli", "Imported (command line)"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Finished"
        FAILED = "failed", "Stopped"

    FINISHED = (Status.SUCCEEDED, Status.FAILED)

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="bench_runs")
    suite = models.ForeignKey(Suite, on_delete=models.SET_NULL, null=True, blank=True, related_name="runs")
    name = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=8, choices=Source, default=Source.UI)
    source_format = models.CharField(max_length=12, blank=True, help_text="promptfoo, lm-eval, riskboard")
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    candidates = models.ManyToManyField(Candidate, blank=True, related_name="runs")
    settings = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    import_job = models.ForeignKey(
        "jobs.ImportJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="bench_runs"
    )
    payload_sha256 = models.CharField(max_length=64, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # The same results file imported twice is one run.
            models.UniqueConstraint(
                fields=["organization", "payload_sha256"],
                condition=~models.Q(payload_sha256=""),
                name="bench_run_unique_payload",
            )
        ]
        indexes = [models.Index(fields=["organization", "-created_at"], name="bench_run_org_recent")]

    def __str__(self) -> str:
        return self.name or f"Run {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("benchmarks:run_detail", args=[self.organization.slug, self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def progress_percent(self) -> int:
        return round(100 * self.progress_done / self.progress_total) if self.progress_total else 0


class Result(models.Model):
    """One case answered by one model. Null means the source did not say — never 0 for unknown."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="results")
    case_key = models.CharField(max_length=200)
    model_identifier = models.CharField(max_length=200)
    catalog_model = models.ForeignKey(
        AIModel, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    vendor = models.CharField(max_length=20, default="unknown")
    family = models.CharField(max_length=40, blank=True)
    provider = models.CharField(max_length=200, blank=True)
    case_label = models.CharField(max_length=300, blank=True)
    prompt = models.TextField(blank=True)
    passed = models.BooleanField(null=True)
    score = models.FloatField(null=True)
    latency_ms = models.FloatField(null=True)
    ttft_ms = models.FloatField(null=True)
    prompt_tokens = models.PositiveIntegerField(null=True)
    completion_tokens = models.PositiveIntegerField(null=True)
    tokens_per_s = models.FloatField(null=True)
    cost_usd = models.FloatField(null=True)
    attempts = models.PositiveSmallIntegerField(null=True)
    output = models.TextField(blank=True)
    error = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    assertion_details = models.JSONField(default=list, blank=True)
    metrics = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "case_key", "model_identifier"], name="bench_result_unique_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_key} × {self.model_identifier}"
