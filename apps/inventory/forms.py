from django import forms

from apps.accounts.models import Organization
from apps.inventory.models import AIModel, Dependency, Tool, ToolModel, Workflow
from apps.inventory.services import DependencySpec

DEPENDENCY_PREFIX = "deps"


class WorkflowForm(forms.ModelForm):
    switching_difficulty = forms.TypedChoiceField(
        coerce=int,
        choices=[(level, f"{level} · {label}") for level, label in Workflow.SWITCHING_SCALE.items()],
        initial=3,
        label="Switching difficulty",
        help_text="How long you would be stuck if you had to move off this model.",
    )

    class Meta:
        model = Workflow
        fields = [
            "name",
            "client",
            "team",
            "owner",
            "category",
            "deployment",
            "criticality",
            "switching_difficulty",
            "data_sensitivity",
            "monthly_volume",
            "volume_unit",
            "monthly_cost",
            "notes",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "monthly_cost": forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
        }
        labels = {"monthly_cost": "Monthly cost (USD)", "volume_unit": "Volume unit"}

    def __init__(self, *args, organization: Organization, validate_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organization = organization
        if validate_url:
            # Inline validation: a changed field posts the whole form and gets back its own fragment.
            for field in self.fields.values():
                field.widget.attrs.update(
                    {
                        "hx-post": validate_url,
                        "hx-trigger": "change",
                        "hx-include": "#workflow-form",
                        "hx-target": "closest .field",
                        "hx-swap": "outerHTML",
                    }
                )
        if organization.is_agency:
            self.fields["client"].queryset = organization.clients.all()
            self.fields["client"].empty_label = "No client (internal)"
        else:
            del self.fields["client"]
        self.fields["team"].widget.attrs["placeholder"] = "e.g. Content, Growth, Localisation"
        self.fields["monthly_volume"].widget.attrs["placeholder"] = "e.g. 200000"
        self.fields["volume_unit"].widget.attrs["placeholder"] = "words, images, requests…"

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Workflow.objects.filter(organization=self.instance.organization, name__iexact=name)
        if clash.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(f"A workflow named “{name}” already exists here.")
        return name


class DependencyForm(forms.Form):
    declared_model = forms.CharField(
        label="Model",
        max_length=160,
        help_text="A catalog name or any alias: Hugging Face id, Ollama tag, API name.",
        widget=forms.TextInput(
            attrs={
                "list": "catalog-models",
                "autocomplete": "off",
                "placeholder": "Start typing: qwen, llama3.2, gpt-4o…",
            }
        ),
    )
    via_tool = forms.ModelChoiceField(
        queryset=Tool.objects.none(), required=False, label="Through tool", empty_label="Direct (no tool)"
    )
    role = forms.ChoiceField(choices=Dependency.Role.choices, initial=Dependency.Role.PRIMARY)

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["via_tool"].queryset = Tool.objects.filter(organization=organization)

    def to_spec(self) -> DependencySpec:
        data = self.cleaned_data
        return DependencySpec(
            declared_model=data["declared_model"].strip(), via_tool=data["via_tool"], role=data["role"]
        )


class BaseDependencyFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form) or not form.cleaned_data:
                continue
            key = form.to_spec().key
            if key in seen:
                form.add_error("declared_model", "This dependency is listed twice.")
            seen.add(key)

    def specs(self) -> list[DependencySpec]:
        return [
            form.to_spec()
            for form in self.forms
            if form.cleaned_data and not (self.can_delete and self._should_delete_form(form))
        ]


DependencyFormSet = forms.formset_factory(
    DependencyForm, formset=BaseDependencyFormSet, extra=0, can_delete=True
)


def dependency_formset(*, organization: Organization, data=None, initial=None) -> BaseDependencyFormSet:
    return DependencyFormSet(
        data, initial=initial, prefix=DEPENDENCY_PREFIX, form_kwargs={"organization": organization}
    )


def dependency_initial(workflow: Workflow) -> list[dict]:
    return [
        {
            "declared_model": dependency.declared_model,
            "via_tool": dependency.via_tool,
            "role": dependency.role,
        }
        for dependency in workflow.dependencies.all()
    ]


class ToolForm(forms.Form):
    name = forms.CharField(max_length=120)
    website = forms.URLField(required=False)
    known_models = forms.ModelMultipleChoiceField(
        queryset=AIModel.objects.select_related("vendor"),
        required=False,
        help_text="Models the vendor says the tool uses.",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    suspected_models = forms.ModelMultipleChoiceField(
        queryset=AIModel.objects.select_related("vendor"),
        required=False,
        help_text="Models you believe it uses underneath (e.g. from its outputs or its docs).",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def model_links(self) -> list[tuple[AIModel, str]]:
        known = [(model, ToolModel.Certainty.KNOWN) for model in self.cleaned_data["known_models"]]
        known_ids = {model.id for model, _ in known}
        suspected = [
            (model, ToolModel.Certainty.SUSPECTED)
            for model in self.cleaned_data["suspected_models"]
            if model.id not in known_ids
        ]
        return known + suspected


class InventoryUploadForm(forms.Form):
    file = forms.FileField(
        help_text="CSV or XLSX. The minimum is four columns: workflow, model, criticality, "
        "switching difficulty."
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Upload a .csv or .xlsx file.")
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(
                "The sheet is larger than 5 MB; split it or use the import_inventory command."
            )
        return upload
