"""Webhooks signed the Standard Webhooks way (https://www.standardwebhooks.com/).

Every delivery carries three headers:
    webhook-id         the message id, the same on every retry so the receiver can deduplicate
    webhook-timestamp  Unix seconds of this attempt (receivers reject stale ones: replay guard)
    webhook-signature  "v1,<base64 HMAC-SHA256 over '{id}.{timestamp}.{body}'>", space-separated
                       when several secrets are valid during a rotation
The secret is "whsec_" + base64 of the key bytes.

`deliver` posts the JSON body and retries with exponential backoff on network errors, 408, 429
(honouring Retry-After) and 5xx; any other 4xx is the receiver refusing, so it stops.
"""

import base64
import hashlib
import hmac
import json
import secrets
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from apps.watch.contract import format_timestamp

SECRET_PREFIX = "whsec_"
SIGNATURE_VERSION = "v1"
TIMESTAMP_TOLERANCE_SECONDS = 5 * 60
RETRYABLE_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


class WebhookVerificationError(Exception):
    pass


def generate_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def sign(secret: str, *, msg_id: str, timestamp: int, body: bytes) -> str:
    signed_content = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed_content, hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode()}"


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

    `headers` must look names up case-insensitively (http.server's and httpx's headers do).
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
    retry is recognisably the same message to the receiver.
    """
    msg_id = msg_id or f"msg_{uuid.uuid4().hex}"
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    result = DeliveryResult(msg_id=msg_id, delivered=False, attempts=0)
    with httpx.Client(timeout=timeout) as client:
        while result.attempts < max_attempts:
            result.attempts += 1
            delay = backoff_base * 2 ** (result.attempts - 1)
            try:
                response = client.post(
                    url, content=body, headers=signed_headers(secret, msg_id=msg_id, body=body)
                )
            except httpx.TransportError as error:
                result.status_code, result.error = None, f"{type(error).__name__}: {error}"
            else:
                result.status_code = response.status_code
                if response.is_success:
                    result.delivered, result.error = True, None
                    return result
                result.error = f"HTTP {response.status_code}"
                if response.status_code not in RETRYABLE_STATUSES:
                    return result
                retry_after = response.headers.get("retry-after", "")
                if retry_after.isdigit():
                    delay = float(retry_after)
            if result.attempts < max_attempts:
                sleep(min(delay, max_backoff))
    return result
