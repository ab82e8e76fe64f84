from django import forms
from django.conf import settings

from apps.jobs.models import ImportJob

KIND_HELP = {
    "scan": "The JSON from `manage.py scan PATH --json` (riskboard.scan/1).",
    "bench": "riskboard.bench/1, a promptfoo `-o results.json` export or an lm-eval results_*.json file.",
    "signals": "The JSON from `manage.py watch --json` (riskboard.signals/1).",
    "inventory": "The inventory sheet (CSV or XLSX), or riskboard.inventory/1 JSON.",
}


class JobUploadForm(forms.Form):
    kind = forms.ChoiceField(choices=ImportJob.Kind.choices)
    file = forms.FileField(help_text="The same file twice is imported once.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.RISKBOARD_MAX_PAYLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"The file is larger than the {limit:,} bytes this server accepts.")
        return upload


class JobFilterForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "All kinds"), *ImportJob.Kind.choices], required=False)
    status = forms.ChoiceField(choices=[("", "Any status"), *ImportJob.Status.choices], required=False)
