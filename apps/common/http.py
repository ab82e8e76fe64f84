from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """An HttpRequest as django-htmx's middleware leaves it, for type hints in views."""

    htmx: HtmxDetails


def partial(template: str, request: HttpRequest, name: str) -> str:
    """`template#name` when htmx asked for a fragment, else the whole page."""
    return f"{template}#{name}" if getattr(request, "htmx", False) else template
