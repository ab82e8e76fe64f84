from datetime import UTC, datetime, time

from django import forms
from django.utils import timezone

from apps.accounts.models import Membership
from apps.common import outbound
from apps.common.vocab import SEVERITY_CHOICES, SIGNAL_KIND_CHOICES
from apps.inventory.models import Vendor
from apps.watch.models import AlertRule, Source
from apps.watch.sources import InvalidSourceSpec, parse_spec


class SourceForm(forms.Form):
    spec = forms.CharField(
        label="Source",
        max_length=500,
        help_text="hf:ORG, github:OWNER/REPO, feed:https://… or prices:URL-or-path",
        widget=forms.TextInput(attrs={"placeholder": "hf:Qwen"}),
    )
    poll_interval_minutes = forms.IntegerField(
        label="Poll every (minutes)", min_value=15, max_value=7 * 24 * 60, initial=360
    )

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization

    def clean_spec(self) -> str:
        try:
            spec = str(parse_spec(self.cleaned_data["spec"]))
        except InvalidSourceSpec as error:
            raise forms.ValidationError(str(error)) from error
        if spec.startswith("prices:") and not spec.startswith(("prices:http://", "prices:https://")):
            # A path names a file on the server: only an operator may point at one, with the command.
            raise forms.ValidationError("From the web, a price map must be an http(s) URL.")
        kind, _, target = spec.partition(":")
        if kind in ("feed", "prices") and (problem := outbound.url_problem(target)):
            raise forms.ValidationError(problem)
        if Source.objects.filter(organization=self.organization, spec=spec).exists():
            raise forms.ValidationError("This source is already watched.")
        return spec


class SignalForm(forms.Form):
    kind = forms.ChoiceField(choices=SIGNAL_KIND_CHOICES, initial="leadership_change")
    vendor = forms.ModelChoiceField(queryset=Vendor.objects.all(), to_field_name="slug")
    subject = forms.CharField(max_length=300, help_text="What it is about: a model, a person, a product.")
    severity = forms.ChoiceField(choices=SEVERITY_CHOICES, initial="warning")
    observed_on = forms.DateField(
        label="Observed on", widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    url = forms.URLField(label="Link", required=False, assume_scheme="https")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("observed_on"):
            # A day read about: noon UTC, so it stays on that date in every time zone the team is in.
            cleaned["observed_at"] = datetime.combine(cleaned["observed_on"], time(12), tzinfo=UTC)
        return cleaned


class AlertRuleForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        choices=SIGNAL_KIND_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every kind.",
    )
    email_roles = forms.MultipleChoiceField(
        choices=Membership.Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Email members with role",
    )
    rotate_secret = forms.BooleanField(
        required=False, label="Generate a new webhook secret", help_text="The old one stops working."
    )

    class Meta:
        model = AlertRule
        fields = [
            "name",
            "enabled",
            "kinds",
            "min_severity",
            "vendor",
            "notify_inbox",
            "notify_email",
            "email_recipients",
            "email_roles",
            "notify_webhook",
            "webhook_url",
            "delivery",
        ]
        widgets = {"email_recipients": forms.Textarea(attrs={"rows": 2})}
        labels = {"min_severity": "At least", "vendor": "Only about vendor"}

    def clean_webhook_url(self) -> str:
        url = self.cleaned_data.get("webhook_url", "")
        if url:
            outbound.validate_public_url(url)
        return url
