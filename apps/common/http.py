from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """An HttpRequest as django-htmx's middleware leaves it, for type hints in views."""

    htmx: HtmxDetails


def partial(template: str, request: HttpRequest, name: str) -> str:
    """`template#name` when htmx asked for a fragment, else the whole page.

    htmx restoring history it no longer has cached asks for the whole page (with HX-Request set too)."""
    htmx = getattr(request, "htmx", None)
    return f"{template}#{name}" if htmx and not htmx.history_restore_request else template
