"""The `recent_signals` exposure factor: which signals about a workflow's vendors move its score now.

A workflow counts its own organization's signals (not marked noise) about the vendors of its
primary models, observed within `SIGNAL_WINDOW`, of warning or critical severity (the score gives
info signals no points). The description is the one risk.describe() writes, so the workflow
page's "why" names the signal: "license_change Qwen/Qwen3-8B apache-2.0 → other (critical, 2026-11-29)".
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

from django.utils import timezone

from apps.exposure.factors import FactorDefinition

RECENT_SIGNALS = "recent_signals"
SIGNAL_WINDOW = timedelta(days=30)
MAX_SIGNALS_NAMED = 5
SIGNAL_POINTS = {"warning": 3, "critical": 6}
SIGNAL_POINTS_CAP = 10


def recent_signals_by_workflow(workflow_ids: Iterable[int]) -> dict[int, tuple[tuple[str, str], ...]]:
    """Provider: {workflow id: ((severity, description), …)}, most severe and newest first."""
    from apps.common.vocab import SEVERITY_RANK
    from apps.inventory.models import Dependency
    from apps.watch.models import Signal
    from apps.watch.risk import describe

    workflow_ids = list(workflow_ids)
    if not workflow_ids:
        return {}
    vendors_of: dict[int, set[int]] = defaultdict(set)
    organization_of: dict[int, int] = {}
    primaries = Dependency.objects.filter(
        workflow_id__in=workflow_ids, model__isnull=False, role=Dependency.Role.PRIMARY
    ).values_list("workflow_id", "workflow__organization_id", "model__vendor_id")
    for workflow_id, organization_id, vendor_id in primaries:
        vendors_of[workflow_id].add(vendor_id)
        organization_of[workflow_id] = organization_id
    if not vendors_of:
        return {}

    since = timezone.now() - SIGNAL_WINDOW
    signals = (
        Signal.objects.filter(
            organization_id__in=set(organization_of.values()),
            vendor_id__in={vendor for vendors in vendors_of.values() for vendor in vendors},
            severity__in=["warning", "critical"],
            observed_at__gte=since,
        )
        .exclude(status=Signal.Status.NOISE)
        .order_by("-observed_at", "-id")
    )
    by_org_vendor: dict[tuple[int, int], list[Signal]] = defaultdict(list)
    for signal in signals:
        by_org_vendor[(signal.organization_id, signal.vendor_id)].append(signal)

    result = {}
    for workflow_id, vendor_ids in vendors_of.items():
        found = [s for v in vendor_ids for s in by_org_vendor.get((organization_of[workflow_id], v), [])]
        if not found:
            continue
        found.sort(key=lambda s: (-SEVERITY_RANK[s.severity], -s.observed_at.timestamp()))
        result[workflow_id] = tuple(
            (s.severity, describe(s.as_contract())) for s in found[:MAX_SIGNALS_NAMED]
        )
    return result


def recent_signals_points(signals) -> tuple[str, float] | None:
    points = min(sum(SIGNAL_POINTS.get(severity, 0) for severity, _ in signals), SIGNAL_POINTS_CAP)
    if not points:
        return None
    return "; ".join(description for _, description in signals), points


DEFINITION = FactorDefinition(
    key=RECENT_SIGNALS,
    label="Recent vendor signals",
    order=120,
    points=(
        f"+{SIGNAL_POINTS['warning']} per warning, +{SIGNAL_POINTS['critical']} per critical signal "
        f"of the last {SIGNAL_WINDOW.days} days (at most +{SIGNAL_POINTS_CAP})"
    ),
    why="The situation at the vendor is moving now.",
    evaluate=lambda inputs: recent_signals_points(inputs.provided.get(RECENT_SIGNALS, ())),
    provider=recent_signals_by_workflow,
    refreshed_when="a signal about a primary vendor is recorded or marked noise, and daily as signals age",
)
