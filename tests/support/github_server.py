"""A local stand-in for the GitHub REST API: a repository and its releases.

It answers `GET /repos/{owner}/{repo}` and `GET /repos/{owner}/{repo}/releases` (paged with
`per_page`/`page` and a `Link` header, newest first), with an ETag on every answer and 304 Not
Modified when `If-None-Match` matches (a 304 does not count against the rate limit, as on
GitHub). Every answer carries `x-ratelimit-*` headers; when the budget runs out the server
answers 403 with `x-ratelimit-remaining: 0`. `fail_next()` queues failures such as a 429 with
`Retry-After`.
"""

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Repository:
    archived: bool = False
    license: dict[str, Any] | None = field(
        default_factory=lambda: {"key": "apache-2.0", "spdx_id": "Apache-2.0", "name": "Apache License 2.0"}
    )
    releases: list[dict[str, Any]] = field(default_factory=list)  # oldest first


class GitHubServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, *, rate_limit: int = 5000, rate_limit_reset_in: int = 3600) -> None:
        super().__init__(("127.0.0.1", 0), _GitHubHandler)
        self.repos: dict[str, Repository] = {}
        self.rate_limit = rate_limit
        self.rate_limit_remaining = rate_limit
        self.rate_limit_reset = int(time.time()) + rate_limit_reset_in
        self.requests: list[tuple[str, dict[str, str]]] = []  # (path, headers) of every request
        self.failures: list[tuple[int, dict[str, str]]] = []
        self.lock = threading.RLock()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def add_repo(self, full_name: str, **fields: Any) -> Repository:
        self.repos[full_name] = Repository(**fields)
        return self.repos[full_name]

    def add_release(self, full_name: str, tag: str, published_at: str, *, prerelease: bool = False) -> None:
        repo = self.repos[full_name]
        repo.releases.append(
            {
                "id": len(repo.releases) + 1,
                "tag_name": tag,
                "name": tag,
                "draft": False,
                "prerelease": prerelease,
                "created_at": published_at,
                "published_at": published_at,
                "html_url": f"https://github.com/{full_name}/releases/tag/{tag}",
            }
        )

    def fail_next(self, status: int, headers: dict[str, str] | None = None, *, times: int = 1) -> None:
        self.failures.extend([(status, headers or {})] * times)


class _GitHubHandler(BaseHTTPRequestHandler):
    server: GitHubServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        self.server.requests.append((parts.path, dict(self.headers.items())))
        with self.server.lock:
            if self.server.failures:
                status, headers = self.server.failures.pop(0)
                self._send(status, {"message": "failure injected by the test"}, headers)
                return

        segments = parts.path.strip("/").split("/")
        if len(segments) < 3 or segments[0] != "repos":
            self._send(404, {"message": "Not Found"})
            return
        repo = self.server.repos.get(f"{segments[1]}/{segments[2]}")
        if repo is None:
            self._send(404, {"message": "Not Found"})
            return
        if len(segments) == 3:
            body: Any = {
                "full_name": f"{segments[1]}/{segments[2]}",
                "archived": repo.archived,
                "license": repo.license,
            }
            self._send_cacheable(body)
        elif segments[3:] == ["releases"]:
            self._send_releases(repo, parse_qs(parts.query), parts.path)
        else:
            self._send(404, {"message": "Not Found"})

    def _send_releases(self, repo: Repository, query: dict[str, list[str]], path: str) -> None:
        per_page = int((query.get("per_page") or ["30"])[0])
        page = int((query.get("page") or ["1"])[0])
        newest_first = list(reversed(repo.releases))
        chunk = newest_first[(page - 1) * per_page : page * per_page]
        links = {}
        if page * per_page < len(newest_first):
            links["Link"] = f'<{self.server.url}{path}?per_page={per_page}&page={page + 1}>; rel="next"'
        self._send_cacheable(chunk, links)

    def _send_cacheable(self, body: Any, headers: dict[str, str] | None = None) -> None:
        payload = json.dumps(body).encode()
        etag = f'"{hashlib.sha256(payload).hexdigest()[:16]}"'
        if self.headers.get("If-None-Match") == etag:
            self._send(304, None, {"ETag": etag, **self._rate_limit_headers(spend=False)})
            return
        with self.server.lock:
            if self.server.rate_limit_remaining <= 0:
                self._send(403, {"message": "API rate limit exceeded"}, self._rate_limit_headers(spend=False))
                return
        self._send(200, body, {"ETag": etag, **(headers or {}), **self._rate_limit_headers(spend=True)})

    def _rate_limit_headers(self, *, spend: bool) -> dict[str, str]:
        with self.server.lock:
            if spend:
                self.server.rate_limit_remaining -= 1
            return {
                "x-ratelimit-limit": str(self.server.rate_limit),
                "x-ratelimit-remaining": str(max(self.server.rate_limit_remaining, 0)),
                "x-ratelimit-reset": str(self.server.rate_limit_reset),
            }

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        payload = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)
