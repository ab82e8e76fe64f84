import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_it_logs_a_member_in_and_sends_them_to_their_organization(client, editor, organization):
    response = client.post(reverse("login"), {"username": editor.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == f"/o/{organization.slug}/"


def test_it_rejects_a_wrong_password_with_a_readable_message(client, editor):
    response = client.post(reverse("login"), {"username": editor.username, "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_it_locks_out_after_five_failures_and_lets_the_right_password_in_only_after_cooloff(
    client, editor, settings
):
    for _ in range(5):
        client.post(reverse("login"), {"username": editor.username, "password": "wrong"})
    locked = client.post(reverse("login"), {"username": editor.username, "password": TEST_PASSWORD})
    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.content.decode()
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60  # finite cool-off, not a permanent lock


def test_it_asks_anonymous_visitors_to_log_in(client, organization):
    response = client.get(f"/o/{organization.slug}/inventory/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_logout_is_a_post(client, editor):
    client.force_login(editor)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
