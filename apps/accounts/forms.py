from django import forms

from apps.accounts.models import Client, Membership


class MemberAddForm(forms.Form):
    username_or_email = forms.CharField(label="Username or email", max_length=150)
    role = forms.ChoiceField(choices=Membership.Role.choices, initial=Membership.Role.VIEWER)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices)


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = ["name"]
