import plotly.graph_objects as go

from apps.common.charts import PALETTE, base_layout

TIER_COLOURS = {"open": PALETTE["accent"], "proprietary": PALETTE["medium"], "unclassified": PALETTE["muted"]}


def monthly_spend_by_tier(snapshots: list) -> go.Figure:
    """Stacked bars: the monthly spend by tier at the end of each month (the last daily snapshot)."""
    months = [snapshot.day.strftime("%b %Y") for snapshot in snapshots]
    figure = go.Figure()
    for tier, field in (
        ("open", "open_usd"),
        ("proprietary", "proprietary_usd"),
        ("unclassified", "unclassified_usd"),
    ):
        figure.add_bar(
            name=tier.capitalize(),
            x=months,
            y=[float(getattr(snapshot, field)) for snapshot in snapshots],
            marker_color=TIER_COLOURS[tier],
        )
    figure.update_layout(
        **base_layout(barmode="stack", height=280, yaxis={"title": "USD a month", "rangemode": "tozero"})
    )
    return figure
