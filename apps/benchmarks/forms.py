import json

from django import forms
from django.core.exceptions import ValidationError

from apps.benchmarks.assertions import SUPPORTED_TYPES
from apps.benchmarks.models import Candidate, Case, Endpoint, Suite
from apps.benchmarks.ranking import Thresholds
from apps.benchmarks.secrets import ENV_KEY_PREFIX, env_name_allowed, granted_key_names, key_host
from apps.common import outbound

ASSERTION_TYPES = sorted(SUPPORTED_TYPES)
JSON_VALUE_TYPES = {"is-json", "contains-json", "not-is-json", "not-contains-json"}


class EndpointForm(forms.ModelForm):
    api_key = forms.CharField(
        label="API key",
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Stored encrypted, sent only to the host it was entered for, and never shown again. "
        "Leave empty to keep the current key.",
    )
    clear_key = forms.BooleanField(label="Remove the stored key", required=False)
    api_key_env = forms.CharField(
        label="…or use a server key granted to this organization", required=False, widget=forms.Select
    )

    class Meta:
        model = Endpoint
        fields = ["name", "base_url", "kind", "api_key", "api_key_env"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.granted = granted_key_names(self.instance.organization.slug)
        field = self.fields["api_key_env"]
        field.widget.choices = [("", "— none —"), *[(name, f"${name}") for name in self.granted]]
        field.help_text = (
            "Server-wide keys an operator granted to this organization."
            if self.granted
            else "No server key is granted to this organization (an operator grants them in "
            "RISKBOARD_ENDPOINT_KEY_GRANTS)."
        )
        # What the stored key is bound to, before this form changes the URL.
        self.stored_key_host = self.instance.api_key_host if self.instance.api_key_encrypted else None

    def clean_base_url(self):
        url = self.cleaned_data["base_url"]
        outbound.validate_public_url(url)
        return url

    def clean_api_key_env(self):
        name = self.cleaned_data["api_key_env"].strip().lstrip("$")
        if name and not env_name_allowed(name):
            raise ValidationError(
                f"Use a variable named {ENV_KEY_PREFIX}… (e.g. {ENV_KEY_PREFIX}OPENAI): only those are sent to endpoints."
            )
        if name and name not in self.granted:
            raise ValidationError(
                f"${name} is not granted to this organization. An operator grants server keys in "
                "RISKBOARD_ENDPOINT_KEY_GRANTS."
            )
        return name

    def clean(self):
        cleaned = super().clean()
        url = cleaned.get("base_url")
        moved = self.stored_key_host and url and key_host(url) != self.stored_key_host
        if moved and not (cleaned.get("api_key") or cleaned.get("clear_key") or cleaned.get("api_key_env")):
            self.add_error(
                "api_key",
                f"The address moved from {self.stored_key_host} to {key_host(url)}: the stored key is only "
                "sent to the host it was entered for. Enter the key for the new address, or tick "
                "“Remove the stored key”.",
            )
        return cleaned


class CandidateForm(forms.Form):
    endpoint = forms.ModelChoiceField(queryset=Endpoint.objects.none())
    identifier = forms.CharField(
        label="Model", max_length=200, help_text="The name the endpoint serves, e.g. qwen2.5:7b"
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["endpoint"].queryset = Endpoint.objects.filter(organization=organization)


class SuiteForm(forms.ModelForm):
    class Meta:
        model = Suite
        fields = ["name", "description", "workflows"]
        widgets = {
            "workflows": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "workflows": "The workflows these prompts stand for: their best alternative is shown on every run."
        }

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organization = organization
        self.fields["workflows"].queryset = organization.workflows.order_by("name")
        self.fields["workflows"].required = False


# A promptfoo config is a few kilobytes; this leaves room for thousands of tests.
MAX_SUITE_YAML_BYTES = 2 * 1024 * 1024


class SuiteImportForm(forms.Form):
    name = forms.CharField(max_length=160)
    file = forms.FileField(label="promptfooconfig.yaml", required=False)
    text = forms.CharField(
        label="…or paste the YAML",
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        max_length=MAX_SUITE_YAML_BYTES,
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload and upload.size > MAX_SUITE_YAML_BYTES:
            raise ValidationError(
                f"The file is larger than the {MAX_SUITE_YAML_BYTES:,} bytes a suite may have."
            )
        if upload:
            try:
                cleaned["yaml"] = upload.read().decode("utf-8")
            except UnicodeDecodeError as error:
                raise ValidationError("The file is not UTF-8 text.") from error
        elif cleaned.get("text"):
            cleaned["yaml"] = cleaned["text"]
        else:
            raise ValidationError("Upload a promptfooconfig.yaml or paste one.")
        return cleaned


class CaseForm(forms.ModelForm):
    vars = forms.JSONField(
        required=False,
        initial=dict,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text='e.g. {"topic": "free shipping"}',
    )

    class Meta:
        model = Case
        fields = ["key", "description", "prompt", "system_prompt", "vars", "reference_answer"]
        widgets = {
            "prompt": forms.Textarea(attrs={"rows": 4}),
            "system_prompt": forms.Textarea(attrs={"rows": 2}),
            "reference_answer": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_vars(self):
        value = self.cleaned_data.get("vars") or {}
        if not isinstance(value, dict):
            raise ValidationError("Variables are a JSON object of names and values.")
        return value


class AssertionRowForm(forms.Form):
    type = forms.ChoiceField(choices=[("", "—"), *[(name, name) for name in ASSERTION_TYPES]], required=False)
    value = forms.CharField(required=False, widget=forms.TextInput(attrs={"placeholder": "value"}))
    threshold = forms.FloatField(required=False)
    weight = forms.FloatField(required=False, min_value=0)

    def clean(self):
        cleaned = super().clean()
        kind, value = cleaned.get("type"), cleaned.get("value")
        if not kind:
            return cleaned
        if kind in JSON_VALUE_TYPES and value:
            try:
                cleaned["value"] = json.loads(value)
            except ValueError as error:
                raise ValidationError(f"{kind}: the value must be a JSON Schema (JSON).") from error
        return cleaned

    def as_assertion(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("type") or data.get("DELETE"):
            return None
        item = {"type": data["type"]}
        if data.get("value") not in (None, ""):
            item["value"] = data["value"]
        if data.get("threshold") is not None:
            item["threshold"] = data["threshold"]
        if data.get("weight") not in (None, 1.0):
            item["weight"] = data["weight"]
        return item


class BaseAssertionFormSet(forms.BaseFormSet):
    def assertions(self) -> list[dict]:
        """The filled-in rows as promptfoo-style assertion dicts (empty rows are ignored)."""
        return [item for row in self.forms if (item := row.as_assertion())]


AssertionFormSet = forms.formset_factory(
    AssertionRowForm, formset=BaseAssertionFormSet, extra=2, can_delete=True
)


def assertion_initial(assertions: list[dict]) -> list[dict]:
    rows = []
    for item in assertions:
        value = item.get("value")
        rows.append(
            {
                "type": item.get("type"),
                "value": json.dumps(value) if isinstance(value, dict | list) else value,
                "threshold": item.get("threshold"),
                "weight": item.get("weight"),
            }
        )
    return rows


class RunStartForm(forms.Form):
    candidates = forms.ModelMultipleChoiceField(
        queryset=Candidate.objects.none(), widget=forms.CheckboxSelectMultiple, label="Models to run"
    )
    concurrency = forms.IntegerField(
        min_value=1, max_value=64, initial=4, help_text="Requests in flight at once"
    )
    timeout_s = forms.FloatField(label="Timeout (s)", min_value=1, max_value=3600, initial=120)
    max_retries = forms.IntegerField(
        min_value=0, max_value=10, initial=3, help_text="On 429, 5xx and lost connections"
    )
    max_tokens = forms.IntegerField(min_value=1, required=False)
    embeddings_endpoint = forms.ModelChoiceField(
        queryset=Endpoint.objects.none(), required=False, help_text="For “similar” assertions"
    )
    embeddings_model = forms.CharField(max_length=200, required=False)
    judge = forms.ModelChoiceField(
        queryset=Candidate.objects.none(), required=False, help_text="Grades “llm-rubric” assertions"
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = Candidate.objects.filter(organization=organization).select_related("endpoint")
        self.fields["candidates"].queryset = candidates
        self.fields["judge"].queryset = candidates
        self.fields["embeddings_endpoint"].queryset = Endpoint.objects.filter(organization=organization)

    def run_settings(self) -> dict:
        data = self.cleaned_data
        settings = {
            key: data[key] for key in ("concurrency", "timeout_s", "max_retries") if data.get(key) is not None
        }
        if data.get("max_tokens"):
            settings["max_tokens"] = data["max_tokens"]
        if data.get("embeddings_endpoint") and data.get("embeddings_model"):
            settings["embeddings_endpoint_id"] = data["embeddings_endpoint"].pk
            settings["embeddings_model"] = data["embeddings_model"]
        if data.get("judge"):
            settings["judge_candidate_id"] = data["judge"].pk
        return settings


class ThresholdsForm(forms.Form):
    """The best-alternative thresholds, read from the query string so a comparison URL can be shared."""

    min_pass_rate = forms.FloatField(
        label="Min pass rate (%)", min_value=0, max_value=100, required=False, initial=80
    )
    max_latency = forms.FloatField(label="Max p95 latency (ms)", min_value=0, required=False)
    max_cost = forms.FloatField(label="Max cost per 1,000 requests ($)", min_value=0, required=False)
    self_hostable = forms.BooleanField(label="Self-hostable only", required=False)

    def thresholds(self) -> Thresholds:
        if not self.is_bound:
            return Thresholds()
        if not self.is_valid():
            return Thresholds()
        data = self.cleaned_data
        min_pass = data.get("min_pass_rate")
        return Thresholds(
            min_pass_rate=min_pass / 100 if min_pass is not None else None,
            max_latency_p95_ms=data.get("max_latency"),
            max_cost_per_1k=data.get("max_cost"),
            self_hostable_only=bool(data.get("self_hostable")),
        )


class RunSuiteForm(forms.Form):
    suite = forms.ModelChoiceField(queryset=Suite.objects.none(), required=False, empty_label="No suite")

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suite"].queryset = Suite.objects.filter(organization=organization)
