"""Signals: store imported ones (once per natural key), record one by hand, change a status —
and let new ones take effect on vendor risk, exposure and alerts."""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from apps.accounts.models import Organization
from apps.common.vocab import SEVERITIES, SIGNAL_KINDS
from apps.exposure.services import exposure_refresh
from apps.inventory.models import Dependency, Vendor
from apps.jobs.models import ImportJob
from apps.watch.contract import natural_key
from apps.watch.models import Signal, Source
from apps.watch.services.alerts import alerts_raise
from apps.watch.services.risk import vendors_risk_refresh


class SignalRejected(Exception):
    def __init__(self, errors: list[dict[str, str]]):
        self.errors = errors
        super().__init__("; ".join(f"{e['where']}: {e['message']}" for e in errors[:5]))


def _parse_observed_at(value: str) -> datetime:
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def signals_store(
    *, organization: Organization, signals: list[dict[str, Any]], job: ImportJob | None = None
) -> list[Signal]:
    """Store the signals the organization does not have yet (by natural key); then let them act.

    Returns the new rows. Call inside a transaction (the importer's): all of it lands or none.
    """
    vendors = {vendor.slug: vendor for vendor in Vendor.objects.all()}
    errors: list[dict[str, str]] = []
    rows: dict[str, Signal] = {}
    for index, item in enumerate(signals):
        try:
            observed_at = _parse_observed_at(item["observed_at"])
        except (KeyError, ValueError) as error:
            errors.append({"where": f"signals/{index}/observed_at", "message": str(error)})
            continue
        detail = item.get("detail") or {}
        key = item.get("key") or natural_key(item["source"], item["kind"], item["subject"], detail)
        vendor = vendors.get(item["vendor"]) or vendors.get("unknown")
        rows.setdefault(
            key,
            Signal(
                organization=organization,
                source_spec=item["source"][:500],
                kind=item["kind"],
                subject=item["subject"][:300],
                vendor=vendor,
                vendor_slug=item["vendor"],
                severity=item["severity"],
                observed_at=observed_at,
                detail=detail,
                key=key,
                job=job,
            ),
        )
    if errors:
        raise SignalRejected(errors)

    existing = set(
        Signal.objects.filter(organization=organization, key__in=rows).values_list("key", flat=True)
    )
    fresh = [row for key, row in rows.items() if key not in existing]
    if not fresh:
        return []
    sources = {
        source.spec: source
        for source in Source.objects.filter(
            Q(organization=organization) | Q(organization__isnull=True),
            spec__in={row.source_spec for row in fresh},
        ).order_by("organization_id")  # the organization's own source wins over a shared one
    }
    for row in fresh:
        row.source = sources.get(row.source_spec)
    Signal.objects.bulk_create(fresh, ignore_conflicts=True)
    # Rows another import inserted meanwhile were skipped by the conflict: keep only ours.
    created = list(
        Signal.objects.filter(organization=organization, key__in=[row.key for row in fresh])
        .filter(Q(job=job) if job else Q(job__isnull=True))
        .select_related("vendor")
        .order_by("observed_at", "id")
    )
    signals_take_effect(organization=organization, signals=created)
    return created


def signals_take_effect(*, organization: Organization, signals: list[Signal]) -> None:
    """New (or re-classified) signals move vendor risk and exposure, and new ones raise alerts."""
    if not signals:
        return
    vendor_ids = {signal.vendor_id for signal in signals if signal.vendor_id}
    moved = vendors_risk_refresh(organization=organization, vendor_ids=vendor_ids)
    # Vendors whose risk moved had this organization's dependent workflows refreshed already; the
    # others still need them refreshed for the `recent_signals` factor.
    _exposure_refresh_for_org_vendors(organization=organization, vendor_ids=vendor_ids - moved)
    alerts_raise(organization=organization, signals=[s for s in signals if s.status == Signal.Status.NEW])


def _exposure_refresh_for_org_vendors(*, organization: Organization, vendor_ids: set[int]) -> None:
    if not vendor_ids:
        return
    workflow_ids = (
        Dependency.objects.filter(workflow__organization=organization, model__vendor_id__in=vendor_ids)
        .values_list("workflow_id", flat=True)
        .distinct()
    )
    exposure_refresh(workflow_ids=list(workflow_ids))


@transaction.atomic
def signal_record(
    *,
    organization: Organization,
    user: AbstractBaseUser,
    kind: str,
    subject: str,
    vendor: Vendor,
    severity: str,
    observed_at: datetime,
    note: str = "",
    url: str = "",
) -> Signal:
    """An editor records what they read about (a leadership change, a roadmap announcement…)."""
    detail = {key: value for key, value in (("note", note.strip()), ("url", url.strip())) if value}
    key = natural_key("manual", kind, subject.strip(), {"day": observed_at.date().isoformat(), **detail})
    signal = Signal(
        organization=organization,
        source_spec="manual",
        kind=kind,
        subject=subject.strip(),
        vendor=vendor,
        vendor_slug=vendor.slug,
        severity=severity,
        observed_at=observed_at,
        detail=detail,
        key=key,
        recorded_by=user,
    )
    if kind not in SIGNAL_KINDS or severity not in SEVERITIES:
        raise ValidationError("Unknown kind or severity.")
    if Signal.objects.filter(organization=organization, key=key).exists():
        raise ValidationError("This signal is already recorded.")
    signal.full_clean()
    signal.save()
    signals_take_effect(organization=organization, signals=[signal])
    return signal


@transaction.atomic
def signal_set_status(*, signal: Signal, status: str, user: AbstractBaseUser) -> Signal:
    """Acknowledge a signal, or mark it noise (which takes it out of risk and exposure)."""
    if status not in Signal.Status.values:
        raise ValidationError(f"{status!r} is not a signal status.")
    was_noise = signal.status == Signal.Status.NOISE
    signal.status = status
    signal.status_changed_by = user
    signal.save(update_fields=["status", "status_changed_by"])
    if was_noise != (status == Signal.Status.NOISE) and signal.vendor_id:
        moved = vendors_risk_refresh(organization=signal.organization, vendor_ids={signal.vendor_id})
        _exposure_refresh_for_org_vendors(
            organization=signal.organization, vendor_ids={signal.vendor_id} - moved
        )
    return signal
