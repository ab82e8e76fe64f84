"""/o/<org>/tokens/: admins make (shown once), list and revoke API tokens."""

import pytest
from django.urls import reverse

from apps.accounts.models import ApiToken
from apps.accounts.tokens import api_token_authenticate, api_token_create

pytestmark = pytest.mark.django_db


def url(name: str = "accounts:token_list", **kwargs) -> str:
    return reverse(name, kwargs={"org_slug": "acme", **kwargs})


def test_an_admin_makes_a_token_and_sees_it_once(admin_client_org, admin_user):
    response = admin_client_org.post(url(), {"name": "CI of the web repo", "expires_in_days": "90"})

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get()
    raw = response.context["new_token"]["raw"]
    assert raw in response.content.decode()
    assert api_token_authenticate(raw=raw) == token
    assert token.created_by == admin_user and token.expires_at is not None

    again = admin_client_org.get(url())
    assert raw not in again.content.decode()
    assert token.prefix in again.content.decode()


def test_an_invalid_form_is_422(admin_client_org):
    response = admin_client_org.post(url(), {"name": "", "expires_in_days": "0"})
    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_an_admin_revokes_a_token(admin_client_org, organization):
    token, raw = api_token_create(organization=organization, name="old CI")

    response = admin_client_org.post(url("accounts:token_revoke", token_id=token.pk))

    assert response.status_code == 302
    assert api_token_authenticate(raw=raw) is None
    assert "revoked" in admin_client_org.get(url()).content.decode()


def test_editors_and_viewers_cannot_manage_tokens(editor_client, organization):
    token, _ = api_token_create(organization=organization, name="CI")
    assert editor_client.get(url()).status_code == 403
    assert editor_client.post(url("accounts:token_revoke", token_id=token.pk)).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_user_menu_links_admins_to_tokens(admin_client_org, editor, client):
    assert url() in admin_client_org.get(reverse("jobs:index", kwargs={"org_slug": "acme"})).content.decode()
    client.force_login(editor)
    assert url() not in client.get(reverse("jobs:index", kwargs={"org_slug": "acme"})).content.decode()
