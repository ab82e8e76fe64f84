import plotly.graph_objects as go

from apps.common.charts import PALETTE, base_layout


def workflows_by_vendor_and_band(rows: list[dict]) -> go.Figure:
    """Stacked bars: for each vendor, its dependent workflows split by exposure band."""
    names = [row["name"] for row in rows]
    figure = go.Figure()
    for band in ("high", "medium", "low"):
        figure.add_bar(
            name=f"{band.capitalize()} exposure",
            x=names,
            y=[row[band] for row in rows],
            marker_color=PALETTE[band],
        )
    figure.update_layout(**base_layout(barmode="stack", yaxis={"title": "Workflows", "rangemode": "tozero"}))
    return figure


def exposure_band_split(summary: dict) -> go.Figure:
    """A donut of workflows by exposure band."""
    bands = ("high", "medium", "low")
    values = [summary[band] or 0 for band in bands]
    figure = go.Figure(
        go.Pie(
            labels=[band.capitalize() for band in bands],
            values=values,
            hole=0.55,
            marker={"colors": [PALETTE[band] for band in bands]},
            sort=False,
            # The count of workflows, upright inside its slice; an empty band gets no stray "0%" label.
            text=[str(value) if value else "" for value in values],
            textinfo="text",
            textposition="inside",
            insidetextorientation="horizontal",
            hovertemplate="%{label}: %{value} workflow(s), %{percent}<extra></extra>",
        )
    )
    figure.update_layout(**base_layout(height=260, showlegend=True))
    return figure


def exposure_trend(snapshots: list) -> go.Figure:
    """Mean exposure and highly exposed workflows per day, from the daily snapshots."""
    days = [snapshot.day.isoformat() for snapshot in snapshots]
    figure = go.Figure()
    figure.add_scatter(
        name="Mean exposure",
        x=days,
        y=[snapshot.mean_score for snapshot in snapshots],
        mode="lines+markers",
        line={"color": PALETTE["accent"]},
    )
    figure.add_scatter(
        name="Highly exposed workflows",
        x=days,
        y=[snapshot.high for snapshot in snapshots],
        mode="lines+markers",
        line={"color": PALETTE["high"], "dash": "dot"},
        yaxis="y2",
    )
    figure.update_layout(
        **base_layout(
            height=260,
            yaxis={"title": "Mean score", "rangemode": "tozero"},
            yaxis2={
                "title": "High",
                "overlaying": "y",
                "side": "right",
                "rangemode": "tozero",
                "showgrid": False,
            },
        )
    )
    return figure
