"""A local stand-in for the Hugging Face Hub's `GET /api/models`, for the real `huggingface_hub`.

It speaks the parts of the protocol the watch relies on: the `author` filter, repeated
`expand[]=…` parameters (answering with only the requested fields, as the Hub does, and
refusing `expand` together with `full`/`cardData`), and paging through a
`Link: <full next URL>; rel="next"` header. Tests change `server.models` between polls to
publish a release or change a license.

    server = HubServer(page_size=2)
    server.add_model("Qwen/Qwen3-8B", created_at="2025-04-28T10:00:00.000Z", license="apache-2.0")
    # run server.serve_forever() in a thread; point HfApi(endpoint=server.url) at it

It also serves a repository's files, as `huggingface_hub` downloads them (for the archive):
`GET /api/models/OWNER/REPO[/revision/REV]` answers the model info with `sha` and `siblings` (sizes,
blob ids and LFS sha256 with `?blobs=true`), and `GET|HEAD /OWNER/REPO/resolve/REV/PATH` the file with
`ETag`, `X-Repo-Commit`, `Content-Length` and Range support. `commit_files` publishes a commit
(`main` moves to it; older commits stay reachable by their sha). A file's content is bytes, or a Path
streamed from disk (for the benchmark's 2 GB repository).

    sha = server.commit_files("Qwen/Qwen3.5-0.8B", {"config.json": b"{}", "model.safetensors": path})
"""

import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

LFS_SUFFIXES = (".safetensors", ".bin", ".gguf", ".pt", ".onnx", ".model")

PLACEHOLDER_CREATED_AT = "2022-03-02T23:29:04.000Z"
# What the Hub returns when neither `expand` nor `full` is asked for.
DEFAULT_FIELDS = (
    "likes",
    "trendingScore",
    "private",
    "downloads",
    "tags",
    "pipeline_tag",
    "library_name",
    "createdAt",
)


class HubServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, *, page_size: int = 2) -> None:
        super().__init__(("127.0.0.1", 0), _HubHandler)
        self.page_size = page_size
        self.models: dict[str, dict[str, Any]] = {}  # id → the full JSON item
        self.requests: list[dict[str, list[str]]] = []  # query of every /api/models request
        self.lock = threading.Lock()
        # repo id → {"commits": {sha: {path: bytes | Path}}, "main": sha, "lfs": {(sha, path): sha256}}
        self.repos: dict[str, dict[str, Any]] = {}
        self.downloads: list[str] = []  # "repo@rev/path" of every file GET
        self.fail_paths: set[str] = set()  # files answered with a 500 (a Hub outage mid-archive)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def add_model(
        self,
        model_id: str,
        *,
        created_at: str = PLACEHOLDER_CREATED_AT,
        last_modified: str | None = None,
        license: str | None = "apache-2.0",
        license_name: str | None = None,
        license_link: str | None = None,
        pipeline_tag: str = "text-generation",
    ) -> None:
        author = model_id.split("/")[0]
        with self.lock:
            self.models[model_id] = {
                "_id": f"{len(self.models):024x}",
                "id": model_id,
                "modelId": model_id,
                "author": author,
                "createdAt": created_at,
                "lastModified": last_modified or created_at,
                "likes": 10,
                "trendingScore": 1,
                "private": False,
                "downloads": 1000,
                "gated": False,
                "pipeline_tag": pipeline_tag,
                "library_name": "transformers",
                "sha": "0" * 40,
            }
        self.set_license(model_id, license, license_name=license_name, license_link=license_link)

    def set_license(
        self,
        model_id: str,
        license: str | None,
        *,
        license_name: str | None = None,
        license_link: str | None = None,
    ) -> None:
        """Change the card metadata and the `license:` tag together, as a card edit does."""
        card = {"license": license, "license_name": license_name, "license_link": license_link}
        card = {key: value for key, value in card.items() if value is not None}
        with self.lock:
            model = self.models[model_id]
            model["cardData"] = card | {"library_name": "transformers"}
            model["tags"] = ["transformers", "safetensors", "text-generation"] + (
                [f"license:{license}"] if license else []
            )

    def commit_files(
        self, repo_id: str, files: dict[str, bytes | Path], *, lfs_sha256: dict[str, str] | None = None
    ) -> str:
        """Publish a commit with exactly these files; `main` moves to it. Returns the commit sha.

        LFS files (weights) get their sha256 from the bytes, or from `lfs_sha256` for files on disk.
        """
        if repo_id not in self.models:
            self.add_model(repo_id)
        with self.lock:
            repo = self.repos.setdefault(repo_id, {"commits": {}, "main": None, "lfs": {}})
            material = json.dumps(
                [repo["main"], sorted((path, str(len(repo["commits"]))) for path in files)]
            ).encode()
            sha = hashlib.sha1(material).hexdigest()
            repo["commits"][sha] = dict(files)
            repo["main"] = sha
            for path, content in files.items():
                if path.endswith(LFS_SUFFIXES):
                    known = (lfs_sha256 or {}).get(path)
                    if known is None and isinstance(content, bytes):
                        known = hashlib.sha256(content).hexdigest()
                    if known:
                        repo["lfs"][(sha, path)] = known
            self.models[repo_id]["sha"] = sha
        return sha

    def resolve(self, repo_id: str, revision: str | None) -> str | None:
        repo = self.repos.get(repo_id)
        if repo is None:
            return None
        if revision in (None, "main"):
            return repo["main"]
        return revision if revision in repo["commits"] else None


def _size(content: bytes | Path) -> int:
    return len(content) if isinstance(content, bytes) else content.stat().st_size


def _blob_id(content: bytes | Path) -> str:
    if isinstance(content, bytes):
        return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()
    return hashlib.sha1(f"{content}:{content.stat().st_size}".encode()).hexdigest()


class _HubHandler(BaseHTTPRequestHandler):
    server: HubServer

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def do_HEAD(self) -> None:
        self._serve_file(head=True)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path.startswith("/api/models/"):
            self._model_info(parts)
            return
        if "/resolve/" in parts.path:
            self._serve_file(head=False)
            return
        if parts.path != "/api/models":
            self._send(404, {"error": "Not found"})
            return
        query = parse_qs(parts.query)
        self.server.requests.append(query)
        expand = query.get("expand[]", []) + query.get("expand", [])
        if expand and (query.get("full") or query.get("cardData")):
            self._send(400, {"error": "expand cannot be combined with full or cardData"})
            return

        author = (query.get("author") or [""])[0].lower()
        with self.server.lock:
            matching = [
                model
                for model in self.server.models.values()
                if not author or model["author"].lower() == author
            ]
        offset = int((query.get("cursor") or ["0"])[0])
        page = matching[offset : offset + self.server.page_size]
        headers = {}
        if offset + self.server.page_size < len(matching):
            next_query = {**query, "cursor": [str(offset + self.server.page_size)]}
            next_url = f"{self.server.url}/api/models?{urlencode(next_query, doseq=True)}"
            headers["Link"] = f'<{next_url}>; rel="next"'
        full = bool(query.get("full"))
        self._send(200, [self._shape(model, expand, full=full) for model in page], headers)

    @staticmethod
    def _shape(model: dict[str, Any], expand: list[str], *, full: bool) -> dict[str, Any]:
        if full:
            return dict(model)
        fields = expand or DEFAULT_FIELDS
        shaped = {"_id": model["_id"], "id": model["id"]}
        if not expand:
            shaped["modelId"] = model["modelId"]
        shaped.update({field: model[field] for field in fields if field in model})
        return shaped

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    # -- repository files --------------------------------------------------------------------------

    def _model_info(self, parts) -> None:
        rest = unquote(parts.path[len("/api/models/") :])
        repo_id, _, revision = rest.partition("/revision/")
        sha = self.server.resolve(repo_id, revision or None)
        if repo_id not in self.server.models or sha is None:
            name = "RevisionNotFound" if repo_id in self.server.repos else "RepoNotFound"
            self._send(404, {"error": "Repository not found"}, {"X-Error-Code": name})
            return
        blobs = bool(parse_qs(parts.query).get("blobs"))
        repo = self.server.repos[repo_id]
        siblings = []
        for path, content in sorted(repo["commits"][sha].items()):
            sibling: dict[str, Any] = {"rfilename": path}
            if blobs:
                sibling |= {"size": _size(content), "blobId": _blob_id(content)}
                if (sha, path) in repo["lfs"]:
                    sibling["lfs"] = {
                        "sha256": repo["lfs"][(sha, path)],
                        "size": _size(content),
                        "pointerSize": 134,
                    }
            siblings.append(sibling)
        self._send(200, dict(self.server.models[repo_id]) | {"sha": sha, "siblings": siblings})

    def _serve_file(self, *, head: bool) -> None:
        path = unquote(urlsplit(self.path).path).lstrip("/")
        owner, name, marker, revision, *rest = path.split("/") + [""] * 4
        repo_id, filename = f"{owner}/{name}", "/".join(part for part in rest if part)
        sha = self.server.resolve(repo_id, revision) if marker == "resolve" else None
        content = self.server.repos[repo_id]["commits"][sha].get(filename) if sha else None
        if content is None:
            self._send(404, {"error": "Entry not found"}, {"X-Error-Code": "EntryNotFound"})
            return
        if filename in self.server.fail_paths:
            self._send(500, {"error": "Internal Error"})
            return
        if not head:
            self.server.downloads.append(f"{repo_id}@{sha}/{filename}")
        size = _size(content)
        start = 0
        status = 200
        if (wanted := self.headers.get("Range", "")).startswith("bytes="):
            start = int(wanted[6:].split("-")[0] or 0)
            status = 206
        lfs = self.server.repos[repo_id]["lfs"].get((sha, filename))
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(size - start))
        self.send_header("ETag", f'"{lfs or _blob_id(content)}"')
        self.send_header("X-Repo-Commit", sha)
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{size - 1}/{size}")
        self.end_headers()
        if head:
            return
        if isinstance(content, bytes):
            self.wfile.write(content[start:])
            return
        with open(content, "rb") as handle:
            self.connection.sendfile(handle, offset=start)  # zero-copy: the benchmark measures our side
