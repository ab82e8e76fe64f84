import uuid

from django import template
from django.utils.html import format_html, json_script

from apps.common.charts import figure_json

register = template.Library()


@register.simple_tag
def plotly_chart(figure, label: str = "Chart") -> str:
    """A chart placeholder plus its figure as JSON; static/js/charts.js draws it (no inline script, CSP-safe)."""
    element_id = f"chart-{uuid.uuid4().hex[:10]}"
    return format_html(
        '<div class="chart" role="img" aria-label="{}" data-plotly-figure="{}-data"></div>{}',
        label,
        element_id,
        json_script(figure_json(figure), f"{element_id}-data"),
    )
