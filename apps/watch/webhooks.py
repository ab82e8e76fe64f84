"""Webhooks signed the Standard Webhooks way (https://www.standardwebhooks.com/).

Every delivery carries three headers:
    webhook-id         the message id, the same on every retry so the receiver can deduplicate
    webhook-timestamp  Unix seconds of this attempt (receivers reject stale ones: replay guard)
    webhook-signature  "v1,<base64 HMAC-SHA256 over '{id}.{timestamp}.{body}'>", space-separated
                       when several secrets are valid during a rotation
The secret is "whsec_" + base64 of the key bytes.

Signing is the `standardwebhooks` package's (the specification's reference library). `deliver`
posts the JSON body through the SSRF guard (apps/common/outbound.py) and retries by the project's
one retry policy on network errors, 408, 429 (honouring Retry-After) and 5xx; any other 4xx is the
receiver refusing, and an address the guard refuses is not tried again either.
"""

import base64
import hmac
import json
import secrets
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from standardwebhooks import Webhook

from apps.common import outbound
from apps.watch.contract import format_timestamp

SECRET_PREFIX = "whsec_"
TIMESTAMP_TOLERANCE_SECONDS = 5 * 60
RETRYABLE_STATUSES = outbound.RETRYABLE_STATUSES


class WebhookVerificationError(Exception):
    pass


def generate_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def sign(secret: str, *, msg_id: str, timestamp: int, body: bytes) -> str:
    """ "v1,<signature>" over '{id}.{timestamp}.{body}', by the standardwebhooks library."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    return Webhook(secret).sign(msg_id=msg_id, timestamp=moment, data=body.decode())


def signed_headers(secret: str, *, msg_id: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, msg_id=msg_id, timestamp=timestamp, body=body),
        "content-type": "application/json",
    }


def verify(
    secret: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    now: float | None = None,
    tolerance: int = TIMESTAMP_TOLERANCE_SECONDS,
) -> None:
    """Raise WebhookVerificationError unless one of the signatures matches and the timestamp is fresh.

    `headers` must look names up case-insensitively (http.server's and httpx's headers do). The
    freshness check is ours so that `now` can be given; the signature is the library's.
    """
    msg_id = headers.get("webhook-id")
    timestamp_text = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not (msg_id and timestamp_text and signatures):
        raise WebhookVerificationError("missing webhook-id, webhook-timestamp or webhook-signature")
    try:
        timestamp = int(timestamp_text)
    except ValueError as error:
        raise WebhookVerificationError("webhook-timestamp is not a Unix time") from error
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        raise WebhookVerificationError("webhook-timestamp is too old or too far in the future")
    expected = sign(secret, msg_id=msg_id, timestamp=timestamp, body=body)
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures.split()):
        raise WebhookVerificationError("no signature matches")


def event_payload(event_type: str, data: Mapping[str, Any], *, now: datetime) -> dict[str, Any]:
    """The Standard Webhooks envelope: {"type", "timestamp", "data"}."""
    return {"type": event_type, "timestamp": format_timestamp(now), "data": dict(data)}


@dataclass
class DeliveryResult:
    msg_id: str
    delivered: bool
    attempts: int
    status_code: int | None = None
    error: str | None = None
    # Worth trying again later (a task retry): network trouble or a retryable status, never a
    # receiver that refused nor an address the outbound guard does not allow.
    retryable: bool = False
    asked_wait: float | None = None  # the receiver's Retry-After, in seconds


def deliver(
    url: str,
    payload: Mapping[str, Any],
    *,
    secret: str,
    msg_id: str | None = None,
    max_attempts: int = 5,
    backoff_base: float = 1.0,
    max_backoff: float = 30.0,  # longer waits belong to the task's own retry, not a sleeping worker
    timeout: float = 10.0,
    sleep: Callable[[float], None] = time.sleep,
) -> DeliveryResult:
    """POST the payload, signed, retrying what is worth retrying. Never raises for HTTP trouble.

    Pass a stable `msg_id` (e.g. "notification-<pk>") so that a delivery re-queued by a task
    retry is recognisably the same message to the receiver. Each attempt is signed afresh (a new
    webhook-timestamp) under the same webhook-id.
    """
    msg_id = msg_id or f"msg_{uuid.uuid4().hex}"
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    policy = outbound.RetryPolicy(attempts=max_attempts, backoff_base=backoff_base, max_wait=max_backoff)

    with outbound.client(timeout=timeout) as client:

        def attempt() -> DeliveryResult:
            try:
                response = client.post(
                    url, content=body, headers=signed_headers(secret, msg_id=msg_id, body=body)
                )
            except httpx.TransportError as error:
                blocked = outbound.is_blocked(error)
                return DeliveryResult(
                    msg_id, False, 0, error=outbound.describe_error(error), retryable=not blocked
                )
            if response.is_success:
                return DeliveryResult(msg_id, True, 0, status_code=response.status_code)
            retryable = response.status_code in RETRYABLE_STATUSES
            return DeliveryResult(
                msg_id,
                False,
                0,
                status_code=response.status_code,
                error=f"HTTP {response.status_code}",
                retryable=retryable,
                asked_wait=outbound.retry_after_seconds(response.headers) if retryable else None,
            )

        retried = outbound.retry_call(
            attempt,
            policy=policy,
            should_retry=lambda result: result.retryable,
            asked_wait=lambda result: result.asked_wait,
            sleep=sleep,
        )
    result = retried.outcome
    result.attempts = retried.attempts
    return result
