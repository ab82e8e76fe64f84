"""Celery tasks of the exposure capability: they take ids and call one service (apps/exposure/history.py).

Beat runs `refresh_all_organizations` daily; it fans out one `refresh_organization` per organization,
so one large tenant delays nobody else. Both are safe to run twice (a snapshot per day is replaced).
"""

from celery import shared_task

from apps.accounts.models import Organization
from apps.exposure import history, services


@shared_task
def exposure_refresh_task(workflow_ids: list[int]) -> int:
    # Safe to run twice: a refresh recomputes the same score from the same inputs.
    return services.exposure_refresh(workflow_ids=workflow_ids)


@shared_task
def refresh_all_organizations() -> int:
    organization_ids = list(Organization.objects.values_list("id", flat=True))
    for organization_id in organization_ids:
        refresh_organization.delay(organization_id)
    return len(organization_ids)


@shared_task(acks_late=True)
def refresh_organization(organization_id: int) -> int:
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return 0
    return history.organization_refresh(organization=organization).workflows


@shared_task
def refresh_after_catalog_model_change(model_id: int) -> int:
    return history.catalog_model_changed(model_id=model_id)


@shared_task
def refresh_after_vendor_change(vendor_id: int) -> int:
    return history.vendor_changed(vendor_id=vendor_id)
