"""Alerts read outside the site: absolute links, checked recipients, secrets encrypted at rest."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from apps.common.secrets import decrypt_secret
from apps.watch.models import AlertRule, Notification
from apps.watch.services.alerts import alert_rule_save, notification_deliver_webhook
from apps.watch.webhooks import verify
from tests.watch.factories import alert_rule, contract_signal, import_signals

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def public_site(settings):
    settings.SITE_URL = "https://riskboard.example.com/"
    settings.RISKBOARD_WEBHOOK_BACKOFF_SECONDS = 0.01


SIGNALS_LINK = "https://riskboard.example.com/o/acme/watch/?kind=license_change"


def test_alert_email_links_are_absolute_from_site_url(organization, django_capture_on_commit_callbacks):
    alert_rule(organization, notify_email=True, email_recipients="cto@acme.test")

    with django_capture_on_commit_callbacks(execute=True):
        import_signals(organization, [contract_signal()])

    [message] = mail.outbox
    assert f"See the signals: {SIGNALS_LINK}\n" in message.body


def test_webhooks_and_the_digest_carry_absolute_links(organization, webhook_receiver):
    from apps.watch.tasks import send_weekly_digests

    alert_rule(
        organization,
        notify_inbox=False,
        notify_email=True,
        email_recipients="board@acme.test",
        notify_webhook=True,
        webhook_url=webhook_receiver.url,
        webhook_secret=webhook_receiver.secret,
        delivery="weekly",
    )
    import_signals(organization, [contract_signal()])

    send_weekly_digests.apply()

    [delivery] = webhook_receiver.deliveries
    assert [signal["url"] for signal in delivery.payload["data"]["signals"]] == [SIGNALS_LINK]
    [message] = mail.outbox
    assert SIGNALS_LINK in message.body


def test_an_immediate_webhook_carries_the_absolute_link(
    organization, webhook_receiver, django_capture_on_commit_callbacks
):
    alert_rule(
        organization,
        notify_webhook=True,
        webhook_url=webhook_receiver.url,
        webhook_secret=webhook_receiver.secret,
    )

    with django_capture_on_commit_callbacks(execute=True):
        import_signals(organization, [contract_signal()])

    [delivery] = webhook_receiver.deliveries
    assert delivery.payload["data"]["url"] == SIGNALS_LINK


def test_each_bad_recipient_is_named_in_the_form(admin_client_org, organization):
    response = admin_client_org.post(
        reverse("watch:rule_create", args=[organization.slug]),
        {
            "name": "Board",
            "min_severity": "warning",
            "notify_email": "on",
            "email_recipients": "cto@acme.test\nbob@\n  , not an address",
            "delivery": "immediate",
        },
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "“bob@” is not a valid e-mail address." in page
    assert "“not an address” is not a valid e-mail address." in page
    assert "cto@acme.test” is not" not in page
    assert not AlertRule.objects.exists()


def test_the_service_refuses_bad_recipients_too(organization):
    rule = AlertRule(organization=organization, name="Board", notify_email=True, email_recipients="x@y@z")

    with pytest.raises(ValidationError) as failure:
        alert_rule_save(rule=rule)

    assert failure.value.message_dict["email_recipients"] == ["“x@y@z” is not a valid e-mail address."]


def test_the_webhook_secret_is_stored_encrypted_and_still_signs(organization, webhook_receiver):
    rule, secret = alert_rule_save(
        rule=AlertRule(
            organization=organization, name="Hook", notify_webhook=True, webhook_url=webhook_receiver.url
        )
    )

    stored = AlertRule.objects.values_list("webhook_secret_encrypted", flat=True).get()
    assert secret.startswith("whsec_") and secret not in stored
    assert decrypt_secret(stored) == secret
    webhook_receiver.secret = secret

    import_signals(organization, [contract_signal()])
    notification = Notification.objects.get(channel="webhook")
    notification_deliver_webhook(notification_id=notification.pk)
    [delivery] = webhook_receiver.deliveries
    assert webhook_receiver.rejections == [] and delivery.msg_id == notification.msg_id


def test_a_secret_that_cannot_be_decrypted_fails_the_delivery_with_a_reason(
    organization, webhook_receiver, settings
):
    alert_rule(
        organization,
        notify_webhook=True,
        webhook_url=webhook_receiver.url,
        webhook_secret=webhook_receiver.secret,
    )
    import_signals(organization, [contract_signal()])
    settings.RISKBOARD_FIELD_KEY = "kQ3HRbnY8lJQ4d6vJ6cFMBhxK1ZqTjK2S7cTTJmOmOQ="  # rotated

    notification = notification_deliver_webhook(
        notification_id=Notification.objects.get(channel="webhook").pk
    )

    assert notification.status == "failed" and "generate a new one" in notification.error
    assert webhook_receiver.deliveries == []


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_the_secrets_already_stored(organization):
    executor = MigrationExecutor(connection)
    executor.migrate([("watch", "0002_organization_scoped_vendor_risk")])
    old_apps = executor.loader.project_state([("watch", "0002_organization_scoped_vendor_risk")]).apps
    OldRule = old_apps.get_model("watch", "AlertRule")
    OldRule.objects.create(
        organization_id=organization.pk,
        name="Legacy",
        webhook_secret="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    stored = AlertRule.objects.values_list("webhook_secret_encrypted", flat=True).get(name="Legacy")
    assert "whsec_" not in stored
    assert AlertRule.objects.get(name="Legacy").webhook_secret == "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def test_signatures_verify_with_the_standard_webhooks_library():
    from standardwebhooks import Webhook

    from apps.watch.webhooks import generate_secret, signed_headers

    secret = generate_secret()
    body = b'{"type":"signal.created"}'
    headers = signed_headers(secret, msg_id="riskboard-notification-7", body=body)

    assert Webhook(secret).verify(body, headers) == {"type": "signal.created"}
    verify(secret, headers, body)
