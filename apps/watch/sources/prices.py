"""`prices:URL-or-path`: a LiteLLM-format price map (`model_prices_and_context_window.json`).

Snapshot::

    {"kind": "prices", "location": "https://…/model_prices_and_context_window.json",
     "taken_at": "…Z",
     "models": {"gpt-4o": {"input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05,
                           "provider": "openai", "mode": "chat", "deprecation_date": null}}}

Only the fields signals are made of are kept (the full map is ~3.5 MB). A missing price stays
null, meaning unknown, never 0. The map is read here minimally on purpose: `apps.common.prices`
owns the catalogue's view of prices; the watch only needs to diff two maps.
"""

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from apps.common.vendors import family_for_model_name
from apps.watch.contract import format_timestamp
from apps.watch.sources.base import PollResult, PollSettings, SourceError, SourceSpec, SourceState
from apps.watch.sources.http import Fetcher, validators_of

KEPT_FIELDS = ("input_cost_per_token", "output_cost_per_token", "mode", "deprecation_date")


def poll(spec: SourceSpec, previous: SourceState, *, settings: PollSettings, now: datetime) -> PollResult:
    location = spec.target
    observations: list[str] = []
    if location.startswith(("http://", "https://")):
        validators = previous.http_state.get(location) if previous.snapshot else None
        with Fetcher(settings) as fetcher:
            response = fetcher.get(location, validators=validators)
            observations = fetcher.observations
        if response.status_code == 304:
            observations.append(f"{location}: not modified")
            snapshot = {**(previous.snapshot or {}), "taken_at": format_timestamp(now)}
            return PollResult(snapshot, {location: validators or {}}, observations)
        raw, http_state = response.content, {location: validators_of(response)}
    else:
        raw, http_state = _read_local(location), {}

    models = parse_price_map(raw, location=location)
    observations.append(f"{location}: {len(models)} models")
    snapshot = {"kind": "prices", "location": location, "taken_at": format_timestamp(now), "models": models}
    return PollResult(snapshot=snapshot, http_state=http_state, observations=observations)


def parse_price_map(raw: bytes, *, location: str = "price map") -> dict[str, dict[str, Any]]:
    try:
        document = json.loads(raw)
    except ValueError as error:
        raise SourceError(f"{location} is not JSON: {error}", transient=False) from error
    if not isinstance(document, dict):
        raise SourceError(f"{location} is not a LiteLLM price map (expected an object)", transient=False)
    models = {}
    for name, entry in document.items():
        if name == "sample_spec" or not isinstance(entry, dict):  # sample_spec documents the fields
            continue
        model = {field: entry.get(field) for field in KEPT_FIELDS}
        model["provider"] = entry.get("litellm_provider")
        models[name] = model
    return models


def _read_local(location: str) -> bytes:
    path = Path(location.removeprefix("file://"))
    try:
        return path.read_bytes()
    except OSError as error:
        raise SourceError(f"cannot read price map {path}: {error.strerror}", transient=False) from error


# LiteLLM providers that are the model's own vendor. Hosts of other people's models (bedrock,
# azure_ai, together_ai, openrouter, …) are deliberately absent: the model name decides there.
PROVIDER_VENDORS = {
    "openai": "openai",
    "text-completion-openai": "openai",
    "azure": "openai",
    "anthropic": "anthropic",
    "gemini": "google",
    "vertex_ai-language-models": "google",
    "mistral": "mistral",
    "codestral": "mistral",
    "deepseek": "deepseek",
    "dashscope": "alibaba",
    "cohere": "cohere",
    "cohere_chat": "cohere",
    "xai": "xai",
    "moonshot": "moonshot",
}


def vendor_of_priced_model(name: str, provider: str | None) -> str:
    """`bedrock/us.anthropic.claude-3-7-sonnet…` → anthropic: the model's family first, then its provider."""
    for segment in reversed(name.split("/")):
        parts = segment.split(".")
        for start in range(len(parts)):
            if family := family_for_model_name(".".join(parts[start:])):
                return family[1]
    return PROVIDER_VENDORS.get(provider or "", "unknown")
