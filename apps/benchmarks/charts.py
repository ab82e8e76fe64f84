"""Figures of a benchmark run, one pure function each, fed by ``selectors.run_comparison``.

Models without a price are left out of the quality-vs-cost chart (never drawn at $0); the page
lists them beside the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from apps.common.charts import PALETTE, base_layout


@dataclass(frozen=True, slots=True)
class QualityCostPoint:
    name: str
    cost_per_1k: float
    quality: float  # pass rate, or mean score for runs without pass/fail
    self_hostable: bool | None


def quality_cost_points(columns: Sequence) -> tuple[list[QualityCostPoint], list[str]]:
    """(points to plot, names of the models left out because their cost or quality is unknown)."""
    points, unpriced = [], []
    for column in columns:
        summary = column.summary
        quality = summary.pass_rate if summary.pass_rate is not None else summary.mean_score
        if column.cost_per_1k is None or quality is None:
            unpriced.append(column.standing.name)
            continue
        points.append(
            QualityCostPoint(column.standing.name, column.cost_per_1k, quality, column.standing.self_hostable)
        )
    return points, unpriced


def quality_vs_cost_chart(points: Sequence[QualityCostPoint]) -> go.Figure:
    figure = go.Figure()
    for hostable, label, color in (
        (True, "Self-hostable", PALETTE["low"]),
        (False, "API or unknown", PALETTE["accent"]),
    ):
        chosen = [point for point in points if bool(point.self_hostable) is hostable]
        if not chosen:
            continue
        figure.add_trace(
            go.Scatter(
                x=[point.cost_per_1k for point in chosen],
                y=[point.quality for point in chosen],
                text=[point.name for point in chosen],
                mode="markers+text",
                textposition="top center",
                name=label,
                marker={"size": 12, "color": color},
                hovertemplate="%{text}<br>$%{x:.4f} per 1,000 requests<br>quality %{y:.0%}<extra></extra>",
            )
        )
    figure.update_layout(
        **base_layout(
            xaxis={"title": {"text": "Cost per 1,000 requests (USD)"}, "rangemode": "tozero"},
            yaxis={"title": {"text": "Pass rate"}, "tickformat": ".0%", "range": [0, 1.05]},
        )
    )
    return figure


def latency_box_chart(latencies_by_model: dict[str, list[float]]) -> go.Figure:
    figure = go.Figure()
    for name, latencies in latencies_by_model.items():
        if latencies:
            figure.add_trace(go.Box(y=latencies, name=name, boxpoints="all", jitter=0.3, marker={"size": 4}))
    figure.update_layout(
        **base_layout(yaxis={"title": {"text": "Latency (ms)"}, "rangemode": "tozero"}, showlegend=False)
    )
    return figure
