from django import forms
from django.conf import settings

from apps.jobs.kinds import INGEST_KINDS
from apps.jobs.models import ImportJob


def kind_help() -> dict[str, str]:
    """What each registered kind accepts (declared with the kind, apps/jobs/kinds.py)."""
    return {kind: INGEST_KINDS[kind].help for kind in ImportJob.Kind.values if kind in INGEST_KINDS}


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
