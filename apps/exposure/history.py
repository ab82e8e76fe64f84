"""Keeping scores true over time, and remembering them: the daily refresh and its snapshots.

Scores depend on time: a signal raises a vendor's risk for 180 days (apps/watch/risk.py) and adds
points for 30 (apps/watch/exposure_factors.py). Nothing else happens when a signal ages, so every day
`organization_refresh` re-assesses the organization's vendor risk through the watch service (never a
copy of its rules), recomputes every workflow's score (storing, through `exposure_refresh`, the ones
that moved), and records a `DailySnapshot` (mean score,
workflows and spend per band, spend per tier) that the exposure and budget trends read.

Beat runs `apps.exposure.tasks.refresh_all_organizations` daily (settings.CELERY_BEAT_SCHEDULE), which fans
out one `refresh_organization` task per organization; `manage.py exposure --refresh` runs the same
service inline. An admin edit of a catalog model or vendor refreshes the workflows that depend on it
(`catalog_model_changed`, `vendor_changed`).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone

from apps.accounts.models import Organization
from apps.budget.budget import cents, totals_of
from apps.budget.selectors import spend_groups
from apps.exposure.models import DailySnapshot
from apps.exposure.services import exposure_refresh
from apps.inventory.models import Dependency, OrganizationVendorRisk, Workflow


@dataclass(frozen=True)
class RefreshReport:
    organization: str
    workflows: int  # checked
    rescored: int  # whose score, band or factors moved
    vendors_moved: int
    snapshot: DailySnapshot


def _vendors_to_reassess(organization: Organization) -> set[int]:
    """Vendors the organization depends on, or whose level its signals raised (they may have calmed)."""
    from apps.watch.models import Signal

    ids = set(
        Dependency.objects.filter(workflow__organization=organization, model__isnull=False)
        .values_list("model__vendor_id", flat=True)
        .distinct()
    )
    ids |= set(
        OrganizationVendorRisk.objects.filter(organization=organization).values_list("vendor_id", flat=True)
    )
    ids |= set(
        Signal.objects.filter(organization=organization, vendor__isnull=False)
        .values_list("vendor_id", flat=True)
        .distinct()
    )
    return ids


def organization_refresh(*, organization: Organization, now: datetime | None = None) -> RefreshReport:
    """Re-assess vendor risk, recompute every score, and record today's snapshot."""
    from apps.watch.services.risk import vendors_risk_refresh

    now = now or timezone.now()
    moved = vendors_risk_refresh(
        organization=organization, vendor_ids=_vendors_to_reassess(organization), now=now
    )
    workflow_ids = list(Workflow.objects.filter(organization=organization).values_list("id", flat=True))
    rescored = exposure_refresh(workflow_ids=workflow_ids)  # writes only the workflows that moved
    snapshot = snapshot_record(organization=organization, day=timezone.localdate(now), now=now)
    return RefreshReport(organization.slug, len(workflow_ids), rescored, len(moved), snapshot)


def snapshot_record(*, organization: Organization, day: date, now: datetime | None = None) -> DailySnapshot:
    """Today's figures (three aggregate queries); a second recording on the same day replaces the first."""
    bands = Workflow.objects.filter(organization=organization).aggregate(
        workflows=Count("id"),
        mean_score=Avg("exposure_score"),
        high=Count("id", filter=Q(exposure_band="high")),
        medium=Count("id", filter=Q(exposure_band="medium")),
        low=Count("id", filter=Q(exposure_band="low")),
        spend_high=Sum("monthly_cost", filter=Q(exposure_band="high")),
        spend_medium=Sum("monthly_cost", filter=Q(exposure_band="medium")),
        spend_low=Sum("monthly_cost", filter=Q(exposure_band="low")),
    )
    tiers = totals_of(spend_groups(organization=organization).lines)
    values = {
        **{key: value or 0 for key, value in bands.items() if key != "mean_score"},
        "mean_score": round(bands["mean_score"], 1) if bands["mean_score"] is not None else None,
        "open_usd": cents(tiers.open),
        "proprietary_usd": cents(tiers.proprietary),
        "unclassified_usd": cents(tiers.unclassified),
        "recorded_at": now or timezone.now(),
    }
    snapshot, _ = DailySnapshot.objects.update_or_create(organization=organization, day=day, defaults=values)
    return snapshot


def all_organizations_refresh(*, now: datetime | None = None) -> list[RefreshReport]:
    return [
        organization_refresh(organization=organization, now=now)
        for organization in Organization.objects.all()
    ]


def catalog_model_changed(*, model_id: int) -> int:
    """A catalog model was edited (open weights, licence, vendor …): rescore every workflow using it."""
    workflow_ids = (
        Dependency.objects.filter(model_id=model_id).values_list("workflow_id", flat=True).distinct()
    )
    return exposure_refresh(workflow_ids=list(workflow_ids))


def vendor_changed(*, vendor_id: int) -> int:
    workflow_ids = (
        Dependency.objects.filter(model__vendor_id=vendor_id).values_list("workflow_id", flat=True).distinct()
    )
    return exposure_refresh(workflow_ids=list(workflow_ids))


def snapshots_for(
    *, organization: Organization, days: int = 365, today: date | None = None
) -> list[DailySnapshot]:
    today = today or timezone.localdate()
    return list(
        DailySnapshot.objects.filter(
            organization=organization, day__gt=today - timedelta(days=days)
        ).order_by("day")
    )


def monthly_snapshots(*, organization: Organization, months: int = 12) -> list[DailySnapshot]:
    """The last snapshot of each month (the budget's monthly trend), oldest first."""
    rows = (
        DailySnapshot.objects.filter(organization=organization)
        .order_by("-day")
        .values_list("id", "day")[: months * 31 + 31]
    )
    last_of_month: dict[tuple[int, int], int] = {}
    for snapshot_id, day in rows:
        last_of_month.setdefault((day.year, day.month), snapshot_id)
    keep = sorted(last_of_month.items())[-months:]
    by_id = DailySnapshot.objects.in_bulk([snapshot_id for _, snapshot_id in keep])
    return [by_id[snapshot_id] for _, snapshot_id in keep]


def spend_total(snapshot: DailySnapshot) -> Decimal:
    return snapshot.open_usd + snapshot.proprietary_usd + snapshot.unclassified_usd
