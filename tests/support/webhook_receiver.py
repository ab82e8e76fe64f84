"""A local webhook endpoint that checks Standard Webhooks signatures the way a client's would.

The check is written here from the specification, not imported from apps.watch.webhooks, so a
test proves our signatures verify for an independent receiver.

    receiver = WebhookReceiver(secret="whsec_…")
    receiver.fail_next(503, times=2)     # make the first deliveries fail, to exercise retries
    # POST anything to receiver.url; receiver.deliveries holds what it accepted
"""

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Delivery:
    msg_id: str
    timestamp: int
    payload: Any


class WebhookReceiver(ThreadingHTTPServer):
    daemon_threads = True
    tolerance_seconds = 300

    def __init__(self, *, secret: str) -> None:
        super().__init__(("127.0.0.1", 0), _ReceiverHandler)
        self.secret = secret
        self.deliveries: list[Delivery] = []  # accepted, in order, duplicates included
        self.rejections: list[str] = []  # why each refused request was refused
        self.failures: list[int] = []

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/hooks"

    def fail_next(self, status: int, *, times: int = 1) -> None:
        self.failures.extend([status] * times)

    def unique_messages(self) -> dict[str, Delivery]:
        """Deliveries by webhook-id: what a receiver that deduplicates would act on."""
        return {delivery.msg_id: delivery for delivery in self.deliveries}

    def signature_problem(self, headers: Any, body: bytes) -> str | None:
        msg_id, timestamp = headers.get("webhook-id"), headers.get("webhook-timestamp")
        signatures = headers.get("webhook-signature")
        if not (msg_id and timestamp and signatures):
            return "missing headers"
        if abs(time.time() - int(timestamp)) > self.tolerance_seconds:
            return "stale timestamp"
        key = base64.b64decode(self.secret.split("_", 1)[1])
        digest = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
        expected = base64.b64encode(digest).decode()
        for candidate in signatures.split(" "):
            version, _, signature = candidate.partition(",")
            if version == "v1" and hmac.compare_digest(signature, expected):
                return None
        return "bad signature"


class _ReceiverHandler(BaseHTTPRequestHandler):
    server: WebhookReceiver

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.server.failures:
            self._answer(self.server.failures.pop(0))
            return
        if problem := self.server.signature_problem(self.headers, body):
            self.server.rejections.append(problem)
            self._answer(401)
            return
        self.server.deliveries.append(
            Delivery(
                msg_id=self.headers["webhook-id"],
                timestamp=int(self.headers["webhook-timestamp"]),
                payload=json.loads(body),
            )
        )
        self._answer(204)

    def _answer(self, status: int) -> None:
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()
