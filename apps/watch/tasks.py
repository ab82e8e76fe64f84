"""Celery tasks of the watch capability: they take ids and call one service.

Beat (settings.CELERY_BEAT_SCHEDULE) runs `poll_due_sources` every 15 minutes, which claims the due
sources and fans out one `poll_source` per source, so a slow or broken source delays nobody else;
and `send_weekly_digests` on Monday mornings.
"""

from celery import shared_task

from apps.watch.models import Notification
from apps.watch.services import alerts, sources

WEBHOOK_RETRIES = 5
WEBHOOK_RETRY_BASE_SECONDS = 60


def webhook_retry_countdown(retries: int) -> int:
    """60 s, 2 min, 4 min, 8 min, 16 min: the receiver gets time to come back."""
    return WEBHOOK_RETRY_BASE_SECONDS * 2**retries


@shared_task
def poll_due_sources() -> int:
    source_ids = sources.sources_claim_due()
    for source_id in source_ids:
        poll_source.delay(source_id)
    return len(source_ids)


@shared_task(acks_late=True)
def poll_source(source_id: int) -> int:
    report = sources.source_poll_by_id(source_id=source_id)
    return len(report.outcome.signals) if report else 0


@shared_task(bind=True, max_retries=WEBHOOK_RETRIES)
def deliver_webhook(self, notification_id: int) -> str | None:
    final = self.request.retries >= WEBHOOK_RETRIES
    notification = alerts.notification_deliver_webhook(notification_id=notification_id, final=final)
    if notification is not None and notification.status == notification.Status.PENDING:
        raise self.retry(countdown=webhook_retry_countdown(self.request.retries))
    return notification.status if notification else None


@shared_task(bind=True, max_retries=3)
def send_email(self, notification_id: int) -> str | None:
    final = self.request.retries >= self.max_retries
    try:
        notification = alerts.notification_send_email(notification_id=notification_id, final=final)
    except (
        OSError
    ) as error:  # SMTP trouble: try again a little later (the last failure is recorded as failed)
        if final:
            return Notification.Status.FAILED
        raise self.retry(exc=error, countdown=webhook_retry_countdown(self.request.retries)) from error
    return notification.status if notification else None


@shared_task
def send_weekly_digests() -> int:
    return alerts.digests_send()
