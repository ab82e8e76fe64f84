"""A local stand-in for the Hugging Face Hub's `GET /api/models`, for the real `huggingface_hub`.

It speaks the parts of the protocol the watch relies on: the `author` filter, repeated
`expand[]=…` parameters (answering with only the requested fields, as the Hub does, and
refusing `expand` together with `full`/`cardData`), and paging through a
`Link: <full next URL>; rel="next"` header. Tests change `server.models` between polls to
publish a release or change a license.

    server = HubServer(page_size=2)
    server.add_model("Qwen/Qwen3-8B", created_at="2025-04-28T10:00:00.000Z", license="apache-2.0")
    # run server.serve_forever() in a thread; point HfApi(endpoint=server.url) at it
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

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


class _HubHandler(BaseHTTPRequestHandler):
    server: HubServer

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
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
