"""Plotly figures of a report, drawn from the report's JSON (so frozen snapshots chart too)."""

import plotly.graph_objects as go

from apps.exposure.charts import exposure_band_split, workflows_by_vendor_and_band


def _section_data(report: dict, key: str) -> dict | None:
    return next((section["data"] for section in report["sections"] if section["key"] == key), None)


def report_figures(report: dict) -> dict[str, go.Figure]:
    """The band donut and the per-vendor bars of the report's `charts` section; {} without it."""
    data = _section_data(report, "charts")
    if not data:
        return {}
    figures = {"bands": exposure_band_split(data["bands"])}
    if data["by_vendor"]:
        figures["vendors"] = workflows_by_vendor_and_band(data["by_vendor"])
    return figures
