"""Reads of the watch capability. Every selector takes the organization and filters by it."""

from dataclasses import dataclass
from datetime import UTC, datetime, time

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from apps.accounts.models import Organization
from apps.inventory.models import AIModel, Vendor
from apps.watch.models import AlertRule, Notification, Signal, Source

SIGNAL_FILTERS = ("kind", "severity", "vendor", "status")


def signal_list_filtered(*, organization: Organization, filters: dict[str, str]) -> QuerySet[Signal]:
    signals = Signal.objects.filter(organization=organization).select_related(
        "vendor", "source", "recorded_by"
    )
    if filters.get("kind"):
        signals = signals.filter(kind=filters["kind"])
    if filters.get("severity"):
        signals = signals.filter(severity=filters["severity"])
    if filters.get("vendor"):
        signals = signals.filter(vendor__slug=filters["vendor"])
    if filters.get("status"):
        signals = signals.filter(status=filters["status"])
    return signals.order_by("-observed_at", "-id")


def signal_for_organization(*, organization: Organization, signal_id: int) -> Signal:
    return get_object_or_404(Signal.objects.select_related("vendor"), organization=organization, pk=signal_id)


def signal_counts_by_status(*, organization: Organization) -> dict[str, int]:
    counts = dict.fromkeys(Signal.Status.values, 0)
    rows = Signal.objects.filter(organization=organization).values("status").annotate(count=Count("pk"))
    counts.update({row["status"]: row["count"] for row in rows.order_by()})
    return counts


def sources_for_organization(*, organization: Organization) -> QuerySet[Source]:
    """The organization's own sources and the shared ones (which feed every organization)."""
    return Source.objects.filter(Q(organization=organization) | Q(organization__isnull=True)).order_by(
        "organization_id", "spec"
    )


def source_for_organization(*, organization: Organization, source_id: int) -> Source:
    """Only the organization's own sources can be changed by it: a shared one is a 404 here."""
    return get_object_or_404(Source, organization=organization, pk=source_id)


def alert_rules_for_organization(*, organization: Organization) -> QuerySet[AlertRule]:
    return AlertRule.objects.filter(organization=organization).select_related("vendor")


def alert_rule_for_organization(*, organization: Organization, rule_id: int) -> AlertRule:
    return get_object_or_404(AlertRule, organization=organization, pk=rule_id)


def inbox_for_user(*, user: AbstractBaseUser, organization: Organization) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(user=user, organization=organization, channel=Notification.Channel.INBOX)
        .select_related("signal__vendor", "rule")
        .order_by("-created_at", "-id")
    )


def inbox_unread_count(*, user: AbstractBaseUser, organization: Organization) -> int:
    return inbox_for_user(user=user, organization=organization).filter(read_at__isnull=True).count()


def vendor_by_slug(*, slug: str) -> Vendor:
    return get_object_or_404(Vendor, slug=slug)


@dataclass(frozen=True)
class Release:
    released_at: datetime
    name: str
    origin: str  # the source spec, or "catalog"


def vendor_releases(*, organization: Organization, vendor: Vendor) -> list[Release]:
    """Every release we know of for the vendor, newest first: what its sources' snapshots list
    (Hub models' creation dates, GitHub releases) and the catalog's release dates."""
    releases: dict[str, Release] = {}
    sources = sources_for_organization(organization=organization).filter(
        kind__in=["hf", "github"], snapshot__vendor=vendor.slug
    )
    for source in sources:
        snapshot = source.snapshot or {}
        if snapshot.get("kind") == "hf":
            for model_id, model in snapshot.get("models", {}).items():
                if model.get("created_at"):
                    releases[model_id] = Release(_parse(model["created_at"]), model_id, source.spec)
        elif snapshot.get("kind") == "github":
            for tag, release in snapshot.get("releases", {}).items():
                if release.get("published_at") and not release.get("prerelease"):
                    name = f"{snapshot['repo']}@{tag}"
                    releases[name] = Release(_parse(release["published_at"]), name, source.spec)
    for model in AIModel.objects.filter(vendor=vendor, release_date__isnull=False):
        if not any(model.name.lower() in name.lower() for name in releases):
            releases[model.name] = Release(
                datetime.combine(model.release_date, time(), tzinfo=UTC), model.name, "catalog"
            )
    return sorted(releases.values(), key=lambda release: release.released_at, reverse=True)


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def imported_signals_link(job) -> tuple[str, str]:
    """Where a `signals` job's result lives (for the job page)."""
    from django.urls import reverse

    return "See the signals", reverse("watch:index", kwargs={"org_slug": job.organization.slug})
