"""Plotly figures rendered without inline scripts: the figure travels as JSON, static/js/charts.js draws it."""

import plotly.graph_objects as go

PALETTE = {"high": "#c0262d", "medium": "#d98a00", "low": "#1f7a4d", "accent": "#3b3f9e", "muted": "#8a90a2"}


def base_layout(**overrides) -> dict:
    layout = {
        "margin": {"l": 48, "r": 16, "t": 16, "b": 48},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {
            "family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
            "size": 12,
            "color": "#1d2233",
        },
        "legend": {"orientation": "h", "y": -0.2},
        "height": 320,
    }
    layout.update(overrides)
    return layout


def figure_json(figure: go.Figure) -> dict:
    """The figure as plain JSON for `json_script`."""
    return figure.to_plotly_json()
