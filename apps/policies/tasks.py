"""Celery tasks of the policies app: they call one service and are safe to run twice."""

from celery import shared_task

from apps.policies import services


@shared_task
def lapse_acceptances() -> int:
    # Daily (CELERY_BEAT_SCHEDULE): an acceptance that expired reopens its risk and alerts.
    return services.acceptances_lapse()


@shared_task
def evaluate_all() -> int:
    # Daily: every workflow re-evaluated, so facts that move without an edit are caught up.
    return services.policies_evaluate_all()["violations"]
