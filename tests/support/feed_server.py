"""A local RSS 2.0 / Atom 1.0 feed server with conditional GET, and an endpoint that hangs.

    server = FeedServer()
    server.add_item("/rss.xml", title="Qwen lead steps down", published=datetime(...))
    # GET /rss.xml (RSS) or /atom.xml (Atom); /hang… never answers before the client gives up

Each feed answers with `ETag` and `Last-Modified`, and 304 when `If-None-Match` or
`If-Modified-Since` says the client is up to date.
"""

import hashlib
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

HANG_PATH = "/hang"


@dataclass
class FeedItem:
    guid: str
    title: str
    link: str
    summary: str
    published: datetime


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _FeedHandler)
        self.items: dict[str, list[FeedItem]] = {"/rss.xml": [], "/atom.xml": []}
        self.modified_at: dict[str, datetime] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.release_hanging = threading.Event()  # set on close so hung handlers finish

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def add_item(self, path: str, *, title: str, published: datetime, summary: str = "") -> FeedItem:
        items = self.items.setdefault(path, [])
        item = FeedItem(
            guid=f"urn:riskboard-test:{path.strip('/')}:{len(items) + 1}",
            title=title,
            link=f"https://news.example/{len(items) + 1}",
            summary=summary,
            published=published,
        )
        items.append(item)
        self.modified_at[path] = datetime.now(UTC).replace(microsecond=0)
        return item

    def server_close(self) -> None:
        self.release_hanging.set()
        super().server_close()


def render_rss(title: str, items: list[FeedItem]) -> str:
    entries = "".join(
        f"<item><title>{escape(item.title)}</title><link>{escape(item.link)}</link>"
        f'<guid isPermaLink="false">{escape(item.guid)}</guid>'
        f"<description>{escape(item.summary)}</description>"
        f"<pubDate>{format_datetime(item.published)}</pubDate></item>"
        for item in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://news.example/</link>"
        f"<description>Test feed</description>{entries}</channel></rss>"
    )


def render_atom(title: str, items: list[FeedItem]) -> str:
    entries = "".join(
        f"<entry><title>{escape(item.title)}</title>"
        f'<link href="{escape(item.link)}"/><id>{escape(item.guid)}</id>'
        f"<updated>{item.published.isoformat()}</updated>"
        f"<published>{item.published.isoformat()}</published>"
        f"<summary>{escape(item.summary)}</summary></entry>"
        for item in items
    )
    updated = max((item.published for item in items), default=datetime(2026, 1, 1, tzinfo=UTC))
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:riskboard-test:atom</id>"
        f"<updated>{updated.isoformat()}</updated>{entries}</feed>"
    )


class _FeedHandler(BaseHTTPRequestHandler):
    server: FeedServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        self.server.requests.append((path, dict(self.headers.items())))
        if path.startswith(HANG_PATH):
            self.server.release_hanging.wait(timeout=30)
            return
        if path not in self.server.items:
            self._send(404, b"not found", "text/plain")
            return
        items = self.server.items[path]
        is_atom = path.endswith("atom.xml")
        document = (render_atom if is_atom else render_rss)("AI vendor news", items).encode()
        etag = f'"{hashlib.sha256(document).hexdigest()[:16]}"'
        modified = self.server.modified_at.get(path, datetime(2026, 1, 1, tzinfo=UTC))
        validators = {"ETag": etag, "Last-Modified": format_datetime(modified, usegmt=True)}
        if self._is_fresh(etag, modified):
            self._send(304, b"", None, validators)
            return
        content_type = "application/atom+xml" if is_atom else "application/rss+xml"
        self._send(200, document, f"{content_type}; charset=utf-8", validators)

    def _is_fresh(self, etag: str, modified: datetime) -> bool:
        if none_match := self.headers.get("If-None-Match"):
            return none_match == etag  # If-None-Match wins over If-Modified-Since (RFC 9110)
        if since := self.headers.get("If-Modified-Since"):
            try:
                return modified <= parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
        return False

    def _send(
        self, status: int, body: bytes, content_type: str | None, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
