"""A local OpenAI-compatible HTTP server for tests: real HTTP, real SSE, deterministic answers.

    with OpenAICompatibleServer() as server:
        client = OpenAI(base_url=server.base_url, api_key="test")

It serves ``POST /v1/chat/completions`` (plain and streaming, with a final usage chunk when asked
with ``stream_options.include_usage``, then ``data: [DONE]``), ``POST /v1/embeddings`` and
``GET /v1/models``. What a model does depends on its name:

==================  ===========================================================================
(any other name)    answers ``Echo: <last user message>``, one word per streamed chunk
``json-writer``     answers ``{"headline": "<last user message>", "language": "de"}``
``rate-limited``    the first request answers 429 with ``Retry-After`` (``retry_after``), then works
``flaky``           the first request answers 500, then works
``broken``          always 500
``slow``            waits ``slow_delay_s`` before answering
``ollama-stats``    the usage chunk also carries Ollama's ``eval_count``/``eval_duration``
``no-usage``        never reports usage, as servers that ignore ``stream_options`` do
==================  ===========================================================================

Token counts are words: prompt tokens = words in all messages, completion tokens = words in the
answer. Embeddings hash each word into ``EMBEDDING_DIMENSIONS`` buckets, so texts sharing words are
similar and the vectors are the same on every run. ``in_flight``/``max_in_flight`` count requests
being served at once, for tests that check a client's concurrency limit.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

EMBEDDING_DIMENSIONS = 64


class _ThreadingServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the stdlib's 5 resets connections when many clients connect at once


class OpenAICompatibleServer:
    def __init__(
        self,
        *,
        api_key: str | None = None,
        first_token_delay_s: float = 0.0,
        chunk_delay_s: float = 0.0,
        response_delay_s: float = 0.0,
        slow_delay_s: float = 2.0,
        retry_after: str = "1",
    ) -> None:
        self.api_key = api_key
        self.first_token_delay_s = first_token_delay_s
        self.chunk_delay_s = chunk_delay_s
        self.response_delay_s = response_delay_s  # every request, before anything is sent
        self.slow_delay_s = slow_delay_s
        self.retry_after = retry_after
        self._lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self.requests: list[dict[str, Any]] = []
        self._failures_served: Counter[str] = Counter()
        self._httpd = _ThreadingServer(("127.0.0.1", 0), _make_handler(self))
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> OpenAICompatibleServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> OpenAICompatibleServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- bookkeeping ------------------------------------------------------------------------------

    def requests_for(self, model: str) -> list[dict[str, Any]]:
        with self._lock:
            return [request for request in self.requests if request.get("model") == model]

    def _enter(self, request: dict[str, Any]) -> None:
        with self._lock:
            self.requests.append(request)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def _leave(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def _fail_first(self, model: str) -> bool:
        """True the first time a model is asked (the rate-limited and flaky models)."""
        with self._lock:
            self._failures_served[model] += 1
            return self._failures_served[model] == 1


# -- deterministic behaviour ---------------------------------------------------------------------


def words(text: str) -> list[str]:
    return text.split()


def answer_for(model: str, messages: list[dict[str, Any]]) -> str:
    last_user = next((str(m.get("content", "")) for m in reversed(messages) if m.get("role") == "user"), "")
    if model == "json-writer":
        return json.dumps({"headline": last_user, "language": "de"})
    return f"Echo: {last_user}"


def embedding_for(text: str) -> list[float]:
    vector = [0.0] * EMBEDDING_DIMENSIONS
    for word in words(text.lower()):
        bucket = int.from_bytes(hashlib.md5(word.strip(".,!?:;\"'").encode()).digest()[:4], "big")
        vector[bucket % EMBEDDING_DIMENSIONS] += 1.0
    norm = math.sqrt(sum(x * x for x in vector)) or 1.0
    return [x / norm for x in vector]


# -- HTTP ----------------------------------------------------------------------------------------


def _make_handler(server: OpenAICompatibleServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real servers do; streams use chunked encoding
        # TCP_NODELAY, as uvicorn and Ollama set it: without it every small write after the first
        # waits for the client's delayed ACK (~40 ms) and latencies measure the kernel, not the model.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet test output

        def do_GET(self) -> None:
            if self.path.rstrip("/") == "/v1/models":
                self._json(
                    200, {"object": "list", "data": [{"id": "echo", "object": "model", "owned_by": "tests"}]}
                )
            else:
                self._json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                self._json(400, {"error": {"message": "body is not JSON", "type": "invalid_request_error"}})
                return
            server._enter({"path": self.path, "model": body.get("model"), "stream": bool(body.get("stream"))})
            try:
                if server.response_delay_s:
                    time.sleep(server.response_delay_s)
                if server.api_key and self.headers.get("Authorization") != f"Bearer {server.api_key}":
                    self._json(
                        401, {"error": {"message": "invalid api key", "type": "invalid_request_error"}}
                    )
                elif self.path == "/v1/chat/completions":
                    self._chat(body)
                elif self.path == "/v1/embeddings":
                    self._embeddings(body)
                else:
                    self._json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
            finally:
                server._leave()

        # -- endpoints ------------------------------------------------------------------------

        def _chat(self, body: dict[str, Any]) -> None:
            model = str(body.get("model", ""))
            messages = body.get("messages") or []
            if model == "rate-limited" and server._fail_first(model):
                error = {"error": {"message": "rate limit reached", "type": "rate_limit_error"}}
                self._json(429, error, headers={"Retry-After": server.retry_after})
                return
            if model == "broken" or (model == "flaky" and server._fail_first(model)):
                self._json(500, {"error": {"message": "internal error", "type": "server_error"}})
                return
            if model == "slow":
                time.sleep(server.slow_delay_s)

            answer = answer_for(model, messages)
            usage = {
                "prompt_tokens": sum(len(words(str(m.get("content", "")))) for m in messages),
                "completion_tokens": len(words(answer)),
            }
            usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
            if model == "ollama-stats":
                usage |= {"eval_count": usage["completion_tokens"], "eval_duration": 250_000_000}
            completion_id = (
                f"chatcmpl-{hashlib.sha1(json.dumps(body, sort_keys=True).encode()).hexdigest()[:12]}"
            )

            if body.get("stream"):
                include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
                self._stream_chat(completion_id, model, answer, usage if include_usage else None)
                return
            document = {
                "id": completion_id,
                "object": "chat.completion",
                "created": 1_700_000_000,
                "model": model,
                "choices": [
                    {"index": 0, "message": {"role": "assistant", "content": answer}, "finish_reason": "stop"}
                ],
            }
            if model != "no-usage":
                document["usage"] = usage
            self._json(200, document)

        def _stream_chat(
            self, completion_id: str, model: str, answer: str, usage: dict[str, Any] | None
        ) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()

            def chunk(choices: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
                return {
                    "id": completion_id,
                    "object": "chat.completion.chunk",
                    "created": 1_700_000_000,
                    "model": model,
                    "choices": choices,
                    **extra,
                }

            self._event(
                chunk([{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}])
            )
            if server.first_token_delay_s:
                time.sleep(server.first_token_delay_s)
            pieces = answer.split(" ")
            for index, piece in enumerate(pieces):
                if index and server.chunk_delay_s:
                    time.sleep(server.chunk_delay_s)
                text = piece if index == len(pieces) - 1 else piece + " "
                self._event(chunk([{"index": 0, "delta": {"content": text}, "finish_reason": None}]))
            self._event(chunk([{"index": 0, "delta": {}, "finish_reason": "stop"}]))
            if usage is not None and model != "no-usage":
                self._event(chunk([], usage=usage))
            self._write_chunk(b"data: [DONE]\n\n")
            self._write_chunk(b"")  # the zero-length chunk that ends a chunked body

        def _embeddings(self, body: dict[str, Any]) -> None:
            texts = body.get("input")
            texts = [texts] if isinstance(texts, str) else list(texts or [])
            data = [
                {"object": "embedding", "index": index, "embedding": embedding_for(str(text))}
                for index, text in enumerate(texts)
            ]
            tokens = sum(len(words(str(text))) for text in texts)
            self._json(
                200,
                {
                    "object": "list",
                    "data": data,
                    "model": body.get("model"),
                    "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
                },
            )

        # -- plumbing -------------------------------------------------------------------------

        def _event(self, document: dict[str, Any]) -> None:
            self._write_chunk(f"data: {json.dumps(document)}\n\n".encode())

        def _write_chunk(self, data: bytes) -> None:
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

        def _json(self, status: int, document: dict[str, Any], headers: dict[str, str] | None = None) -> None:
            payload = json.dumps(document).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

    return Handler
