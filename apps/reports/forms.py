from django import forms

from apps.reports.models import ShareLink
from apps.reports.services import DEFAULT_DAYS, MAX_DAYS


class ShareLinkForm(forms.Form):
    days = forms.IntegerField(
        label="Expires in (days)", min_value=1, max_value=MAX_DAYS, initial=DEFAULT_DAYS
    )
    mode = forms.ChoiceField(
        choices=ShareLink.Mode.choices,
        initial=ShareLink.Mode.LIVE,
        help_text="Frozen keeps the report exactly as it is now; live always shows the current one.",
    )


class ClientViewerForm(forms.Form):
    username_or_email = forms.CharField(label="Username or email", max_length=150)
    client = forms.ModelChoiceField(queryset=None, empty_label=None)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = organization.clients.order_by("name")
