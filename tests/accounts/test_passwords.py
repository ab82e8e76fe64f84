"""Password change and reset: Django's own views, our templates, links that start with SITE_URL."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lantern-quarry-violet-42"


def logs_in(client, username: str, password: str) -> bool:
    response = client.post(reverse("login"), {"username": username, "password": password})
    client.logout()
    return response.status_code == 302


def test_the_login_page_offers_a_reset_and_the_user_menu_a_change(client, editor, organization):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()

    client.force_login(editor)
    page = client.get(reverse("inventory:index", kwargs={"org_slug": organization.slug})).content.decode()
    assert f'href="{reverse("password_change")}"' in page


def test_a_member_changes_their_password_and_stays_logged_in(client, editor):
    client.force_login(editor)
    page = client.get(reverse("password_change"))
    assert page.status_code == 200 and "Change your password" in page.content.decode()

    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302 and response.url == reverse("password_change_done")
    assert client.get(reverse("password_change_done")).status_code == 200  # still logged in
    assert logs_in(client, editor.username, NEW_PASSWORD)
    assert not logs_in(client, editor.username, TEST_PASSWORD)


def test_a_wrong_current_password_or_a_weak_new_one_is_shown_on_its_field(client, editor):
    client.force_login(editor)

    wrong = client.post(
        reverse("password_change"),
        {"old_password": "not-it-at-all", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    weak = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )

    assert wrong.status_code == 200 and "Your old password was entered incorrectly" in wrong.content.decode()
    assert weak.status_code == 200 and "too common" in weak.content.decode()
    editor.refresh_from_db()
    assert editor.check_password(TEST_PASSWORD)


def test_changing_a_password_needs_a_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_reset_mails_a_link_on_site_url_that_sets_a_new_password_once(client, editor, settings):
    settings.SITE_URL = "https://riskboard.example/"

    response = client.post(reverse("password_reset"), {"email": editor.email})  # asked on host "testserver"

    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert "Check your e-mail" in client.get(response.url).content.decode()
    [message] = mail.outbox
    assert message.to == [editor.email] and message.subject == "Reset your Riskboard password"
    [link] = re.findall(r"https?://\S+", message.body)
    assert link.startswith("https://riskboard.example/accounts/password/reset/")
    assert "testserver" not in message.body

    path = link.removeprefix("https://riskboard.example")
    form_page = client.get(
        path, follow=True
    )  # Django swaps the token for a session marker, then shows the form
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")
    assert logs_in(client, editor.username, NEW_PASSWORD)

    reused = client.get(path, follow=True)
    assert "This link no longer works" in reused.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, editor):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})

    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert mail.outbox == []
