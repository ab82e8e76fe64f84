"""Vendor risk per organization, moved by that organization's recent signals (apps/watch/risk.py)."""

from datetime import datetime
from typing import Any

from django.utils import timezone

from apps.accounts.models import Organization
from apps.inventory.models import Vendor
from apps.inventory.services import organization_vendor_risk_set
from apps.watch.models import Signal
from apps.watch.risk import RECENT, vendor_risk


def vendors_risk_refresh(
    *, organization: Organization, vendor_ids: set[int], now: datetime | None = None
) -> set[int]:
    """Re-assess each vendor from this organization's recent signals; returns the ids whose risk moved.

    The level applies to this organization only (`OrganizationVendorRisk`): the catalog's shared level
    is staff's, so no tenant's signals (or hand-recorded ones) can move another tenant's exposure.
    Signals only raise the catalog level; when they calm down the organization is back on it.
    """
    now = now or timezone.now()
    moved = set()
    for vendor in Vendor.objects.filter(pk__in=vendor_ids):
        assessment = vendor_risk(vendor.slug, _risk_signals_of(organization, vendor, now=now), now=now)
        reason = f"From monitoring signals: {assessment.reason}"
        if organization_vendor_risk_set(
            organization=organization, vendor=vendor, risk_level=assessment.level, reason=reason
        ):
            moved.add(vendor.pk)
    return moved


def _risk_signals_of(organization: Organization, vendor: Vendor, *, now: datetime) -> list[dict[str, Any]]:
    """The organization's recent signals about the vendor that it did not mark noise, as contract dicts."""
    rows = (
        Signal.objects.filter(organization=organization, vendor=vendor, observed_at__gte=now - RECENT)
        .exclude(status=Signal.Status.NOISE)
        .order_by("observed_at", "id")
    )
    return [{**row.as_contract(), "vendor": vendor.slug} for row in rows]
