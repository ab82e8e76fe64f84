import json
from datetime import timedelta

from django import forms
from django.utils import timezone

from apps.inventory.models import AIModel
from apps.policies import evaluation
from apps.policies.models import ModelApproval, OrganizationPolicy, RiskTreatment


class PolicyForm(forms.ModelForm):
    conditions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10, "class": "code", "spellcheck": "false"}),
        help_text='JSON: {"all": [...]}, {"any": [...]}, {"not": …} or {"fact": …, "op": …, "value": …}.',
    )

    class Meta:
        model = OrganizationPolicy
        fields = ["name", "key", "severity", "enabled", "description", "conditions"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"key": "Short id used in scan reports and SARIF, e.g. no-regulated-on-cloud."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["conditions"] = json.dumps(self.instance.conditions, indent=2)

    def clean_conditions(self):
        text = self.cleaned_data["conditions"]
        try:
            condition = json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                f"Not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})."
            ) from error
        try:
            evaluation.validate_condition(condition, "conditions")
        except evaluation.ConditionError as error:
            raise forms.ValidationError(str(error)) from error
        return condition

    def clean_key(self):
        key = self.cleaned_data["key"]
        clash = OrganizationPolicy.objects.filter(organization=self.instance.organization, key=key)
        if clash.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Another policy of this organization has this key.")
        return key


class ModelApprovalForm(forms.Form):
    model = forms.ModelChoiceField(
        queryset=AIModel.objects.select_related("vendor").order_by("vendor__name", "name")
    )
    status = forms.ChoiceField(choices=ModelApproval.Status.choices)
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when blocking or restricting.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].label_from_instance = lambda model: f"{model.name} · {model.vendor.name}"


class RiskTreatmentForm(forms.Form):
    treatment = forms.ChoiceField(choices=RiskTreatment.Treatment.choices, widget=forms.RadioSelect)
    justification = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    days = forms.TypedChoiceField(
        coerce=int,
        choices=[(30, "30 days"), (60, "60 days"), (90, "90 days"), (180, "180 days"), (365, "A year")],
        initial=30,
        required=False,
        label="Accept for",
        help_text="Only for an accepted risk: when it lapses the risk reopens and alerts.",
    )

    def __init__(self, *args, can_accept: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_accept:
            self.fields["treatment"].choices = [
                choice
                for choice in RiskTreatment.Treatment.choices
                if choice[0] != RiskTreatment.Treatment.ACCEPT
            ]
            del self.fields["days"]

    def expires_at(self):
        if self.cleaned_data.get("treatment") != RiskTreatment.Treatment.ACCEPT:
            return None
        days = self.cleaned_data.get("days") or 30
        return timezone.now() + timedelta(days=days)
