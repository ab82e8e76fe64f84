"""The client's address for log-in throttling when Riskboard runs behind the compose proxy."""

from django.http import HttpRequest


def client_ip_behind_proxy(request: HttpRequest) -> str | None:
    """The right-most X-Forwarded-For address: the one our proxy wrote for the connection it accepted.

    Addresses to its left came from the client and could be anything. Used only when
    RISKBOARD_BEHIND_PROXY is on (see settings); otherwise REMOTE_ADDR is the client.
    """
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    return forwarded[-1] if forwarded else request.META.get("REMOTE_ADDR")
