"""Alerts: rules, the notifications new signals raise, and their delivery by inbox, email
(absolute links from SITE_URL) and signed webhooks, at once or in the weekly digest."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Membership, Organization
from apps.common.secrets import encrypt_secret
from apps.watch import webhooks
from apps.watch.models import AlertRule, Notification, Signal

# The field key changed since the secret was stored (apps/common/secrets.py): only a new one helps.
UNREADABLE_SECRET = "the webhook signing secret cannot be read any more: generate a new one on the rule"


def alert_rule_save(*, rule: AlertRule, rotate_secret: bool = False) -> tuple[AlertRule, str | None]:
    """Save a rule; returns (rule, secret) where secret is set only when one was just generated.

    The webhook secret is shown once, when it is created or rotated.
    """
    new_secret = None
    if rule.notify_webhook and (rotate_secret or not rule.webhook_secret):
        new_secret = webhooks.generate_secret()
        rule.webhook_secret_encrypted = encrypt_secret(new_secret)
    if not rule.notify_webhook:
        rule.webhook_secret_encrypted = ""
    rule.full_clean()
    if rule.notify_webhook and not rule.webhook_url:
        raise ValidationError({"webhook_url": "A webhook rule needs a URL."})
    if rule.notify_email and not (rule.recipients or rule.email_roles):
        raise ValidationError({"email_recipients": "Name at least one address or role to email."})
    rule.save()
    return rule, new_secret


def alert_rule_delete(*, rule: AlertRule) -> None:
    rule.delete()


def alerts_raise(*, organization: Organization, signals: list[Signal]) -> list[Notification]:
    """Turn new signals into notifications per matching rule; email and webhooks go out on commit."""
    if not signals:
        return []
    rules = list(AlertRule.objects.filter(organization=organization, enabled=True))
    if not rules:
        return []
    member_ids = list(Membership.objects.filter(organization=organization).values_list("user_id", flat=True))
    notifications: list[Notification] = []
    for rule in rules:
        outbound = (
            Notification.Status.DIGEST
            if rule.delivery == rule.Delivery.WEEKLY
            else Notification.Status.PENDING
        )
        for signal in signals:
            if not rule.matches(signal):
                continue
            if rule.notify_inbox:
                notifications += [
                    Notification(
                        organization=organization,
                        rule=rule,
                        user_id=user_id,
                        signal=signal,
                        channel=Notification.Channel.INBOX,
                        status=Notification.Status.SENT,
                        delivered_at=timezone.now(),
                    )
                    for user_id in member_ids
                ]
            for channel, wanted in (
                (Notification.Channel.EMAIL, rule.notify_email),
                (Notification.Channel.WEBHOOK, rule.notify_webhook),
            ):
                if wanted:
                    notifications.append(
                        Notification(
                            organization=organization,
                            rule=rule,
                            signal=signal,
                            channel=channel,
                            status=outbound,
                        )
                    )
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    pending = list(
        Notification.objects.filter(
            signal__in=signals,
            status=Notification.Status.PENDING,
            channel__in=[Notification.Channel.EMAIL, Notification.Channel.WEBHOOK],
        ).values_list("pk", "channel")
    )
    for notification_id, channel in pending:
        transaction.on_commit(lambda pk=notification_id, ch=channel: _queue_delivery(pk, ch), robust=True)
    return notifications


def _queue_delivery(notification_id: int, channel: str) -> None:
    from apps.watch.tasks import deliver_webhook, send_email

    task = deliver_webhook if channel == Notification.Channel.WEBHOOK else send_email
    task.delay(notification_id)


def site_url(path: str) -> str:
    """An absolute link for email and webhooks, which are read outside the site: SITE_URL + path."""
    return settings.SITE_URL.rstrip("/") + path


def _signal_url(signal: Signal) -> str:
    return site_url(
        reverse("watch:index", kwargs={"org_slug": signal.organization.slug}) + f"?kind={signal.kind}"
    )


def _signal_line(signal: Signal) -> str:
    from apps.watch.risk import describe

    return describe(signal.as_contract())


def rule_email_recipients(*, rule: AlertRule) -> list[str]:
    addresses = list(rule.recipients)
    if rule.email_roles:
        addresses += [
            email
            for email in Membership.objects.filter(
                organization=rule.organization_id, role__in=rule.email_roles
            ).values_list("user__email", flat=True)
            if email
        ]
    return sorted(set(addresses))


def notification_send_email(*, notification_id: int, final: bool = True) -> Notification | None:
    """Send one email alert. On a mail server error the attempt and the error are recorded, and the
    error is raised again for the task to retry; the `final` attempt marks the notification failed."""
    notification = (
        Notification.objects.select_related("rule", "signal__organization", "organization")
        .filter(pk=notification_id, channel=Notification.Channel.EMAIL)
        .first()
    )
    if notification is None or notification.status != Notification.Status.PENDING:
        return notification  # already sent (a task delivered twice), or waiting for the digest
    signal = notification.signal
    recipients = rule_email_recipients(rule=notification.rule)
    notification.attempts += 1
    if not recipients:
        notification.status, notification.error = Notification.Status.FAILED, "no recipients"
        notification.save(update_fields=["status", "error", "attempts"])
        return notification
    message = EmailMessage(
        subject=f"[Riskboard] {signal.severity}: {signal.kind.replace('_', ' ')} · {signal.subject}",
        body=(
            f"{_signal_line(signal)}\n\nRule: {notification.rule.name}\n"
            f"Organization: {notification.organization.name}\n\nSee the signals: {_signal_url(signal)}\n"
        ),
        to=recipients,
    )
    try:
        message.send()
    except OSError as error:
        notification.error = f"{error.__class__.__name__}: {error}"[:500]
        if final:
            notification.status = Notification.Status.FAILED
        notification.save(update_fields=["status", "error", "attempts"])
        raise
    notification.status, notification.delivered_at, notification.error = (
        Notification.Status.SENT,
        timezone.now(),
        "",
    )
    notification.save(update_fields=["status", "delivered_at", "error", "attempts"])
    return notification


def _webhook_backoff() -> float:
    return float(getattr(settings, "RISKBOARD_WEBHOOK_BACKOFF_SECONDS", 1.0))


def notification_deliver_webhook(*, notification_id: int, final: bool = True) -> Notification | None:
    """POST the signal to the rule's webhook, signed; retried inside with backoff.

    The message id is the notification's, so every retry (here or by the task) is the same message.
    When it still fails and `final` is False, the status stays PENDING for the task to retry later.
    """
    notification = (
        Notification.objects.select_related("rule", "signal__organization")
        .filter(pk=notification_id, channel=Notification.Channel.WEBHOOK)
        .first()
    )
    if notification is None or notification.status != Notification.Status.PENDING:
        return notification
    rule, signal = notification.rule, notification.signal
    payload = webhooks.event_payload(
        "signal.created",
        {
            **signal.as_contract(),
            "organization": signal.organization.slug,
            "rule": rule.name,
            "url": _signal_url(signal),
        },
        now=timezone.now(),
    )
    secret = rule.webhook_secret
    if secret is None:
        notification.status, notification.error = Notification.Status.FAILED, UNREADABLE_SECRET
        notification.save(update_fields=["status", "error"])
        return notification
    result = webhooks.deliver(
        rule.webhook_url,
        payload,
        secret=secret,
        msg_id=notification.msg_id,
        max_attempts=3,
        backoff_base=_webhook_backoff(),
    )
    notification.attempts += result.attempts
    notification.error = result.error or ""
    if result.delivered:
        notification.status, notification.delivered_at = Notification.Status.SENT, timezone.now()
    elif final or not _worth_retrying(result):
        notification.status = Notification.Status.FAILED
    notification.save(update_fields=["attempts", "error", "status", "delivered_at"])
    return notification


def _worth_retrying(result: webhooks.DeliveryResult) -> bool:
    return result.retryable


def digests_send(*, now: datetime | None = None) -> int:
    """Bundle every notification waiting for the weekly digest into one email and one webhook per rule."""
    now = now or timezone.now()
    sent = 0
    rule_ids = (
        Notification.objects.filter(status=Notification.Status.DIGEST)
        .values_list("rule_id", flat=True)
        .distinct()
    )
    for rule in AlertRule.objects.filter(pk__in=list(rule_ids)).select_related("organization"):
        for channel in (Notification.Channel.EMAIL, Notification.Channel.WEBHOOK):
            waiting = list(
                Notification.objects.filter(rule=rule, channel=channel, status=Notification.Status.DIGEST)
                .select_related("signal__organization")
                .order_by("signal__observed_at", "pk")
            )
            if not waiting:
                continue
            delivered, error = _send_digest(rule=rule, channel=channel, notifications=waiting, now=now)
            Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(
                status=Notification.Status.SENT if delivered else Notification.Status.FAILED,
                delivered_at=now if delivered else None,
                error=error,
                attempts=1,
            )
            sent += int(delivered)
    return sent


def _send_digest(
    *, rule: AlertRule, channel: str, notifications: list[Notification], now: datetime
) -> tuple[bool, str]:
    signals = [notification.signal for notification in notifications]
    if channel == Notification.Channel.EMAIL:
        recipients = rule_email_recipients(rule=rule)
        if not recipients:
            return False, "no recipients"
        lines = "\n".join(f"- {_signal_line(signal)}\n  {_signal_url(signal)}" for signal in signals)
        EmailMessage(
            subject=f"[Riskboard] Weekly digest: {len(signals)} signal{'s' if len(signals) != 1 else ''}",
            body=f"Signals matching “{rule.name}” for {rule.organization.name} this week:\n\n{lines}\n",
            to=recipients,
        ).send()
        return True, ""
    payload = webhooks.event_payload(
        "signals.digest",
        {
            "organization": rule.organization.slug,
            "rule": rule.name,
            "signals": [{**signal.as_contract(), "url": _signal_url(signal)} for signal in signals],
        },
        now=now,
    )
    secret = rule.webhook_secret
    if secret is None:
        return False, UNREADABLE_SECRET
    result = webhooks.deliver(
        rule.webhook_url,
        payload,
        secret=secret,
        msg_id=f"riskboard-digest-{rule.pk}-{notifications[-1].pk}",
        backoff_base=_webhook_backoff(),
    )
    return result.delivered, result.error or ""


def inbox_mark_read(
    *, user: AbstractBaseUser, organization: Organization, notification_id: int | None = None
) -> int:
    notifications = Notification.objects.filter(
        user=user, organization=organization, channel=Notification.Channel.INBOX, read_at__isnull=True
    )
    if notification_id is not None:
        notifications = notifications.filter(pk=notification_id)
    return notifications.update(read_at=timezone.now())
