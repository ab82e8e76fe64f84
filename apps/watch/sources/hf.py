"""`hf:ORG`: a Hugging Face organization's models, through the real `huggingface_hub`.

Snapshot::

    {"kind": "hf", "org": "Qwen", "vendor": "alibaba", "taken_at": "…Z",
     "models": {"Qwen/Qwen3-8B": {"created_at": "2025-04-27T…Z" | null, "last_modified": "…Z",
                                  "license": "apache-2.0", "license_name": null, "license_link": null,
                                  "family": "qwen", "pipeline_tag": "text-generation", "gated": false}}}

`huggingface_hub` follows the Hub's `Link: <…>; rel="next"` pages, retries 429/5xx honouring
Retry-After, and reads `HF_ENDPOINT` at import time; we also honour `HF_ENDPOINT` read now, so a
process that set it late still polls the right Hub. `expand[]` asks only for what we keep (it
cannot be combined with `full`/`cardData`).
"""

import os
from datetime import UTC, datetime
from typing import Any

import httpx2
from huggingface_hub import HfApi, ModelInfo, set_client_factory
from huggingface_hub.errors import HfHubHTTPError, OfflineModeIsEnabled

from apps.common.vendors import family_for_model_name
from apps.watch.contract import format_timestamp
from apps.watch.licenses import normalise
from apps.watch.sources.base import PollResult, PollSettings, SourceError, SourceSpec, SourceState, vendor_for

EXPAND = ["createdAt", "lastModified", "tags", "cardData", "gated", "pipeline_tag"]
# Every repo created before the Hub recorded creation dates carries this one: it means "unknown".
PLACEHOLDER_CREATED_AT = datetime(2022, 3, 2, 23, 29, 4, tzinfo=UTC)
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


def poll(spec: SourceSpec, previous: SourceState, *, settings: PollSettings, now: datetime) -> PollResult:
    org = spec.target
    install_hub_timeouts(settings.timeout)
    api = HfApi(
        endpoint=settings.hf_endpoint or os.environ.get("HF_ENDPOINT") or None, token=settings.hf_token
    )
    try:
        models = {info.id: _model(info) for info in api.list_models(author=org, expand=EXPAND)}
    except HfHubHTTPError as error:
        status = error.response.status_code if error.response is not None else None
        raise SourceError(
            f"hf:{org}: the Hub answered HTTP {status}", transient=status in TRANSIENT_STATUSES
        ) from error
    except httpx2.TimeoutException as error:
        raise SourceError(
            f"hf:{org}: the Hub timed out after {settings.timeout:g}s", transient=True
        ) from error
    except (httpx2.TransportError, OfflineModeIsEnabled) as error:
        raise SourceError(f"hf:{org}: the Hub could not be reached: {error}", transient=True) from error

    if not models and (previous.snapshot or {}).get("models"):
        # An org does not lose every model at once; an empty page is an outage or a renamed org,
        # and accepting it would make the next real listing look like a flood of new releases.
        raise SourceError(
            f"hf:{org}: the Hub listed no models; keeping the previous snapshot", transient=True
        )

    snapshot = {
        "kind": "hf",
        "org": org,
        "vendor": vendor_for(org),
        "taken_at": format_timestamp(now),
        "models": models,
    }
    return PollResult(snapshot=snapshot, http_state={}, observations=[f"hf:{org}: {len(models)} models"])


def _model(info: ModelInfo) -> dict[str, Any]:
    card = info.card_data.to_dict() if info.card_data else {}
    tag_license = next(
        (tag.removeprefix("license:") for tag in info.tags or [] if tag.startswith("license:")), None
    )
    name = info.id.split("/")[-1]
    family = family_for_model_name(name)
    return {
        "created_at": _known_date(info.created_at),
        "last_modified": format_timestamp(info.last_modified) if info.last_modified else None,
        "license": normalise(card.get("license")) or normalise(tag_license),
        "license_name": normalise(card.get("license_name")),
        "license_link": card.get("license_link"),
        "family": family[0] if family else None,
        "pipeline_tag": info.pipeline_tag,
        "gated": info.gated,
    }


def _known_date(created_at: datetime | None) -> str | None:
    if created_at is None or created_at == PLACEHOLDER_CREATED_AT:
        return None
    return format_timestamp(created_at)


class _DefaultTimeoutTransport(httpx2.HTTPTransport):
    """Applies our timeout to requests that carry none.

    huggingface_hub's shared client has no timeout and `list_models` passes `timeout=None`
    explicitly, so a Hub that accepts the connection and then hangs would hang the worker.
    """

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self._timeout = httpx2.Timeout(seconds).as_dict()

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        if not any(request.extensions.get("timeout", {}).values()):
            request.extensions["timeout"] = self._timeout
        return super().handle_request(request)


_installed_timeout: float | None = None


def install_hub_timeouts(seconds: float) -> None:
    """Give huggingface_hub's shared client a default timeout (once per process and value).

    Process-wide on purpose: huggingface_hub has a single shared client. Requests that set their
    own timeout (downloads do) keep it.
    """
    global _installed_timeout
    if _installed_timeout == seconds:
        return

    def client_factory() -> httpx2.Client:
        return httpx2.Client(
            transport=_DefaultTimeoutTransport(seconds),
            event_hooks={"request": _hub_request_hooks()},
            follow_redirects=True,
            timeout=None,
        )

    set_client_factory(client_factory)
    _installed_timeout = seconds


def _hub_request_hooks() -> list[Any]:
    # Keep the library's own request hook (offline mode, request ids) when it is there to keep.
    from huggingface_hub.utils import _http

    hook = getattr(_http, "hf_request_event_hook", None)
    return [hook] if hook else []
