from django import forms
from django.conf import settings

from apps.accounts.models import Organization
from apps.inventory.models import Dependency
from apps.scanner.models import Finding
from apps.scanner.selectors import workflows_for_linking

ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz", ".tar", ".tar.bz2", ".tar.xz")


class ScanUploadForm(forms.Form):
    archive = forms.FileField(
        label="Repository archive",
        help_text="A .zip or .tar.gz of the repository. It is unpacked safely on the server and scanned.",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,.tar.gz,.tgz,.tar"}),
    )

    def clean_archive(self):
        upload = self.cleaned_data["archive"]
        if not upload.name.lower().endswith(ARCHIVE_SUFFIXES):
            raise forms.ValidationError("Upload a .zip or .tar.gz archive of the repository.")
        limit = settings.RISKBOARD_MAX_PAYLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The archive is larger than the {limit:,} bytes this server accepts."
            )
        return upload


class FindingLinkForm(forms.Form):
    workflow = forms.ModelChoiceField(queryset=None, empty_label="Choose a workflow…")
    role = forms.ChoiceField(choices=Dependency.Role.choices, initial=Dependency.Role.PRIMARY)

    def __init__(self, *args, organization: Organization, finding: Finding | None = None, **kwargs):
        prefix = f"link-{finding.pk}" if finding is not None else None
        super().__init__(*args, prefix=prefix, **kwargs)
        self.fields["workflow"].queryset = workflows_for_linking(organization=organization)


class FindingDismissForm(forms.Form):
    reason = forms.CharField(
        max_length=240,
        help_text="Why this is not a dependency to track (e.g. a test fixture, a docs example).",
    )

    def __init__(self, *args, finding: Finding | None = None, **kwargs):
        prefix = f"dismiss-{finding.pk}" if finding is not None else None
        super().__init__(*args, prefix=prefix, **kwargs)
