from django import forms

from apps.accounts.models import Organization
from apps.archive.hub import SourceError, parse_source
from apps.archive.models import BundleFile, RedundancyPolicy, StorageLocation
from apps.archive.storage import LocationError, parse_location


class ArchiveStartForm(forms.Form):
    source = forms.CharField(
        label="Hugging Face repository",
        max_length=300,
        required=False,
        help_text="hf:OWNER/REPO, optionally @REVISION (a branch, tag or commit); the commit is recorded.",
    )
    locations = forms.ModelMultipleChoiceField(
        queryset=StorageLocation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Copy to",
        error_messages={"required": "Choose at least one storage location."},
    )
    include_bundle = forms.BooleanField(
        required=False,
        initial=True,
        label="Also archive the workflow's bundle (prompts, benchmark suites, configs, fine-tuning data)",
    )

    def __init__(self, *args, organization: Organization, with_bundle: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locations"].queryset = StorageLocation.objects.filter(organization=organization)
        self.fields["locations"].label_from_instance = lambda location: (
            f"{location.name} · {location.url}{' · off-site' if location.off_site else ''}"
        )
        if not with_bundle:
            del self.fields["include_bundle"]

    def clean_source(self) -> str:
        source = self.cleaned_data["source"].strip()
        if source and not source.startswith("hf:"):
            source = f"hf:{source}"
        if source:
            try:
                parse_source(source)
            except SourceError as error:
                raise forms.ValidationError(str(error)) from error
        return source

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("source") and not cleaned.get("include_bundle"):
            self.add_error("source", "Name a repository to archive (hf:OWNER/REPO).")
        return cleaned


class LocationForm(forms.ModelForm):
    class Meta:
        model = StorageLocation
        fields = ["name", "url", "marked_off_site"]
        labels = {"url": "Where", "marked_off_site": "This folder is on another site (off-site)"}

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip().rstrip("/")
        try:
            parse_location(url)
        except LocationError as error:
            raise forms.ValidationError(str(error)) from error
        return url


class PolicyForm(forms.ModelForm):
    class Meta:
        model = RedundancyPolicy
        fields = ["min_copies", "min_off_site", "max_age_days"]
        labels = {
            "min_copies": "Verified copies at least",
            "min_off_site": "Of which off-site at least",
            "max_age_days": "Verified within (days)",
        }

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("min_off_site") or 0) > (cleaned.get("min_copies") or 0):
            self.add_error("min_off_site", "Cannot want more off-site copies than copies.")
        if cleaned.get("min_copies") == 0:
            self.add_error("min_copies", "At least one copy.")
        if cleaned.get("max_age_days") == 0:
            self.add_error("max_age_days", "At least one day.")
        return cleaned


class BundleFileForm(forms.Form):
    kind = forms.ChoiceField(choices=BundleFile.Kind.choices, label="What it is")
    file = forms.FileField(
        label="File", help_text="Up to 50 MB: a serving config, a prompt, fine-tuning data (JSONL…)"
    )
