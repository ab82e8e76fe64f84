from decimal import Decimal

from django import template

from apps.budget.budget import Band

register = template.Library()

STATUS_LABELS = {"below": "below the band", "within": "within the band", "above": "above the band"}


@register.filter
def percent(value) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value) * 100:.0f} %"


@register.filter
def pct_number(value) -> str:
    """A share as a CSS percentage number (dot decimal whatever the locale)."""
    return f"{min(max(Decimal(value or 0) * 100, Decimal(0)), Decimal(100)):.2f}"


@register.filter
def band_width(band: Band) -> str:
    return f"{max(Decimal(band.open_max) - Decimal(band.open_min), Decimal(0)) * 100:.2f}"


@register.filter
def band_status(band: Band, share) -> str | None:
    return band.status(share)


@register.filter
def status_label(status: str | None) -> str:
    return STATUS_LABELS.get(status or "", "")


@register.filter
def usd(value) -> str:
    """Whole dollars with a sign only when negative: $1,234."""
    if value is None:
        return "—"
    value = Decimal(value)
    return f"{'−' if value < 0 else ''}${abs(value):,.0f}"


@register.filter
def signed_usd(value) -> str:
    value = Decimal(value or 0)
    return f"{'+' if value >= 0 else '−'}${abs(value):,.0f}"
