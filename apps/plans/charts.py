"""Charts of the plans app: one pure function per figure, fed by a selector (apps/plans/selectors.py)."""

import datetime as dt

import plotly.graph_objects as go

from apps.common.charts import PALETTE, base_layout
from apps.plans.selectors import TimelineBar

STATUS_COLOURS = {
    "done": PALETTE["low"],
    "in_progress": PALETTE["medium"],
    "todo": PALETTE["accent"],
    "overdue": PALETTE["high"],
}
STATUS_NAMES = {"done": "Done", "in_progress": "In progress", "todo": "To do", "overdue": "Overdue"}
DAY_MS = 24 * 60 * 60 * 1000


def _legend_status(bar: TimelineBar) -> str:
    return "overdue" if bar.overdue else bar.status


def plan_steps_timeline(bars: list[TimelineBar], *, today: dt.date) -> go.Figure:
    """Each plan's steps as bars from start to due, one row per plan, coloured by status; a line at today."""
    figure = go.Figure()
    plans = list(dict.fromkeys(bar.plan_label for bar in bars))
    for status in ("done", "in_progress", "todo", "overdue"):
        chosen = [bar for bar in bars if _legend_status(bar) == status]
        if not chosen:
            continue
        figure.add_bar(
            name=STATUS_NAMES[status],
            orientation="h",
            y=[bar.plan_label for bar in chosen],
            base=[bar.start.isoformat() for bar in chosen],
            x=[(bar.end - bar.start).days * DAY_MS for bar in chosen],
            customdata=[[bar.step, bar.start.isoformat(), bar.end.isoformat()] for bar in chosen],
            hovertemplate="%{customdata[0]}<br>%{customdata[1]} → %{customdata[2]}<extra></extra>",
            marker={"color": STATUS_COLOURS[status], "line": {"color": "#ffffff", "width": 1}},
        )
    figure.add_shape(
        type="line",
        x0=today.isoformat(),
        x1=today.isoformat(),
        y0=0,
        y1=1,
        yref="paper",
        line={"color": PALETTE["muted"], "dash": "dot"},
    )
    figure.update_layout(
        **base_layout(
            barmode="overlay",
            height=max(220, 70 + 44 * len(plans)),
            xaxis={"type": "date", "title": None},
            yaxis={"categoryorder": "array", "categoryarray": list(reversed(plans)), "automargin": True},
            margin={"l": 16, "r": 16, "t": 16, "b": 48},
        )
    )
    return figure
