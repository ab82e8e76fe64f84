"""Formatting of benchmark numbers: an unknown value reads "unknown", never 0."""

from django import template

register = template.Library()


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{value:.0%}"


@register.filter
def usd(value) -> str:
    if value is None:
        return "unknown"
    return "$0" if value == 0 else f"${value:,.4g}" if value < 1 else f"${value:,.2f}"


@register.filter
def number(value, digits: int = 0) -> str:
    return "—" if value is None else f"{value:,.{int(digits)}f}"
