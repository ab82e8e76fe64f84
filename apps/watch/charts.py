"""Watch charts: pure functions from plain values to Plotly figures (rendered by {% plotly_chart %})."""

from datetime import datetime

import plotly.graph_objects as go

from apps.common.charts import PALETTE, base_layout
from apps.watch.cadence import Cadence


def cadence_points(cadence: Cadence, *, now: datetime) -> dict:
    """The numbers behind the cadence chart: each interval between releases, then the wait so far."""
    starts = cadence.release_starts[-len(cadence.intervals) - 1 :]
    labels = [later.strftime("%Y-%m-%d") for later in starts[1:]]
    days = [round(interval.total_seconds() / 86400, 1) for interval in cadence.intervals]
    waiting = round((now - cadence.latest_release).total_seconds() / 86400, 1)
    return {
        "labels": [*labels, "now"],
        "days": [*days, waiting],
        "threshold_days": round(cadence.slip_threshold.total_seconds() / 86400, 1),
        "median_days": round(cadence.median_interval.total_seconds() / 86400, 1),
        "slipping": cadence.is_slipping(now),
    }


def release_intervals_against_slip_threshold(cadence: Cadence, *, now: datetime) -> go.Figure:
    """Bars: days between consecutive releases, and (last bar) days since the latest one,
    against the slip threshold line; the wait so far turns red once it crosses the line."""
    points = cadence_points(cadence, now=now)
    colors = [PALETTE["accent"]] * (len(points["days"]) - 1)
    colors.append(PALETTE["high"] if points["slipping"] else PALETTE["muted"])
    figure = go.Figure()
    figure.add_bar(
        x=points["labels"],
        y=points["days"],
        marker_color=colors,
        name="Days since the previous release",
        hovertemplate="%{x}: %{y} days<extra></extra>",
    )
    figure.add_scatter(
        x=points["labels"],
        y=[points["threshold_days"]] * len(points["labels"]),
        mode="lines",
        line={"color": PALETTE["high"], "dash": "dash"},
        name=f"Slip threshold ({points['threshold_days']:g} days)",
    )
    figure.add_scatter(
        x=points["labels"],
        y=[points["median_days"]] * len(points["labels"]),
        mode="lines",
        line={"color": PALETTE["muted"], "dash": "dot"},
        name=f"Median interval ({points['median_days']:g} days)",
    )
    figure.update_layout(
        **base_layout(yaxis={"title": "Days", "rangemode": "tozero"}, xaxis={"type": "category"})
    )
    return figure
