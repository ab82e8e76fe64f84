"""Reads for the leadership dashboard beyond the headline numbers: the criticality × switching heatmap,
recent signals with the workflows they affect. Each is a constant number of queries.
"""

from decimal import Decimal

from django.utils import timezone

from apps.accounts.models import Client, Organization
from apps.exposure.actions import SIGNAL_WINDOW, affected_workflows_by_vendor
from apps.exposure.selectors import WorkflowRollup, workflow_rollup

CRITICALITIES = ("high", "medium", "low")
DIFFICULTIES = (1, 2, 3, 4, 5)


def criticality_switching_heatmap(
    *, organization: Organization, client: Client | None = None, rollup: WorkflowRollup | None = None
) -> dict:
    """Rows high → low criticality, columns switching difficulty 1 → 5: workflows and spend per cell."""
    rollup = rollup or workflow_rollup(organization=organization, client=client)
    cells = rollup.cells
    most = max((row["workflows"] for row in cells.values()), default=0)
    rows = []
    for criticality in CRITICALITIES:
        row = []
        for difficulty in DIFFICULTIES:
            cell = cells.get((criticality, difficulty), {"workflows": 0, "spend": None})
            count = cell["workflows"]
            row.append(
                {
                    "criticality": criticality,
                    "difficulty": difficulty,
                    "workflows": count,
                    "spend": cell["spend"] or Decimal(0),
                    # 0 … 4, for the cell's shade; the corner that hurts most is high × 5
                    "heat": 0 if not count else 1 + min(3, int(3 * count / most)) if most else 0,
                }
            )
        rows.append({"criticality": criticality, "cells": row})
    return {"rows": rows, "difficulties": DIFFICULTIES}


def recent_signals_with_workflows(
    *, organization: Organization, client: Client | None = None, limit: int = 5
) -> list[dict]:
    """The latest non-noise vendor signals of the last 30 days, each naming the workflows that use its vendor."""
    from apps.watch.models import Signal

    signals = list(
        Signal.objects.filter(organization=organization, observed_at__gte=timezone.now() - SIGNAL_WINDOW)
        .exclude(status=Signal.Status.NOISE)
        .exclude(source_spec="policies")  # policy alerts name no vendor; the policy panel shows them
        .select_related("vendor")
        .order_by("-observed_at", "-id")[:limit]
    )
    vendor_ids = {signal.vendor_id for signal in signals if signal.vendor_id}
    affected = (
        affected_workflows_by_vendor(organization=organization, client=client, vendor_ids=vendor_ids, names=3)
        if vendor_ids
        else {}
    )
    return [{"signal": signal, "affected": affected.get(signal.vendor_id)} for signal in signals]
