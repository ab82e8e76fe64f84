"""Celery tasks of the job pipeline: they take ids and call one service.

`import_job_run` is acknowledged late and requeued when its worker dies (settings: acks_late,
reject_on_worker_lost, prefetch 1), so no job is lost to a crash; `job_run` counts deliveries so a
payload that kills every worker is failed after ImportJob.MAX_DELIVERIES instead of looping forever.
Transient database errors are retried with exponential backoff, kept below the broker's
visibility timeout so a waiting retry is not also redelivered by Redis.
"""

import os
import socket

from celery import shared_task
from django.conf import settings

from apps.jobs import services

TRANSIENT_RETRIES = 5
BUSY_RETRY_SECONDS = 30


def backoff_seconds(retries: int) -> int:
    return min(5 * 2**retries, 300, max(1, settings.CELERY_VISIBILITY_TIMEOUT // 2))


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def import_job_run(self, job_id: int) -> None:
    try:
        services.job_run(
            job_id=job_id,
            worker_host=self.request.hostname or socket.gethostname(),
            worker_pid=os.getpid(),
        )
    except services.JobBusy as busy:
        raise self.retry(exc=busy, countdown=BUSY_RETRY_SECONDS) from busy
    except services.TRANSIENT_ERRORS as error:
        if self.request.retries >= TRANSIENT_RETRIES:
            services.job_give_up(
                job_id=job_id,
                reason=f"The database kept failing after {TRANSIENT_RETRIES} retries: {error}",
            )
            return
        raise self.retry(exc=error, countdown=backoff_seconds(self.request.retries)) from error


@shared_task
def requeue_stale_jobs() -> int:
    return services.job_requeue_stale()


@shared_task
def send_unsent_jobs() -> int:
    return services.job_send_unsent()


@shared_task
def expire_failed_payloads() -> int:
    return services.job_payloads_expire()
