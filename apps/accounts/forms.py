from django import forms

from apps.accounts.models import Client, Membership

# Client viewers are bound to a client and added from the Reports page, not from these forms.
STAFF_ROLE_CHOICES = [(role.value, role.label) for role in Membership.STAFF_ROLES]


class MemberAddForm(forms.Form):
    username_or_email = forms.CharField(label="Username or email", max_length=150)
    role = forms.ChoiceField(choices=STAFF_ROLE_CHOICES, initial=Membership.Role.VIEWER)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=STAFF_ROLE_CHOICES)


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = ["name"]


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="Who uses it, e.g. “CI of the web repo”.")
    expires_in_days = forms.IntegerField(
        label="Expires in (days)", min_value=1, max_value=3650, required=False, help_text="Empty: never."
    )
