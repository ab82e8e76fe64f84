"""Celery tasks of the exposure app: they take ids and call one service."""

from celery import shared_task

from apps.exposure import services


@shared_task
def exposure_refresh_task(workflow_ids: list[int]) -> int:
    # Safe to run twice: a refresh recomputes the same score from the same inputs.
    return services.exposure_refresh(workflow_ids=workflow_ids)
