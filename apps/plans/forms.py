from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils import timezone

from apps.inventory.models import AIModel, Workflow
from apps.plans.models import (
    ALIAS_NAME_VALIDATOR,
    ENV_NAME_VALIDATOR,
    ENVIRONMENTS,
    PlanStep,
    RegistryAlias,
)
from apps.plans.selectors import TargetOptions, manual_target_models

MANUAL = "manual"


def default_identifier(model: AIModel) -> str:
    """The name the registry would use for a catalog model: an Ollama tag or Hugging Face id, else the slug."""
    aliases = {alias.kind: alias.alias for alias in model.aliases.all()}
    return (
        aliases.get("ollama")
        or aliases.get("litellm")
        or aliases.get("hf")
        or aliases.get("api")
        or model.slug
    )


class PlanCreateForm(forms.Form):
    option = forms.ChoiceField(label="Target", widget=forms.RadioSelect)
    manual_model = forms.ModelChoiceField(
        queryset=AIModel.objects.none(), required=False, label="Or pick a model by hand"
    )
    target_identifier = forms.CharField(
        max_length=200,
        required=False,
        label="Model string for the registry",
        help_text="What the alias will point to at cut-over, e.g. ollama/llama3.3:70b. Empty: the benchmarked "
        "identifier or the catalog's name.",
    )
    languages_served = forms.IntegerField(
        min_value=1, max_value=250, required=False, help_text="How many languages the workflow serves."
    )
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, workflow: Workflow, options: TargetOptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.workflow = workflow
        self.options = {f"run-{o.run.pk}-{o.standing.identifier}": o for o in options.eligible}
        self.fields["option"].choices = [
            (key, f"{o.standing.name} — pass {o.standing.pass_rate:.0%} on {o.suite_name} (run {o.run.pk})")
            for key, o in self.options.items()
        ] + [(MANUAL, "Choose by hand")]
        self.fields["manual_model"].queryset = manual_target_models(workflow=workflow).prefetch_related(
            "aliases"
        )
        if options.must_stay_local:
            self.fields[
                "manual_model"
            ].help_text = "Self-hostable models only: this workflow's data must stay local."
        self.fields["start_date"].initial = timezone.localdate()
        if not self.is_bound:
            self.fields["option"].initial = next(iter(self.options), MANUAL)

    def clean(self):
        data = super().clean()
        choice = data.get("option")
        identifier = (data.get("target_identifier") or "").strip()
        if choice == MANUAL:
            model = data.get("manual_model")
            if model is None and not identifier:
                self.add_error(
                    "manual_model", "Pick a model, or name one in “Model string for the registry”."
                )
                return data
            data["target_model"] = model
            data["evidence"] = None
            data["target_identifier"] = identifier or default_identifier(model)
        elif choice in self.options:
            option = self.options[choice]
            data["target_model"] = (
                AIModel.objects.get(pk=option.standing.catalog_model_id)
                if option.standing.catalog_model_id
                else None
            )
            data["evidence"] = option.evidence
            data["target_identifier"] = identifier or option.standing.identifier
        return data


class StepForm(forms.Form):
    """A step's owner, due date and status (a plain form: the service decides what may change)."""

    owner = forms.CharField(max_length=120, required=False)
    due = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(choices=PlanStep.Status.choices)

    @classmethod
    def for_step(cls, step: PlanStep, data=None) -> "StepForm":
        return cls(
            data,
            initial={"owner": step.owner, "due": step.due, "status": step.status},
            prefix=f"step-{step.pk}",
        )


class AliasForm(forms.Form):
    name = forms.CharField(max_length=100, validators=[ALIAS_NAME_VALIDATOR], help_text="e.g. drafts")
    description = forms.CharField(max_length=240, required=False)


class DeploymentForm(forms.Form):
    model = forms.CharField(
        max_length=200, label="Model", help_text="LiteLLM string, e.g. ollama/llama3.3:70b"
    )
    api_base = forms.CharField(max_length=300, required=False, label="API base")
    api_version = forms.CharField(max_length=60, required=False, label="API version")
    api_key_env = forms.CharField(
        max_length=120,
        required=False,
        validators=[ENV_NAME_VALIDATOR],
        label="Key from environment variable",
        help_text="Only the variable's name: exported as os.environ/NAME. Never paste a key here.",
    )
    rpm = forms.IntegerField(min_value=0, required=False, label="RPM")
    tpm = forms.IntegerField(min_value=0, required=False, label="TPM")


DeploymentFormSet = formset_factory(DeploymentForm, extra=1, can_delete=True, max_num=20, validate_max=True)


class MappingForm(forms.Form):
    environment = forms.ChoiceField(choices=[(env, env.capitalize()) for env in ENVIRONMENTS])
    fallbacks = forms.CharField(
        required=False,
        max_length=500,
        label="Fallback aliases, in order",
        help_text="Comma-separated alias names, e.g. drafts-fallback",
    )
    reason = forms.CharField(
        max_length=500, label="Why", help_text="Kept in the alias's history with your name and the time."
    )

    def __init__(self, *args, alias: RegistryAlias, **kwargs):
        super().__init__(*args, **kwargs)
        self.alias = alias

    def clean_fallbacks(self) -> list[RegistryAlias]:
        names = [
            name.strip() for name in (self.cleaned_data.get("fallbacks") or "").split(",") if name.strip()
        ]
        found = {
            alias.name: alias
            for alias in RegistryAlias.objects.filter(organization=self.alias.organization, name__in=names)
        }
        missing = [name for name in names if name not in found]
        if missing:
            raise ValidationError(f"No alias named {', '.join(missing)} in this organization.")
        if self.alias.name in names:
            raise ValidationError("An alias cannot fall back on itself.")
        return [found[name] for name in names]


class RegistryImportForm(forms.Form):
    file = forms.FileField(label="LiteLLM config.yaml")
    environment = forms.ChoiceField(choices=[(env, env.capitalize()) for env in ENVIRONMENTS])
    reason = forms.CharField(max_length=500, required=False, label="Why")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise ValidationError("A LiteLLM config larger than 2 MB is not a config.")
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError("The file is not UTF-8 text.") from None


class WorkflowAliasForm(forms.Form):
    alias = forms.ModelChoiceField(
        queryset=RegistryAlias.objects.none(), required=False, label="Existing alias"
    )
    new_alias_name = forms.CharField(
        max_length=100,
        required=False,
        validators=[ALIAS_NAME_VALIDATOR],
        label="Or a new alias",
        help_text="Empty: named after the workflow, mapped to the models it uses today.",
    )

    def __init__(self, *args, workflow: Workflow, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alias"].queryset = RegistryAlias.objects.filter(organization=workflow.organization)
