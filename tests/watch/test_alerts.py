"""New signals → alert rules → inbox, email and signed webhooks (each alert once), or a weekly digest."""

import pytest
from django.core import mail

from apps.inventory.models import Vendor
from apps.watch.models import Notification
from apps.watch.tasks import deliver_webhook, send_weekly_digests
from tests.watch.conftest import WEBHOOK_SECRET
from tests.watch.factories import alert_rule, contract_signal, import_signals

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_webhook_backoff(settings):
    settings.RISKBOARD_WEBHOOK_BACKOFF_SECONDS = 0.01


def webhook_rule(organization, receiver, **fields):
    return alert_rule(
        organization,
        notify_inbox=False,
        notify_webhook=True,
        webhook_url=receiver.url,
        webhook_secret=WEBHOOK_SECRET,
        **fields,
    )


def test_the_webhook_receiver_verifies_the_signature_and_gets_each_alert_once(
    organization, webhook_receiver, django_capture_on_commit_callbacks
):
    webhook_rule(organization, webhook_receiver)
    webhook_receiver.fail_next(503)  # the first attempt fails: retried with the same message id

    with django_capture_on_commit_callbacks(execute=True):
        import_signals(organization, [contract_signal(), contract_signal(subject="meta-llama/Llama-3.1-70B")])

    assert webhook_receiver.rejections == []
    assert len(webhook_receiver.deliveries) == 2
    assert len(webhook_receiver.unique_messages()) == 2
    payloads = sorted((d.payload for d in webhook_receiver.deliveries), key=lambda p: p["data"]["subject"])
    assert payloads[0]["type"] == "signal.created"
    assert payloads[0]["data"]["subject"] == "meta-llama/Llama-3.1-70B"
    assert payloads[0]["data"]["organization"] == "acme"
    notifications = Notification.objects.filter(channel="webhook").order_by("pk")
    assert [n.status for n in notifications] == ["sent", "sent"]
    assert sum(n.attempts for n in notifications) == 3


def test_a_delivery_that_keeps_failing_is_retried_by_the_task_and_still_arrives_once(
    organization, webhook_receiver, django_capture_on_commit_callbacks
):
    webhook_rule(organization, webhook_receiver)
    webhook_receiver.fail_next(503, times=4)  # outlasts one task run's three attempts

    with django_capture_on_commit_callbacks(execute=True):
        import_signals(organization, [contract_signal()])
    notification = Notification.objects.get(channel="webhook")
    deliver_webhook.apply(args=[notification.pk])  # a redelivered task: nothing more is sent

    assert len(webhook_receiver.deliveries) == 1
    assert webhook_receiver.deliveries[0].msg_id == f"riskboard-notification-{notification.pk}"
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 5)


def test_an_email_alert_lands_in_the_outbox(organization, admin_user, django_capture_on_commit_callbacks):
    admin_user.email = "ada@acme.test"
    admin_user.save()
    alert_rule(organization, notify_email=True, email_recipients="cto@acme.test", email_roles=["admin"])

    with django_capture_on_commit_callbacks(execute=True):
        import_signals(organization, [contract_signal()])

    [message] = mail.outbox
    assert sorted(message.to) == ["ada@acme.test", "cto@acme.test"]
    assert message.subject == "[Riskboard] critical: license change · meta-llama/Llama-3.1-8B-Instruct"
    assert "llama3.1 → other" in message.body
    assert Notification.objects.get(channel="email").status == "sent"


def test_every_member_gets_matching_signals_in_the_inbox(organization, editor, viewer):
    alert_rule(organization, min_severity="critical", vendor=Vendor.objects.get(slug="meta"))

    import_signals(
        organization,
        [
            contract_signal(),
            contract_signal(kind="cadence_slip", subject="meta-llama", severity="warning", detail={}),
            contract_signal(subject="mistralai/Mistral-7B", vendor="mistral"),
        ],
    )

    inbox = Notification.objects.filter(channel="inbox")
    assert sorted(inbox.values_list("user__username", flat=True)) == ["eddie.editor", "vera.viewer"]
    assert {n.signal.subject for n in inbox} == {"meta-llama/Llama-3.1-8B-Instruct"}


def test_a_weekly_digest_rule_sends_one_message_on_monday_instead_of_one_per_signal(
    organization, webhook_receiver, django_capture_on_commit_callbacks
):
    webhook_rule(
        organization,
        webhook_receiver,
        delivery="weekly",
        notify_email=True,
        email_recipients="board@acme.test",
    )

    with django_capture_on_commit_callbacks(execute=True):
        import_signals(organization, [contract_signal(), contract_signal(subject="meta-llama/Llama-3.1-70B")])
    assert mail.outbox == [] and webhook_receiver.deliveries == []

    assert send_weekly_digests.apply().get() == 2
    send_weekly_digests.apply()  # nothing left to send

    [message] = mail.outbox
    assert message.subject == "[Riskboard] Weekly digest: 2 signals"
    assert "meta-llama/Llama-3.1-70B" in message.body
    [delivery] = webhook_receiver.deliveries
    assert delivery.payload["type"] == "signals.digest"
    assert len(delivery.payload["data"]["signals"]) == 2
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


class RefusingMailServer:
    """An email backend whose SMTP server refuses the connection."""

    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server refused the connection")


def test_an_email_the_mail_server_keeps_refusing_ends_failed_not_pending(organization, admin_user, settings):
    from apps.watch.tasks import send_email

    admin_user.email = "ada@acme.test"
    admin_user.save()
    alert_rule(organization, notify_email=True, email_roles=["admin"])
    import_signals(organization, [contract_signal()])
    notification = Notification.objects.get(channel="email")
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingMailServer"}}

    send_email.apply(args=[notification.pk], retries=send_email.max_retries)  # the last allowed attempt

    notification.refresh_from_db()
    assert notification.status == "failed"
    assert "refused the connection" in notification.error and notification.attempts == 1
