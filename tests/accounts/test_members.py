import pytest
from django.urls import reverse

from apps.accounts.models import Membership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def members_url(organization):
    return reverse("accounts:member_list", kwargs={"org_slug": organization.slug})


def test_an_admin_adds_a_member_by_email(admin_client_org, organization):
    newcomer = UserFactory(username="nina", email="nina@example.com")
    response = admin_client_org.post(
        members_url(organization), {"username_or_email": "NINA@example.com", "role": "viewer"}
    )
    assert response.status_code == 302
    assert Membership.objects.get(organization=organization, user=newcomer).role == "viewer"


def test_an_unknown_user_is_reported_on_the_field_with_422(admin_client_org, organization):
    response = admin_client_org.post(
        members_url(organization), {"username_or_email": "ghost", "role": "viewer"}
    )
    assert response.status_code == 422
    assert "No user &#x27;ghost&#x27;" in response.content.decode()


def test_the_last_admin_cannot_be_demoted(admin_client_org, organization, admin_user):
    membership = Membership.objects.get(user=admin_user, organization=organization)
    url = reverse(
        "accounts:member_change_role", kwargs={"org_slug": organization.slug, "membership_id": membership.id}
    )
    admin_client_org.post(url, {"role": "viewer"}, follow=True)
    membership.refresh_from_db()
    assert membership.role == "admin"


@pytest.mark.parametrize("user_fixture", ["editor", "viewer"])
def test_only_admins_manage_members(client, organization, user_fixture, request):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(members_url(organization)).status_code == 403


def test_a_viewer_reads_pages_but_an_outsider_gets_404(client, organization, viewer, outsider):
    url = reverse("inventory:index", kwargs={"org_slug": organization.slug})
    client.force_login(viewer)
    assert client.get(url).status_code == 200
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_the_switcher_lists_only_the_users_organizations(client, organization, other_organization, editor):
    client.force_login(editor)
    page = client.get(reverse("inventory:index", kwargs={"org_slug": organization.slug})).content.decode()
    assert organization.name in page
    assert other_organization.name not in page
